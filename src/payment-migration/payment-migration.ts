import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { createMigrationDashboard } from './dashboard';
import { MigrationSide, SourceSideOptions, TargetSideOptions } from './migration-side';
import { runbookSections } from './runbook';
import { AuroraGlobalCluster } from '../aurora-global-secondary/aurora-global-cluster';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { CutoverGate } from '../migration-orchestrator/cutover-gate';
import { DatabaseSwitchover } from '../migration-orchestrator/database-switchover';
import { MigrationOrchestrator } from '../migration-orchestrator/migration-orchestrator';
import { PaymentFleet } from '../payment-fleet/payment-fleet';
import { PropsValidator } from '../private/validation';
import { RegionalNetwork } from '../regional-network/regional-network';
import { CutoverEndpoint } from '../weighted-cutover/cutover-endpoint';
import { WeightedCutover } from '../weighted-cutover/weighted-cutover';

/**
 * Properties for {@link PaymentMigration}.
 */
export interface PaymentMigrationProps {
  /**
   * The migration's name, the same in both regions: it names the global database (`<name>-global`), so the two
   * stacks agree without a cross-region reference.
   */
  readonly name: string;

  /** Which side of the migration this region is. */
  readonly side: MigrationSide;
}

/**
 * A payment-processing migration from one AWS region to another, one instance per region:
 *
 * - the **source** side (deploy first) makes the existing Aurora cluster the primary of a global database;
 * - the **target** side (deploy second) holds everything the cutover needs, so a cutover can run even when the
 *   source region is degraded: the network (peered with the source VPC, routes on both sides), the Aurora global
 *   secondary, the payment fleet, the weighted records (source 100 / target 0), the orchestrator gated on the
 *   database, the fleet's health and 5xx rate, a dashboard and the runbook.
 *
 * Two deploys, no `crossRegionReferences`: the global cluster is named after `name`, and what the target needs of
 * the source (VPC, load balancer, global writer endpoint) is given as attributes.
 *
 * @example
 * declare const sourceStack: Stack;
 * declare const targetStack: Stack;
 * declare const image: PaymentProcessorImage;
 * declare const certificate: acm.ICertificate;
 *
 * new PaymentMigration(sourceStack, 'Migration', {
 *   name: 'payments',
 *   side: MigrationSide.source({ primaryClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:payments' }),
 * });
 * new PaymentMigration(targetStack, 'Migration', {
 *   name: 'payments',
 *   side: MigrationSide.target({
 *     source: {
 *       region: 'us-east-1',
 *       vpcId: 'vpc-0a1b2c3d4e5f60718',
 *       cidr: '10.0.0.0/16',
 *       loadBalancerDnsName: 'payments-123456789.us-east-1.elb.amazonaws.com',
 *       loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K',
 *     },
 *     network: { cidr: '10.1.0.0/16' },
 *     fleet: { image, certificate },
 *     dns: { zoneName: 'pay.example.com', recordNames: ['api', 'checkout'] },
 *   }),
 * });
 */
export class PaymentMigration extends Construct {
  /** The global database (source side). */
  public readonly globalDatabase?: AuroraGlobalCluster;
  /** The target network (target side). */
  public readonly network?: RegionalNetwork;
  /** The Aurora global secondary (target side). */
  public readonly database?: AuroraGlobalSecondary;
  /** The payment fleet (target side). */
  public readonly fleet?: PaymentFleet;
  /** The weighted records (target side). */
  public readonly cutover?: WeightedCutover;
  /** The cutover workflow (target side). */
  public readonly orchestrator?: MigrationOrchestrator;
  /** The migration dashboard (target side). */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The global cluster's identifier, `<name>-global`. */
  public readonly globalClusterIdentifier: string;

  constructor(scope: Construct, id: string, props: PaymentMigrationProps) {
    super(scope, id);
    const v = new PropsValidator(this, 'PaymentMigration');
    v.check(Token.isUnresolved(props.name) || /^[a-z][a-z0-9-]{0,40}$/.test(props.name), 'name', 'must be 1–41 lowercase letters, digits or hyphens, starting with a letter (it names the global database)', props.name);
    const target = props.side._target;
    if (target) {
      const region = Stack.of(this).region;
      v.check(Token.isUnresolved(region) || target.source.region !== region, 'side.source.region', `must differ from this stack's region ${region}: this is the target side`, target.source.region);
    }
    v.throwIfInvalid();
    this.globalClusterIdentifier = `${props.name}-global`;

    if (props.side._source) {
      this.globalDatabase = this.buildSource(props.side._source);
    } else if (target) {
      const built = this.buildTarget(target);
      this.network = built.network;
      this.database = built.database;
      this.fleet = built.fleet;
      this.cutover = built.cutover;
      this.orchestrator = built.orchestrator;
      this.dashboard = built.dashboard;
    }
  }

