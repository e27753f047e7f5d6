import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  CutoverGate, CutoverSteps, DatabaseSwitchover, DatabaseWriterParameter, DatabaseWriterParameterProps,
  MigrationOrchestrator, MigrationOrchestratorProps,
} from '../../src';
import { ACCOUNT, Control, expectAccepted, expectRefused, foreignKey, foreignTopic, newStack, nextId, REGION, Row } from '../support/bad-input';
import { threeMinuteAlarm, weightedShifter } from '../support/world';
import { bundleHandler } from '../weighted-cutover/bundle';

// GIVEN one stack in eu-west-1: weighted records and a gating alarm that needs 3 minutes to fire (60 s x 3)
bundleHandler();
const stack = newStack('Orchestrator');
const shifter = weightedShifter(stack);
const errors = threeMinuteAlarm(stack);
const imported = cloudwatch.Alarm.fromAlarmArn(stack, 'Imported', `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:payments-latency`);
const targetGroup = elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Tg', { targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/payments/0123456789abcdef` });
const writer = ssm.StringParameter.fromStringParameterName(stack, 'Writer', '/payments/database/writer');
// The factories check their options before they read the database or the replication: stand-ins with the members the
// factories recognise them by (test/migration-orchestrator/bad-input-shapes.test.ts gives them the real constructs)
const database = { clusterIdentifier: 'payments-eu', globalClusterIdentifier: 'payments-global', replicationLagAlarm: errors } as any;
const replication = { replicationTaskArn: `arn:aws:dms:${REGION}:${ACCOUNT}:task:forward`, replicationTaskIdentifier: 'forward', replicationInstanceIdentifier: 'payments' } as any;
const reversible = { ...replication, reverseReplicationTaskArn: `arn:aws:dms:${REGION}:${ACCOUNT}:task:reverse`, reverseReplicationTaskResourceId: 'reverse' };

function orchestrator(id: string, props: Partial<MigrationOrchestratorProps> | Record<string, unknown>): MigrationOrchestrator {
  return new MigrationOrchestrator(stack, id, { shifter, gates: [CutoverGate.alarm(errors)], ...props } as MigrationOrchestratorProps);
}
function writerParameter(id: string, props: Partial<DatabaseWriterParameterProps> | Record<string, unknown>): DatabaseWriterParameter {
  return new DatabaseWriterParameter(stack, id, { parameterName: `/payments/${id}/writer`, ...props } as DatabaseWriterParameterProps);
}

