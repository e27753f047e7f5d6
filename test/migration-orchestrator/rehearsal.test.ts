import { Duration } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { buildFixture, templateOf } from './fixture';
import { CutoverGate, CutoverSteps, InsufficientDataPolicy } from '../../src';
import { rehearse } from '../../src/rehearsal/rehearse';
import { RehearsalResult, Scenario } from '../../src/rehearsal/scenario';
import { formatTimeline } from '../../src/rehearsal/timeline';

// The seed S1 cutover, synthesized once: 25/50/75/100 % with 5-minute bakes, gates polled every 10 s,
// Aurora switchover at the end, event-driven rollback on.
const template = templateOf(buildFixture());
const BAKE = 300;
const POLL = 10;

async function run(scenario: Scenario, t = template): Promise<RehearsalResult> {
  const result = await rehearse({ template: t, scenario });
  if (process.env.REHEARSAL_VERBOSE) console.log(formatTimeline(result));
  // Every request of every scenario uses member names the real APIs accept (Step Functions SDK casing).
  expect(result.parameterErrors).toEqual([]);
  // Every execution that ended through its own states is left alone by the recovery workflow.
  if (scenario.manualStopAt === undefined) expect(result.weightChanges.filter((c) => c.actor === 'recovery')).toEqual([]);
  expectWriterBeforeTraffic(result);
  return result;
}

/**
 * Writer before traffic, read off the timeline: once the target cluster writes, traffic moves back to the source
 * only after the source cluster writes again.
 */
function expectWriterBeforeTraffic(r: RehearsalResult) {
  const writerAt = (t: number) => [...r.databaseWriterChanges].reverse().find((c) => c.t <= t)?.writer ?? 'source';
  r.weightChanges.forEach((w, i) => {
    const before = i === 0 ? 0 : r.weightChanges[i - 1].target;
    if (w.target < before) expect(writerAt(w.t)).toBe('source');
  });
}

const splits = (r: RehearsalResult) => r.weightChanges.map((c) => [c.source, c.target]);
/** The virtual time the bake of step `n` (1-based) is half done, on this fixture's clock. */
const midBake = (n: number) => 6 + (n - 1) * 311 + BAKE / 2;

