import { readFileSync } from 'fs';
import { simulationTemplates } from './fixtures';
import { campaign, simulate } from '../../src/rehearsal/simulation';

test('probe', async () => {
  const t = simulationTemplates();
  const which = process.env.WHICH ?? 'new';
  const templates: Record<string, any> = which === 'old'
    ? { aurora: JSON.parse(readFileSync('/tmp/old-aurora.min.json', 'utf8')), dms: JSON.parse(readFileSync('/tmp/old-dms.min.json', 'utf8')) }
    : t;
  for (const [path, template] of Object.entries(templates)) {
    const r = await campaign(template, 1, Number(process.env.SEEDS ?? 100));
    console.log(path, r.seeds, r.seconds.toFixed(1), r.failing.length, r.failing.slice(0, 8), r.endings, r.mix);
    if (r.failing.length && process.env.SHOW) {
      const one = await simulate({ template, seed: r.failing[0].seed });
      console.log(one.violations, one.trace.join('\n'));
    }
  }
}, 900000);
