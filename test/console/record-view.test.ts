/*
 * What the console makes of a cutover record, without AWS (the record against moto and the console in a terminal:
 * test/system/console/record.test.ts).
 */
import { RECORD_KEY as CONSOLE_RECORD_KEY, recordAdvice, RecordState, verdictOf } from '../../src/console/record';
import { RECORD_KEY } from '../../src/migration-orchestrator/state-machine/cutover-record';

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
});
