import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { buildDmsFixture } from './dms-fixture';
import { CutoverGate, DatabaseSwitchover, DatabaseWriterParameter, MigrationOrchestrator } from '../../src';
import { DmsReplication } from '../../src/dms-replication';
import { stateMachinesOf } from '../../src/rehearsal/resolve-template';
import { fixture as dmsFixture } from '../dms-replication/fixture';
import { expectNoNagFindings, expectOnlyUnroutedAlarmFindings } from '../support/nag';

/** Every statement of the cutover state machine's role policy, flattened to { actions, resources }. */
function cutoverStatements(template: Template): Array<{ actions: string[]; resources: string[] }> {
  const policies = template.findResources('AWS::IAM::Policy');
  const policy = Object.entries(policies).find(([id]) => /^OrchestratorCutoverRoleDefaultPolicy/.test(id))![1];
  return policy.Properties.PolicyDocument.Statement.map((s: any) => ({
    actions: [s.Action].flat(),
    resources: [s.Resource].flat().map((r: unknown) => JSON.stringify(r)),
  }));
}

describe('MigrationOrchestrator on the DMS path', () => {
  const f = buildDmsFixture();
  const template = Template.fromStack(f.stack);
  const statements = cutoverStatements(template);
  const forwardArn = JSON.stringify(f.stack.resolve(f.replication.replicationTaskArn));
  const reverseArn = JSON.stringify(f.stack.resolve(f.replication.reverseReplicationTaskArn));

  test('DMS start/stop and table statistics only on the two tasks (the drains read the statistics of each); no wildcard action', () => {
    const on = (action: string) => statements
      .filter((s) => s.actions.some((a) => a.toLowerCase() === action.toLowerCase()))
      .flatMap((s) => s.resources)
      .sort();
    expect(on('dms:StartReplicationTask')).toEqual([forwardArn, reverseArn].sort());
    expect(on('dms:StopReplicationTask')).toEqual([forwardArn, reverseArn].sort());
    expect(on('dms:DescribeTableStatistics')).toEqual([forwardArn, reverseArn].sort());
    expect(on('dms:DescribeReplicationTasks')).toEqual(['"*"']);
    expect(statements.flatMap((s) => s.actions).filter((a) => a.endsWith('*') || a === '*')).toEqual([]);
    // the writer parameter: written and read by the cutover
    const writerArn = JSON.stringify(f.stack.resolve(f.writer.parameterArn));
    expect(on('ssm:PutParameter')).toContain(writerArn);
    expect(on('ssm:GetParameter')).toContain(writerArn);
  });

  test('the replication alarms are polled but not on the event path (they go to ALARM on purpose once the writer moves)', () => {
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0] as any;
    const resources = JSON.stringify(rule.Properties.EventPattern.resources);
    expect(resources).toContain(f.stack.getLogicalId(f.healthyHosts.node.defaultChild as any));
    for (const alarm of [f.replication.cdcLatencySourceAlarm, f.replication.cdcLatencyTargetAlarm, f.replication.validationFailureAlarm!]) {
      expect(resources).not.toContain(f.stack.getLogicalId(alarm.node.defaultChild as any));
    }
    const polled = [f.healthyHosts, f.replication.cdcLatencySourceAlarm, f.replication.cdcLatencyTargetAlarm];
    expect(f.orchestrator.gatingAlarms).toEqual(expect.arrayContaining(polled));
  });

  test('the reverse task starts after the unfence from the drain\'s time: StartReplicationTask with CdcStartTime only (never with CdcStartPosition too)', () => {
    const definition = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
    // the reverse task's start in the writer move carries the drain's time; the forward task's resume carries none
    expect(definition).toContain('\\"StartReplicationTaskType\\":\\"start-replication\\",\\"CdcStartTime.$\\":\\"$.writerMove.cdcStartTime\\"');
    expect(definition).not.toContain('CdcStartPosition');
    // the drain reads one page of table statistics (the API allows 20 to 500 records)
    expect(definition).toContain('\\"MaxRecords\\":100');
    // and the time is taken from the read that proved the drain, before the writer moves to the target
    expect(definition).toMatch(/Writer: reverse start time.{0,200}cdcStartTime\.\$\\":\\"\$\.drain\.at/);
  });

  test('the writer parameter values are the only ones the definition writes to it', () => {
    const definition = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
    for (const value of ['SOURCE', 'FENCED', 'TARGET']) expect(definition).toContain(`\\"Value\\":\\"${value}\\"`);
  });

  test('zero unacknowledged findings in the three nag packs', () => {
    // used alone, without alarmActions: only its alarms are findings (nothing pages anyone; PaymentMigration routes them).
    // The gated alarms are polled by the orchestrator; the task-error alarm and the reverse task's latency alarms (the
    // way back, watched after the writer move: never gates) need actions.
    expect(expectOnlyUnroutedAlarmFindings(f.stack)).toEqual(['Target/Dms/ReverseCdcLatencySourceAlarm', 'Target/Dms/ReverseCdcLatencyTargetAlarm', 'Target/Dms/TaskErrorAlarm']);
  });
});

