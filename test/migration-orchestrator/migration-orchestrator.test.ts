import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { buildFixture, templateOf } from './fixture';
import { CutoverGate, CutoverSteps, MigrationOrchestratorProps, OperatorCommand } from '../../src';
import { stateMachinesOf } from '../../src/rehearsal/resolve-template';
import { allStates } from '../support/asl';
import { expectNoNagFindings } from '../support/nag';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator: (definition: unknown) => { isValid: boolean; errorsText: (sep?: string) => string } = require('asl-validator');

const fixture = buildFixture({ approveBeforeFirstStep: true, approveBeforeSwitchover: true });
const json = templateOf(fixture);
const template = Template.fromJSON(json);
const machines = stateMachinesOf(json);
const cutover = Object.values(machines).find((m: any) => /^Payment migration cutover/.test(m.Comment))!;
const relay = Object.values(machines).find((m: any) => /^Rolls a running cutover back/.test(m.Comment))!;
const bakeMachine = Object.values(machines).find((m: any) => /^Payment migration bake/.test(m.Comment))!;

const states = allStates(cutover);
const bakeStates = allStates(bakeMachine);
const tasksCalling = (api: string) => Object.entries(states).filter(([, s]) => s.Type === 'Task' && String(s.Resource).endsWith(api));

