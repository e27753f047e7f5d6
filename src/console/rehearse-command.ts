import { readFileSync, writeFileSync } from 'fs';
import { basename } from 'path';
import { ConsoleError, EXIT } from './exit-codes';
import { planOf } from './plan';
import { renderReport, ReportRun } from './report';
import { rehearse } from '../rehearsal/rehearse';
import { stateMachinesOf } from '../rehearsal/resolve-template';
import { Scenario } from '../rehearsal/scenario';
import { STANDARD_SCENARIOS } from '../rehearsal/standard-scenarios';
import { formatTimeline } from '../rehearsal/timeline';

const DEFAULT_SCENARIOS = ['happy-path', 'alarm-poll', 'alarm-event'];

/** Whether aws-local-stepfunctions (a development tool, not bundled) can be loaded from here. */
function localStepFunctionsAvailable(): boolean {
  try {
    require.resolve('aws-local-stepfunctions');
    return true;
  } catch {
    return false;
  }
}

/**
 * `rehearse <template.json> [scenario|file.json ...] [--report file.html] [--json]`: today's
 * `payment-migration-rehearse`, folded in, plus the HTML report.
 */
export async function rehearseCommand(
  positional: string[],
  options: { readonly report?: string; readonly json: boolean; readonly title?: string },
  out: (t: string) => void,
  err: (t: string) => void,
): Promise<number> {
  const [templatePath, ...names] = positional;
  if (!templatePath) {
    throw new ConsoleError(`rehearse needs a synthesized template: payment-migration rehearse cdk.out/<Stack>.template.json [${Object.keys(STANDARD_SCENARIOS).join('|')}|file.json ...] [--report report.html]`, EXIT.USAGE);
  }
  if (!localStepFunctionsAvailable()) {
    throw new ConsoleError('rehearse runs the state machine on aws-local-stepfunctions, which is not installed here: npm install --save-dev aws-local-stepfunctions@3.0.0', EXIT.USAGE);
  }
  let template: any;
  try {
    template = JSON.parse(readFileSync(templatePath, 'utf-8'));
  } catch (e) {
    throw new ConsoleError(`Cannot read the template ${templatePath}: ${(e as Error).message} (synthesize first: npx cdk synth)`, EXIT.USAGE);
  }
  const isDms = JSON.stringify(template).includes('AWS::DMS::ReplicationTask');
  const cutover = Object.values(stateMachinesOf(template)).find((m: any) => /^Payment migration cutover/.test(m.Comment ?? ''));
  const bakeSeconds = cutover ? planOf(cutover).steps.map((s) => s.bakeSeconds) : [];
  const chosen = names.length ? names : isDms ? Object.keys(STANDARD_SCENARIOS).filter((n) => n.startsWith('dms-')) : DEFAULT_SCENARIOS;
  const results: ReportRun[] = [];
  for (const name of chosen) {
    let scenario: Scenario;
    try {
      scenario = STANDARD_SCENARIOS[name] ?? JSON.parse(readFileSync(name, 'utf-8'));
    } catch {
      throw new ConsoleError(`Unknown scenario ${name}: one of ${Object.keys(STANDARD_SCENARIOS).join(', ')}, or a scenario JSON file`, EXIT.USAGE);
    }
    const result = await rehearse({ template, scenario });
    const { source, target } = result.finalWeights;
    const writer = result.writerChanges.map((c) => c.value).join(' → ') || '(unchanged)';
    const expectedWriter = scenario.expect?.writer ? scenario.expect.writer.join(' → ') || '(unchanged)' : undefined;
    let problem: string | undefined;
    const unexpected = scenario.expect &&
      (scenario.expect.status !== result.status || scenario.expect.finalTargetWeight !== target || (expectedWriter && expectedWriter !== writer));
    if (!((source === 100 && target === 0) || (source === 0 && target === 100))) {
      problem = `traffic left split ${source}/${target}`;
    } else if (scenario.expect && unexpected) {
      problem = `expected ${scenario.expect.status} at target ${scenario.expect.finalTargetWeight}${expectedWriter ? `, writer ${expectedWriter}` : ''}, ` +
        `got ${result.status} at ${target}${expectedWriter ? `, writer ${writer}` : ''}`;
    }
    results.push({ key: name, result, expected: !problem, problem, bakeSeconds });
    const verdict = problem
      ? `✗ ${scenario.name}: ${problem}`
      : `✓ ${scenario.name}: ${result.status}, target weight ${target}${expectedWriter ? `, writer SOURCE → ${writer}` : ''}${scenario.expect ? ', as expected' : ''}`;
    out(options.json ? `${JSON.stringify(result)}\n` : `${formatTimeline(result)}\n${verdict}\n\n`);
    if (problem) err(`✗ ${scenario.name}: ${problem}\n`);
  }
  if (options.report) {
    const title = options.title ?? basename(templatePath).replace(/\.template\.json$/, '');
    writeFileSync(options.report, renderReport({ title, generatedAt: new Date().toISOString(), runs: results }));
    out(`Report: ${options.report} (${results.length} scenario(s), one self-contained page)\n`);
  }
  return results.every((r) => r.expected) ? EXIT.OK : EXIT.REHEARSAL_UNEXPECTED;
}
