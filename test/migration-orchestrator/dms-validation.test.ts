import { Template } from 'aws-cdk-lib/assertions';
import { buildDmsFixture } from './dms-fixture';
import { FORWARD, rehearseDms, splits, writer } from './dms-rehearsal-harness';
import { RehearsalResult, Scenario } from '../../src/rehearsal/scenario';

// The DMS gate's validation rule, rehearsed on the synthesized on-premises cutover: every table (every page of
// DescribeTableStatistics) validated before any traffic moves, and again right before the writer moves.
const template = Template.fromStack(buildDmsFixture().stack).toJSON() as any;
const run = (scenario: Scenario): Promise<RehearsalResult> => rehearseDms(template, scenario);

/** The forward task already runs, its full load done: the pre-check's first alarm read is at about 120 s. */
const RUNNING = { initialStatus: 'running' } as const;

describe('DMS gate: every table validated before any traffic moves', () => {
  test.each(['Mismatched records', 'Suspended records', 'No primary key', 'Table error', 'Error', 'Not enabled'])(
    'table 150 of 150 (the second page of table statistics) in "%s": the pre-check fails, no traffic moved',
    async (state) => {
      // GIVEN a task with two pages of tables, only the last table bad
      const dms = { ...RUNNING, tableCount: 150, tableValidation: [{ table: 150, state }] };
      // WHEN
      const r = await run({ name: `table 150 ${state}`, dms });
      // THEN
      expect(r.status).toBe('FAILED');
      expect(r.error).toBe('PreCheckFailed');
      expect(r.cause).toMatch(/validation.*no traffic was moved/);
      expect(r.weightChanges).toEqual([]);
      expect(r.writerChanges).toEqual([]);
    },
  );

  test.each(['Pending records', 'Pending validation', 'Preparing table', 'Pending revalidation'])(
    'a table in "%s" is waited for: traffic moves only once it is validated',
    async (state) => {
      // GIVEN table 2 pending until 600 s (the pre-check reads the tables every 2 minutes once the alarms are OK)
      const dms = { ...RUNNING, tableValidation: [{ table: 2, state, until: 600 }] };
      // WHEN
      const r = await run({ name: `pending ${state}`, dms });
      // THEN
      expect(r.status).toBe('SUCCEEDED');
      expect(splits(r)).toEqual(FORWARD);
      expect(r.weightChanges[0].t).toBeGreaterThanOrEqual(600);
      expect(writer(r)).toEqual(['FENCED', 'TARGET']);
    },
  );

  test('a table still pending when the sync wait (30 minutes) is spent: the pre-check fails, no traffic moved', async () => {
    // GIVEN table 3 never validated
    const r = await run({ name: 'pending forever', dms: { ...RUNNING, tableValidation: [{ table: 3, state: 'Pending records' }] } });
    // THEN it waited the whole sync wait, then refused
    expect(r.error).toBe('PreCheckFailed');
    expect(r.cause).toMatch(/not validated .*within 30 minutes: no traffic was moved/);
    expect(r.duration).toBeGreaterThanOrEqual(30 * 60);
    expect(r.weightChanges).toEqual([]);
    expect(r.writerChanges).toEqual([]);
  });

  test('a table pending on the second page: re-read every poll until the pre-check\'s page budget (10 + 1 a poll) is spent, then refused', async () => {
    // GIVEN table 150 of 150 never validated: every scan reads two pages
    const r = await run({ name: 'pending on page 2', dms: { ...RUNNING, tableCount: 150, tableValidation: [{ table: 150, state: 'Pending records' }] } });
    // THEN 25 pages: 12 scans of two pages (about 24 minutes of polls), the 13th cannot read its second page
    expect(r.error).toBe('PreCheckFailed');
    expect(r.cause).toMatch(/still not validated when the pre-check had read its 25 pages of table statistics .*: no traffic was moved/);
    expect(r.duration).toBeGreaterThanOrEqual(20 * 60);
    expect(r.weightChanges).toEqual([]);
    expect(r.writerChanges).toEqual([]);
  });

  test('validation clean on every page of a 250-table task: the cutover runs to the end', async () => {
    const r = await run({ name: '250 tables', dms: { ...RUNNING, tableCount: 250 } });
    expect(r.status).toBe('SUCCEEDED');
    expect(writer(r)).toEqual(['FENCED', 'TARGET']);
  });
});

describe('DMS writer move: every table validated again right before the fence', () => {
  test.each([
    ['fails validation', 'Mismatched records', 1],
    ['fails validation on the second page', 'Mismatched records', 150],
    ['is suspended', 'Suspended records', 150],
    ['is pending again', 'Pending revalidation', 150],
  ])('a table that %s after the traffic steps: the move is refused before the fence, traffic back, the writer never left the source', async (_name, state, table) => {
    // GIVEN the table turns bad during the last bake (100 % on the target, the writer still on premises)
    const happy = await run({ name: 'timing', dms: { ...RUNNING, tableCount: 150 } });
    const from = happy.weightChanges[3].t + 60;
    expect(from).toBeLessThan(happy.writerChanges[0].t);
    // WHEN
    const r = await run({ name: `turns bad: ${state}`, dms: { ...RUNNING, tableCount: 150, tableValidation: [{ table, state, from }] } });
    // THEN no fence, no task stopped; the cutover's rollback moved traffic back
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('CutoverRolledBack');
    expect(r.cause).toMatch(/before the fence/);
    expect(r.writerChanges).toEqual([]);
    expect(r.dmsTaskCalls).toEqual([]);
    expect(splits(r)).toEqual([...FORWARD, [100, 0]]);
  });
});

describe('DMS replication without row validation (DmsReplication `validation: false`)', () => {
  // Every table then says "Not enabled": it passes the gate and the writer move alike (the move finds the gate's rule).
  const unvalidated = Template.fromStack(buildDmsFixture({}, { replication: () => ({ validation: false }) }).stack).toJSON() as any;
  const notEnabled = (count: number, extra: Array<{ table: number; state: string; from?: number }> = []) =>
    [...Array.from({ length: count }, (_, i) => ({ table: i + 1, state: 'Not enabled' })), ...extra];

  test('every table "Not enabled": traffic moves and the writer moves', async () => {
    const r = await rehearseDms(unvalidated, { name: 'not enabled', dms: { ...RUNNING, tableCount: 150, tableValidation: notEnabled(150) } });
    expect(r.status).toBe('SUCCEEDED');
    expect(writer(r)).toEqual(['FENCED', 'TARGET']);
  });

  test('a table found mismatched anyway still stops the cutover before any traffic moves', async () => {
    const r = await rehearseDms(unvalidated, { name: 'mismatched', dms: { ...RUNNING, tableCount: 150, tableValidation: notEnabled(150, [{ table: 150, state: 'Mismatched records' }]) } });
    expect(r.error).toBe('PreCheckFailed');
    expect(r.weightChanges).toEqual([]);
  });
});
