import { structPropertyNames } from '../private/assembly-types';

/**
 * How each inner construct's props are named in `PaymentMigration`'s props, so that an inner validation error names
 * the prop the user typed (`side.source.routeTableIds[0]`, not `peering.routeTableIds[0]`). The side's options are
 * the inner constructs' own options, passed through: each keeps its name under `side.<part>`. Only what the
 * composition derives is listed by hand.
 */
export type Aliases = Record<string, Record<string, string>>;

/** The options of `side.<part>` (a struct of the jsii assembly), each passed through under its own name. */
function passedThrough(part: string, struct: string, except: string[] = []): Record<string, string> {
  return Object.fromEntries(structPropertyNames(struct).filter((k) => !except.includes(k)).map((k) => [k, `side.${part}.${k}`]));
}

/** What both sides pass through: the network, the fleet, the records and the cutover's pace. */
const COMMON: Aliases = {
  Network: passedThrough('network', 'RegionalNetworkOptions'),
  Fleet: passedThrough('fleet', 'FleetOptions'),
  Dns: passedThrough('dns', 'CutoverRecordsOptions'),
  // `side.cutover.switchover` is a boolean; the orchestrator's `switchover` is made from it
  Orchestrator: passedThrough('cutover', 'CutoverOptions', ['switchover']),
};

/** @internal */
export const SOURCE_REGION_ALIASES: Aliases = {
  GlobalDatabase: { sourceClusterArn: 'side.primaryClusterArn' },
};

/** @internal */
export function targetRegionAliases(): Aliases {
  return {
    Network: {
      ...COMMON.Network,
      'peering.peerVpcId': 'side.source.vpcId',
      'peering.peerCidr': 'side.source.cidr',
      'peering.peerRegion': 'side.source.region',
      'peering.peerRouteTableIds': 'side.source.routeTableIds',
    },
    Database: {
      ...passedThrough('database', 'GlobalSecondaryOptions'),
      primaryRegion: 'side.source.region',
      primaryEngineVersion: 'side.source.engineVersion',
      globalWriterEndpoint: 'side.source.globalWriterEndpoint',
    },
    Fleet: { ...COMMON.Fleet, databaseWriterEndpoint: 'side.source.globalWriterEndpoint' },
    Dns: {
      ...COMMON.Dns,
      'source.dnsName': 'side.source.loadBalancerDnsName',
      'source.canonicalHostedZoneId': 'side.source.loadBalancerHostedZoneId',
    },
    Orchestrator: COMMON.Orchestrator,
  };
}

/** @internal */
export function datacenterToAwsAliases(): Aliases {
  return {
    Network: { ...COMMON.Network, onPremises: 'side.source.connectivity' },
    Database: {
      readers: 'side.database.readers',
      instanceType: 'side.database.instanceType',
      deletionProtection: 'side.database.deletionProtection',
      masterSecret: 'side.database.masterSecret',
    },
    Fleet: { ...COMMON.Fleet, databaseSecret: 'side.database.applicationSecret' },
    Replication: {
      'datacenter': 'side.source.database',
      'aurora.secret': 'side.database.replicationSecret',
      'datacenterCidrs': 'side.source.connectivity.cidrs',
      'replicationInstanceClass': 'side.replication.instanceClass',
      'allocatedStorage': 'side.replication.allocatedStorage',
      'includedSchemas': 'side.replication.includedSchemas',
      'cdcLatencyThreshold': 'side.replication.cdcLatencyThreshold',
    },
    // the load-balancer shifting's stickiness, checked by the LoadBalancerCutover it configures
    Shift: { stickiness: 'side.shifting.stickiness' },
    Dns: {
      ...COMMON.Dns,
      'source': 'side.source.legacyEndpoint',
      // the AWS side's CNAME takes the legacy endpoint's TTL: one value the user typed once
      'target.ttl': 'side.source.legacyEndpoint.ttl',
    },
    Orchestrator: {
      ...COMMON.Orchestrator,
      // what the execution-history budget may name: the gate's full-load wait (the DMS gate is the first), the move's waits
      'gates[0].fullLoadTimeout': 'side.replication.fullLoadTimeout',
      // every option of the writer move, so that no rule of the orchestrator names a neighbour
      ...Object.fromEntries(structPropertyNames('DmsWriterMoveTimings').map((k) => [`switchover.${k}`, `side.writerMove.${k}`])),
    },
  };
}