describe('rehearsal of the synthesized cutover (seed S1)', () => {
  test('happy path: 25 → 50 → 75 → 100, one batch per step carrying both record names, switchover done', async () => {
    const r = await run({ name: 'happy path' });
    expect(r.status).toBe('SUCCEEDED');
    expect(splits(r)).toEqual([[75, 25], [50, 50], [25, 75], [0, 100]]);
    for (const c of r.weightChanges) expect(c.names).toEqual(['api.pay.example.com', 'checkout.pay.example.com']);
    expect(r.finalWeights).toEqual({ source: 0, target: 100 });
    expect(r.switchedOver).toBe(true);
    // no hidden sleeps: the four bakes are (almost) all the time a cutover takes before the switchover
    const beforeSwitchover = r.timeline.find((e) => e.text.startsWith('SwitchoverGlobalCluster'))!.t;
    expect(beforeSwitchover / (4 * BAKE)).toBeLessThanOrEqual(1.05);
  });

  test.each([1, 2, 3, 4])('an alarm during the bake of step %i rolls back to 100/0 at the next poll', async (step) => {
    const onset = midBake(step);
    const r = await run({ name: `alarm in bake ${step}`, alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: onset }] });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('CutoverRolledBack');
    expect(r.cause).toMatch(/gating alarm is in ALARM/);
    // the verdict of the bake's child execution, with the bake it came from
    expect(r.cause).toBe(`A gating alarm is in ALARM (Step ${step} (${step * 25}%))`);
    const forward = [[75, 25], [50, 50], [25, 75], [0, 100]].slice(0, step);
    expect(splits(r)).toEqual([...forward, [100, 0]]);
    expect(r.finalWeights).toEqual({ source: 100, target: 0 });
    expect(r.switchedOver).toBe(false);
    expect(r.rollbackLatency).toBeLessThanOrEqual(POLL + 1);
  });

  test('the event path rolls back within seconds, through the alarm-rollback workflow, and stops the cutover', async () => {
    const onset = midBake(2) + 3;
    const r = await run({
      name: 'alarm event',
      alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: onset }],
      alarmEvents: [{ at: onset, alarm: 'TargetHealthyHosts' }],
    });
    expect(r.status).toBe('ABORTED');
    expect(splits(r)).toEqual([[75, 25], [50, 50], [100, 0]]);
    expect(r.weightChanges[2].actor).toBe('alarm-rollback');
    expect(r.rollbackLatency).toBeLessThanOrEqual(5);
  });

  /** A 3-second window that falls strictly between two gate reads of step 2's bake, on this fixture's clock. */
  async function gapBetweenPolls(t = template): Promise<number> {
    const reads = (await run({ name: 'sampling' }, t)).gateReads;
    const i = reads.findIndex((x) => x > midBake(2));
    expect(reads[i + 1] - reads[i]).toBeGreaterThan(POLL - 1);
    return reads[i] + 2;
  }

  test('an alarm that flaps between two polls is still caught by the event path', async () => {
    const onset = await gapBetweenPolls();
    const r = await run({
      name: 'alarm between polls',
      alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: onset, until: onset + 3 }],
      alarmEvents: [{ at: onset, alarm: 'TargetHealthyHosts' }],
    });
    expect(splits(r)).toEqual([[75, 25], [50, 50], [100, 0]]);
    expect(r.rollbackLatency).toBeLessThanOrEqual(5);
  });

  test('without the event path, the same flap between polls goes unseen (why the event path exists)', async () => {
    const pollOnly = templateOf(buildFixture({ eventDrivenRollback: false }));
    const onset = await gapBetweenPolls(pollOnly);
    const r = await run({ name: 'flap, poll only', alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: onset, until: onset + 3 }] }, pollOnly);
    expect(r.status).toBe('SUCCEEDED');
  });

  test('an alarm event after the cutover completed does nothing', async () => {
    const r = await run({ name: 'alarm after completion', alarmEvents: [{ at: 5000, alarm: 'TargetHealthyHosts' }] });
    expect(r.status).toBe('SUCCEEDED');
    expect(splits(r)).toEqual([[75, 25], [50, 50], [25, 75], [0, 100]]);
    expect(r.timeline.some((e) => e.actor === 'alarm-rollback' && /succeeded/.test(e.text))).toBe(true);
    expect(r.finalWeights).toEqual({ source: 0, target: 100 });
  });

  test('a replication-lag spike during a bake rolls back', async () => {
    const r = await run({ name: 'lag spike', alarms: [{ alarm: 'ReplicationLag', state: 'ALARM', from: midBake(3) }] });
    expect(splits(r)).toEqual([[75, 25], [50, 50], [25, 75], [100, 0]]);
  });

  test.each<[string, Scenario, RegExp]>([
    ['target database not available', { name: 'db not available', databaseStatus: 'backing-up' }, /PreCheckFailed/],
    ['target not a member of the global cluster', { name: 'not a member', databaseIsMember: false }, /PreCheckFailed/],
    ['a gating alarm already in ALARM', { name: 'alarm at start', alarms: [{ alarm: 'ReplicationLag', state: 'ALARM', from: 0 }] }, /GateAlarm/],
    ['a gating alarm with INSUFFICIENT_DATA', { name: 'insufficient data', alarms: [{ alarm: 'HealthyHosts', state: 'INSUFFICIENT_DATA', from: 0 }] }, /GateInsufficientData/],
    ['a gating alarm deleted', { name: 'alarm missing', missingAlarms: ['HealthyHosts'] }, /GateAlarmMissing/],
    ['another cutover already running', { name: 'second start', otherRunningCutovers: 1 }, /CutoverAlreadyRunning/],
  ])('pre-check failure (%s): the execution fails and no weight ever changes', async (_n, scenario, error) => {
    const r = await run(scenario);
    expect(r.status).toBe('FAILED');
    expect(r.error).toMatch(error);
    expect(r.weightChanges).toEqual([]);
    expect(r.finalWeights).toEqual({ source: 100, target: 0 });
  });

  test('INSUFFICIENT_DATA during bakes is tolerated with BLOCK_START_ONLY', async () => {
    const tolerant = templateOf(buildFixture({ insufficientData: InsufficientDataPolicy.BLOCK_START_ONLY }));
    const r = await run({ name: 'no data in bake', alarms: [{ alarm: 'HealthyHosts', state: 'INSUFFICIENT_DATA', from: midBake(2) }] }, tolerant);
    expect(r.status).toBe('SUCCEEDED');
    const blocking = await run({ name: 'no data in bake, blocking', alarms: [{ alarm: 'HealthyHosts', state: 'INSUFFICIENT_DATA', from: midBake(2) }] });
    expect(splits(blocking)).toEqual([[75, 25], [50, 50], [100, 0]]);
  });

  test('Route 53 throttling is retried: the same weights, in the same order', async () => {
    const r = await run({ name: 'throttling', route53Throttles: 3 });
    expect(r.status).toBe('SUCCEEDED');
    expect(splits(r)).toEqual([[75, 25], [50, 50], [25, 75], [0, 100]]);
    expect(r.timeline.filter((e) => /throttles/.test(e.text))).toHaveLength(3);
  });

  test('INSYNC that never comes: the step times out and the rollback (which does go INSYNC) restores the source', async () => {
    const r = await run({ name: 'no INSYNC', stuckChanges: [2] });
    expect(r.status).toBe('FAILED');
    expect(r.cause).toMatch(/not INSYNC/);
    expect(splits(r)).toEqual([[75, 25], [50, 50], [100, 0]]);
  });

  test('a failed switchover rolls traffic back; the database stays where it was', async () => {
    const r = await run({ name: 'switchover fails', switchover: 'fails' });
    expect(r.status).toBe('FAILED');
    expect(r.cause).toMatch(/not in a valid state for switchover/);
    expect(splits(r)).toEqual([[75, 25], [50, 50], [25, 75], [0, 100], [100, 0]]);
    expect(r.switchedOver).toBe(false);
  });

  test('a switchover that never completes times out; where the writer ends is unknown, so traffic stays and a human decides, loudly', async () => {
    const r = await run({ name: 'switchover hangs', switchover: 'never' });
    expect(r.error).toBe('SwitchBackFailed');
    expect(r.timeline.some((e) => /did not become the writer in time/.test(e.text) || /SWITCH-BACK FAILED/.test(e.text))).toBe(true);
    expect(r.finalWeights).toEqual({ source: 0, target: 100 });
  });

  test('operator abort rolls back at the next poll', async () => {
    const r = await run({ name: 'operator abort', operator: [{ at: midBake(2), command: 'ABORT' }] });
    expect(r.cause).toMatch(/operator set the control parameter to ABORT/);
    expect(splits(r)).toEqual([[75, 25], [50, 50], [100, 0]]);
  });

  test('a leftover command in the control parameter stops the start, no traffic moved', async () => {
    const r = await run({ name: 'leftover ABORT', initialControl: 'ABORT' });
    expect(r.error).toBe('PreCheckFailed');
    expect(r.cause).toMatch(/control parameter is not RUN/);
    expect(r.weightChanges).toEqual([]);
  });

  test('a pause longer than the pause budget rolls back instead of running the execution out of history', async () => {
    const r = await run({ name: 'paused forever', operator: [{ at: 100, command: 'PAUSE' }] });
    expect(r.cause).toMatch(/paused longer than its pause budget/);
    expect(splits(r)).toEqual([[75, 25], [100, 0]]);
    // The workflows never write the operator's parameter (an operator's later word is never erased); the record is
    // released, so the next cutover can start once an operator resumes.
    expect(r.timeline.some((e) => /control parameter reset/.test(e.text) && e.actor !== 'operator')).toBe(false);
    expect(r.timeline.some((e) => /Rollback: release the record: record ROLLING_BACK → IDLE/.test(e.text))).toBe(true);
  });

  test('an alarm while the database switchover runs is left to the operator: traffic is not moved under a moving writer', async () => {
    const happy = await run({ name: 'timing' });
    const start = happy.timeline.find((e) => e.text.startsWith('SwitchoverGlobalCluster'))!.t;
    const r = await run({
      name: 'lag alarm during switchover',
      alarms: [{ alarm: 'ReplicationLag', state: 'ALARM', from: start + 10 }],
      alarmEvents: [{ at: start + 10, alarm: 'DatabaseReplicationLagAlarm' }],
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.switchedOver).toBe(true);
    expect(r.finalWeights).toEqual({ source: 0, target: 100 });
    expect(r.timeline.some((e) => e.actor === 'alarm-rollback' && /ALARM while the database writer is moving/.test(e.text))).toBe(true);
  });

  test('pause holds the step (gates still watched) and RUN resumes; skip ends a bake early', async () => {
    const paused = await run({ name: 'pause', operator: [{ at: 100, command: 'PAUSE' }, { at: 1000, command: 'RUN' }] });
    expect(paused.status).toBe('SUCCEEDED');
    expect(paused.weightChanges[1].t).toBeGreaterThan(1000);
    const pausedAlarm = await run({ name: 'alarm while paused', operator: [{ at: 100, command: 'PAUSE' }], alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 500 }] });
    expect(splits(pausedAlarm)).toEqual([[75, 25], [100, 0]]);
    const skipped = await run({ name: 'skip', operator: [{ at: 30, command: 'SKIP_BAKE' }] });
    expect(skipped.weightChanges[1].t).toBeLessThan(60);
    // Taken once, by version: the value stays SKIP_BAKE, the next bakes run in full, and nothing overwrote it.
    expect(skipped.timeline.some((e) => /control parameter reset/.test(e.text))).toBe(false);
    expect(skipped.weightChanges[2].t - skipped.weightChanges[1].t).toBeGreaterThanOrEqual(BAKE);
  });

  test('approval rejected before the first step: no traffic moved', async () => {
    const gated = templateOf(buildFixture({ approveBeforeFirstStep: true, approveBeforeSwitchover: true }));
    const rejected = await run({ name: 'rejected', approvals: 'reject' }, gated);
    expect(rejected.error).toBe('NotApproved');
    expect(rejected.weightChanges).toEqual([]);
    const approved = await run({ name: 'approved' }, gated);
    expect(approved.status).toBe('SUCCEEDED');
  });

  test('the timeline reads as a story', async () => {
    const r = await run({ name: 'story', alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: midBake(1) }] });
    const text = formatTimeline(r);
    expect(text).toMatch(/ChangeResourceRecordSets: source 75 \/ target 25 on 2 record name\(s\) in one batch/);
    expect(text).toMatch(/HealthyHosts.*=ALARM/);
    expect(text).toMatch(/weights \(source\/target.*100\/0 → 75\/25 → 100\/0/);
    expect(text).toMatch(/alarm → rollback change \d+(\.\d)? s/);
  });

  test('a healthy-targets gate: too few healthy targets stops the start, enough lets it run', async () => {
    const targetGroup = { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/target/1' } as elbv2.ITargetGroup;
    const withTargets = templateOf(buildFixture({}, {
      switchover: false,
      gates: ({ healthyHosts }) => [CutoverGate.alarm(healthyHosts), CutoverGate.healthyTargets(targetGroup, 3)],
    }));
    const few = await run({ name: 'two targets', healthyTargets: 2 }, withTargets);
    expect(few.cause).toMatch(/fewer than 3 targets, or not all of them healthy/);
    expect(few.weightChanges).toEqual([]);
    const oneBad = await run({ name: 'five healthy, one unhealthy', healthyTargets: 5, unhealthyTargets: 1 }, withTargets);
    expect(oneBad.error).toBe('PreCheckFailed');
    const all = await run({ name: 'six of six healthy', healthyTargets: 6 }, withTargets);
    expect(all.status).toBe('SUCCEEDED');
  });

  test('faster bakes, same shape: canary steps and a 1-minute bake', async () => {
    // a rehearsal: the 1-minute bake is shorter than the fixture's 2-minute alarm, on purpose
    const fast = { steps: CutoverSteps.canary(5), bakeTime: Duration.minutes(1), allowBakeShorterThanAlarms: true };
    const canary = templateOf(buildFixture(fast, { switchover: false }));
    const r = await run({ name: 'canary' }, canary);
    expect(splits(r)).toEqual([[95, 5], [0, 100]]);
    expect(r.switchedOver).toBe(false);
  });
});

