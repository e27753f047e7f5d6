/**
 * The reference migration (seed S1): payment processing moves from us-east-1 (existing) to eu-west-1.
 *
 * - PaymentSource (us-east-1): turns the existing Aurora MySQL cluster into the primary of a global database, and
 *   routes the existing VPC's private route tables to the new network through the peering.
 * - PaymentTarget (eu-west-1): the network (peered with the existing VPC), the Aurora global secondary, the payment
 *   fleet behind an HTTPS ALB with WAF, the weighted records (source 100 / target 0), and the orchestrator.
 *
 * Deploy order: (1) PaymentSource without `peeringConnectionId` (the global cluster), (2) PaymentTarget,
 * (3) PaymentSource again with `-c peeringConnectionId=<PeeringConnectionId output of 2>`.
 * Everything that exists already comes from context (`-c key=value`); the defaults are placeholders.
 */
import { App, CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import {
  AuroraGlobalCluster,
  AuroraGlobalSecondary,
  CutoverEndpoint,
  CutoverGate,
  DatabaseSwitchover,
  MigrationOrchestrator,
  OperatorCommand,
  PaymentFleet,
  PaymentProcessorImage,
  PeeringRoutes,
  RegionalNetwork,
  WeightedCutover,
} from '../../src';

// A placeholder account: the AZs of both regions for it are in cdk.json, so synth needs no AWS credentials.
const ACCOUNT = '111111111111';

/** Existing resources and names, from context with placeholder defaults. */
function settings(app: App) {
  const ctx = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;
  return {
    sourceVpcId: ctx('sourceVpcId', 'vpc-0a1b2c3d4e5f60718'),
    sourceCidr: ctx('sourceCidr', '10.0.0.0/16'),
    sourceRouteTableIds: ctx('sourceRouteTableIds', 'rtb-0123456789abcdef0,rtb-0fedcba9876543210,rtb-0a0b0c0d0e0f01020').split(','),
    primaryClusterArn: ctx('primaryClusterArn', `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:payments`),
    primaryEngineVersion: ctx('primaryEngineVersion', '8.0.mysql_aurora.3.10.0'),
    globalClusterId: ctx('globalClusterId', 'payments-global'),
    globalWriterEndpoint: ctx('globalWriterEndpoint', 'payments-global.global-abc123.global.rds.amazonaws.com'),
    peeringConnectionId: app.node.tryGetContext('peeringConnectionId') as string | undefined,
    sourceAlbDnsName: ctx('sourceAlbDnsName', 'payments-123456789.us-east-1.elb.amazonaws.com'),
    certificateArn: ctx('certificateArn', `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`),
    image: ctx('image', 'public.ecr.aws/acme/payment-processor:2026.11.1'),
    zoneName: ctx('zoneName', 'pay.example.com'),
  };
}

/** Builds the reference migration's two stacks into `app`. */
export function buildReferenceMigration(app: App): { source: Stack; target: Stack } {
  const s = settings(app);

  // --- us-east-1: the existing side
  const source = new Stack(app, 'PaymentSource', {
    env: { account: ACCOUNT, region: 'us-east-1' },
    description: 'payment-migration-kit reference: the us-east-1 (source) side',
  });
  new AuroraGlobalCluster(source, 'GlobalDatabase', { sourceClusterArn: s.primaryClusterArn, globalClusterIdentifier: s.globalClusterId });
  if (s.peeringConnectionId) {
    new PeeringRoutes(source, 'RoutesToTarget', { peeringConnectionId: s.peeringConnectionId, destinationCidr: '10.1.0.0/16', routeTableIds: s.sourceRouteTableIds });
  }

  // --- eu-west-1: the target side
  const target = new Stack(app, 'PaymentTarget', {
    env: { account: ACCOUNT, region: 'eu-west-1' },
    description: 'payment-migration-kit reference: the eu-west-1 (target) side and the cutover',
  });
  const network = new RegionalNetwork(target, 'Network', {
    cidr: '10.1.0.0/16',
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    interfaceEndpoints: RegionalNetwork.paymentFleetEndpoints(),
    peering: { peerVpcId: s.sourceVpcId, peerCidr: s.sourceCidr, peerRegion: 'us-east-1' },
  });
  const database = new AuroraGlobalSecondary(target, 'Database', {
    vpc: network.vpc,
    subnets: network.databaseSubnets,
    globalClusterIdentifier: s.globalClusterId,
    primaryRegion: 'us-east-1',
    primaryEngineVersion: s.primaryEngineVersion,
    globalWriterEndpoint: s.globalWriterEndpoint,
  });
  const fleet = new PaymentFleet(target, 'Fleet', {
    vpc: network.vpc,
    publicSubnets: network.publicSubnets,
    applicationSubnets: network.privateSubnets,
    image: PaymentProcessorImage.fromRegistry(s.image),
    certificate: acm.Certificate.fromCertificateArn(target, 'Certificate', s.certificateArn),
    // Writes go through the global writer endpoint: one writer at every moment, before and after the switchover.
    databaseWriterEndpoint: s.globalWriterEndpoint,
    databaseReaderEndpoint: database.clusterReadEndpoint,
  });
  database.connections.allowDefaultPortFrom(fleet, 'payment fleet');
  const cutover = new WeightedCutover(target, 'Dns', {
    zoneName: s.zoneName,
    recordNames: ['api', 'checkout'],
    source: CutoverEndpoint.fromLoadBalancerAttributes({ dnsName: s.sourceAlbDnsName, canonicalHostedZoneId: 'Z35SXDOTRQ7X7K' }),
    target: CutoverEndpoint.fromLoadBalancer(fleet.loadBalancer),
    targetAlarm: fleet.healthyHostsAlarm,
  });
  const orchestrator = new MigrationOrchestrator(target, 'Orchestrator', {
    shifter: cutover,
    gates: [
      CutoverGate.auroraGlobalSecondary(database),
      CutoverGate.alarm(fleet.healthyHostsAlarm),
      CutoverGate.alarm(fleet.errorRateAlarm),
      CutoverGate.healthyTargets(fleet.targetGroup, 2),
    ],
    switchover: DatabaseSwitchover.auroraGlobal(database),
  });

  new CfnOutput(target, 'Runbook', {
    description: 'How to run the cutover',
    value: Fn.join('\n', [
      `Start:   ${orchestrator.startCommand()}`,
      `Pause:   ${orchestrator.operatorCommand(OperatorCommand.PAUSE)}`,
      `Resume:  ${orchestrator.operatorCommand(OperatorCommand.RUN)}`,
      `Abort:   ${orchestrator.operatorCommand(OperatorCommand.ABORT)}`,
      `Manual rollback (source 100 / target 0): ${cutover.shiftCommand(0)}`,
    ]),
  });
  return { source, target };
}

if (require.main === module) {
  const app = new App();
  buildReferenceMigration(app);
  app.synth();
}
