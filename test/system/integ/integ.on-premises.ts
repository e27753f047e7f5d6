/**
 * Deployment test of the on-premises reference migration (seed S2, the aws-production stage) for a real account: the
 * cutover started with short bakes ends SUCCEEDED with AWS at 100 % and the writer parameter at TARGET (the full
 * load, the drain and the writer move done for real by DMS); the writer parameter is never reset by a deploy.
 *
 * Offline, the test command verifies its snapshot (`npx projen integ`). In an account, with the datacenter, the VPN
 * and the secrets in place (see docs/developing.md, "Deployment tests"): `npx integ-runner --language typescript
 * --directory test/system/integ -c aws-production:vpnGatewayId=… (the on-premises app's context, keyed by stage)`.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { buildOnPremisesMigration } from '../../../examples/on-premises/app';
import { CutoverSteps } from '../../../src';

const app = new App();
const { stacks, production } = buildOnPremisesMigration(app, {
  steps: CutoverSteps.linear(2),
  bakeTime: Duration.minutes(3), // the gating alarms' window: a shorter bake could not see them fire
  approveBeforeSwitchover: false,
});
// the assertions run next to the production stack, in its stage (account and region)
const assertionStack = new Stack(Stage.of(production)!, 'OnPremisesCutoverAssertions');
const test = new IntegTest(app, 'OnPremisesCutover', {
  testCases: stacks.filter((s) => s.account === production.account),
  assertionStack,
  diffAssets: false,
  stackUpdateWorkflow: false,
});

const migration = production.node.findChild('Migration');
const orchestrator = migration.node.findChild('Orchestrator') as any;
const writer = migration.node.findChild('Writer') as any;
const zoneId: string = (migration.node.findChild('Dns') as any).hostedZone.hostedZoneId;

const start = test.assertions.awsApiCall('SFN', 'startExecution', { stateMachineArn: orchestrator.stateMachine.stateMachineArn, name: 'integ-writer-move' });
const done = test.assertions
  .awsApiCall('SFN', 'describeExecution', { executionArn: start.getAttString('executionArn') })
  .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' }))
  .waitForAssertions({ totalTimeout: Duration.hours(3), interval: Duration.minutes(1) });
const writerMoved = test.assertions
  .awsApiCall('SSM', 'getParameter', { Name: writer.parameterName })
  .expect(ExpectedResult.objectLike({ Parameter: { Value: 'TARGET' } }));
const weights = test.assertions
  .awsApiCall('Route53', 'listResourceRecordSets', { HostedZoneId: zoneId })
  .expect(ExpectedResult.objectLike({ ResourceRecordSets: ExpectedResult.arrayWith([ExpectedResult.objectLike({ SetIdentifier: 'target', Weight: 100 })]) }));
start.next(done).next(writerMoved).next(weights);