describe('DMS validation: every page of table statistics, before any traffic moves and again before the fence', () => {
  const f = buildDmsFixture();
  const json = Template.fromStack(f.stack).toJSON() as any;
  const cutover: any = Object.values(stateMachinesOf(json)).find((m: any) => /^Payment migration cutover/.test(m.Comment));
  const states: Record<string, any> = {};
  const walk = (s: Record<string, any>) => Object.entries(s).forEach(([name, state]) => {
    states[name] = state;
    if (state.Type === 'Parallel') state.Branches.forEach((b: any) => walk(b.States));
  });
  walk(cutover.States);

  test('the cutover definition is valid Amazon States Language (asl-validator)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const result = require('asl-validator')(cutover);
    expect(result.errorsText('\n')).toBe('');
  });

  test.each(['Pre-check: DMS validation', 'Writer: validation'])('%s: the next page is asked for with the Marker of the page before, while the answer has one', (prefix) => {
    const first = states[`${prefix}: first page`];
    const next = states[`${prefix}: next page`];
    const path = first.ResultPath.replace(/\.read$/, '');
    expect(first.Parameters).toEqual({ ReplicationTaskArn: expect.any(String), MaxRecords: 100 });
    expect(next.Parameters).toEqual({ 'ReplicationTaskArn': first.Parameters.ReplicationTaskArn, 'MaxRecords': 100, 'Marker.$': `${path}.read.page.Marker` });
    // the page is judged only once its table count is known not to be 0 (a wildcard over [] fails uncatchably)
    expect(states[`${prefix}: any table?`].Choices).toEqual([{ Variable: `${path}.read.count`, NumericGreaterThan: 0, Next: `${prefix}: judge the page` }]);
    expect(JSON.stringify(states[`${prefix}: page validated?`])).toContain(`"Variable":"${path}.read.page.Marker","IsPresent":true`);
    // only a verdict is carried from page to page: the page itself is dropped once every table passed
    expect(states[`${prefix}: all validated`]).toMatchObject({ Result: { validated: true }, ResultPath: path });
  });

  test('the writer move starts with the validation check: no write of the writer parameter before it passed', () => {
    expect(states['Switchover: claim the record'].Next).toBe('Writer: validation: start');
    expect(states['Writer: validation: all validated'].Next).toBe('Writer: fence');
    for (const refused of ['pending', 'failed', 'no table', 'unread']) {
      expect(states[`Writer: validation ${refused}`]).toMatchObject({ Type: 'Fail', Error: 'WriterMove.ValidationNotClean' });
    }
  });

  test('the execution-history budget counts the pages: the pre-check may read 10 pages and one more per sync poll', () => {
    const gate = (options = {}) => ((CutoverGate.dmsReplication(f.replication, options) as any)._bind().history as Array<{ events: number }>)
      .reduce((n, share) => n + share.events, 0);
    // a longer sync wait costs its polls (11 events) and a page of table statistics per poll (13), and a re-scan (4)
    expect(gate({ syncTimeout: Duration.minutes(32) }) - gate()).toBe(11 + 13 + 4);
  });
});

describe('DMS gate and writer move: bad input is refused at synth time', () => {
  test('a writer move needs the prepared reverse task', () => {
    const f = dmsFixture();
    const replication = new DmsReplication(f.stack, 'Dms', f.props);
    const writer = new ssm.StringParameter(f.stack, 'Writer', { stringValue: 'SOURCE' });
    expect(() => DatabaseSwitchover.dmsWriterMove(replication, { writerParameter: writer })).toThrow(
      /^DatabaseSwitchover\.dmsWriterMove failed:\n- `replication` must prepare the reverse task \(DmsReplication `reverseReplication: true`\)/,
    );
  });

  test('writer-move timings out of range name the option and the value', () => {
    const f = dmsFixture();
    const replication = new DmsReplication(f.stack, 'Dms', { ...f.props, reverseReplication: true });
    const writer = new ssm.StringParameter(f.stack, 'Writer', { stringValue: 'SOURCE' });
    const tooFast = { writerParameter: writer, pollInterval: Duration.seconds(2), maxLatency: Duration.seconds(0) };
    expect(() => DatabaseSwitchover.dmsWriterMove(replication, tooFast)).toThrow(
      /`pollInterval` must be a whole number of seconds from 5 to 300, got: "2 seconds"\n- `maxLatency` must be more than 0 and at most 60 seconds, got: "0 seconds"/,
    );
    expect(() => CutoverGate.dmsReplication(replication, { pollInterval: Duration.millis(1500) })).toThrow(/`pollInterval` must be a whole number of seconds from 1 to 3600, got: "1 second 500 millis"/);
  });

  test('a DMS writer move without the DMS gate of the same replication is refused', () => {
    const f = dmsFixture();
    const replication = new DmsReplication(f.stack, 'Dms', { ...f.props, reverseReplication: true });
    const writer = new DatabaseWriterParameter(f.stack, 'Writer', { parameterName: '/payments/writer' });
    const alarm = replication.cdcLatencySourceAlarm;
    expect(() => new MigrationOrchestrator(f.stack, 'Orchestrator', {
      shifter: stubShifter(),
      gates: [CutoverGate.alarm(alarm)],
      switchover: DatabaseSwitchover.dmsWriterMove(replication, { writerParameter: writer.parameter }),
    })).toThrow(/`gates` must include CutoverGate.dmsReplication of the replication the switchover moves the writer off/);
  });

  test('an alarm given both as a plain gate and as watched-until-the-move stays off the event path', () => {
    const f = buildDmsFixture({}, {});
    const template = Template.fromStack(f.stack);
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0] as any;
    expect(JSON.stringify(rule.Properties.EventPattern.resources)).not.toContain('CdcLatency');
  });

  test('a full-load wait that would exhaust the execution history is refused', () => {
    expect(() => buildDmsFixture({}, { gate: { fullLoadTimeout: Duration.hours(24), pollInterval: Duration.minutes(1) } })).toThrow(
      /must fit one execution's history: the worst case needs ~\d+ events/,
    );
  });
});