describe('MigrationOrchestrator state machine', () => {
  test('the three definitions are valid Amazon States Language (asl-validator)', () => {
    for (const asl of [cutover, relay, bakeMachine]) {
      const result = aslValidator(asl);
      expect(result.errorsText('\n')).toBe('');
      expect(result.isValid).toBe(true);
    }
  });

  test('a standard workflow, logging ALL without execution data, X-Ray on, logs encrypted and kept a year', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrchestratorKey'), 'Arn'] },
    });
  });

  test('default steps 25/50/75/100, each shifted then baked 5 minutes with gates polled every 10 s', () => {
    for (const [i, pct] of [25, 50, 75, 100].entries()) {
      const prefix = `Step ${i + 1} (${pct}%)`;
      expect(states[`${prefix}: set split`].Result).toEqual({ sourceWeight: 100 - pct, targetWeight: pct });
      // each bake is a child execution of the Bake state machine, waited for
      expect(states[`${prefix}: bake`].Resource).toBe('arn:aws:states:::states:startExecution.sync:2');
      expect(states[`${prefix}: bake`].Parameters.Input).toEqual(expect.objectContaining({ remaining: 300, alarmCount: 2, where: prefix }));
    }
    expect(bakeStates['Bake: wait'].Seconds).toBe(10);
    expect(bakeStates['Bake: count down'].Parameters['remaining.$']).toBe('States.MathAdd($.bake.remaining, -10)');
    expect(Object.keys(states).filter((n) => /^Step \d/.test(n) && n.endsWith(': set split'))).toHaveLength(4);
  });

  test('the bake decides on gates first, then the operator control', () => {
    const choices = bakeStates['Bake: gates and control OK?'].Choices.map((c: any) => c.Next);
    expect(choices).toEqual([
      'Bake: a gating alarm is missing',
      'Bake: a gating alarm is in ALARM',
      'Bake: a gating alarm has insufficient data',
      'Bake: operator abort',
      'Bake: pause',
      'Bake: take skip',
    ]);
    // ABORT, PAUSE and SKIP_BAKE count only when written after the version this execution saw (never a leftover)
    const abort = bakeStates['Bake: gates and control OK?'].Choices.find((c: any) => c.Next === 'Bake: operator abort');
    expect(abort.And).toEqual(expect.arrayContaining([{ Variable: '$.control.version', NumericGreaterThanPath: '$.controlSeen' }]));
    expect(bakeStates['Bake: take skip']).toEqual(expect.objectContaining({ InputPath: '$.control.version', ResultPath: '$.controlSeen' }));
    // the version seen and the pause budget go to the bake, and come back from it
    expect(states['Step 2 (50%): bake'].Parameters.Input).toEqual(expect.objectContaining({ 'controlSeen.$': '$.controlSeen', 'pauseBudget.$': '$.pauseBudget' }));
    expect(states['Step 2 (50%): bake'].ResultSelector).toEqual({ 'controlSeen.$': '$.Output.controlSeen', 'pauseBudget.$': '$.Output.pauseBudget' });
  });

  test('SDK calls use the parameter names of the AWS API (Step Functions casing)', () => {
    const [, describe] = tasksCalling('cloudwatch:describeAlarms')[0];
    expect(Object.keys(describe.Parameters).sort()).toEqual(['AlarmNames', 'AlarmTypes']);
    expect(describe.Parameters.AlarmNames).toHaveLength(2);
    expect(tasksCalling('sfn:listExecutions')).toEqual([]);
    const [, control] = tasksCalling('ssm:getParameter')[0];
    expect(Object.keys(control.Parameters)).toEqual(['Name']);
    expect(control.ResultSelector).toEqual({ 'value.$': '$.Parameter.Value', 'version.$': '$.Parameter.Version' });
    // The workflows never write the operator's control parameter (no command of an operator is ever overwritten).
    expect(tasksCalling('ssm:putParameter')).toEqual([]);
    const [, cluster] = tasksCalling('rds:describeDBClusters')[0];
    expect(Object.keys(cluster.Parameters)).toEqual(['DbClusterIdentifier']);
    expect(cluster.ResultSelector).toEqual({ 'status.$': '$.DbClusters[0].Status' });
    const [, switchover] = tasksCalling('rds:switchoverGlobalCluster')[0];
    expect(Object.keys(switchover.Parameters).sort()).toEqual(['GlobalClusterIdentifier', 'TargetDbClusterIdentifier']);
    const [, put] = tasksCalling('s3:putObject')[0];
    expect(Object.keys(put.Parameters).sort()).toEqual(['Body.$', 'Bucket', 'ChecksumAlgorithm', 'ContentType', 'Key.$']);
  });

  test('any failure inside the cutover is caught and rolls back; the rollback is retried until it succeeds', () => {
    // the database writer first (the switch-back, when the switchover happened), then the weights
    // … if this execution still holds the cutover record: the rollback is claimed first
    expect(cutover.States.Cutover.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Rollback: claim the record' }]);
    expect(cutover.States['Rollback: claim the record'].Catch[0]).toEqual(expect.objectContaining({ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Rolled back by another workflow' }));
    expect(cutover.States['Rollback: claim the record'].Next).toBe('Rollback: set split to source');
    expect(cutover.States['Rollback: set split to source'].Next).toBe('Rollback: writer, then traffic');
    const body = cutover.States['Rollback: writer, then traffic'];
    expect(body.Branches[0].StartAt).toBe('Rollback: database writer back to the source first');
    expect(body.Catch[0].Next).toBe('Rollback: record stuck');
    expect(states['Rollback: set split to source'].Result).toEqual({ sourceWeight: 100, targetWeight: 0 });
    const retry = states['Rollback: shift to source'].Retry[0];
    expect(retry).toEqual(expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 20, MaxDelaySeconds: 30 }));
    expect(states['Rollback: shift to source'].Catch[0].Next).toBe('Rollback: notify failure');
    expect(states['Cutover rolled back']).toEqual(expect.objectContaining({ Type: 'Fail', Error: 'CutoverRolledBack', CausePath: '$.error.Cause' }));
  });

  test('nothing before the first shift can roll back: lock, pre-checks and the approval fail without touching weights', () => {
    const beforeCutover = Object.keys(cutover.States).filter((n) => n !== 'Cutover' && !n.startsWith('Rollback') && !/complete/i.test(n));
    expect(beforeCutover.every((n) => !/shift/i.test(n))).toBe(true);
    expect(states['Approval: before first step'].Resource).toBe('arn:aws:states:::sns:publish.waitForTaskToken');
    expect(states['Approval: before first step'].Catch[0].Next).toBe('Not approved: no traffic moved');
    // whatever ends the pre-checks releases the record (nothing moved) and fails with the same error
    expect(cutover.States['Pre-checks'].Catch[0].Next).toBe('Pre-checks failed: release the record');
    expect(cutover.States['Not started']).toEqual(expect.objectContaining({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' }));
    expect(states['Approval: before switchover'].Resource).toBe('arn:aws:states:::sns:publish.waitForTaskToken');
  });

  test('no state machine timeout (a timed-out execution would leave traffic split): timeouts live in the tasks', () => {
    expect(cutover.TimeoutSeconds).toBeUndefined();
    expect(states['Approval: before first step'].TimeoutSeconds).toBe(4 * 3600);
  });

  test('the alarm-rollback workflow acts only after it claimed the record from a cutover shifting traffic', () => {
    expect(relay.StartAt).toBe('Claim the record from the shifting cutover');
    const claim = relay.States['Claim the record from the shifting cutover'];
    expect(claim.Resource).toBe('arn:aws:states:::dynamodb:updateItem');
    expect(claim.Parameters.ConditionExpression).toBe('((#phase = :from0)) OR (#owner = :me AND #phase = :to)');
    expect(claim.Parameters.ExpressionAttributeValues[':from0']).toEqual({ S: 'SHIFTING' });
    expect(claim.Parameters.ExpressionAttributeValues[':to']).toEqual({ S: 'ROLLING_BACK' });
    // refused (idle, complete, writer moving, a duplicate event): it reads the record to say why, and moves nothing
    expect(claim.Catch[0]).toEqual(expect.objectContaining({ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Read the cutover record' }));
    expect(relay.States['Writer moving?'].Default).toBe('No cutover shifting traffic: nothing to do');
    // it stops the execution whose record it took, read from the claim's answer (never a list of executions)
    expect(relay.States['Stop the cutover'].Parameters['ExecutionArn.$']).toBe('$.record.cutover');
    expect(relay.States['Stop the cutover'].Catch[0].Next).toBe('Record the alarm');
  });
});

describe('MigrationOrchestrator resources', () => {
  test('EventBridge sends the gating alarms\' ALARM state changes to the alarm-rollback workflow', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        'resources': Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('HealthyHosts'), 'Arn'] }]),
        'detail': { state: { value: ['ALARM'] } },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('OrchestratorAlarmRollback') } })],
    });
    const rules = template.findResources('AWS::Events::Rule');
    expect(Object.values(rules)[0].Properties.EventPattern.resources).toHaveLength(2);
  });

  test('the operator control parameter accepts only the four commands and rests at RUN', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', { Value: 'RUN', AllowedPattern: '^(RUN|PAUSE|SKIP_BAKE|ABORT)$' });
    expect(fixture.orchestrator.operatorCommand(OperatorCommand.ABORT)).toMatch(/^aws ssm put-parameter --region eu-west-1 --name .* --type String --overwrite --value ABORT$/);
    expect(fixture.orchestrator.startCommand()).toMatch(/^aws stepfunctions start-execution --region eu-west-1 --state-machine-arn /);
  });

  test('notifications: KMS-encrypted, TLS-only topic; checkpoints: KMS, versioned, non-public, TLS-only, kept 400 days', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrchestratorKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 400, NoncurrentVersionExpiration: { NoncurrentDays: 400 } })] },
      }),
    });
  });

  test('least privilege: the cutover may change only its zone\'s weighted records, read its alarms, and stop nothing but its own bakes', () => {
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('OrchestratorCutoverRole') }] } });
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const change = statements.find((s: any) => s.Action === 'route53:ChangeResourceRecordSets');
    expect(change.Condition['ForAllValues:StringEquals']['route53:ChangeResourceRecordSetsNormalizedRecordNames']).toEqual(['api.pay.example.com', 'checkout.pay.example.com']);
    // IAM action names are case-insensitive; CallAwsService writes them as the SDK names them
    const alarms = statements.find((s: any) => String(s.Action).toLowerCase() === 'cloudwatch:describealarms');
    expect(alarms.Resource).toHaveLength(2);
    // StopExecution only on executions of the Bake state machine (the .sync integration stops a child with its parent)
    const stops = statements.filter((s: any) => [s.Action].flat().some((a: string) => /^states:stopexecution$/i.test(a)));
    expect(stops.map((s: any) => JSON.stringify(s.Resource))).toEqual([expect.stringMatching(/:execution:Target-Orchestrator-[0-9A-F]+-bake\*"\]\]\}$/)]);
    expect(statements.some((s: any) => [s.Action].flat().some((a: string) => a === '*' || a.endsWith(':*')))).toBe(false);
  });

  test('grantOperate lets a role start cutovers and write the control parameter', () => {
    const f = buildFixture();
    const role = new iam.Role(f.stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    f.orchestrator.grantOperate(role);
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Operator') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'states:StartExecution' })]) },
    });
  });

  test('grantOperate covers the console: the record read, the recovery started, and any holder of the record described', () => {
    // GIVEN an orchestrator with all three workflows (any of them may hold the cutover record)
    const f = buildFixture();
    const role = new iam.Role(f.stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    // WHEN
    f.orchestrator.grantOperate(role);
    // THEN
    const t = Template.fromStack(f.stack).toJSON();
    const policy = Object.values<any>(t.Resources).find((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes('Operator'));
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    const idOf = (c: { node: { defaultChild?: unknown } }) => f.stack.resolve((c.node.defaultChild as any).logicalId);
    const on = (action: string, logicalId: string, executions: boolean) => statements.some((s) => [s.Action].flat().includes(action) &&
      [s.Resource].flat().some((r: unknown) => JSON.stringify(r).includes(logicalId) && JSON.stringify(r).includes(':execution:') === executions));
    const o = f.orchestrator;
    const [cutoverId, alarmRollbackId, recoveryId] = [o.stateMachine, o.alarmRollbackStateMachine!, o.recoveryStateMachine!].map(idOf);
    // `recover` starts the recovery; `status` and `recover` describe whichever execution holds the record
    expect(on('states:StartExecution', recoveryId, false)).toBe(true);
    for (const machine of [cutoverId, alarmRollbackId, recoveryId]) expect(on('states:DescribeExecution', machine, true)).toBe(true);
    expect(on('dynamodb:GetItem', idOf(f.orchestrator.cutoverRecordTable as any), false)).toBe(true);
    // but no more than reading those executions: never stopping one
    expect(statements.some((s) => [s.Action].flat().includes('states:StopExecution'))).toBe(false);
  });

  test('all options on: zero unacknowledged AwsSolutions, PCI DSS 3.2.1 and NIST 800-53 r5 findings', () => {
    expectNoNagFindings(fixture.stack);
  });
});

