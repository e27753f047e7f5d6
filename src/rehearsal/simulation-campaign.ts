import { CfnTemplate } from './resolve-template';
import { simulate, SimulationOptions } from './simulation';
import { prepareWorkflows } from './simulation-support';

/** What a campaign of seeds found. */
export interface CampaignResult {
  readonly seeds: number;
  readonly seconds: number;
  /** Seeds with at least one violation, each with its first violation. */
  readonly failing: Array<{ readonly seed: number; readonly violation: string }>;
  /** Actors and faults exercised, summed over the seeds. */
  readonly mix: Record<string, number>;
  /** Final phases of the record, counted. */
  readonly endings: Record<string, number>;
}

/** Runs seeds `first` … `first + count - 1` of one template. */
export async function campaign(
  template: CfnTemplate, first: number, count: number, options: Partial<SimulationOptions> = {},
): Promise<CampaignResult> {
  const prepared = prepareWorkflows(template, options);
  const started = process.hrtime.bigint();
  const failing: CampaignResult['failing'] = [];
  const mix: Record<string, number> = {};
  const endings: Record<string, number> = {};
  for (let seed = first; seed < first + count; seed++) {
    const r = await simulate({ ...options, template, seed, prepared });
    for (const [k, v] of Object.entries(r.mix)) mix[k] = (mix[k] ?? 0) + v;
    endings[r.finalPhase] = (endings[r.finalPhase] ?? 0) + 1;
    if (r.violations.length > 0) failing.push({ seed, violation: r.violations[0] });
  }
  return { seeds: count, seconds: Number(process.hrtime.bigint() - started) / 1e9, failing, mix, endings };
}
