import { Template } from 'aws-cdk-lib/assertions';
import { buildDmsFixture } from './dms-fixture';
import { at, expectOneWriterAtEveryMoment, FORWARD, rehearseDms, splits, writer } from './dms-rehearsal-harness';
import { DatabaseEngine } from '../../src';
import { rehearse } from '../../src/rehearsal/rehearse';
import { RehearsalResult, Scenario } from '../../src/rehearsal/scenario';

// The on-premises path (seeds S2/S3), synthesized once: DMS gate (start the task, full load, CDC in sync, validation),
// 25/50/75/100 % with 5-minute bakes, then the single-writer move with a 10-minute bake on the new writer.
const template = Template.fromStack(buildDmsFixture().stack).toJSON() as any;

const run = (scenario: Scenario): Promise<RehearsalResult> => rehearseDms(template, scenario);

describe('rehearsal of the synthesized on-premises cutover (DMS, single writer)', () => {
  test('happy path: the task is started, loads, syncs; traffic 25 → 100; then the writer moves once, after the fence drained', async () => {
    const r = await run({ name: 'dms happy path' });
    expect(r.status).toBe('SUCCEEDED');
    expect(splits(r)).toEqual(FORWARD);
    expect(writer(r)).toEqual(['FENCED', 'TARGET']);
    expect(r.dmsTaskCalls).toEqual(['cutover start forward (start-replication)', 'cutover stop forward', 'cutover start reverse (start-replication from a CdcStartTime)']);
    // no traffic before the full load completed (600 s), the fence only after 100 % baked
    expect(r.weightChanges[0].t).toBeGreaterThanOrEqual(600);
    expect(r.writerChanges[0].t).toBeGreaterThan(r.weightChanges[3].t + 300);
    // writes are refused from the fence until the table statistics show the drain (45 s in the mock), read every second
    const [fence, moved] = r.writerChanges.map((c) => c.t);
    expect(moved - fence).toBeGreaterThanOrEqual(45);
    expect(moved - fence).toBeLessThan(45 + 3);
    // the tasks stop and start after the unfence: the reverse task reads Aurora from a time between the drain and
    // the unfence, after the forward task stopped
    expect(at(r, /^StopReplicationTask forward/)!).toBeGreaterThan(moved);
    expect(r.reverseStarts).toHaveLength(1);
    expect(r.reverseStarts[0].t).toBeGreaterThan(at(r, /DMS forward task is stopped/)!);
    expect(r.reverseStarts[0].cdcStartTime).toBeGreaterThanOrEqual(fence + 45);
    expect(r.reverseStarts[0].cdcStartTime).toBeLessThanOrEqual(moved);
    expect(r.auroraWritesFrom).toBe(moved);
  });

  test('CDC lag never drains: the pre-check waits its 30 minutes, then ends without moving traffic or the writer', async () => {
    const r = await run({ name: 'cdc lag', alarms: [{ alarm: 'CdcLatencyTarget', state: 'ALARM', from: 0 }] });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('PreCheckFailed');
    expect(r.cause).toMatch(/CDC latency or validation alarms were not all OK within 30 minutes: no traffic was moved/);
    expect(r.weightChanges).toEqual([]);
    expect(r.writerChanges).toEqual([]);
    expect(r.duration).toBeGreaterThanOrEqual(600 + 30 * 60);
  });

  test.each([
    ['failed rows', { ValidationFailedRecords: 2, ValidationState: 'Mismatched records' }],
    ['suspended rows', { ValidationSuspendedRecords: 1, ValidationState: 'Suspended records' }],
    ['a table without primary key', { ValidationState: 'No primary key' }],
    ['a table in error', { TableState: 'Table error' }],
  ])('validation: %s stop the cutover before any traffic moves', async (_name, bad) => {
    const tables = ['payments', 'refunds', 'ledger'].map((TableName) => ({
      SchemaName: 'payments', TableName, TableState: 'Table completed', ValidationState: 'Validated', ValidationFailedRecords: 0, ValidationSuspendedRecords: 0,
    }));
    tables[1] = { ...tables[1], ...bad };
    const r = await run({ name: 'validation', dms: { tables } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('PreCheckFailed');
    expect(r.cause).toMatch(/validation/);
    expect(r.weightChanges).toEqual([]);
    expect(r.writerChanges).toEqual([]);
  });

  test.each(['ABORT', 'PAUSE'] as const)('an operator %s during the pre-check\'s wait for the full load stops the start: no traffic moves', async (command) => {
    const r = await run({ name: `${command} in the pre-check`, operator: [{ at: 300, command }] });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('PreCheckFailed');
    expect(r.cause).toMatch(/control parameter is not RUN \(a PAUSE or ABORT written during the pre-checks\).*No traffic was moved/);
    expect(r.weightChanges).toEqual([]);
    expect(r.writerChanges).toEqual([]);
  });

  test('the validation alarm in ALARM also blocks the start', async () => {
    const r = await run({ name: 'validation alarm', alarms: [{ alarm: 'ValidationFailure', state: 'ALARM', from: 0 }] });
    expect(r.error).toBe('PreCheckFailed');
    expect(r.weightChanges).toEqual([]);
  });

  test('alarm mid-shift: rollback to the legacy side; the writer never moved, the forward task was never stopped', async () => {
    const r = await run({ name: 'alarm mid-shift', alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 600 + 311 + 150 }] });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('CutoverRolledBack');
    expect(splits(r)).toEqual([[75, 25], [50, 50], [100, 0]]);
    expect(r.writerChanges).toEqual([]);
    expect(r.dmsTaskCalls).toEqual(['cutover start forward (start-replication)']);
  });

  test('a CDC latency alarm mid-shift rolls back too (the replication gates are polled until the writer moves)', async () => {
    const r = await run({ name: 'cdc alarm mid-shift', alarms: [{ alarm: 'CdcLatencySource', state: 'ALARM', from: 1500 }] });
    expect(r.error).toBe('CutoverRolledBack');
    expect(r.finalWeights).toEqual({ source: 100, target: 0 });
    expect(r.writerChanges).toEqual([]);
  });

  test('failure after the writer moved: writer back through the reverse task (exactly once), then traffic back', async () => {
    const happy = await run({ name: 'timing' });
    const moved = happy.writerChanges[1].t;
    const r = await run({ name: 'alarm after the writer moved', alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: moved + 120 }] });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('CutoverRolledBack');
    expect(writer(r)).toEqual(['FENCED', 'TARGET', 'FENCED', 'SOURCE']);
    expect(splits(r)).toEqual([...FORWARD, [100, 0]]);
    // the writer is back on the source before the first weight moves back, after the reverse task drained
    const back = r.writerChanges[3].t;
    expect(back).toBeLessThan(r.weightChanges[4].t);
    expect(back - r.writerChanges[2].t).toBeGreaterThanOrEqual(45);
    expect(back - r.writerChanges[2].t).toBeLessThan(45 + 3);
    expect(r.dmsTaskCalls).toEqual([
      'cutover start forward (start-replication)', 'cutover stop forward', 'cutover start reverse (start-replication from a CdcStartTime)', 'cutover stop reverse',
    ]);
    // the forward task is left stopped, and the notification says why and what to do: the writer had reached TARGET
    const backNote = r.notifications.find((n) => n.subject === 'Database writer back on the source');
    expect(backNote?.message).toMatch(/The writer was TARGET when the rollback began\. The forward task stays stopped: after TARGET \(Aurora took writes\), reload/);
    expectOneWriterAtEveryMoment(r);
  });

  test('an operator ABORT after the writer moved takes the same way back', async () => {
    const happy = await run({ name: 'timing' });
    const r = await run({ name: 'abort after move', operator: [{ at: happy.writerChanges[1].t + 60, command: 'ABORT' }] });
    expect(r.error).toBe('CutoverRolledBack');
    expect(writer(r)).toEqual(['FENCED', 'TARGET', 'FENCED', 'SOURCE']);
    expect(r.finalWeights).toEqual({ source: 100, target: 0 });
  });

  test('the forward task never drains: the writer goes back to the source (it never left), traffic back; nothing stopped', async () => {
    const r = await run({ name: 'forward never drains', dms: { forwardDrainSeconds: -1 } });
    expect(r.error).toBe('CutoverRolledBack');
    expect(r.cause).toMatch(/did not drain within 1 minute/);
    expect(writer(r)).toEqual(['FENCED', 'SOURCE']);
    expect(r.dmsTaskCalls).toEqual(['cutover start forward (start-replication)']);
    expect(r.finalWeights).toEqual({ source: 100, target: 0 });
    expectOneWriterAtEveryMoment(r);
  });

  test('the reverse task fails to start after the unfence: the writer stays on Aurora, traffic stays, loudly; the writes stay recoverable from the CdcStartTime given', async () => {
    const r = await run({ name: 'reverse fails', dms: { reverseStart: 'fails' } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('WriterRollbackFailed');
    expect(r.cause).toMatch(/Start the reverse task from the CdcStartTime of the "Database writer moved" notification/);
    // Aurora took writes from the unfence on: the writer is never put back on premises, traffic never leaves it
    expect(writer(r)).toEqual(['FENCED', 'TARGET', 'TARGET']);
    expect(r.finalWeights).toEqual({ source: 0, target: 100 });
    expect(r.dmsTaskCalls).toEqual(['cutover start forward (start-replication)', 'cutover stop forward', 'cutover start reverse (start-replication from a CdcStartTime)']);
    expect(r.notifications.some((n) => /ROLLBACK STOPPED: the writer stays on the target/.test(n.subject))).toBe(true);
    // Recoverable: the notification names a CdcStartTime no later than Aurora's first write (and after the forward
    // task's last change), so starting the reverse task from it (runbook) replicates every write Aurora took.
    const moved = r.notifications.find((n) => n.subject === 'Database writer moved to the target')!;
    const named = /CdcStartTime (\S+) /.exec(moved.message)![1];
    const seconds = (Date.parse(named) - Date.UTC(2026, 0, 1)) / 1000;
    expect(seconds).toBeCloseTo(r.reverseStarts[0].cdcStartTime!, 1); // the world rounds to 0.1 s
    expect(seconds).toBeLessThanOrEqual(r.auroraWritesFrom!);
    expect(seconds).toBeGreaterThanOrEqual(r.writerChanges[0].t + 45);
  });

  test('the reverse task never drains on the way back: the writer stays on Aurora and traffic stays, loudly', async () => {
    const happy = await run({ name: 'timing' });
    const r = await run({
      name: 'reverse never drains',
      alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: happy.writerChanges[1].t + 120 }],
      dms: { reverseDrainSeconds: -1 },
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('WriterRollbackFailed');
    expect(writer(r)).toEqual(['FENCED', 'TARGET', 'FENCED', 'TARGET']);
    expect(r.finalWeights).toEqual({ source: 0, target: 100 });
    expect(r.timeline.some((e) => /ROLLBACK STOPPED/.test(e.text))).toBe(true);
  });

  test('more tables than one page of statistics: the drain falls back to CloudWatch; unexpected metric data (timestamps as numbers) never counts as drained: a safe rollback', async () => {
    const tables = Array.from({ length: 101 }, (_, i) => ({
      SchemaName: 'payments', TableName: `t${i}`, TableState: 'Table completed', ValidationState: 'Validated', ValidationFailedRecords: 0, ValidationSuspendedRecords: 0,
    }));
    const r = await run({ name: 'epoch timestamps', dms: { tables, metricTimestamps: 'epoch-seconds' } });
    expect(r.error).toBe('CutoverRolledBack');
    expect(r.cause).toMatch(/did not drain within 5 minutes/);
    expect(writer(r)).toEqual(['FENCED', 'SOURCE']);
    expect(r.finalWeights).toEqual({ source: 100, target: 0 });
    // with well-formed metrics the fallback drains, on whole minutes
    const slow = await run({ name: 'many tables', dms: { tables } });
    expect(slow.status).toBe('SUCCEEDED');
    const [fence, moved] = slow.writerChanges.map((c) => c.t);
    expect(moved - fence).toBeGreaterThanOrEqual(45 + 60);
  });

  test('a task that was stopped is not resumed automatically', async () => {
    const r = await run({ name: 'stopped task', dms: { initialStatus: 'stopped' } });
    expect(r.error).toBe('PreCheckFailed');
    expect(r.cause).toMatch(/stopped: find out why/);
    expect(r.dmsTaskCalls).toEqual([]);
  });

  test('a running task with its full load done passes at once; a table errored during the load fails', async () => {
    const fast = await run({ name: 'already running', dms: { initialStatus: 'running' } });
    expect(fast.status).toBe('SUCCEEDED');
    expect(fast.dmsTaskCalls[0]).toBe('cutover stop forward');
    expect(fast.weightChanges[0].t).toBeLessThan(300);
    const errored = await run({ name: 'table errored', dms: { tablesErrored: 1 } });
    expect(errored.error).toBe('PreCheckFailed');
    expect(errored.weightChanges).toEqual([]);
  });
});

