import { writeFileSync } from 'fs';
import { basename } from 'path';
import { planOf } from './plan';
import { renderReport } from './report';
import { ConsoleError, EXIT } from '../private/exit-codes';
import { workflowMachinesOf } from '../rehearsal/resolve-template';
import { rehearseUsage, RehearsalUsageError, REHEARSAL_EXIT, runRehearsals } from '../rehearsal/run-rehearsals';

/**
 * `payment-migration rehearse <template.json> [scenario|file.json ...] [--report file.html [--title t]] [--json]`: the
 * rehearsal command of src/rehearsal/run-rehearsals.ts (also the `payment-migration-rehearse` bin), plus the HTML
 * report.
 */
export async function rehearseCommand(
  positional: string[],
  options: { readonly report?: string; readonly json: boolean; readonly title?: string },
  out: (t: string) => void,
  err: (t: string) => void,
): Promise<number> {
  let rehearsed: Awaited<ReturnType<typeof runRehearsals>>;
  try {
    const usage = rehearseUsage('payment-migration rehearse', ' [--report report.html [--title <text>]]');
    rehearsed = await runRehearsals({ positional, json: options.json, usage, out, err });
  } catch (e) {
    if (e instanceof RehearsalUsageError) throw new ConsoleError(e.message, EXIT.USAGE);
    throw e;
  }
  const { code, template, runs } = rehearsed;
  if (options.report) {
    const cutover = workflowMachinesOf(template).cutover;
    const bakeSeconds = cutover ? planOf(cutover.asl).steps.map((s) => s.bakeSeconds) : [];
    const title = options.title ?? basename(positional[0]).replace(/\.template\.json$/, '');
    writeFileSync(options.report, renderReport({ title, generatedAt: new Date().toISOString(), runs: runs.map((r) => ({ ...r, bakeSeconds })) }));
    out(`Report: ${options.report} (${runs.length} scenario(s), one self-contained page)\n`);
  }
  return code === REHEARSAL_EXIT.OK ? EXIT.OK : EXIT.REHEARSAL_UNEXPECTED;
}
