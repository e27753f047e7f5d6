import { readFileSync } from 'fs';
import { join } from 'path';
import { simulationTemplates } from './fixtures';
import { simulate } from '../../src/rehearsal/simulation';
import { campaign } from '../../src/rehearsal/simulation-campaign';

/*
 * The deterministic simulation of the real synthesized workflows (src/rehearsal/simulation.ts): the cutover, the
 * alarm rollback and the recovery run concurrently on aws-local-stepfunctions; a seeded scheduler picks the next
 * pending call, timer or event, and injects faults, operator actions and forced interleavings. The test command runs
 * a bounded campaign per path; `npx projen simulate` runs longer ones and `npx projen bench` prints the figures.
 */
const templates = simulationTemplates();
/** The same constructs synthesized before the one-decider redesign (state machines only), to prove the harness finds what it fixed. */
const before = (path: 'aurora' | 'dms') => JSON.parse(readFileSync(join(__dirname, 'before', `${path}.json`), 'utf8'));
const SEEDS = Number(process.env.SIMULATION_SEEDS ?? 150);
/** RDS refuses every call from the switchover on (the switch-back fails), until the operator steps in. */
const OUTAGE = { service: 'Rds', from: 95, until: 2000 };

describe('the cutover under interleavings, faults and operators (seeded simulation)', () => {
  test.each([['aurora', SEEDS], ['dms', SEEDS], ['dms-lb', Math.ceil(SEEDS / 2)]] as const)('%s path: no invariant broken over a campaign of %d seeds', async (path, seeds) => {
    const r = await campaign(templates[path], 1, seeds);
    expect(r.failing).toEqual([]);
    // the campaign reached both endings and exercised every actor and fault
    expect(r.endings.COMPLETE).toBeGreaterThan(seeds / 5);
    expect(r.endings.IDLE).toBeGreaterThan(seeds / 5);
    for (const what of ['start alarm-rollback', 'start recovery', 'second start', 'throttled', 'answer lost', 'duplicated event', 'forced interleaving', 'operator ABORT', 'operator stop-execution']) {
      expect(r.mix[what]).toBeGreaterThan(0);
    }
  }, 300_000);

  test('a seed replays exactly: the same trace twice', async () => {
    const a = await simulate({ template: templates.dms, seed: 42, fullTrace: true });
    const b = await simulate({ template: templates.dms, seed: 42, fullTrace: true });
    expect(a.trace.length).toBeGreaterThan(20);
    expect(a.trace).toEqual(b.trace);
    expect(a.mix).toEqual(b.mix);
  }, 60_000);

  test('a rollback that cannot finish (RDS refuses the switch-back) leaves the record STUCK; the console\'s recover ends it, and the next cutover starts', async () => {
    let reached = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const r = await simulate({ template: templates.aurora, seed, throttle: 0, lostAnswer: 0, horizon: 1, outage: OUTAGE });
      expect(r.violations).toEqual([]);
      if (!r.mix['outage Rds']) continue;
      reached++;
      expect(r.mix['operator recover']).toBe(1);
      expect(r.mix['next cutover starts']).toBe(1);
    }
    expect(reached).toBeGreaterThanOrEqual(3);
  }, 120_000);
});

describe('the same harness on the workflows before the one-decider redesign finds each race (these seeds fail there)', () => {
  const find = async (path: 'aurora' | 'dms', seed: number, options = {}) => (await simulate({ template: before(path), seed, ...options })).violations.join('\n');

  // Each race: the seeds that find it on the workflows before the redesign, and what it is; the same seeds are clean now.
  const races: Array<[string, Array<['aurora' | 'dms', number, RegExp]>]> = [
    ['two starts in the same second both pass the ListExecutions lock: one reports success while the other moves the writer back',
      [['aurora', 17, /"Cutover complete" sent while weights are 0\/100, writer moving/]]],
    ['two deciders: the writer ends on the target while traffic is sent back to the source',
      [['aurora', 15, /the writer is on the target while the source has weight/], ['dms', 55, /the writer is on the target while the source has weight/]]],
    ['an operator\'s ABORT is overwritten by the workflow, and the cutover completes',
      [['aurora', 498, /an ABORT was lost/], ['dms', 64, /an ABORT was lost/]]],
    ['the way back loses writes: the reverse task is started from after the first write Aurora took',
      [['dms', 226, /the reverse task reads Aurora from .* after Aurora took writes/]]],
    ['a stray write on the old side: the writer moves while a fleet (AWS or legacy) still routes by the old value — the fence was assumed after applicationRefresh, not acknowledged',
      [['dms', 13, /Aurora becomes the writer while fleet aws still writes on premises/], ['dms', 106, /Aurora becomes the writer while fleet datacenter still writes on premises/]]],
  ];

  test.each(races)('%s', async (_name, seeds) => {
    for (const [path, seed, race] of seeds) expect(await find(path, seed)).toMatch(race);
    for (const [path, seed] of seeds) expect((await simulate({ template: templates[path], seed })).violations).toEqual([]);
  }, 60_000);

  test('stuck after a failed rollback: the SWITCHOVER marker stays, and no cutover can start again', async () => {
    const found: string[] = [];
    for (let seed = 1; seed <= 12; seed++) found.push(await find('aurora', seed, { throttle: 0, lostAnswer: 0, horizon: 1, outage: OUTAGE }));
    expect(found.filter((v) => /the next cutover cannot start: it ended FAILED \(PreCheckFailed\)/.test(v)).length).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
