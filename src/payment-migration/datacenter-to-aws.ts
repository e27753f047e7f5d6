import { Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DatacenterToAwsOptions } from './datacenter-options';
import { buildLoadBalancerSide, validateLoadBalancerShifting } from './load-balancer-side';
import { onPremisesRunbookSections } from './runbook';
import { databasePhase, sideFleet, sideNetwork, sideOutputs, SideParts } from './side-parts';
import { DatacenterToAwsResources } from './side-resources';
import { acknowledgeTeardown } from './teardown';
import { TrafficShiftingKind } from './traffic-shifting';
import { validateDatacenterSecrets } from './validate-secrets';
import { AuroraTargetCluster } from '../aurora-target/aurora-target-cluster';
import { AuroraTargetEngine } from '../aurora-target/aurora-target-props';
import { datacenterEngine } from '../dms-replication/dms-endpoints';
import { DmsReplication } from '../dms-replication/dms-replication';
import { DatabaseEngine } from '../dms-replication/props';
import { CutoverGate } from '../migration-orchestrator/cutover-gate';
import { DatabaseSwitchover } from '../migration-orchestrator/database-switchover';
import { DatabaseWriterParameter } from '../migration-orchestrator/database-writer-parameter';
import { MigrationOrchestrator } from '../migration-orchestrator/migration-orchestrator';
import { PaymentFleet } from '../payment-fleet/payment-fleet';
import { ipInCidr } from '../private/cidr';
import { Validator } from '../private/validation';
import { CutoverEndpoint, CutoverEndpointKind } from '../weighted-cutover/cutover-endpoint';
import { WeightedCutover } from '../weighted-cutover/weighted-cutover';

/** The AWS fleet's name in the fence acknowledgements (`DmsWriterMoveOptions.acknowledgingFleets`). */
const AWS_FLEET = 'aws';

/** The variables the side sets on its fleet: the single-writer contract, beside the fleet's own. */
const WRITER_CONTRACT_ENVIRONMENT = ['DB_WRITER_PARAMETER', 'DB_SOURCE_HOST', 'DB_SOURCE_PORT', 'DB_SOURCE_SECRET_ARN', 'DB_TARGET_ENDPOINT',
  'DB_TARGET_PORT', 'DB_WRITER_ACK_TABLE', 'DB_WRITER_ACK_FLEET'] as const;

/** What only the composition can check: the datacenter's parts against each other. @internal */
export function validateDatacenterToAws(v: Validator, scope: Construct, o: DatacenterToAwsOptions): void {
  v.check(o.source.connectivity.cidrs.length > 0, 'side.source.connectivity.cidrs', 'must list the datacenter CIDRs (the DMS instance and the fleet reach the database through them)', o.source.connectivity.cidrs);
  const host = o.source.database.host;
  v.check(
    Token.isUnresolved(host) || !/^\d+\.\d+\.\d+\.\d+$/.test(host) || o.source.connectivity.cidrs.some((c) => Token.isUnresolved(c) || ipInCidr(host, c)),
    'side.source.database.host',
    `must be inside the datacenter CIDRs ${o.source.connectivity.cidrs.join(', ')} (only they are routed over the VPN)`,
    host,
  );
  validateLoadBalancerShifting(v, o);
  for (const key of Object.keys(o.fleet.environment ?? {})) {
    v.check(!(WRITER_CONTRACT_ENVIRONMENT as readonly string[]).includes(key), `side.fleet.environment.${key}`,
      `must not be one of the variables the side sets for the single-writer contract (${WRITER_CONTRACT_ENVIRONMENT.join(', ')})`, key);
  }
  v.check(o.source.legacyEndpoint.kind !== CutoverEndpointKind.LOAD_BALANCER && o.source.legacyEndpoint.kind !== CutoverEndpointKind.GLOBAL_ACCELERATOR, 'side.source.legacyEndpoint', 'must be the legacy entry point (CutoverEndpoint.fromIpAddresses or fromDnsName), not an AWS load balancer or accelerator', o.source.legacyEndpoint.kind);
  // One database user per reader, every secret in this region: the application, the replication task and the master
  validateDatacenterSecrets(v, scope, o);
}

/**
 * The AWS side of a migration out of a datacenter: network with the VPN → Aurora (CDC-source ready, for the reverse
 * task) → writer parameter → fleet (writes where the parameter says) → DMS (forward + prepared reverse) → weighted
 * records (legacy 100 / AWS 0) → orchestrator (DMS gate, fleet gates, VPN tunnel, single-writer move) → dashboard
 * and runbook.
 * @internal
 */