describe('rehearsal: one execution at a time decides about the writer', () => {
  test('an alarm event while the writer is on the target: the alarm-rollback workflow leaves it to the cutover, which moves the writer back first', async () => {
    const happy = await run({ name: 'timing' });
    const moved = happy.writerChanges[1].t;
    // An operator's PAUSE then RUN erases the switchover marker: the writer guard still keeps the event path off.
    const r = await run({
      name: 'event after the move',
      operator: [{ at: moved + 20, command: 'PAUSE' }, { at: moved + 40, command: 'RUN' }],
      alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: moved + 120 }],
      alarmEvents: [{ at: moved + 120, alarm: 'HealthyHosts' }],
    });
    expect(r.timeline.some((e) => e.actor === 'alarm-rollback' && /while the database writer is moving or moved/.test(e.text))).toBe(true);
    expect(r.weightChanges.filter((c) => c.actor === 'alarm-rollback')).toEqual([]);
    expect(r.writerChanges.map((c) => c.actor)).toEqual(['cutover', 'cutover', 'cutover', 'cutover']);
    expect(writer(r)).toEqual(['FENCED', 'TARGET', 'FENCED', 'SOURCE']);
    expect(r.finalWeights).toEqual({ source: 100, target: 0 });
    expectOneWriterAtEveryMoment(r);
  });

  test('an alarm event before the move: the alarm-rollback workflow stops the cutover and moves traffic back (the writer untouched)', async () => {
    const r = await run({
      name: 'event mid-shift',
      alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 600 + 311 + 153 }],
      alarmEvents: [{ at: 600 + 311 + 153, alarm: 'HealthyHosts' }],
    });
    expect(r.status).toBe('ABORTED');
    expect(r.weightChanges.at(-1)).toMatchObject({ actor: 'alarm-rollback', source: 100, target: 0 });
    expect(r.writerChanges).toEqual([]);
  });

  test.each([
    ['the writer is not on the source (a leftover)', { initialWriter: 'TARGET' }],
    ['the writer is fenced (a leftover)', { initialWriter: 'FENCED' }],
    ['the reverse task runs (a leftover)', { reverseInitialStatus: 'running' }],
    ['the reverse task is missing', { reverseInitialStatus: 'missing' }],
  ])('pre-check: %s → no traffic moves', async (_name, dms) => {
    const r = await run({ name: 'leftover', dms: { initialStatus: 'running', ...dms } });
    expect(r.error).toBe('PreCheckFailed');
    expect(r.weightChanges).toEqual([]);
    expect(r.writerChanges).toEqual([]);
  });
});

