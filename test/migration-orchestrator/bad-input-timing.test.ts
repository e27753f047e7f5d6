import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  AuroraGlobalSecondary, AuroraSwitchoverOptions, CutoverEndpoint, CutoverGate, DatabaseSwitchover, DatabaseWriterParameter, DatacenterToAwsOptions,
  DmsReplication, DmsWriterMoveTimings, HighResolutionGateOptions, MigrationOrchestrator, MigrationOrchestratorProps, MigrationSide, PaymentMigration,
  PaymentProcessorImage,
} from '../../src';
import { bundlePeerRoutesHandler } from '../regional-network/bundle';
import { ACCOUNT, AZS, messageOf, newStack, nextId, REGION } from '../support/bad-input';
import { datacenterNetwork, weightedShifter } from '../support/world';
import { bundleHandler } from '../weighted-cutover/bundle';

/*
 * Timing that defeats the safety it configures, on the phases after the shift: the bake on the new writer shorter
 * than the alarms it bakes on; a high-resolution gate on a metric AWS publishes every minute; a gate whose alarm can
 * never be OK at rest (missing data treated as breaching on a metric with no datapoint while the target takes no
 * traffic).
 */

// GIVEN one eu-west-1 stack: the network with the VPN, an Aurora secondary, a DMS replication with its reverse task,
// the writer parameter, weighted records, and alarms of known windows (3 minutes and 15 minutes)
bundleHandler();
bundlePeerRoutesHandler();
const stack = newStack('TimingB');
const network = datacenterNetwork(stack);
const secret = (name: string) => secretsmanager.Secret.fromSecretCompleteArn(stack, nextId('Secret'), `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`);
const database = new AuroraGlobalSecondary(stack, 'Database', { vpc: network.vpc, globalClusterIdentifier: 'payments-global', primaryRegion: 'us-east-1' });
const replication = new DmsReplication(stack, 'Replication', {
  vpc: network.vpc,
  datacenter: { host: '192.168.10.20', databaseName: 'payments', secret: secret('dms/onprem'), certificateArn: `arn:aws:dms:${REGION}:${ACCOUNT}:cert:onprem-ca` },
  datacenterCidrs: ['192.168.10.0/24'],
  aurora: { host: 'payments.cluster-abc.eu-west-1.rds.amazonaws.com', port: 3307, secret: secret('dms/aurora'), connections: new ec2.SecurityGroup(stack, 'AuroraSg', { vpc: network.vpc }) },
  reverseReplication: true,
});
const writerParameter = new DatabaseWriterParameter(stack, 'Writer', { parameterName: '/payments/database/writer' }).parameter;
const shifter = weightedShifter(stack);
const metric = (namespace: string, metricName: string, period = Duration.minutes(1)) => new cloudwatch.Metric({ namespace, metricName, period });
/** 1 minute × 3 datapoints: 3 minutes to fire. */
const errors = new cloudwatch.Alarm(stack, 'Errors', { metric: metric('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count'), threshold: 5, evaluationPeriods: 3 });
/** 5 minutes × 3 datapoints: 15 minutes to fire. */
const slow = new cloudwatch.Alarm(stack, 'Slow', { metric: metric('AWS/ApplicationELB', 'HealthyHostCount', Duration.minutes(5)), threshold: 2, evaluationPeriods: 3, comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD });
const imported = cloudwatch.Alarm.fromAlarmArn(stack, 'Imported', `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:payments-latency`);
const failedPayments = metric('Payments', 'FailedPaymentRate');

function aurora(id: string, options: AuroraSwitchoverOptions, props: Partial<MigrationOrchestratorProps> = {},
  gates = [CutoverGate.auroraGlobalSecondary(database), CutoverGate.alarm(errors)]) {
  const switchover = DatabaseSwitchover.auroraGlobal(database, options);
  return new MigrationOrchestrator(stack, id, { shifter, gates, switchover, ...props });
}
function dms(id: string, move: DmsWriterMoveTimings, props: Partial<MigrationOrchestratorProps> = {},
  gates = [CutoverGate.dmsReplication(replication), CutoverGate.alarm(errors)]) {
  const switchover = DatabaseSwitchover.dmsWriterMove(replication, { writerParameter, ...move });
  return new MigrationOrchestrator(stack, id, { shifter, gates, switchover, ...props });
}
const highResolution = (id: string, options: Partial<HighResolutionGateOptions>) =>
  CutoverGate.highResolutionMetric(stack, id, { metric: failedPayments, threshold: 2, ...options });