describe('the bake on the new writer (S1): switch-back before traffic', () => {
  // The switchover starts after the four bakes; it takes 60 s in the mock, then the 10-minute bake on the new writer.
  const switchedAt = async () => (await run({ name: 'timing' })).databaseWriterChanges[0].t;

  test('happy path: the switchover, then the bake on the new writer with the gates polled, then success', async () => {
    const r = await run({ name: 'bake after switchover' });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.databaseWriterChanges.map((c) => c.writer)).toEqual(['target']);
    const moved = r.databaseWriterChanges[0].t;
    expect(r.gateReads.filter((t) => t > moved).length).toBeGreaterThanOrEqual(600 / POLL - 1);
    expect(r.duration - moved).toBeGreaterThanOrEqual(600);
  });

  test('an alarm in the bake after the switchover: the database switches back (planned, RPO 0), then traffic back', async () => {
    const moved = await switchedAt();
    const r = await run({ name: 'alarm after switchover', alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: moved + 120 }] });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('CutoverRolledBack');
    expect(r.databaseWriterChanges.map((c) => c.writer)).toEqual(['target', 'source']);
    expect(splits(r)).toEqual([[75, 25], [50, 50], [25, 75], [0, 100], [100, 0]]);
    // the source writes again before the first weight moves back
    expect(r.databaseWriterChanges[1].t).toBeLessThan(r.weightChanges[4].t);
    expect(r.timeline.some((e) => /SwitchoverGlobalCluster back to the source cluster started/.test(e.text))).toBe(true);
    expect(r.notifications.map((n) => n.subject)).toEqual(expect.arrayContaining([
      'Switching the database back to the source region', 'Database switched back: the source region writes again', 'Cutover rolled back',
    ]));
  });

  test('the replication-lag alarm of the new primary is not baked on (it has no lag once it writes)', async () => {
    const moved = await switchedAt();
    const r = await run({ name: 'lag alarm after switchover', alarms: [{ alarm: 'ReplicationLag', state: 'ALARM', from: moved + 30 }] });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.databaseWriterChanges.map((c) => c.writer)).toEqual(['target']);
  });

  test.each([['fails' as const], ['never' as const]])(
    'a switch-back that %s: loud, the writer and the traffic stay in the target region', async (how) => {
      const moved = await switchedAt();
      const r = await run({ name: `switch-back ${how}`, switchBack: how, alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: moved + 120 }] });
      expect(r.status).toBe('FAILED');
      expect(r.error).toBe('SwitchBackFailed');
      expect(r.databaseWriterChanges.map((c) => c.writer)).toEqual(['target']);
      expect(r.finalWeights).toEqual({ source: 0, target: 100 });
      expect(r.notifications.some((n) => /SWITCH-BACK FAILED: the writer and the traffic stay in the target region/.test(n.subject))).toBe(true);
    });

  test('an alarm event in the bake after the switchover: the alarm-rollback workflow leaves it to the cutover, which switches back first', async () => {
    const moved = await switchedAt();
    // an operator's PAUSE then RUN erases the switchover marker: the global-cluster guard still keeps the event path off
    const r = await run({
      name: 'event after switchover',
      operator: [{ at: moved + 20, command: 'PAUSE' }, { at: moved + 40, command: 'RUN' }],
      alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: moved + 120 }],
      alarmEvents: [{ at: moved + 120, alarm: 'TargetHealthyHosts' }],
    });
    expect(r.weightChanges.filter((c) => c.actor === 'alarm-rollback')).toEqual([]);
    expect(r.databaseWriterChanges.map((c) => c.writer)).toEqual(['target', 'source']);
    expect(r.finalWeights).toEqual({ source: 100, target: 0 });
  });

  test('stopped by hand after the switchover: the recovery workflow switches the database back, then traffic, and says so', async () => {
    const moved = await switchedAt();
    const r = await run({ name: 'stopped after switchover', manualStopAt: moved + 60 });
    expect(r.status).toBe('ABORTED');
    expect(r.databaseWriterChanges.map((c) => c.writer)).toEqual(['target', 'source']);
    expect(r.weightChanges.at(-1)).toMatchObject({ actor: 'recovery', source: 100, target: 0 });
    const told = r.notifications.filter((n) => n.actor === 'recovery').map((n) => n.subject);
    expect(told).toEqual(expect.arrayContaining(['Switching the database back to the source region', 'Database switched back: the source region writes again', 'Cutover rolled back']));
  });

  test('stopped by hand after the switchover, and the switch-back fails: traffic stays with the writer, a human decides', async () => {
    const moved = await switchedAt();
    const r = await run({ name: 'stopped, switch-back fails', manualStopAt: moved + 60, switchBack: 'fails' });
    expect(r.databaseWriterChanges.map((c) => c.writer)).toEqual(['target']);
    expect(r.finalWeights).toEqual({ source: 0, target: 100 });
    expect(r.notifications.some((n) => n.actor === 'recovery' && /SWITCH-BACK FAILED/.test(n.subject))).toBe(true);
    expect(r.notifications.some((n) => n.actor === 'recovery' && n.subject === 'Cutover rolled back')).toBe(false);
  });
});

describe('recovery of a cutover that ended without its rollback', () => {
  test('stopped by hand during step 2: the recovery workflow puts traffic back on the source', async () => {
    const r = await run({ name: 'manual stop', manualStopAt: midBake(2) });
    expect(r.status).toBe('ABORTED');
    expect(splits(r)).toEqual([[75, 25], [50, 50], [100, 0]]);
    expect(r.weightChanges.at(-1)!.actor).toBe('recovery');
    expect(r.finalWeights).toEqual({ source: 100, target: 0 });
  });

  test('stopped by the alarm-rollback workflow: the recovery workflow leaves it alone (it rolled back itself)', async () => {
    const onset = midBake(2) + 3;
    const r = await run({ name: 'alarm stop', alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: onset }], alarmEvents: [{ at: onset, alarm: 'TargetHealthyHosts' }] });
    expect(r.status).toBe('ABORTED');
    expect(r.weightChanges.filter((c) => c.actor === 'recovery')).toEqual([]);
    expect(r.timeline.some((e) => e.actor === 'recovery' && /succeeded/.test(e.text))).toBe(true);
  });
});
