/*
 * What the console makes of a cutover record, without AWS (the record against moto and the console in a terminal:
 * test/system/console/record.test.ts).
 */
import { exitCodeOf } from '../../src/console/cli';
import { RECORD_KEY as CONSOLE_RECORD_KEY, RecordHolder, recordAdvice, RecordState, verdictOf } from '../../src/console/record';
import { RECORD_KEY } from '../../src/migration-orchestrator/state-machine/cutover-record';
import { EXIT } from '../../src/private/exit-codes';

test('the console and the workflows name the same record item', () => {
  expect(CONSOLE_RECORD_KEY).toBe(RECORD_KEY);
});

describe('what the console makes of a record (pure)', () => {
  const holder = (status?: string) => ({ arn: 'arn:aws:states:eu-west-1:111111111111:execution:m:x', name: 'x', workflow: 'cutover' as const, status });
  test.each([
    ['IDLE', undefined, 'idle'],
    ['COMPLETE', holder('SUCCEEDED'), 'complete'],
    ['SHIFTING', holder('RUNNING'), 'held'],
    ['STUCK', holder('RUNNING'), 'held'],
    ['STUCK', holder('FAILED'), 'recoverable'],
    ['SHIFTING', holder('ABORTED'), 'recoverable'],
    ['SWITCHING', holder('TIMED_OUT'), 'recoverable'],
    ['ROLLING_BACK', holder('GONE'), 'recoverable'],
    ['ROLLING_BACK', holder(undefined), 'unknown'],
    ['SHIFTING', undefined, 'unknown'],
    ['PARKED', holder('FAILED'), 'unknown'],
  ] as const)('%s, holder %j: %s', (phase, h, verdict) => {
    expect(verdictOf({ phase, holder: h })).toBe(verdict);
  });

  test('a record held by an execution that ended a moment ago: left to the automatic recovery first, recover named as the fallback', () => {
    const r: RecordState = { table: 't', phase: 'SHIFTING', exists: true, holder: holder('ABORTED'), verdict: 'recoverable', awaitingAutomaticRecovery: true };
    expect(recordAdvice(r, ' --stack S')).toEqual([
      'x ended (ABORTED) holding it: nobody is rolling back; the recovery workflow normally takes it over within seconds of the end',
      'if it has not within a minute: payment-migration recover --stack S',
    ]);
  });

  describe('status\'s exit code after the cutover ended: not "rolled back" while another workflow still decides', () => {
    const by = (workflow: RecordHolder['workflow'], status?: string): RecordHolder => ({ ...holder(status), workflow });
    const record = (phase: string, h: RecordHolder | undefined, awaiting = false): RecordState =>
      ({ table: 't', phase, exists: true, holder: h, verdict: verdictOf({ phase, holder: h }), ...(awaiting ? { awaitingAutomaticRecovery: true } : {}) });
    test.each([
      ['an alarm rollback holds the record', 'rolled-back', record('ROLLING_BACK', by('alarm rollback', 'RUNNING')), EXIT.ROLLBACK_RUNNING],
      ['the recovery holds the record', 'stopped', record('ROLLING_BACK', by('recovery', 'RUNNING')), EXIT.ROLLBACK_RUNNING],
      ['the automatic recovery is about to take it over', 'stopped', record('SHIFTING', by('cutover', 'ABORTED'), true), EXIT.ROLLBACK_RUNNING],
      ['an ended holder past the grace: recover', 'stopped', record('SHIFTING', by('cutover', 'ABORTED')), EXIT.ROLLBACK_FAILED],
      ['held, its holder unreadable: a rollback may still run', 'rolled-back', record('ROLLING_BACK', by('unknown workflow')), EXIT.ROLLBACK_RUNNING],
      ['STUCK, its holder unreadable: nothing runs it', 'rolled-back', record('STUCK', by('cutover')), EXIT.ROLLED_BACK],
      ['nothing holds it', 'rolled-back', record('IDLE', undefined), EXIT.ROLLED_BACK],
      ['a newer start was refused while a cutover runs', 'refused', record('SHIFTING', by('cutover', 'RUNNING')), EXIT.REFUSED],
      ['the cutover itself runs', 'bake', record('SHIFTING', by('cutover', 'RUNNING')), EXIT.OK],
      ['completed', 'succeeded', record('COMPLETE', by('cutover', 'SUCCEEDED')), EXIT.OK],
    ] as const)('%s', (_what, phase, r, code) => {
      expect(exitCodeOf(phase, r)).toBe(code);
    });
  });
});