const breaching = (m: cloudwatch.IMetric, period = 1) => new cloudwatch.Alarm(stack, nextId('Breaching'), {
  metric: m, threshold: 1, evaluationPeriods: period, treatMissingData: cloudwatch.TreatMissingData.BREACHING,
});

// The datacenter side of PaymentMigration (seed S2), to see the post-move bake named as its user typed it
const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`);
const DATACENTER: DatacenterToAwsOptions = {
  source: {
    connectivity: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0', vpnConnectionId: 'vpn-0123456789abcdef0' },
    legacyEndpoint: CutoverEndpoint.fromIpAddresses(['52.94.76.10', '52.94.76.11']),
    database: { host: '192.168.10.20', databaseName: 'payments', secret: secret('onprem/payments'), certificateArn: `arn:aws:dms:${REGION}:${ACCOUNT}:cert:onprem-ca` },
    applicationSecret: secret('onprem/payments-app'),
  },
  network: { cidr: '10.20.0.0/16', availabilityZones: AZS },
  fleet: { image: PaymentProcessorImage.fromRegistry('public.ecr.aws/acme/payment-processor:1'), certificate, minCapacity: 3, maxCapacity: 9 },
  dns: { zoneName: 'pay.example.com', recordNames: ['api'] },
  database: { applicationSecret: secret('aurora/payments-app'), replicationSecret: secret('aurora/payments-dms') },
};
const datacenter = (id: string, o: Partial<DatacenterToAwsOptions>) =>
  new PaymentMigration(stack, id, { name: `p${id.toLowerCase()}`, side: MigrationSide.datacenterToAws({ ...DATACENTER, ...o }) });

/** [name, build (given a fresh construct id), who reports it (a construct, or a factory), the message]. */
type TimingRow = [string, (id: string) => unknown, string, RegExp];
const O = 'MigrationOrchestrator';
const WINDOW = (window: string, alarm: string) => new RegExp(
  `must be at least the gating alarms' evaluation window \\(${window}, alarm TimingB/${alarm}: period × datapoints to alarm\\): a shorter bake ends, and the cutover completes on the new writer, before the alarm can fire`);
