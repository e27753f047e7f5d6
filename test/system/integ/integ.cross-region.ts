/**
 * Deployment test of the reference migration (seed S1) for a real account — what a deploy must show, not what our
 * models say: the cutover started with short bakes ends SUCCEEDED with the target at 100 %, then a cutover during
 * which a gating alarm is set to ALARM ends rolled back with the source at 100 %.
 *
 * Offline, the test command verifies its snapshot (`npx projen integ`). In an account (see docs/developing.md, "Deployment
 * tests"): `npx integ-runner --language typescript --directory test/system/integ --parallel-regions eu-west-1
 * -c account=<id> -c sourceVpcId=… (the reference app's context)`.
 */
import { ExpectedResult, IApiCall, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { buildReferenceMigration } from '../../../examples/reference/app';
import { CutoverSteps } from '../../../src';

const app = new App();
// short bakes: a whole cutover takes minutes, not the production 20
const { source, target } = buildReferenceMigration(app, {
  steps: CutoverSteps.linear(2),
  bakeTime: Duration.minutes(3), // the gating alarms' window: a shorter bake could not see them fire
  switchover: false,
});
// the assertions run in the target region, where the cutover lives
const assertionStack = new Stack(app, 'CrossRegionCutoverAssertions', { env: target.environment === undefined ? undefined : { account: target.account, region: target.region } });
const test = new IntegTest(app, 'CrossRegionCutover', { testCases: [source, target], assertionStack, diffAssets: false, stackUpdateWorkflow: false });

const migration = target.node.findChild('Migration');
const orchestrator = migration.node.findChild('Orchestrator') as any;
const stateMachineArn: string = orchestrator.stateMachine.stateMachineArn;
const zoneId: string = (migration.node.findChild('Dns') as any).hostedZone.hostedZoneId;
const gate: string = orchestrator.gatingAlarms[0].alarmName;

/** The execution `started` ends with `status` (polled every 30 s, for up to 30 minutes). */
const ends = (started: IApiCall, status: string) => test.assertions
  .awsApiCall('SFN', 'describeExecution', { executionArn: started.getAttString('executionArn') })
  .expect(ExpectedResult.objectLike({ status }))
  .waitForAssertions({ totalTimeout: Duration.minutes(30), interval: Duration.seconds(30) });
/** The records of `side` (SetIdentifier) are at weight 100. */
const atFullWeight = (side: string) => test.assertions
  .awsApiCall('Route53', 'listResourceRecordSets', { HostedZoneId: zoneId })
  .expect(ExpectedResult.objectLike({
    ResourceRecordSets: ExpectedResult.arrayWith([ExpectedResult.objectLike({ SetIdentifier: side, Weight: 100 })]),
  }));

// 1. The happy path: SUCCEEDED, the target at 100 %
const happy = test.assertions.awsApiCall('SFN', 'startExecution', { stateMachineArn, name: 'integ-happy-path' });
const happyDone = ends(happy, 'SUCCEEDED');
const weights = atFullWeight('target');

// 2. An alarm during a bake: rolled back, the source at 100 %
const rollback = test.assertions.awsApiCall('SFN', 'startExecution', { stateMachineArn, name: 'integ-alarm-rollback' });
const alarm = test.assertions.awsApiCall('CloudWatch', 'setAlarmState', { AlarmName: gate, StateValue: 'ALARM', StateReason: 'integ test: a gate fails during a bake' });
const rolledBack = ends(rollback, 'FAILED');
const back = atFullWeight('source');

happy.next(happyDone).next(weights).next(rollback).next(alarm).next(rolledBack).next(back);