const O = 'MigrationOrchestrator';
const rows: Row[] = [
  // --- Timing that defeats the safety it configures
  ['a bake shorter than the gating alarm\'s window', (id) => orchestrator(id, { bakeTime: Duration.minutes(1) }), O,
    /`bakeTime` must be at least the gating alarms' evaluation window \(3 minutes, alarm .*: period × datapoints to alarm\): a shorter bake moves on, and reaches 100 %, before the alarm can fire.*`allowBakeShorterThanAlarms` to true.*got: "1 minute"/],
  ['no bake at all', (id) => orchestrator(id, { bakeTime: Duration.seconds(0) }), O, /`bakeTime` must be at least the gating alarms' evaluation window \(3 minutes.*got: "0 seconds"/],
  ['one step baking less than the alarm window', (id) => orchestrator(id, { steps: CutoverSteps.fromSteps([{ targetPercent: 10, bakeTime: Duration.seconds(30) }, { targetPercent: 100 }]) }), O,
    /`steps\[0\].bakeTime` must be at least the gating alarms' evaluation window.*got: "10%: 30 seconds"/],
  ['a poll interval of zero', (id) => orchestrator(id, { pollInterval: Duration.seconds(0) }), O, /`pollInterval` must be a whole number of seconds, at least 1, got: "0 seconds"/],
  ['a poll interval in milliseconds', (id) => orchestrator(id, { pollInterval: Duration.millis(500) }), O, /`pollInterval` must be a whole number of seconds, at least 1, got: "500 millis"/],
  ['a bake of milliseconds (seconds meant?)', (id) => orchestrator(id, { bakeTime: Duration.millis(300500) }), O, /`bakeTime` must be a whole number of seconds \(Step Functions waits whole seconds.*got: "5 minutes 500 millis"/],
  ['a step bake of milliseconds', (id) => orchestrator(id, { steps: CutoverSteps.fromSteps([{ targetPercent: 100, bakeTime: Duration.millis(200500) }]) }), O, /`steps\[0\].bakeTime` must be a whole number of seconds/],
  ['an approval timeout of seconds', (id) => orchestrator(id, { approvalTimeout: Duration.seconds(10) }), O, /`approvalTimeout` must be between 1 minute and a year, got: "10 seconds"/],
  ['a bake of more than a year', (id) => orchestrator(id, { bakeTime: Duration.days(400) }), O, /`bakeTime` must be at most a year/],
  // --- Units: fractions where percentages are meant
  ['steps given as fractions', (id) => orchestrator(id, { steps: CutoverSteps.of([0.25, 0.5, 1]) }), O, /`steps` must be integer percentages between 1 and 100 \(these read as fractions: 0.25 means 25 %, write 25\), got: "of\(\[0.25, 0.5, 1\]\) = \[0.25, 0.5, 1\]"/],
  ['a canary as a fraction', (id) => orchestrator(id, { steps: CutoverSteps.canary(0.05) }), O, /`steps` must be integer percentages between 1 and 100 \(these read as fractions/],
  ['steps that do not end at 100', (id) => orchestrator(id, { steps: CutoverSteps.of([25, 50, 75]) }), O, /`steps` must end at 100/],
  // --- Region mismatches
  ['a notification topic from another region', (id) => orchestrator(id, { notificationTopic: foreignTopic(stack) }), O, /`notificationTopic` must be in the stack's region eu-west-1 .*not us-east-1, got: "arn:aws:sns:us-east-1:/],
  ['a gating alarm of another region', (id) => orchestrator(id, { gates: [CutoverGate.alarm(errors), CutoverGate.alarm(cloudwatch.Alarm.fromAlarmArn(stack, nextId('A'), `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:route53-health`))] }), O,
    /`gates` must be in the stack's region eu-west-1 \(the cutover reads its gating alarms with DescribeAlarms in its own region\), not us-east-1, got: "arn:aws:cloudwatch:us-east-1:/],
  ['a key from another region', (id) => orchestrator(id, { encryptionKey: foreignKey(stack) }), O, /`encryptionKey` must be a key in the stack's region eu-west-1, got: "us-east-1"/],
  // --- Plain JavaScript callers
  ['a bake as a number of seconds', (id) => orchestrator(id, { bakeTime: 300 as any }), O, /`bakeTime` must be a Duration \(e.g. Duration.seconds\(30\)\), not a bare number or string, got: 300/],
  ['a poll interval as a string', (id) => orchestrator(id, { pollInterval: '10s' as any }), O, /`pollInterval` must be a Duration.*got: "10s"/],
  ['one gate instead of a list', (id) => orchestrator(id, { gates: CutoverGate.alarm(errors) as any }), O, /`gates` must be a list \(array\), got: /],
  ['an alarm name as a gate', (id) => orchestrator(id, { gates: ['payments-5xx'] as any }), O, /`gates\[0\]` must be a CutoverGate \(CutoverGate.alarm, CutoverGate.auroraGlobalSecondary, …\), got: "payments-5xx"/],
  ['steps as a list of numbers', (id) => orchestrator(id, { steps: [25, 50, 100] as any }), O, /`steps` must be an object, got: \[25,50,100\]/],
  ['steps as a plain object', (id) => orchestrator(id, { steps: { steps: [{ targetPercent: 100 }] } as any }), O, /`steps` must be CutoverSteps \(CutoverSteps.linear\(4\), CutoverSteps.of\(\[10, 50, 100\]\), …\)/],
  ['a step bake as a number (refused at the factory, before the orchestrator)', (id) => orchestrator(id, { steps: CutoverSteps.fromSteps([{ targetPercent: 100, bakeTime: 300 as any }]) }),
    'CutoverSteps.fromSteps', /`steps\[0\].bakeTime` must be a Duration \(e.g. Duration.seconds\(30\)\), not a bare number or string, got: 300/],
  ['a switchover given by name', (id) => orchestrator(id, { switchover: 'auroraGlobal' as any }), O, /`switchover` must be an object, got: "auroraGlobal"/],
  ['no shifter', (id) => orchestrator(id, { shifter: undefined }), O, /`shifter` is required: it must be an object, got: undefined/],
  ['no gates', (id) => orchestrator(id, { gates: undefined }), O, /`gates` is required: it must be a list \(array\), got: undefined/],
  ['an empty list of gates', (id) => orchestrator(id, { gates: [] }), O, /`gates` must include at least one alarm/],

  // --- The factories (no construct path yet: the factory is named)
  ['healthy targets: a minimum of 0', () => CutoverGate.healthyTargets(targetGroup, 0), 'CutoverGate.healthyTargets', /`minimum` must be a positive integer \(the number of healthy targets\), got: 0/],
  ['healthy targets: a fractional minimum', () => CutoverGate.healthyTargets(targetGroup, 1.5), 'CutoverGate.healthyTargets', /`minimum` must be a positive integer.*got: 1.5/],
  ['healthy targets: a minimum as a string', () => CutoverGate.healthyTargets(targetGroup, '2' as any), 'CutoverGate.healthyTargets', /`minimum` must be a positive integer.*got: "2"/],
  ['healthy targets: a target group ARN', () => CutoverGate.healthyTargets(targetGroup.targetGroupArn as any, 2), 'CutoverGate.healthyTargets', /`targetGroup` must be an ELBv2 target group/],
  ['an alarm gate from the alarm\'s name', () => CutoverGate.alarm('payments-5xx' as any), 'CutoverGate.alarm', /`alarm` must be a CloudWatch alarm \(cloudwatch.Alarm, or cloudwatch.Alarm.fromAlarmArn for an existing one\), not its name, got: "payments-5xx"/],
  ['an alarm gate without an alarm', () => CutoverGate.alarm(undefined as any), 'CutoverGate.alarm', /`alarm` must be a CloudWatch alarm.*got: undefined/],
  ['a writer-move alarm gate from a name', () => CutoverGate.alarmBeforeWriterMove('vpn-tunnels' as any), 'CutoverGate.alarmBeforeWriterMove', /`alarm` must be a CloudWatch alarm/],
  ['Aurora switchover: a timeout of zero', () => DatabaseSwitchover.auroraGlobal(database, { timeout: Duration.seconds(0) }), 'DatabaseSwitchover.auroraGlobal', /`timeout` must be from 60 to 7200 seconds \(a timeout of zero fails at once\), got: "0 seconds"/],
  ['Aurora switchover: a poll interval of zero', () => DatabaseSwitchover.auroraGlobal(database, { pollInterval: Duration.seconds(0) }), 'DatabaseSwitchover.auroraGlobal', /`pollInterval` must be a whole number of seconds from 5 to 300 \(a poll interval of zero never waits\), got: "0 seconds"/],
  ['Aurora switchover: a poll longer than the timeout', () => DatabaseSwitchover.auroraGlobal(database, { timeout: Duration.minutes(2), pollInterval: Duration.minutes(5) }), 'DatabaseSwitchover.auroraGlobal', /`timeout` must be at least `pollInterval` \(300 seconds\)/],
  // one rule per option: the factory refuses what the switchover's states could not run (one set of bounds)
  ['Aurora switchover: a timeout of three hours', () => DatabaseSwitchover.auroraGlobal(database, { timeout: Duration.hours(3) }), 'DatabaseSwitchover.auroraGlobal', /`timeout` must be from 60 to 7200 seconds, got: "3 hours"/],
  ['Aurora switchover: a poll of two seconds', () => DatabaseSwitchover.auroraGlobal(database, { pollInterval: Duration.seconds(2) }), 'DatabaseSwitchover.auroraGlobal', /`pollInterval` must be a whole number of seconds from 5 to 300, got: "2 seconds"/],
  ['Aurora switchover: a bake of two days', () => DatabaseSwitchover.auroraGlobal(database, { postSwitchoverBake: Duration.days(2) }), 'DatabaseSwitchover.auroraGlobal', /`postSwitchoverBake` must be a whole number of seconds from 0 to 86400, got: "2 days"/],
  ['Aurora switchover: a timeout as a number', () => DatabaseSwitchover.auroraGlobal(database, { timeout: 1800 as any }), 'DatabaseSwitchover.auroraGlobal', /`timeout` must be a Duration.*got: 1800/],
  ['DMS gate: a poll interval of zero', () => CutoverGate.dmsReplication(replication, { pollInterval: Duration.seconds(0) }), 'CutoverGate.dmsReplication', /`pollInterval` must be a whole number of seconds from 1 to 3600 \(a poll interval of zero never waits\)/],
  ['DMS gate: a full-load timeout of zero', () => CutoverGate.dmsReplication(replication, { fullLoadTimeout: Duration.seconds(0) }), 'CutoverGate.dmsReplication', /`fullLoadTimeout` must be from 60 to 604800 seconds \(a timeout of zero fails at once\)/],
  ['DMS gate: a full-load timeout with milliseconds', () => CutoverGate.dmsReplication(replication, { fullLoadTimeout: Duration.millis(600500) }), 'CutoverGate.dmsReplication', /`fullLoadTimeout` must be a whole number of seconds, got: "10 minutes 500 millis"/],
  ['checkpoints kept 36 hours', (id) => orchestrator(id, { checkpointRetention: Duration.hours(36) }), O, /`checkpointRetention` must keep checkpoints at least a year \(PCI DSS 10.5.1\), got: "1 day 12 hours"/],
  ['DMS gate: a sync timeout as a number', () => CutoverGate.dmsReplication(replication, { syncTimeout: 1800 as any }), 'CutoverGate.dmsReplication', /`syncTimeout` must be a Duration.*got: 1800/],
  ['DMS gate: start the task with a string', () => CutoverGate.dmsReplication(replication, { startTask: 'yes' as any }), 'CutoverGate.dmsReplication', /`startTask` must be a boolean \(true or false\), got: "yes"/],
  ['DMS writer move: no writer parameter', () => DatabaseSwitchover.dmsWriterMove(replication, {} as any), 'DatabaseSwitchover.dmsWriterMove', /`writerParameter` is required: it must be an object, got: undefined/],
  ['DMS writer move: a parameter name as the parameter', () => DatabaseSwitchover.dmsWriterMove(replication, { writerParameter: '/payments/database/writer' as any }), 'DatabaseSwitchover.dmsWriterMove', /`writerParameter` must be an object, got: "\/payments\/database\/writer"/],
  ['DMS writer move: a fleet named twice', () => DatabaseSwitchover.dmsWriterMove(reversible, { writerParameter: writer, acknowledgingFleets: ['aws', 'aws'] }), 'DatabaseSwitchover.dmsWriterMove',
    /`acknowledgingFleets` must be distinct names of 1-64 letters, digits, '-' or '_' starting with a letter \(not 'pk' or 'checkedAt'\), got: \["aws","aws"\]/],
  ['DMS writer move: a fleet named as the acknowledgement table\'s key', () => DatabaseSwitchover.dmsWriterMove(reversible, { writerParameter: writer, acknowledgingFleets: ['aws', 'pk'] }), 'DatabaseSwitchover.dmsWriterMove',
    /`acknowledgingFleets` must be distinct names .*got: \["aws","pk"\]/],
  ['DMS writer move: a drain timeout as a number', () => DatabaseSwitchover.dmsWriterMove(replication, { writerParameter: writer, drainTimeout: 600 as any }), 'DatabaseSwitchover.dmsWriterMove', /`drainTimeout` must be a Duration.*got: 600/],
  ['steps: percentages as one string', () => CutoverSteps.of('25,50,100' as any), 'CutoverSteps.of', /`percentages` must be a list \(array\) of numbers, got: "25,50,100"/],
  ['steps: percentages as strings', () => CutoverSteps.of(['25', '100'] as any), 'CutoverSteps.of', /`percentages` must be a list \(array\) of numbers, got: \["25","100"\]/],
  ['steps: a linear count as a string', () => CutoverSteps.linear('4' as any), 'CutoverSteps.linear', /`count` must be a number, got: "4"/],
  ['steps: a canary as a string', () => CutoverSteps.canary('5' as any), 'CutoverSteps.canary', /`percent` must be a number, got: "5"/],
  ['steps: no list', () => CutoverSteps.fromSteps(undefined as any), 'CutoverSteps.fromSteps', /`steps` is required: it must be a list \(array\), got: undefined/],

  // --- DatabaseWriterParameter
  ['writer parameter: a key from another region', (id) => writerParameter(id, { encryptionKey: foreignKey(stack) }), 'DatabaseWriterParameter', /`encryptionKey` must be in the stack's region eu-west-1 .*not us-east-1/],
  ['writer parameter: an ARN as the name', (id) => writerParameter(id, { parameterName: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/payments/writer` }), 'DatabaseWriterParameter', /`parameterName` must be an SSM parameter name.*got: "arn:aws:ssm:/],
  ['writer parameter: a name as a number', (id) => writerParameter(id, { parameterName: 42 as any }), 'DatabaseWriterParameter', /`parameterName` must be a string, got: 42/],
  ['writer parameter: a name SSM reserves', (id) => writerParameter(id, { parameterName: '/aws/payments/writer' }), 'DatabaseWriterParameter', /`parameterName` must not begin with `aws` or `ssm` \(SSM reserves those prefixes\), got: "\/aws\/payments\/writer"/],
  ['shift fragment: a poll interval as a number', (id) => shifter.shiftFragment(stack, id, { pollInterval: 5 as any }), 'WeightedCutover.shiftFragment', /`pollInterval` must be a Duration.*got: 5/],
  ['writer parameter: no name', (id) => writerParameter(id, { parameterName: undefined }), 'DatabaseWriterParameter', /`parameterName` is required: it must be a string, got: undefined/],
];

const controls: Control[] = [
  ['a bake equal to the alarm window (3 minutes)', (id) => orchestrator(id, { bakeTime: Duration.minutes(3) })],
  ['a short bake, acknowledged', (id) => orchestrator(id, { bakeTime: Duration.minutes(1), allowBakeShorterThanAlarms: true })],
  ['a short bake on an imported alarm (its window is unknown)', (id) => orchestrator(id, { gates: [CutoverGate.alarm(imported)], bakeTime: Duration.seconds(30) })],
  ['factory options at their limits', () => {
    DatabaseSwitchover.auroraGlobal(database, { timeout: Duration.seconds(60), pollInterval: Duration.seconds(60) });
    CutoverGate.dmsReplication(replication, {
      pollInterval: Duration.seconds(1), fullLoadTimeout: Duration.days(7), syncTimeout: Duration.minutes(1),
    });
    CutoverGate.healthyTargets(targetGroup, 1);
    CutoverSteps.of([1, 100]);
  }],
  ['a writer parameter with a key of the stack\'s region', (id) => writerParameter(id, { encryptionKey: new kms.Key(stack, nextId('Key'), { enableKeyRotation: true }) })],
];

describe('MigrationOrchestrator, its factories and DatabaseWriterParameter: bad input is refused at synth time', () => {
  test.each(rows)('%s', (...row) => expectRefused(stack, row as Row));
});

describe('MigrationOrchestrator and its factories: inputs near the limits are accepted', () => {
  test.each(controls)('%s', (...control) => expectAccepted(control as Control));
});