describe('rehearsal: a cutover stopped by hand is recovered, the writer first', () => {
  test('stopped while the writes are fenced: the writer back on the source (it never reached the target), then traffic', async () => {
    const happy = await run({ name: 'timing' });
    const fence = happy.writerChanges[0].t;
    const r = await run({ name: 'stopped while fenced', manualStopAt: fence + 30 });
    expect(r.status).toBe('ABORTED');
    expect(r.writerChanges.map((c) => [c.actor, c.value])).toEqual([['cutover', 'FENCED'], ['recovery', 'SOURCE']]);
    expect(r.finalWeights).toEqual({ source: 100, target: 0 });
    expectOneWriterAtEveryMoment(r);
  });

  test('stopped after the writer moved: the recovery workflow moves it back through the reverse task, then traffic', async () => {
    const happy = await run({ name: 'timing' });
    const r = await run({ name: 'stopped after the move', manualStopAt: happy.writerChanges[1].t + 60 });
    expect(r.writerChanges.map((c) => [c.actor, c.value])).toEqual([['cutover', 'FENCED'], ['cutover', 'TARGET'], ['recovery', 'FENCED'], ['recovery', 'SOURCE']]);
    expect(r.weightChanges.at(-1)).toMatchObject({ actor: 'recovery', source: 100, target: 0 });
    expect(r.dmsTaskCalls.at(-1)).toBe('recovery stop reverse');
    expectOneWriterAtEveryMoment(r);
  });
});

