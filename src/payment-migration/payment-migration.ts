import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { auroraGlobalWidgets, createMigrationDashboard } from './dashboard';
import { MigrationSide, OnPremisesSideOptions, SourceSideOptions, TargetSideOptions } from './migration-side';
import { onPremisesRunbookSections, runbookSections } from './runbook';
import { AuroraGlobalCluster } from '../aurora-global-secondary/aurora-global-cluster';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { AuroraTargetCluster } from '../aurora-target/aurora-target-cluster';
import { AuroraTargetEngine } from '../aurora-target/aurora-target-props';
import { DmsReplication } from '../dms-replication/dms-replication';
import { DmsSourceEngine } from '../dms-replication/props';
import { CutoverGate } from '../migration-orchestrator/cutover-gate';
import { DatabaseSwitchover } from '../migration-orchestrator/database-switchover';
import { MigrationOrchestrator } from '../migration-orchestrator/migration-orchestrator';
import { DatabaseWriterParameter } from '../migration-orchestrator/plugins/dms/database-writer-parameter';
import { PaymentFleet } from '../payment-fleet/payment-fleet';
import { ipInCidr } from '../private/cidr';
import { PropsValidator } from '../private/validation';
import { RegionalNetwork } from '../regional-network/regional-network';
import { CutoverEndpoint, CutoverEndpointKind } from '../weighted-cutover/cutover-endpoint';
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
  /** The global cluster's identifier, `<name>-global` (cross-region path). */
  public readonly globalClusterIdentifier: string;
  /** The Aurora cluster DMS replicates into (on-premises side). */
  public readonly targetDatabase?: AuroraTargetCluster;
  /** The DMS replication, with its prepared reverse task (on-premises side). */
  public readonly replication?: DmsReplication;
  /**
   * Where the fleet writes: `SOURCE`, `FENCED` or `TARGET` (on-premises side). The fleet gets its name as
   * `DB_WRITER_PARAMETER` and may read it; the cutover writes it.
   */
  public readonly writerParameter?: DatabaseWriterParameter;

  constructor(scope: Construct, id: string, props: PaymentMigrationProps) {
    super(scope, id);
    const v = new PropsValidator(this, 'PaymentMigration');
    v.check(Token.isUnresolved(props.name) || /^[a-z][a-z0-9-]{0,40}$/.test(props.name), 'name', 'must be 1–41 lowercase letters, digits or hyphens, starting with a letter (it names the global database or the writer parameter)', props.name);
    const target = props.side._target;
    if (target) {
      const region = Stack.of(this).region;
      v.check(Token.isUnresolved(region) || target.source.region !== region, 'side.source.region', `must differ from this stack's region ${region}: this is the target side`, target.source.region);
    }
    v.throwIfInvalid();
    this.globalClusterIdentifier = `${props.name}-global`;

    const onPremises = props.side._onPremises;
    if (onPremises) {
      this.validateOnPremises(v, onPremises);
      v.throwIfInvalid();
      const built = this.buildOnPremises(props.name, onPremises);
      this.network = built.network;
      this.targetDatabase = built.database;
      this.replication = built.replication;
      this.writerParameter = built.writerParameter;
      this.fleet = built.fleet;
      this.cutover = built.cutover;
      this.orchestrator = built.orchestrator;
      this.dashboard = built.dashboard;
    } else if (props.side._source) {
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

  private validateOnPremises(v: PropsValidator, o: OnPremisesSideOptions): void {
    v.check(o.source.connectivity.cidrs.length > 0, 'side.source.connectivity.cidrs', 'must list the datacenter CIDRs (the DMS instance and the fleet reach the database through them)', o.source.connectivity.cidrs);
    const host = o.source.database.host;
    v.check(
      Token.isUnresolved(host) || !/^\d+\.\d+\.\d+\.\d+$/.test(host) || o.source.connectivity.cidrs.some((c) => Token.isUnresolved(c) || ipInCidr(host, c)),
      'side.source.database.host',
      `must be inside the datacenter CIDRs ${o.source.connectivity.cidrs.join(', ')} (only they are routed over the VPN)`,
      host,
    );
    v.check(o.source.legacyEndpoint.kind !== CutoverEndpointKind.LOAD_BALANCER, 'side.source.legacyEndpoint', 'must be the legacy entry point (CutoverEndpoint.fromIpAddresses or fromDnsName), not an AWS load balancer', o.source.legacyEndpoint.kind);
  }

  /**
   * On premises → AWS: network with the VPN → Aurora (CDC-source ready, for the reverse task) → writer parameter →
   * fleet (writes where the parameter says) → DMS (forward + prepared reverse) → weighted records (legacy 100 / AWS
   * 0) → orchestrator (DMS gate, fleet gates, VPN tunnel, single-writer move) → dashboard and runbook.
   */
  private buildOnPremises(name: string, o: OnPremisesSideOptions) {
    const network = new RegionalNetwork(this, 'Network', {
      cidr: o.network.cidr,
      availabilityZones: o.network.availabilityZones,
      natGateways: o.network.natGateways,
      interfaceEndpoints: RegionalNetwork.paymentFleetEndpoints(),
      onPremises: o.source.connectivity,
    });

    const engine = o.source.database.engine ?? DmsSourceEngine.MYSQL;
    const database = new AuroraTargetCluster(this, 'Database', {
      vpc: network.vpc,
      subnets: network.databaseSubnets,
      engine: engine === DmsSourceEngine.POSTGRESQL ? AuroraTargetEngine.POSTGRESQL : AuroraTargetEngine.MYSQL,
      readers: o.database?.readers,
      instanceType: o.database?.instanceType,
      deletionProtection: o.database?.deletionProtection,
      // the prepared reverse task reads Aurora's change stream once the writer has moved
      changeDataCaptureSource: true,
    });

    const writerParameter = new DatabaseWriterParameter(this, 'Writer', { parameterName: `/${name}/database/writer`, encryptionKey: network.key });

    const sourcePort = o.source.database.port ?? (engine === DmsSourceEngine.POSTGRESQL ? 5432 : 3306);
    const fleet = new PaymentFleet(this, 'Fleet', {
      vpc: network.vpc,
      publicSubnets: network.publicSubnets,
      applicationSubnets: network.privateSubnets,
      image: o.fleet.image,
      certificate: o.fleet.certificate,
      containerPort: o.fleet.containerPort,
      instanceType: o.fleet.instanceType,
      minCapacity: o.fleet.minCapacity,
      maxCapacity: o.fleet.maxCapacity,
      // One writer at every moment: the application writes where DB_WRITER_PARAMETER says, and nowhere else.
      environment: {
        ...o.fleet.environment,
        DB_WRITER_PARAMETER: writerParameter.parameterName,
        DB_SOURCE_HOST: o.source.database.host,
        DB_SOURCE_PORT: String(sourcePort),
        DB_SOURCE_SECRET_ARN: o.source.database.secret.secretFullArn ?? o.source.database.secret.secretArn,
        DB_TARGET_ENDPOINT: database.clusterEndpoint,
        DB_TARGET_PORT: String(database.port),
      },
      databaseSecret: database.secret,
      parameterNames: [writerParameter.parameterName],
    });
    database.connections.allowDefaultPortFrom(fleet, 'payment fleet');
    this.grantSourceSecret(fleet, o);

    const replication = new DmsReplication(this, 'Replication', {
      vpc: network.vpc,
      subnets: network.privateSubnets,
      source: o.source.database,
      sourceCidrs: o.source.connectivity.cidrs,
      target: {
        host: database.clusterEndpoint,
        port: database.port,
        secret: database.secret,
        secretEncryptionKey: database.key,
        connections: database,
        engine,
      },
      reverseReplication: true,
      replicationInstanceClass: o.replication?.instanceClass,
      allocatedStorage: o.replication?.allocatedStorage,
      includedSchemas: o.replication?.includedSchemas,
      cdcLatencyThreshold: o.replication?.cdcLatencyThreshold,
    });

    const cutover = new WeightedCutover(this, 'Dns', {
      hostedZone: o.dns.hostedZone,
      zoneName: o.dns.zoneName,
      recordNames: o.dns.recordNames,
      source: o.source.legacyEndpoint,
      // the two sides are one weighted set: a legacy CNAME is met by a CNAME to the load balancer
      target: o.source.legacyEndpoint.kind === CutoverEndpointKind.DNS_NAME
        ? CutoverEndpoint.fromDnsName(fleet.loadBalancer.loadBalancerDnsName, o.source.legacyEndpoint._config().ttl)
        : CutoverEndpoint.fromLoadBalancer(fleet.loadBalancer),
      targetAlarm: fleet.healthyHostsAlarm,
    });

    const orchestrator = new MigrationOrchestrator(this, 'Orchestrator', {
      shifter: cutover,
      gates: [
        CutoverGate.dmsReplication(replication, { fullLoadTimeout: o.replication?.fullLoadTimeout }),
        CutoverGate.alarm(fleet.healthyHostsAlarm),
        CutoverGate.alarm(fleet.errorRateAlarm),
        CutoverGate.healthyTargets(fleet.targetGroup, o.fleet.minCapacity ?? 2),
        // while traffic is split, the AWS fleet writes on premises through the VPN (not needed once the writer moved)
        ...(network.vpnTunnelAlarm ? [CutoverGate.alarmBeforeWriterMove(network.vpnTunnelAlarm)] : []),
      ],
      steps: o.cutover?.steps,
      bakeTime: o.cutover?.bakeTime,
      pollInterval: o.cutover?.pollInterval,
      switchover: (o.cutover?.switchover ?? true)
        ? DatabaseSwitchover.dmsWriterMove(replication, { ...o.writerMove, writerParameter: writerParameter.parameter })
        : undefined,
      approveBeforeFirstStep: o.cutover?.approveBeforeFirstStep,
      approveBeforeSwitchover: o.cutover?.approveBeforeSwitchover ?? true,
    });

    // DMS task state changes (a task stopped or failed) reach the migration's topic; its key lets EventBridge in.
    replication.notifyTaskStateChanges(orchestrator.notificationTopic);
    orchestrator.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeToPublishToTheEncryptedTopic',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));

    const dashboard = createMigrationDashboard(this, {
      title: `datacenter → ${Stack.of(this).region}`,
      replication: replication.dashboardWidgets(),
      notes: `Database writer: \`aws ssm get-parameter --name ${writerParameter.parameterName}\` (SOURCE, FENCED or TARGET).`,
      fleet,
      orchestrator,
    });
    const runbook = onPremisesRunbookSections({ orchestrator, cutover, replication, writerParameter: writerParameter.parameter });
    for (const [key, text] of Object.entries(runbook)) {
      new CfnOutput(this, key, { value: text, description: `Migration runbook: ${key.replace('Runbook', '')}` });
    }
    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboardName, description: 'Migration dashboard' });
    new CfnOutput(this, 'WriterParameterName', { value: writerParameter.parameterName, description: 'Where the fleet writes (SOURCE, FENCED, TARGET)' });
    return { network, database, writerParameter, fleet, replication, cutover, orchestrator, dashboard };
  }

  /** The fleet reads the on-premises credentials too (a customer-managed policy, not an inline one). */
  private grantSourceSecret(fleet: PaymentFleet, o: OnPremisesSideOptions): void {
    const secret = o.source.database.secret;
    const key = o.source.database.secretEncryptionKey ?? secret.encryptionKey;
    const statements = [
      new iam.PolicyStatement({ sid: 'ReadTheOnPremisesDatabaseSecret', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`] }),
    ];
    if (key) {
      statements.push(new iam.PolicyStatement({
        sid: 'DecryptItThroughSecretsManager',
        actions: ['kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }));
    }
    new iam.ManagedPolicy(this, 'FleetSourceSecretPolicy', {
      description: 'Payment fleet: read the on-premises database credentials (while the writer is on premises)',
      roles: [fleet.role],
      statements,
    });
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

    const dashboard = createMigrationDashboard(this, { title: `${t.source.region} → ${Stack.of(this).region}`, source: t.source, replication: auroraGlobalWidgets(database), fleet, orchestrator });
    const runbook = runbookSections({ orchestrator, cutover, database, sourceRegion: t.source.region });
    for (const [name, text] of Object.entries(runbook)) {
      new CfnOutput(this, name, { value: text, description: `Migration runbook: ${name.replace('Runbook', '')}` });
    }
    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboardName, description: 'Migration dashboard' });
    return { network, database, fleet, cutover, orchestrator, dashboard };
  }
}