describe('MigrationOrchestrator validation', () => {
  test.each<[string, Partial<MigrationOrchestratorProps>, RegExp]>([
    ['decreasing steps', { steps: CutoverSteps.of([25, 20, 100]) }, /`steps` must be strictly increasing, got: "of\(\[25, 20, 100\]\) = \[25, 20, 100\]"/],
    ['not ending at 100', { steps: CutoverSteps.of([25, 50]) }, /`steps` must end at 100/],
    ['percent over 100', { steps: CutoverSteps.of([50, 150]) }, /`steps` must be integer percentages between 1 and 100/],
    ['no steps', { steps: CutoverSteps.of([]) }, /`steps` must contain at least one step, got: "of\(\[\]\) = \[\]"$/],
    ['fractions', { steps: CutoverSteps.of([0.25, 1]) }, /`steps` must be integer percentages between 1 and 100 \(these read as fractions: 0.25 means 25 %, write 25\)/],
    ['a bake of a year and a day', { steps: CutoverSteps.fromSteps([{ targetPercent: 100, bakeTime: Duration.days(366) }]) }, /`steps` must bake at most a year per step \(the Step Functions Wait limit\)/],
    ['a plain object whose bake is a number', { steps: { description: 'by hand', steps: [{ targetPercent: 100, bakeTime: 300 }] } as any },
      /`steps` must give each step's bakeTime as a Duration \(e.g. Duration.minutes\(5\)\), not a bare number, got: "by hand = \[100\]"$/],
    ['no gates with alarms', { gates: [] }, /`gates` must include at least one alarm/],
    ['bake over a year', { bakeTime: Duration.days(400) }, /`bakeTime` must be at most a year.*got: "400 days"/],
    ['poll of half a second', { pollInterval: Duration.millis(500) }, /`pollInterval` must be a whole number of seconds, at least 1, got: "500 millis"/],
    ['bake shorter than a poll', { steps: CutoverSteps.fromSteps([{ targetPercent: 100, bakeTime: Duration.seconds(5) }]) }, /`steps` must bake at least one poll interval \(10 seconds\) or not at all, got: "100%: 5 seconds"/],
    ['checkpoints kept 30 days', { checkpointRetention: Duration.days(30) }, /`checkpointRetention` must keep checkpoints at least a year/],
    ['logs kept a month', { logRetention: logs.RetentionDays.ONE_MONTH }, /`logRetention` must keep logs at least one year/],
    ['approval timeout of 10 s', { approvalTimeout: Duration.seconds(10) }, /`approvalTimeout` must be between 1 minute and a year/],
    ['twenty steps, each a worst-case shift', { steps: CutoverSteps.of(Array.from({ length: 20 }, (_, i) => (i + 1) * 5)) },
      /`steps` must fit one execution's history: the worst case needs ~\d+ events, ~\d+ of them for it.*got: "20 steps"/],
  ])('rejects %s', (_n, props, message) => {
    expect(() => buildFixture(props)).toThrow(message);
  });

  test('approveBeforeSwitchover without a switchover is refused', () => {
    expect(() => buildFixture({ approveBeforeSwitchover: true }, { switchover: false })).toThrow(/`approveBeforeSwitchover` needs `switchover`/);
  });

  test('bakes of hours fit, polled every 10 s: each is a child execution, the same few events in the cutover\'s history', () => {
    expect(() => buildFixture({ bakeTime: Duration.hours(2) })).not.toThrow();
    expect(() => buildFixture({ bakeTime: Duration.days(30), maxPause: Duration.hours(12) })).not.toThrow();
    expect(() => buildFixture({}, { switchoverOptions: { postSwitchoverBake: Duration.hours(24) } })).not.toThrow();
  });

  test('CutoverSteps factories', () => {
    expect(CutoverSteps.linear(4).steps.map((s) => s.targetPercent)).toEqual([25, 50, 75, 100]);
    expect(CutoverSteps.linear(3).steps.map((s) => s.targetPercent)).toEqual([33, 66, 100]);
    expect(CutoverSteps.canary(10).steps.map((s) => s.targetPercent)).toEqual([10, 100]);
  });

  test('a gate with only a pre-check still needs an alarm gate beside it', () => {
    const f = () => {
      const targetGroup = { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/t/1' } as elbv2.ITargetGroup;
      return buildFixture({ gates: [CutoverGate.healthyTargets(targetGroup, 2)] });
    };
    expect(f).toThrow(/`gates` must include at least one alarm/);
  });
});
