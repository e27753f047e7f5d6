import { observePopulation } from '../../src/rehearsal/client-population';
import { WeightChange } from '../../src/rehearsal/scenario';

/** Four steps 25/50/75/100 at 0, 300, 600, 900 s, each in effect `lag` seconds after it was issued. */
const steps = (via: WeightChange['via'], lag: number): WeightChange[] =>
  [25, 50, 75, 100].map((target, i) => ({ t: i * 300, actor: 'cutover', source: 100 - target, target, names: [], via, inEffectAt: i * 300 + lag }));

describe('a population of clients replaying the weight changes', () => {
  test('load balancer: each request is weighed, so every step is seen within 2 pp and nobody reaches the old side after 100 %', () => {
    const r = observePopulation(steps('load-balancer', 5), 1500);
    for (const s of r.steps) expect(Math.abs(s.observed - s.intended)).toBeLessThanOrEqual(2);
    expect(r.sourceRequestsAfterFull).toBe(0);
  });

  test('DNS: cached answers and pooled connections lag every step, and clients that cache forever stay on the old side', () => {
    const r = observePopulation(steps('dns', 5), 1500);
    expect(r.steps[0].intended - r.steps[0].observed).toBeGreaterThan(2);
    expect(r.sourceRequestsAfterFullFromForeverCachers).toBeGreaterThan(0);
    expect(r.sourceRequestsAfterFull).toBeGreaterThan(r.sourceRequestsAfterFullFromForeverCachers);
  });

  test('DNS with nobody caching forever still sends requests to the old side until the connections and caches turn over', () => {
    const r = observePopulation(steps('dns', 5), 1500, { foreverCacheShare: 0 });
    expect(r.sourceRequestsAfterFullFromForeverCachers).toBe(0);
    expect(r.sourceRequestsAfterFull).toBeGreaterThan(0);
  });

  test('Global Accelerator: new connections follow the dials, open ones stay, so the split lags by up to a connection lifetime', () => {
    const r = observePopulation(steps('accelerator', 5), 1500, { connectionLifetime: 300 });
    expect(r.steps[0].observed).toBeLessThan(r.steps[0].intended);
    const short = observePopulation(steps('accelerator', 5), 1500, { connectionLifetime: 10 });
    for (const s of short.steps) expect(Math.abs(s.observed - s.intended)).toBeLessThanOrEqual(3);
  });

  test('the same seed gives the same figures; another seed other ones', () => {
    const a = observePopulation(steps('load-balancer', 5), 1500, { seed: 7 });
    expect(observePopulation(steps('load-balancer', 5), 1500, { seed: 7 })).toEqual(a);
    expect(observePopulation(steps('load-balancer', 5), 1500, { seed: 8 }).steps[0].observed).not.toBe(a.steps[0].observed);
  });
});
