import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildDmsFixture } from './dms-fixture';
import { FORWARD, rehearseDms, splits, writer } from './dms-rehearsal-harness';
import { buildFixture, templateOf } from './fixture';
import { CutoverSteps } from '../../src';
import { rehearse } from '../../src/rehearsal/rehearse';

const HOUR = 3600;
const POLL = 10;

describe('bakes of hours, rehearsed on the virtual clock (each a chain of child executions of the Bake state machine)', () => {
  // GIVEN the on-premises path with a 4-hour bake on the new writer (1,440 polls: three Bake executions, 500 + 500 + 440)
  const longMove = Template.fromStack(buildDmsFixture({}, { move: { postMoveBake: Duration.hours(4) } }).stack).toJSON();
  const usual = Template.fromStack(buildDmsFixture().stack).toJSON();

  test('a 4-hour post-move bake: the writer moves, four hours baked, the cutover succeeds; its own history as with 10 minutes', async () => {
    const r = await rehearseDms(longMove, { name: '4-hour post-move bake' });
    expect(r.status).toBe('SUCCEEDED');
    expect(splits(r)).toEqual(FORWARD);
    expect(writer(r)).toEqual(['FENCED', 'TARGET']);
    const moved = r.writerChanges[1].t;
    expect(r.duration - moved).toBeGreaterThanOrEqual(4 * HOUR);
    expect(r.gateReads.filter((t) => t > moved).length).toBeGreaterThanOrEqual(4 * HOUR / POLL - 1);
    // four step bakes (one execution each), then the post-move bake in three
    expect(r.bakeExecutions).toBe(4 + 3);
    const short = await rehearseDms(usual, { name: '10-minute post-move bake' });
    expect(short.status).toBe('SUCCEEDED');
    expect(short.bakeExecutions).toBe(4 + 1);
    // the cutover's own history does not grow with the bake: the same states entered, whatever its length
    expect(r.cutoverStateTransitions).toBe(short.cutoverStateTransitions);
    expect(r.stateTransitions).toBeGreaterThan(short.stateTransitions + 1000);
  });

  test('an alarm 3 hours into the 4-hour bake: seen at the next poll (in the third Bake execution), writer back, then traffic', async () => {
    const moved = (await rehearseDms(longMove, { name: 'timing' })).writerChanges[1].t;
    const onset = moved + 3 * HOUR;
    const r = await rehearseDms(longMove, { name: 'alarm 3 h into the bake', alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: onset }] });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('CutoverRolledBack');
    // the rollback says why, and which bake
    expect(r.cause).toBe('A gating alarm is in ALARM (Writer moved)');
    const seen = r.timeline.find((e) => e.kind === 'gates' && /HealthyHosts.*=ALARM/.test(e.text))!.t;
    expect(seen - onset).toBeLessThanOrEqual(POLL + 1);
    expect(r.bakeExecutions).toBe(4 + 3);
    expect(writer(r)).toEqual(['FENCED', 'TARGET', 'FENCED', 'SOURCE']);
    expect(splits(r)).toEqual([...FORWARD, [100, 0]]);
    expect(r.weightChanges[4].t).toBeGreaterThan(r.writerChanges[3].t);
  });

  test('2-hour step bakes: two steps, each bake two Bake executions, success after four hours; the cutover\'s history as with 5 minutes', async () => {
    const steps = CutoverSteps.of([50, 100]);
    const long = await rehearse({ template: templateOf(buildFixture({ steps, bakeTime: Duration.hours(2) })), scenario: { name: '2-hour bakes' } });
    expect(long.parameterErrors).toEqual([]);
    expect(long.status).toBe('SUCCEEDED');
    expect(splits(long)).toEqual([[50, 50], [0, 100]]);
    expect(long.weightChanges[1].t - long.weightChanges[0].t).toBeGreaterThanOrEqual(2 * HOUR);
    expect(long.switchedOver).toBe(true);
    // 720 polls a bake: 500 + 220; then the 10-minute bake on the new writer
    expect(long.bakeExecutions).toBe(2 * 2 + 1);
    const short = await rehearse({ template: templateOf(buildFixture({ steps })), scenario: { name: '5-minute bakes' } });
    expect(short.status).toBe('SUCCEEDED');
    expect(long.cutoverStateTransitions).toBe(short.cutoverStateTransitions);
  });

  test('the version taken and the pause budget cross the Bake executions of a long bake, and come back to the cutover', async () => {
    const template = templateOf(buildFixture({ steps: CutoverSteps.of([50, 100]), bakeTime: Duration.hours(2) }));
    // step 1: a 300-second PAUSE in its first Bake execution (30 of the 90 polls of the budget), a SKIP_BAKE in its
    // second (after 500 polls); step 2: a PAUSE that is never lifted
    const r = await rehearse({
      template,
      scenario: {
        name: 'pause, skip, pause',
        operator: [{ at: 600, command: 'PAUSE' }, { at: 900, command: 'RUN' }, { at: 6000, command: 'SKIP_BAKE' }, { at: 6600, command: 'PAUSE' }],
      },
    });
    // the skip ended step 1 at the next poll; taken once: step 2 did not end at once (its version came back)
    expect(r.weightChanges[1].t).toBeGreaterThan(6000);
    expect(r.weightChanges[1].t).toBeLessThan(6000 + POLL + 5);
    // the budget left (60 polls) came back too: the second pause rolls back after 600 s, not a fresh 900
    expect(r.status).toBe('FAILED');
    expect(r.cause).toMatch(/^The cutover was paused longer than its pause budget \(90 polls, in Step 2 \(100%\)\)/);
    const rolledBack = r.weightChanges[2];
    expect(rolledBack).toMatchObject({ source: 100, target: 0 });
    expect(rolledBack.t - 6600).toBeGreaterThan(600 - 2 * POLL);
    expect(rolledBack.t - 6600).toBeLessThan(600 + 5 * POLL);
  });
});
