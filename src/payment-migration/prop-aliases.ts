import { Construct } from 'constructs';
import { aliasChildProps } from '../private/validation';

/**
 * How each inner construct's props are named in `PaymentMigration`'s props, so that an inner validation error names
 * the prop the user typed (`side.source.routeTableIds[0]`, not `peering.peerRouteTableIds[0]`). Only props the user
 * sets are listed; what the composition derives keeps the inner name.
 */
type Aliases = Record<string, Record<string, string>>;

const FLEET: Record<string, string> = {
  image: 'side.fleet.image',
  certificate: 'side.fleet.certificate',
  containerPort: 'side.fleet.containerPort',
  targetPort: 'side.fleet.targetPort',
  instanceType: 'side.fleet.instanceType',
  minCapacity: 'side.fleet.minCapacity',
  maxCapacity: 'side.fleet.maxCapacity',
  environment: 'side.fleet.environment',
};
const NETWORK: Record<string, string> = {
  cidr: 'side.network.cidr',
  availabilityZones: 'side.network.availabilityZones',
  natGateways: 'side.network.natGateways',
};
const DNS: Record<string, string> = {
  hostedZone: 'side.dns.hostedZone',
  zoneName: 'side.dns.zoneName',
  recordNames: 'side.dns.recordNames',
};
const ORCHESTRATOR: Record<string, string> = {
  steps: 'side.cutover.steps',
  bakeTime: 'side.cutover.bakeTime',
  allowBakeShorterThanAlarms: 'side.cutover.allowBakeShorterThanAlarms',
  pollInterval: 'side.cutover.pollInterval',
  approveBeforeFirstStep: 'side.cutover.approveBeforeFirstStep',
  approveBeforeSwitchover: 'side.cutover.approveBeforeSwitchover',
};

/** @internal */
export const SOURCE_REGION_ALIASES: Aliases = {
  GlobalDatabase: { sourceClusterArn: 'side.primaryClusterArn' },
};

/** @internal */
export const TARGET_REGION_ALIASES: Aliases = {
  Network: {
    ...NETWORK,
    'peering.peerVpcId': 'side.source.vpcId',
    'peering.peerCidr': 'side.source.cidr',
    'peering.peerRegion': 'side.source.region',
    'peering.peerRouteTableIds': 'side.source.routeTableIds',
  },
  Database: {
    primaryRegion: 'side.source.region',
    primaryEngineVersion: 'side.source.engineVersion',
    globalWriterEndpoint: 'side.source.globalWriterEndpoint',
    engineVersion: 'side.database.engineVersion',
    instances: 'side.database.instances',
    instanceType: 'side.database.instanceType',
    deletionProtection: 'side.database.deletionProtection',
  },
  Fleet: { ...FLEET, databaseWriterEndpoint: 'side.source.globalWriterEndpoint' },
  Dns: {
    ...DNS,
    'source.dnsName': 'side.source.loadBalancerDnsName',
    'source.canonicalHostedZoneId': 'side.source.loadBalancerHostedZoneId',
  },
  Orchestrator: ORCHESTRATOR,
};

/** @internal */
export const DATACENTER_TO_AWS_ALIASES: Aliases = {
  Network: { ...NETWORK, onPremises: 'side.source.connectivity' },
  Database: {
    readers: 'side.database.readers',
    instanceType: 'side.database.instanceType',
    deletionProtection: 'side.database.deletionProtection',
    masterSecret: 'side.database.masterSecret',
  },
  Fleet: { ...FLEET, databaseSecret: 'side.database.applicationSecret' },
  Replication: {
    'datacenter': 'side.source.database',
    'aurora.secret': 'side.database.replicationSecret',
    'datacenterCidrs': 'side.source.connectivity.cidrs',
    'replicationInstanceClass': 'side.replication.instanceClass',
    'allocatedStorage': 'side.replication.allocatedStorage',
    'includedSchemas': 'side.replication.includedSchemas',
    'cdcLatencyThreshold': 'side.replication.cdcLatencyThreshold',
  },
  Dns: {
    ...DNS,
    'source': 'side.source.legacyEndpoint',
    // the AWS side's CNAME takes the legacy endpoint's TTL: one value the user typed once
    'target.ttl': 'side.source.legacyEndpoint.ttl',
  },
  Orchestrator: {
    ...ORCHESTRATOR,
    // what the execution-history budget may name: the gate's full-load wait (the DMS gate is the first), the move's waits
    'gates[0].fullLoadTimeout': 'side.replication.fullLoadTimeout',
    // every option of the writer move, so that no rule of the orchestrator names a neighbour
    'switchover.applicationRefresh': 'side.writerMove.applicationRefresh',
    'switchover.drainTimeout': 'side.writerMove.drainTimeout',
    'switchover.drainReadInterval': 'side.writerMove.drainReadInterval',
    'switchover.maxLatency': 'side.writerMove.maxLatency',
    'switchover.pollInterval': 'side.writerMove.pollInterval',
    'switchover.taskTimeout': 'side.writerMove.taskTimeout',
    'switchover.postMoveBake': 'side.writerMove.postMoveBake',
  },
};

/** Registers the aliases of every inner construct of one side, before any is created. @internal */
export function aliasSideProps(scope: Construct, aliases: Aliases): void {
  for (const [childId, names] of Object.entries(aliases)) {
    aliasChildProps(scope, childId, names);
  }
}