/** A traffic shifter that is never run (the orchestrator refuses the props before building states). */
function stubShifter(): any {
  return { shiftFragment: () => { throw new Error('not built'); }, splitFor: (p: number) => ({ sourceWeight: 100 - p, targetWeight: p }), grantShift: () => undefined };
}

describe('DatabaseWriterParameter', () => {
  test('created at SOURCE once (no update call, never overwriting), deleted with the stack by default, provider logs encrypted and kept a year', () => {
    const f = dmsFixture();
    const w = new DatabaseWriterParameter(f.stack, 'Writer', { parameterName: '/payments/database/writer' });
    const template = Template.fromStack(f.stack);
    const resource = Object.values(template.findResources('Custom::DatabaseWriterParameter'))[0] as any;
    const create = JSON.parse(resource.Properties.Create);
    expect(create).toMatchObject({ service: 'SSM', action: 'putParameter', parameters: { Name: '/payments/database/writer', Value: 'SOURCE', Overwrite: false } });
    expect(resource.Properties.Update).toBeUndefined();
    expect(JSON.parse(resource.Properties.Delete)).toMatchObject({ action: 'deleteParameter', ignoreErrorCodesMatching: 'ParameterNotFound' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.anyValue() });
    expect(w.parameterArn).toContain('parameter/payments/database/writer');
    expectNoNagFindings(f.stack);
  });

  test('RETAIN keeps the parameter; a malformed name is refused', () => {
    const f = dmsFixture();
    new DatabaseWriterParameter(f.stack, 'Writer', { parameterName: '/payments/writer', removalPolicy: RemovalPolicy.RETAIN });
    const resource = Object.values(Template.fromStack(f.stack).findResources('Custom::DatabaseWriterParameter'))[0] as any;
    expect(resource.Properties.Delete).toBeUndefined();
    expect(() => new DatabaseWriterParameter(f.stack, 'Bad', { parameterName: 'payments writer!' })).toThrow(
      /`parameterName` must be an SSM parameter name.*got: "payments writer!"/,
    );
  });
});

describe('recovery of an execution that ended without its rollback', () => {
  test('a rule on ABORTED / TIMED_OUT / FAILED of every workflow that can hold the record starts the recovery workflow', () => {
    const f = buildDmsFixture();
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        'detail': {
          // the three workflows, by name (formatted ARNs): the cutover, the alarm rollback, the recovery itself
          stateMachineArn: [Match.anyValue(), Match.anyValue(), Match.anyValue()],
          status: ['ABORTED', 'TIMED_OUT', 'FAILED'],
        },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^OrchestratorRecovery') } })],
    });
    expect(f.orchestrator.recoveryStateMachine).toBeDefined();
    // it decides from the record (who holds it); it describes only the holder, and only executions of these workflows
    const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => /^OrchestratorRecoveryRoleDefaultPolicy/.test(id))![1] as any;
    const statements = policy.Properties.PolicyDocument.Statement;
    const actions = statements.flatMap((s: any) => [s.Action].flat().map((a: string) => a.toLowerCase()));
    expect(actions).toContain('dynamodb:updateitem');
    const describe = statements.find((s: any) => [s.Action].flat().some((a: string) => a.toLowerCase() === 'states:describeexecution'));
    const resources = JSON.stringify(describe.Resource);
    for (const name of ['-cutover:*', '-alarm-rollback:*', '-recovery:*']) expect(resources).toContain(name);
    expect(resources).toContain(':execution:');
  });

  test('recoverEndedExecutions: false builds neither the workflow nor the rule', () => {
    const f = buildDmsFixture({ recoverEndedExecutions: false });
    expect(f.orchestrator.recoveryStateMachine).toBeUndefined();
    const rules = Object.values(Template.fromStack(f.stack).findResources('AWS::Events::Rule')) as any[];
    expect(rules.filter((r) => r.Properties.EventPattern.source?.includes('aws.states'))).toEqual([]);
  });
});