export function buildDatacenterToAws(parts: SideParts, name: string, o: DatacenterToAwsOptions): DatacenterToAwsResources {
  const { scope, alarmActions, alarmTopic, removalPolicy } = parts;
  const teardown = removalPolicy === RemovalPolicy.DESTROY;
  const network = sideNetwork(parts, o.network, { onPremises: o.source.connectivity });

  const { engine, port: sourcePort } = datacenterEngine(o.source.database);
  const database = new AuroraTargetCluster(scope, 'Database', {
    alarmActions,
    vpc: network.vpc,
    subnets: network.databaseSubnets,
    engine: engine === DatabaseEngine.POSTGRESQL ? AuroraTargetEngine.POSTGRESQL : AuroraTargetEngine.MYSQL,
    readers: o.database.readers,
    instanceType: o.database.instanceType,
    deletionProtection: o.database.deletionProtection ?? (teardown ? false : undefined),
    // RDS-managed unless an existing master secret is given: no credential is generated into the template
    masterSecret: o.database.masterSecret,
    removalPolicy: teardown ? RemovalPolicy.DESTROY : undefined,
    // the prepared reverse task reads Aurora's change stream once the writer has moved
    changeDataCaptureSource: true,
  });

  const writerParameter = new DatabaseWriterParameter(scope, 'Writer', {
    parameterName: `/${name}/database/writer`,
    encryptionKey: network.key,
    // its provider function runs in the private subnets (SSM through the interface endpoint)
    vpc: network.vpc,
    vpcSubnets: network.privateSubnets,
    removalPolicy,
  });

  let recordTable = (): string => {
    throw new Error('the cutover record table is read before the orchestrator exists');
  };
  const fleet = sideFleet(parts, network, o.fleet, {
    // One writer at every moment: the application writes where DB_WRITER_PARAMETER says, and nowhere else.
    environment: {
      ...o.fleet.environment,
      ...({
        DB_WRITER_PARAMETER: writerParameter.parameterName,
        DB_SOURCE_HOST: o.source.database.host,
        DB_SOURCE_PORT: String(sourcePort),
        // the application user's secrets only: the replication user's are DMS's, the master's nobody's
        DB_SOURCE_SECRET_ARN: o.source.applicationSecret.secretFullArn ?? o.source.applicationSecret.secretArn,
        DB_TARGET_ENDPOINT: database.clusterEndpoint,
        DB_TARGET_PORT: String(database.port),
        // the fence contract: after enforcing a writer value, write `<VALUE>@<version>` to attribute `aws` of the
        // cutover record's `fences` item (the orchestrator is built below; its table name resolves at synth)
        DB_WRITER_ACK_TABLE: Lazy.string({ produce: () => recordTable() }),
        DB_WRITER_ACK_FLEET: AWS_FLEET,
      } satisfies Record<(typeof WRITER_CONTRACT_ENVIRONMENT)[number], string>),
    },
    databaseSecret: o.database.applicationSecret,
    parameterNames: [writerParameter.parameterName],
  });
  database.connections.allowDefaultPortFrom(fleet, 'payment fleet');
  grantDatacenterSecret(scope, fleet, o);
  if (teardown) {
    const cluster = database.cluster.node.defaultChild!;
    acknowledgeTeardown(o.database.deletionProtection === undefined ? [cluster] : [], [fleet.loadBalancer.node.defaultChild!]);
  }

  const replication = new DmsReplication(scope, 'Replication', {
    alarmActions,
    vpc: network.vpc,
    subnets: network.privateSubnets,
    datacenter: o.source.database,
    datacenterCidrs: o.source.connectivity.cidrs,
    aurora: {
      host: database.clusterEndpoint,
      port: database.port,
      // the replication user's secret (forward target, reverse source), never the master's
      secret: o.database.replicationSecret,
      connections: database,
      engine,
    },
    reverseReplication: true,
    replicationInstanceClass: o.replication?.instanceClass,
    allocatedStorage: o.replication?.allocatedStorage,
    includedSchemas: o.replication?.includedSchemas,
    cdcLatencyThreshold: o.replication?.cdcLatencyThreshold,
    removalPolicy,
  });

  // Load-balancer shifting: the fleet's load balancer fronts both sides; the records point at it from the start.
  const lbSide = o.shifting?.kind === TrafficShiftingKind.LOAD_BALANCER ? buildLoadBalancerSide(scope, o, fleet, network.vpc) : undefined;
  // the VPN capacity alarm is the side's own (no construct's `alarmActions` reaches it): it pages like the others
  lbSide?.vpnCapacityAlarm?.addAlarmAction(...alarmActions);
  lbSide?.vpnCapacityAlarm?.addOkAction(...alarmActions);
  const dns = new WeightedCutover(scope, 'Dns', {
    ...o.dns,
    alarmActions,
    source: o.source.legacyEndpoint,
    // the two sides are one weighted set: a legacy CNAME is met by a CNAME to the load balancer
    target: o.source.legacyEndpoint.kind === CutoverEndpointKind.DNS_NAME
      ? CutoverEndpoint.fromDnsName(fleet.loadBalancer.loadBalancerDnsName, o.source.legacyEndpoint._config().ttl)
      : CutoverEndpoint.fromLoadBalancer(fleet.loadBalancer),
    targetAlarm: fleet.healthyHostsAlarm,
    // with load-balancer shifting the names point at the load balancer, which forwards 100 % to the legacy servers
    initialTargetPercent: lbSide ? 100 : undefined,
    removalPolicy,
  });
  const shifter = lbSide?.shifter ?? dns;

  const writerMoves = databasePhase(o.cutover);
  const orchestrator = new MigrationOrchestrator(scope, 'Orchestrator', {
    ...o.cutover,
    shifter,
    notificationTopic: alarmTopic,
    gates: [
      CutoverGate.dmsReplication(replication, { fullLoadTimeout: o.replication?.fullLoadTimeout }),
      CutoverGate.alarm(fleet.healthyHostsAlarm),
      CutoverGate.alarm(fleet.errorRateAlarm),
      CutoverGate.healthyTargets(fleet.targetGroup, fleet.minCapacity),
      // while traffic is split, the AWS fleet writes on premises through the VPN (not needed once the writer moved)
      ...(network.vpnTunnelAlarm ? [CutoverGate.alarmBeforeWriterMove(network.vpnTunnelAlarm)] : []),
      // the load balancer sends the legacy share through the VPN: its capacity is checked before anything moves
      ...(lbSide?.vpnCapacityAlarm ? [CutoverGate.alarmBeforeWriterMove(lbSide.vpnCapacityAlarm)] : []),
    ],
    switchover: writerMoves
      ? DatabaseSwitchover.dmsWriterMove(replication, { ...o.writerMove, writerParameter: writerParameter.parameter })
      : undefined,
    // an approval before the writer moves by default, when it moves
    approveBeforeSwitchover: o.cutover?.approveBeforeSwitchover ?? writerMoves,
    removalPolicy,
  });

  recordTable = () => orchestrator.cutoverRecordTable.tableName;
  // The AWS fleet acknowledges the writer value it enforces (the fence is acknowledged, not assumed): UpdateItem on
  // the record's `fences` item, its own attribute only.
  orchestrator.grantWriterAcknowledgement(fleet.role, AWS_FLEET);

  // DMS task state changes (a task stopped or failed) reach the migration's topic; its key lets EventBridge in.
  replication.notifyTaskStateChanges(orchestrator.notificationTopic);
  orchestrator.key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowEventBridgeToPublishToTheEncryptedTopic',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
  }));

  const dashboard = sideOutputs(scope, {
    orchestrator,
    dns,
    shifter,
    fleet,
    dashboard: {
      title: `datacenter → ${Stack.of(scope).region}`,
      replication: replication.dashboardWidgets(),
      notes: `Database writer: \`aws ssm get-parameter --name ${writerParameter.parameterName}\` (SOURCE, FENCED or TARGET).`,
      legacyTargetGroup: lbSide?.legacyTargetGroup,
    },
    runbook: () => onPremisesRunbookSections({ orchestrator, dns, shifter, replication, writerParameter: writerParameter.parameter, writerMoves }),
    console: {
      writerParameter,
      replicationTaskArn: replication.replicationTaskArn,
      reverseReplicationTaskArn: replication.reverseReplicationTaskArn,
    },
  });
  const alarmTopicOut = orchestrator.notificationTopic;
  return { network, database, writerParameter, fleet, replication, dns, shifter, orchestrator, dashboard, alarmTopic: alarmTopicOut };
}

/**
 * The fleet reads the application user's credentials on premises too (a customer-managed policy, not an inline one),
 * decrypting them through Secrets Manager only, with the secret's own key only.
 */
function grantDatacenterSecret(scope: Construct, fleet: PaymentFleet, o: DatacenterToAwsOptions): void {
  const secret = o.source.applicationSecret;
  const key = secret.encryptionKey;
  const statements = [
    new iam.PolicyStatement({ sid: 'ReadTheOnPremisesApplicationSecret', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`] }),
  ];
  if (key) {
    statements.push(new iam.PolicyStatement({
      sid: 'DecryptItThroughSecretsManager',
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` } },
    }));
  }
  new iam.ManagedPolicy(scope, 'FleetSourceSecretPolicy', {
    description: 'Payment fleet: read the application user\'s on-premises database credentials (while the writer is on premises)',
    roles: [fleet.role],
    statements,
  });
}
