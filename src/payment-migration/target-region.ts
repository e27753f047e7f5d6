import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { buildAcceleratorShifter } from './accelerator-side';
import { TargetRegionOptions } from './cross-region-options';
import { auroraGlobalWidgets } from './dashboard';
import { runbookSections } from './runbook';
import { databasePhase, sideFleet, sideNetwork, sideOutputs, SideParts } from './side-parts';
import { TargetRegionResources } from './side-resources';
import { acknowledgeTeardown } from './teardown';
import { TrafficShiftingKind } from './traffic-shifting';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { CutoverGate } from '../migration-orchestrator/cutover-gate';
import { DatabaseSwitchover } from '../migration-orchestrator/database-switchover';
import { MigrationOrchestrator } from '../migration-orchestrator/migration-orchestrator';
import { CutoverEndpoint } from '../weighted-cutover/cutover-endpoint';
import { WeightedCutover } from '../weighted-cutover/weighted-cutover';

/**
 * The target region of a cross-region migration: network → database → fleet → weighted records → orchestrator →
 * dashboard and runbook.
 * @internal
 */
export function buildTargetRegion(parts: SideParts, globalClusterIdentifier: string, t: TargetRegionOptions): TargetRegionResources {
  const { scope, alarmActions, alarmTopic, removalPolicy } = parts;
  const teardown = removalPolicy === RemovalPolicy.DESTROY;
  const network = sideNetwork(parts, t.network, {
    peering: { peerVpcId: t.source.vpcId, peerCidr: t.source.cidr, peerRegion: t.source.region, peerRouteTableIds: t.source.routeTableIds },
  });

  const database = new AuroraGlobalSecondary(scope, 'Database', {
    alarmActions,
    vpc: network.vpc,
    subnets: network.databaseSubnets,
    globalClusterIdentifier: globalClusterIdentifier,
    primaryRegion: t.source.region,
    primaryEngineVersion: t.source.engineVersion,
    globalWriterEndpoint: t.source.globalWriterEndpoint,
    engineVersion: t.database?.engineVersion,
    instances: t.database?.instances,
    instanceType: t.database?.instanceType,
    deletionProtection: t.database?.deletionProtection ?? (teardown ? false : undefined),
    removalPolicy: teardown ? RemovalPolicy.DESTROY : undefined,
  });

  const fleet = sideFleet(parts, network, t.fleet, {
    // One writer at every moment: writes go through the global writer endpoint, which follows the primary.
    databaseWriterEndpoint: t.source.globalWriterEndpoint,
    databaseReaderEndpoint: database.clusterReadEndpoint,
  });
  database.connections.allowDefaultPortFrom(fleet, 'payment fleet');
  if (teardown) {
    acknowledgeTeardown(t.database?.deletionProtection === undefined ? [database.node.findChild('Resource')] : [], [fleet.loadBalancer.node.defaultChild!]);
  }

  // Global Accelerator shifting: the records point at the accelerator (whose dials send 100 % to the source) from the
  // start, and the DNS side is the way around it (straight to the source's load balancer) if the edge itself fails.
  const edge = t.shifting?.kind === TrafficShiftingKind.GLOBAL_ACCELERATOR;
  const dns = new WeightedCutover(scope, 'Dns', {
    ...t.dns,
    alarmActions,
    source: CutoverEndpoint.fromLoadBalancerAttributes({
      dnsName: t.source.loadBalancerDnsName,
      canonicalHostedZoneId: t.source.loadBalancerHostedZoneId,
    }),
    target: edge
      ? CutoverEndpoint.fromGlobalAccelerator(t.shifting!._accelerator().acceleratorDnsName)
      : CutoverEndpoint.fromLoadBalancer(fleet.loadBalancer),
    targetAlarm: edge ? undefined : fleet.healthyHostsAlarm,
    initialTargetPercent: edge ? 100 : undefined,
    removalPolicy,
  });

  const shifter = edge ? buildAcceleratorShifter(scope, t, removalPolicy) : dns;
  const switchover = databasePhase(t.cutover);
  const orchestrator = new MigrationOrchestrator(scope, 'Orchestrator', {
    ...t.cutover,
    shifter,
    notificationTopic: alarmTopic,
    gates: [
      CutoverGate.auroraGlobalSecondary(database),
      CutoverGate.alarm(fleet.healthyHostsAlarm),
      CutoverGate.alarm(fleet.errorRateAlarm),
      CutoverGate.healthyTargets(fleet.targetGroup, fleet.minCapacity),
    ],
    switchover: switchover ? DatabaseSwitchover.auroraGlobal(database) : undefined,
    removalPolicy,
  });

  const dashboard = sideOutputs(scope, {
    orchestrator,
    dns,
    shifter,
    fleet,
    dashboard: { title: `${t.source.region} → ${Stack.of(scope).region}`, source: t.source, replication: auroraGlobalWidgets(database) },
    runbook: () => runbookSections({ orchestrator, dns, shifter, database, sourceRegion: t.source.region, switchover }),
    console: {
      source: { region: t.source.region, loadBalancerFullName: t.source.loadBalancerFullName },
      globalClusterIdentifier: database.globalClusterIdentifier,
      targetClusterArn: database.clusterArn,
    },
  });
  return { network, database, fleet, dns, shifter, orchestrator, dashboard, alarmTopic: orchestrator.notificationTopic, globalClusterIdentifier };
}