test('the first-step approval is asked once the pre-checks passed (after the full load), and the gates are read fresh after it', async () => {
  const gated = Template.fromStack(buildDmsFixture({ approveBeforeFirstStep: true }).stack).toJSON() as any;
  const r = await rehearse({ template: gated, scenario: { name: 'approval after the full load' } });
  expect(r.parameterErrors).toEqual([]);
  expect(r.status).toBe('SUCCEEDED');
  const asked = r.timeline.find((e) => /approval requested: Approval needed: the first traffic shift/.test(e.text))!.t;
  expect(asked).toBeGreaterThanOrEqual(600); // the mock's full load takes 600 s
  const freshGates = r.gateReads.filter((t) => t >= asked);
  expect(freshGates[0]).toBeLessThan(r.weightChanges[0].t);
});

test('the reverse task dies during the bake on the new writer: no success is reported, the writer stays where the data is, loudly', async () => {
  const r = await rehearse({ template, scenario: { name: 'reverse dies', dms: { reverseFailsAfter: 120 } } });
  expect(r.parameterErrors).toEqual([]);
  expect(r.status).toBe('FAILED');
  expect(r.error).toBe('WriterRollbackFailed');
  expect(r.writerChanges.map((c) => c.value)).toEqual(['FENCED', 'TARGET', 'TARGET']);
  expect(r.finalWeights).toEqual({ source: 0, target: 100 });
  expect(r.timeline.some((e) => /ROLLBACK STOPPED: the writer stays on the target/.test(e.text))).toBe(true);
});

test('PostgreSQL: no CDC start time without a replication slot made ahead, so the reverse task starts and runs before the unfence (a longer pause), nothing lost', async () => {
  const pg = Template.fromStack(buildDmsFixture({}, {
    replication: (props) => ({ datacenter: { ...props.datacenter, engine: DatabaseEngine.POSTGRESQL }, aurora: { ...props.aurora, port: 5432 } }),
  }).stack).toJSON() as any;
  const r = await rehearse({ template: pg, scenario: { name: 'postgresql', dms: { initialStatus: 'running' } } });
  expect(r.parameterErrors).toEqual([]);
  expect(r.dataProblems).toEqual([]);
  expect(r.status).toBe('SUCCEEDED');
  expect(r.dmsTaskCalls).toEqual(['cutover stop forward', 'cutover start reverse (start-replication)']);
  const [fence, moved] = r.writerChanges.map((c) => c.t);
  expect(moved).toBeGreaterThan(r.reverseStarts[0].t);
  expect(moved - fence).toBeGreaterThan(45 + 40);
});
