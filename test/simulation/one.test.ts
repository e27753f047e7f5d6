import { readFileSync } from 'fs';
import { simulationTemplates } from './fixtures';
import { campaign, simulate } from '../../src/rehearsal/simulation';
test('one', async () => {
  const t = process.env.OLD ? JSON.parse(readFileSync('test/simulation/before/dms.json', 'utf8')) : simulationTemplates()[(process.env.PATH_ ?? 'dms') as 'dms'];
  const r = await campaign(t, 1, Number(process.env.SEEDS ?? 1000));
  console.log(r.endings, r.failing.length, r.seconds);
  const kinds = new Map<string, number>();
  for (const f of r.failing) kinds.set(f.violation.replace(/^[\d.]+: /, '').replace(/[\d.]+/g, 'N').slice(0, 80), f.seed);
  for (const [k, seed] of kinds) {
    const one = await simulate({ template: t, seed });
    console.log(seed, k, '\n', process.env.SHOW ? one.trace.slice(-50).join('\n') : '');
  }
}, 900000);
