/**
 * The one rehearsal command, behind both entry points: `payment-migration rehearse` (the console, which adds the HTML
 * report) and `payment-migration-rehearse` (src/rehearsal/cli.ts, the same without the report). It reads a
 * synthesized template, runs the named standard scenarios or scenario files on aws-local-stepfunctions, prints each
 * timeline with its verdict, and says whether every scenario ended as it expects.
 */
import { readFileSync } from 'fs';
import { rehearse } from './rehearse';
import { CfnTemplate } from './resolve-template';
import { RehearsalResult, Scenario } from './scenario';
import { STANDARD_SCENARIOS } from './standard-scenarios';
import { formatTimeline } from './timeline';

/** What a rehearsal exits with (the console's `EXIT` has the same values). */
export const REHEARSAL_EXIT = {
  /** Every scenario ended as it expects, with traffic on one side. */
  OK: 0,
  /** A scenario did not end as it expects, or left traffic split. */
  UNEXPECTED: 1,
  /** Bad arguments: no template, an unknown scenario, aws-local-stepfunctions missing. */
  USAGE: 2,
} as const;

/** A usage error: the message says what to do; both entry points exit {@link REHEARSAL_EXIT.USAGE}. */
export class RehearsalUsageError extends Error {}

/** The scenarios a template is rehearsed against when none is named. */
export function defaultScenarios(template: CfnTemplate): string[] {
  const isDms = Object.values(template.Resources ?? {}).some((r) => r.Type === 'AWS::DMS::ReplicationTask');
  return isDms ? Object.keys(STANDARD_SCENARIOS).filter((n) => n.startsWith('dms-')) : ['happy-path', 'alarm-poll', 'alarm-event'];
}

/** One rehearsed scenario and its verdict. */
export interface RehearsedScenario {
  /** The name it was asked by (a standard scenario's key, or a file). */
  readonly key: string;
  readonly scenario: Scenario;
  readonly result: RehearsalResult;
  /** Whether it ended as it expects, with traffic on one side. */
  readonly expected: boolean;
  /** What went wrong, when it did not. */
  readonly problem?: string;
}

/**
 * The verdict on one rehearsal: traffic must end on one side (100/0 or 0/100), and a scenario that states what it
 * expects must end so — status, the target's weight, the writer parameter's and the Aurora writer's changes, and no
 * data problem.
 */
export function verdictOf(scenario: Scenario, result: RehearsalResult): { readonly problem?: string; readonly line: string } {
  const { source, target } = result.finalWeights;
  const writer = result.writerChanges.map((c) => c.value).join(' → ') || '(unchanged)';
  const expectedWriter = scenario.expect?.writer ? scenario.expect.writer.join(' → ') || '(unchanged)' : undefined;
  const database = result.databaseWriterChanges.map((c) => c.writer).join(' → ');
  const expectedDatabase = scenario.expect?.databaseWriter?.join(' → ');
  let problem: string | undefined;
  if (!((source === 100 && target === 0) || (source === 0 && target === 100))) {
    problem = `traffic left split ${source}/${target}`;
  } else if (scenario.expect && (scenario.expect.status !== result.status || scenario.expect.finalTargetWeight !== target ||
    (expectedWriter && expectedWriter !== writer) || (expectedDatabase !== undefined && expectedDatabase !== database) ||
    result.dataProblems.length > 0)) {
    problem = `expected ${scenario.expect.status} at target ${scenario.expect.finalTargetWeight}` +
      `${expectedWriter ? `, writer ${expectedWriter}` : ''}${expectedDatabase !== undefined ? `, Aurora writer ${expectedDatabase}` : ''}, ` +
      `got ${result.status} at ${target}${expectedWriter ? `, writer ${writer}` : ''}${expectedDatabase !== undefined ? `, Aurora writer ${database}` : ''}` +
      `${result.dataProblems.length > 0 ? `; data problems: ${result.dataProblems.join('; ')}` : ''}`;
  }
  const line = problem
    ? `✗ ${scenario.name}: ${problem}`
    : `✓ ${scenario.name}: ${result.status}, target weight ${target}${expectedWriter ? `, writer SOURCE → ${writer}` : ''}${scenario.expect ? ', as expected' : ''}`;
  return { problem, line };
}

/** Whether aws-local-stepfunctions (a development tool, not bundled) can be loaded from here. */
function localStepFunctionsAvailable(): boolean {
  try {
    require.resolve('aws-local-stepfunctions');
    return true;
  } catch {
    return false;
  }
}

/** The usage line, with the entry point's name and its extra options. */
export function rehearseUsage(command: string, extra = ''): string {
  return `${command} <template.json> [${Object.keys(STANDARD_SCENARIOS).join('|')}|file.json ...]${extra} [--json]`;
}

/** How one run of the rehearsal command is asked for. */
export interface RehearseCommandOptions {
  /** The synthesized template's path, then scenario names or files. */
  readonly positional: ReadonlyArray<string>;
  /** One JSON result per line instead of the timelines. */
  readonly json: boolean;
  /** The usage line for messages (the entry point's name). */
  readonly usage: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Rehearses a template against scenarios; the exit code and each run (for a report). Throws {@link RehearsalUsageError}. */
export async function runRehearsals(options: RehearseCommandOptions): Promise<{ code: number; template: CfnTemplate; runs: RehearsedScenario[] }> {
  const [templatePath, ...names] = options.positional;
  if (!templatePath) throw new RehearsalUsageError(`rehearse needs a synthesized template: ${options.usage}`);
  if (!localStepFunctionsAvailable()) {
    throw new RehearsalUsageError('rehearse runs the state machine on aws-local-stepfunctions, which is not installed here: npm install --save-dev aws-local-stepfunctions@3.0.0');
  }
  let template: CfnTemplate;
  try {
    template = JSON.parse(readFileSync(templatePath, 'utf-8'));
  } catch (e) {
    throw new RehearsalUsageError(`Cannot read the template ${templatePath}: ${(e as Error).message} (synthesize first: npx cdk synth)`);
  }
  const runs: RehearsedScenario[] = [];
  for (const key of names.length ? names : defaultScenarios(template)) {
    let scenario: Scenario;
    try {
      scenario = STANDARD_SCENARIOS[key] ?? JSON.parse(readFileSync(key, 'utf-8'));
    } catch {
      throw new RehearsalUsageError(`Unknown scenario ${key}: one of ${Object.keys(STANDARD_SCENARIOS).join(', ')}, or a scenario JSON file`);
    }
    const result = await rehearse({ template, scenario });
    const { problem, line } = verdictOf(scenario, result);
    runs.push({ key, scenario, result, expected: !problem, problem });
    options.out(options.json ? `${JSON.stringify(result)}\n` : `${formatTimeline(result)}\n${line}\n\n`);
    if (problem) options.err(`${line}\n`);
  }
  return { code: runs.every((r) => r.expected) ? REHEARSAL_EXIT.OK : REHEARSAL_EXIT.UNEXPECTED, template, runs };
}