const rows: TimingRow[] = [
  // --- The bake on the new writer: as long as the alarms still baked on then
  ['Aurora: a post-switchover bake shorter than the alarms\' window', (id) => aurora(id, { postSwitchoverBake: Duration.minutes(1) }), O,
    new RegExp(`\`switchover.postSwitchoverBake\` ${WINDOW('3 minutes', 'Errors').source}.*\`allowBakeShorterThanAlarms\` to true.*got: "1 minute"`)],
  ['Aurora: no post-switchover bake at all', (id) => aurora(id, { postSwitchoverBake: Duration.seconds(0) }), O, /`switchover.postSwitchoverBake` must be at least .*\(3 minutes, .*got: "0 seconds"/],
  ['Aurora: the default post-switchover bake (10 minutes) under a 15-minute alarm', (id) => aurora(id, {}, { bakeTime: Duration.minutes(15) }, [CutoverGate.auroraGlobalSecondary(database), CutoverGate.alarm(slow)]), O,
    new RegExp(`\`switchover.postSwitchoverBake\` ${WINDOW('15 minutes', 'Slow').source}.*got: "10 minutes"`)],
  ['DMS: a post-move bake shorter than the alarms\' window', (id) => dms(id, { postMoveBake: Duration.minutes(1) }), O,
    new RegExp(`\`switchover.postMoveBake\` ${WINDOW('3 minutes', 'Errors').source}.*\`allowBakeShorterThanAlarms\` to true.*got: "1 minute"`)],
  ['DMS: the default post-move bake (10 minutes) under a 15-minute alarm', (id) => dms(id, {}, { bakeTime: Duration.minutes(15) }, [CutoverGate.dmsReplication(replication), CutoverGate.alarm(slow)]), O,
    new RegExp(`\`switchover.postMoveBake\` ${WINDOW('15 minutes', 'Slow').source}.*got: "10 minutes"`)],
  ['DMS: a post-move bake of 30 s under a high-resolution gate of six 10-second datapoints', (id) => dms(id, { postMoveBake: Duration.seconds(30) }, {},
    [CutoverGate.dmsReplication(replication), highResolution(`${id}Gate`, { datapointsToAlarm: 6 })]), O, /`switchover.postMoveBake` must be at least the gating alarms' evaluation window \(1 minute, alarm TimingB\/C\d+Gate: .*got: "30 seconds"/],
  ['PaymentMigration: a 30-second post-move bake, named as the user typed it', (id) => datacenter(id, { writerMove: { postMoveBake: Duration.seconds(30) } }), O,
    /`side.writerMove.postMoveBake` must be at least the gating alarms' evaluation window \(3 minutes, .*set `side.cutover.allowBakeShorterThanAlarms` to true.*got: "30 seconds"/],

  // --- A high-resolution gate on a metric AWS publishes every minute (or coarser)
  ['a high-resolution gate on the load balancer\'s 5xx count', (id) => highResolution(id, { metric: metric('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count') }), 'CutoverGate.highResolutionMetric',
    /`metric` must be a metric published at high resolution: AWS\/ApplicationELB is an AWS namespace, which AWS publishes every 60 seconds or coarser, so a 10-second alarm on it sees one datapoint a minute.*Publish a custom high-resolution metric \(PutMetricData with StorageResolution 1\).*got: "AWS\/ApplicationELB\/HTTPCode_Target_5XX_Count"/],
  ['a high-resolution gate on Aurora\'s commit latency', (id) => highResolution(id, { metric: metric('AWS/RDS', 'CommitLatency') }), 'CutoverGate.highResolutionMetric', /`metric` must be a metric published at high resolution: AWS\/RDS is an AWS namespace.*got: "AWS\/RDS\/CommitLatency"/],
  ['a 20-second gate on DMS CDC latency', (id) => highResolution(id, { metric: metric('AWS/DMS', 'CDCLatencySource'), period: Duration.seconds(20) }), 'CutoverGate.highResolutionMetric',
    /`metric` must be a metric published at high resolution: AWS\/DMS is an AWS namespace.*a 20-second alarm on it.*got: "AWS\/DMS\/CDCLatencySource"/],
  ['a high-resolution gate on a math expression (no namespace to alarm on)', (id) => highResolution(id, { metric: new cloudwatch.MathExpression({ expression: 'm1 * 100', usingMetrics: { m1: failedPayments } }) as any }),
    'CutoverGate.highResolutionMetric', /`metric` must be a cloudwatch.Metric \(a namespace and a metric name the payment processor publishes\), got: /],
  ['a high-resolution gate on the VPN tunnels', (id) => highResolution(id, { metric: metric('AWS/VPN', 'TunnelState') }), 'CutoverGate.highResolutionMetric', /`metric` must be a metric published at high resolution: AWS\/VPN/],

  // --- A gate that can never be OK at rest: missing data treated as breaching on a metric with no datapoint then
  ['a high-resolution gate treating missing data as breaching', (id) => highResolution(id, { treatMissingData: cloudwatch.TreatMissingData.BREACHING }), 'CutoverGate.highResolutionMetric',
    /`treatMissingData` must not be BREACHING \(the alarm TimingB\/C\d+\): a metric the payment processor publishes while payments flow is missing when none do.*no cutover can start.*got: "breaching"/],
  ['an alarm gate on a custom rate, missing data breaching', () => CutoverGate.alarm(breaching(failedPayments)), 'CutoverGate.alarm',
    /`alarm` must not treat missing data as breaching \(alarm TimingB\/Breaching\d+, on Payments\/FailedPaymentRate\): only the gauges AWS publishes whatever the traffic .* have a datapoint at rest.*no cutover can start.*NOT_BREACHING or MISSING.*got: "breaching"/],
  ['an alarm gate on the load balancer\'s 5xx count, missing data breaching', () => CutoverGate.alarm(breaching(metric('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count'))), 'CutoverGate.alarm',
    /`alarm` must not treat missing data as breaching \(alarm TimingB\/Breaching\d+, on AWS\/ApplicationELB\/HTTPCode_Target_5XX_Count\)/],
  ['a writer-move gate on DMS CDC latency, missing data breaching', () => CutoverGate.alarmBeforeWriterMove(breaching(metric('AWS/DMS', 'CDCLatencySource'), 3)), 'CutoverGate.alarmBeforeWriterMove',
    /`alarm` must not treat missing data as breaching \(alarm TimingB\/Breaching\d+, on AWS\/DMS\/CDCLatencySource\)/],
  ['an alarm gate on metric math without FILL, missing data breaching', () => CutoverGate.alarm(breaching(new cloudwatch.MathExpression({
    expression: '100 * errors / requests',
    usingMetrics: { errors: metric('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count'), requests: metric('AWS/ApplicationELB', 'RequestCount') },
  }))), 'CutoverGate.alarm', /`alarm` must not treat missing data as breaching \(alarm TimingB\/Breaching\d+, on AWS\/ApplicationELB\/HTTPCode_Target_5XX_Count, AWS\/ApplicationELB\/RequestCount\)/],
];

const controls: Array<[string, (id: string) => unknown]> = [
  ['Aurora: a post-switchover bake equal to the alarms\' window (3 minutes)', (id) => aurora(id, { postSwitchoverBake: Duration.minutes(3) })],
  ['Aurora: a short post-switchover bake, acknowledged', (id) => aurora(id, { postSwitchoverBake: Duration.minutes(1) }, { allowBakeShorterThanAlarms: true })],
  ['DMS: a post-move bake shorter than an alarm watched only until the writer moves', (id) => dms(id, { postMoveBake: Duration.minutes(3) }, { bakeTime: Duration.minutes(15) },
    [CutoverGate.dmsReplication(replication), CutoverGate.alarmBeforeWriterMove(slow), CutoverGate.alarm(errors)])],
  ['DMS: a 30-second post-move bake on an imported alarm (its window is unknown)', (id) => dms(id, { postMoveBake: Duration.seconds(30) }, {}, [CutoverGate.dmsReplication(replication), CutoverGate.alarm(imported)])],
  ['DMS: a post-move bake of a day', (id) => dms(id, { postMoveBake: Duration.days(1) })],
  ['DMS: a short post-move bake, acknowledged', (id) => dms(id, { postMoveBake: Duration.seconds(0) }, { allowBakeShorterThanAlarms: true })],
  ['a high-resolution gate on the processor\'s own metric, or the CloudWatch agent\'s', (id) => {
    highResolution(`${id}a`, {});
    highResolution(`${id}b`, { metric: metric('CWAgent', 'mem_used_percent'), period: Duration.seconds(30) });
  }],
  ['a high-resolution gate treating missing data as missing, or ignoring it', (id) => {
    highResolution(`${id}a`, { treatMissingData: cloudwatch.TreatMissingData.MISSING });
    highResolution(`${id}b`, { treatMissingData: cloudwatch.TreatMissingData.IGNORE });
  }],
  ['missing data breaching on gauges AWS publishes at rest (healthy hosts, health checks, VPN tunnels, Aurora)', () => {
    CutoverGate.alarm(breaching(metric('AWS/ApplicationELB', 'HealthyHostCount'), 2));
    CutoverGate.alarm(breaching(metric('AWS/Route53', 'HealthCheckStatus')));
    CutoverGate.alarmBeforeWriterMove(breaching(metric('AWS/VPN', 'TunnelState'), 2));
    CutoverGate.alarm(breaching(metric('AWS/RDS', 'AuroraReplicaLag'), 3));
  }],
  ['missing data breaching on metric math that fills its gaps', () => CutoverGate.alarm(breaching(new cloudwatch.MathExpression({
    expression: 'FILL(errors, 0)',
    usingMetrics: { errors: metric('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count') },
  })))],
  ['an imported alarm (how it treats missing data is unknown)', () => CutoverGate.alarm(imported)],
  ['PaymentMigration: a 30-second post-move bake, acknowledged', (id) => datacenter(id, { writerMove: { postMoveBake: Duration.seconds(30) }, cutover: { allowBakeShorterThanAlarms: true } })],
];

describe('timing that defeats the safety it configures, after the shift: refused at synth time', () => {
  test.each(rows)('%s', (_name, build, reporter, expected) => {
    // GIVEN a fresh id
    const id = nextId('C');
    // WHEN
    const message = messageOf(() => build(id));
    // THEN the construct and its path, or the factory (and the alarm it creates), then the prop, rule and value
    const head = reporter.includes('.')
      ? `^${reporter.replace('.', '\\.')} failed( at ${stack.node.id}/${id})?:\\n- `
      : `^${reporter} initialization failed at ${stack.node.id}/${id}(/[A-Za-z0-9]+)*:\\n- `;
    expect(message).toMatch(new RegExp(head));
    expect(message).toMatch(expected);
    expect(message).not.toMatch(/TypeError|is not a function|Cannot read propert/);
  });
});

describe('their valid neighbours are accepted', () => {
  test.each(controls)('%s', (_name, build) => {
    expect(() => build(nextId('Ok'))).not.toThrow();
  });
});