  /** Source: the existing cluster becomes the global database's primary. */
  private buildSource(source: SourceSideOptions): AuroraGlobalCluster {
    return new AuroraGlobalCluster(this, 'GlobalDatabase', {
      sourceClusterArn: source.primaryClusterArn,
      globalClusterIdentifier: this.globalClusterIdentifier,
    });
  }

  /** Target: network → database → fleet → weighted records → orchestrator → dashboard and runbook. */
  private buildTarget(t: TargetSideOptions) {
    const network = new RegionalNetwork(this, 'Network', {
      cidr: t.network.cidr,
      availabilityZones: t.network.availabilityZones,
      natGateways: t.network.natGateways,
      interfaceEndpoints: RegionalNetwork.paymentFleetEndpoints(),
      peering: { peerVpcId: t.source.vpcId, peerCidr: t.source.cidr, peerRegion: t.source.region, peerRouteTableIds: t.source.routeTableIds },
    });

    const database = new AuroraGlobalSecondary(this, 'Database', {
      vpc: network.vpc,
      subnets: network.databaseSubnets,
      globalClusterIdentifier: this.globalClusterIdentifier,
      primaryRegion: t.source.region,
      primaryEngineVersion: t.source.engineVersion,
      globalWriterEndpoint: t.source.globalWriterEndpoint,
      engineVersion: t.database?.engineVersion,
      instances: t.database?.instances,
      instanceType: t.database?.instanceType,
      deletionProtection: t.database?.deletionProtection,
    });

    const fleet = new PaymentFleet(this, 'Fleet', {
      vpc: network.vpc,
      publicSubnets: network.publicSubnets,
      applicationSubnets: network.privateSubnets,
      image: t.fleet.image,
      certificate: t.fleet.certificate,
      containerPort: t.fleet.containerPort,
      instanceType: t.fleet.instanceType,
      minCapacity: t.fleet.minCapacity,
      maxCapacity: t.fleet.maxCapacity,
      environment: t.fleet.environment,
      // One writer at every moment: writes go through the global writer endpoint, which follows the primary.
      databaseWriterEndpoint: t.source.globalWriterEndpoint,
      databaseReaderEndpoint: database.clusterReadEndpoint,
    });
    database.connections.allowDefaultPortFrom(fleet, 'payment fleet');

    const cutover = new WeightedCutover(this, 'Dns', {
      hostedZone: t.dns.hostedZone,
      zoneName: t.dns.zoneName,
      recordNames: t.dns.recordNames,
      source: CutoverEndpoint.fromLoadBalancerAttributes({
        dnsName: t.source.loadBalancerDnsName,
        canonicalHostedZoneId: t.source.loadBalancerHostedZoneId,
      }),
      target: CutoverEndpoint.fromLoadBalancer(fleet.loadBalancer),
      targetAlarm: fleet.healthyHostsAlarm,
    });

    const switchover = t.cutover?.switchover ?? true;
    const orchestrator = new MigrationOrchestrator(this, 'Orchestrator', {
      shifter: cutover,
      gates: [
        CutoverGate.auroraGlobalSecondary(database),
        CutoverGate.alarm(fleet.healthyHostsAlarm),
        CutoverGate.alarm(fleet.errorRateAlarm),
        CutoverGate.healthyTargets(fleet.targetGroup, t.fleet.minCapacity ?? 2),
      ],
      steps: t.cutover?.steps,
      bakeTime: t.cutover?.bakeTime,
      pollInterval: t.cutover?.pollInterval,
      switchover: switchover ? DatabaseSwitchover.auroraGlobal(database) : undefined,
      approveBeforeFirstStep: t.cutover?.approveBeforeFirstStep,
      approveBeforeSwitchover: t.cutover?.approveBeforeSwitchover,
    });

    const dashboard = createMigrationDashboard(this, { source: t.source, database, fleet, orchestrator });
    const runbook = runbookSections({ orchestrator, cutover, database, sourceRegion: t.source.region });
    for (const [name, text] of Object.entries(runbook)) {
      new CfnOutput(this, name, { value: text, description: `Migration runbook: ${name.replace('Runbook', '')}` });
    }
    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboardName, description: 'Migration dashboard' });
    return { network, database, fleet, cutover, orchestrator, dashboard };
  }
}
