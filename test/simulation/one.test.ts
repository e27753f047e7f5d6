import { simulationTemplates } from './fixtures';
import { campaign, simulate } from '../../src/rehearsal/simulation';
test('one', async () => {
  const t = simulationTemplates()[(process.env.PATH_ ?? 'dms') as 'dms'];
  const r = await campaign(t, 1, Number(process.env.SEEDS ?? 1000));
  console.log(r.endings, r.failing.length);
  const kinds = new Map<string, number>();
  for (const f of r.failing) kinds.set(f.violation.replace(/^[\d.]+: /, '').slice(0, 60), f.seed);
  for (const [k, seed] of kinds) {
    const one = await simulate({ template: t, seed });
    console.log(seed, k, '\n', one.trace.slice(-70).join('\n'));
  }
}, 900000);
