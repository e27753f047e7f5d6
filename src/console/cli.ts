/**
 * payment-migration — the operator's console for a cutover. See `payment-migration --help` and
 * docs/operating-a-cutover.md. Bundled with esbuild into assets/console/payment-migration.js (projenrc/console.ts).
 */
import { Aws } from './aws';
import { CommandName, COMMANDS, COMMAND_TABLE, Flag, FLAGS, FlagSpec, helpText } from './commands';
import { ConsoleManifest, runbookOutputs, StackDescription } from './manifest';
import { practiceRun } from './practice';
import { isTerminal, Phase } from './progress';
import { HELD_PHASES, RecordState } from './record';
import { rehearseCommand } from './rehearse-command';
import { renderSnapshot } from './render';
import { readPlan, takeSnapshot } from './snapshot';
import { answer, CONTROL_VALUES, ControlCommand, recover, start, steer } from './steer';
import { CutoverPhase } from '../migration-orchestrator/operator-command';
import { ConsoleError, EXIT } from '../private/exit-codes';

/** The `--help` text, derived from the command table (commands.ts). */
export const HELP = helpText();

/** Parsed command line. */
export interface Args {
  readonly command: CommandName;
  readonly positional: string[];
  readonly flags: Record<string, string | boolean>;
}

/** The command line, parsed by the table: the options of commands.ts (each with or without a value), then the command. */
export function parseArgs(argv: string[]): Args {
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [key, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const spec: FlagSpec | undefined = Object.prototype.hasOwnProperty.call(FLAGS, key) ? FLAGS[key as Flag] : undefined;
    if (spec?.value) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new ConsoleError(`${key} needs a value`, EXIT.USAGE);
      flags[key] = value;
    } else if (spec) {
      flags[key] = true;
    } else if (a.startsWith('-')) {
      throw new ConsoleError(`Unknown option ${a} (see payment-migration --help)`, EXIT.USAGE);
    } else {
      positional.push(a);
    }
  }
  const [command = 'help', ...rest] = positional;
  if (flags['--help'] || flags['-h']) return { command: 'help', positional: rest, flags };
  if (!isCommand(command)) throw new ConsoleError(`Unknown command ${command}: one of ${COMMANDS.join(', ')} (see --help)`, EXIT.USAGE);
  return { command, positional: rest, flags };
}

function isCommand(word: string): word is CommandName {
  return (COMMANDS as ReadonlyArray<string>).includes(word);
}

/**
 * The exit code a finished (or running) cutover maps to. A record that needs `recover` (STUCK, or held by an ended
 * execution) is a rollback that did not finish, whatever the cutover execution's own ending says.
 */
export function exitCodeOf(phase: Phase, record?: RecordState): number {
  if (record?.verdict === 'recoverable' && !record.awaitingAutomaticRecovery) return EXIT.ROLLBACK_FAILED;
  if (isTerminal(phase) && rollbackRunning(record)) return EXIT.ROLLBACK_RUNNING;
  switch (phase) {
    case 'rolled-back':
    case 'failed':
    case 'stopped':
      return EXIT.ROLLED_BACK;
    case 'rollback-failed':
      return EXIT.ROLLBACK_FAILED;
    case 'refused':
      return EXIT.REFUSED;
    default:
      return EXIT.OK;
  }
}

/**
 * Whether a workflow other than a cutover still decides, or may, after the cutover's end: an alarm rollback or the
 * recovery holds the record; the automatic recovery is about to take it over from an execution that ended holding
 * it; or the record is held (not STUCK) by an execution whose status could not be read.
 */
function rollbackRunning(record: RecordState | undefined): boolean {
  if (!record) return false;
  if (record.awaitingAutomaticRecovery) return true;
  if (record.verdict === 'unknown') return record.phase !== CutoverPhase.STUCK && HELD_PHASES.includes(record.phase);
  return record.verdict === 'held' && record.holder?.workflow !== 'cutover';
}

type Out = (text: string) => void;

/** What a command that acts on a deployed stack is given. */
interface StackContext {
  readonly args: Args;
  readonly aws: Aws;
  readonly stackName: string;
  readonly stack: StackDescription;
  readonly manifest: ConsoleManifest;
  /** `--stack <name>` (and `--region <r>` when given), for the commands the console suggests. */
  readonly suffix: string;
  readonly json: boolean;
  readonly out: Out;
}

/** The commands of the table that act on a deployed stack. */
type StackCommand = Extract<(typeof COMMAND_TABLE)[number], { readonly needsStack: true }>['names'][number];

const steerCommand = async ({ args, aws, manifest, suffix, json, out }: StackContext) => {
  const command = args.command as ControlCommand;
  const lines = await steer(aws, manifest, command, suffix, !!args.flags['--force']);
  out(json ? `${JSON.stringify({ control: CONTROL_VALUES[command] })}\n` : `${lines.join('\n')}\n`);
  return EXIT.OK;
};

const answerCommand = async ({ args, aws, manifest, suffix, json, out }: StackContext) => {
  const lines = await answer(aws, manifest, args.command === 'approve', suffix, args.flags['--reason'] as string | undefined);
  out(json ? `${JSON.stringify({ answered: args.command })}\n` : `${lines.join('\n')}\n`);
  return EXIT.OK;
};

/** One handler per command of the table that acts on a stack (the type makes the table and the handlers agree). */
const STACK_COMMANDS: Record<StackCommand, (context: StackContext) => Promise<number>> = {
  runbook: async ({ stack, suffix, json, out }) => {
    const sections = runbookOutputs(stack);
    if (json) out(`${JSON.stringify(sections)}\n`);
    else for (const s of sections) out(`## ${s.key}${s.description ? ` — ${s.description}` : ''}\n${s.value}\n\n`);
    const others = COMMANDS.filter((c) => !['status', 'runbook', 'rehearse', 'help'].includes(c));
    out(json ? '' : `With this console: payment-migration status --watch${suffix} · ${others.join(' · ')}\n`);
    return EXIT.OK;
  },
  start: async ({ args, aws, stackName, manifest, suffix, json, out }) => {
    const plan = await readPlan(aws, manifest);
    if (args.flags['--dry-run']) {
      const checks = await practiceRun(aws, stackName, manifest, plan, suffix);
      const failed = checks.filter((c) => c.result === 'FAIL');
      if (json) {
        out(`${JSON.stringify({ dryRun: true, ok: failed.length === 0, checks })}\n`);
      } else {
        out(`Practice run of ${stackName} (nothing is changed: no execution, no parameter, no weight)\n`);
        for (const c of checks) out(`  ${c.result.padEnd(4)}  ${c.check}: ${c.detail}\n`);
        out(failed.length === 0
          ? `Ready: every check above passes (the cutover's own pre-checks also wait for a DMS load and count the healthy targets). Start with: payment-migration start${suffix}\n`
          : `Not ready: ${failed.length} check(s) failed: fix them before a start.\n`);
      }
      return failed.length === 0 ? EXIT.OK : EXIT.REFUSED;
    }
    const started = await start(aws, manifest, stackName, suffix);
    out(json ? `${JSON.stringify({ started: started.arn })}\n` : `${started.lines.join('\n')}\n`);
    if (args.flags['--watch']) return watch(aws, stackName, manifest, plan, args, suffix, out);
    return EXIT.OK;
  },
  pause: steerCommand,
  resume: steerCommand,
  skip: steerCommand,
  abort: steerCommand,
  recover: async ({ aws, stackName, manifest, suffix, json, out }) => {
    const recovery = await recover(aws, manifest, stackName, suffix);
    out(json ? `${JSON.stringify({ recovery: recovery.arn, from: recovery.record.holder?.arn, phase: recovery.record.phase })}\n` : `${recovery.lines.join('\n')}\n`);
    return EXIT.OK;
  },
  approve: answerCommand,
  reject: answerCommand,
  status: async ({ args, aws, stackName, manifest, suffix, out }) => {
    const plan = await readPlan(aws, manifest);
    if (args.flags['--watch']) return watch(aws, stackName, manifest, plan, args, suffix, out);
    const snapshot = await takeSnapshot(aws, stackName, manifest, plan);
    if (human(args)) out(`${renderSnapshot(snapshot, { width: width(args), color: !!process.stdout.isTTY && !args.flags['--no-color'], commandSuffix: suffix }).join('\n')}\n`);
    else out(`${JSON.stringify(snapshot)}\n`);
    return exitCodeOf(snapshot.progress.phase, snapshot.record);
  },
};

async function main(argv: string[], out: Out, err: Out): Promise<number> {
  const args = parseArgs(argv);
  if (args.command === 'help') {
    out(HELP);
    return EXIT.OK;
  }
  if (args.command === 'rehearse') {
    const flag = (f: string) => args.flags[f] as string | undefined;
    return rehearseCommand(args.positional, { report: flag('--report'), title: flag('--title'), json: !!args.flags['--json'] }, out, err);
  }

  const stackName = (args.flags['--stack'] as string | undefined) ?? process.env.PAYMENT_MIGRATION_STACK;
  if (!stackName) throw new ConsoleError(`${args.command} needs --stack <name>: the migration stack that holds the cutover (or set PAYMENT_MIGRATION_STACK)`, EXIT.USAGE);
  const aws = new Aws({ region: args.flags['--region'] as string | undefined, profile: args.flags['--profile'] as string | undefined, endpoint: args.flags['--endpoint-url'] as string | undefined });
  const suffix = ` --stack ${stackName}${args.flags['--region'] ? ` --region ${aws.region}` : ''}`;
  const { stack, manifest } = await aws.migrationStack(stackName);
  return STACK_COMMANDS[args.command]({ args, aws, stackName, stack, manifest, suffix, json: !!args.flags['--json'], out });
}

/** The human view on a terminal (or with --text); JSON without a TTY or with --json. */
function human(args: Args): boolean {
  return !args.flags['--json'] && (!!process.stdout.isTTY || !!args.flags['--text']);
}

function width(args: Args): number {
  return Number(args.flags['--width'] ?? process.stdout.columns ?? 120) || 120;
}

/** `--watch`: refresh until the cutover ends; Ctrl-C stops watching and says the cutover keeps running. */
async function watch(aws: Aws, stackName: string, manifest: any, plan: any, args: Args, suffix: string, out: Out): Promise<number> {
  const tty = human(args);
  const interval = Math.max(1, Number(args.flags['--interval'] ?? 5)) * 1000;
  let last = '';
  process.once('SIGINT', () => {
    out(`\nStopped watching. The cutover keeps running — Ctrl-C never stops it.\n  look again: payment-migration status --watch${suffix}\n  roll back:  payment-migration abort${suffix}\n`);
    process.exit(EXIT.INTERRUPTED);
  });
  for (;;) {
    const snapshot = await takeSnapshot(aws, stackName, manifest, plan);
    if (tty) {
      const lines = renderSnapshot(snapshot, { width: width(args), color: !args.flags['--no-color'], commandSuffix: suffix });
      out(`\x1b[H\x1b[2J${lines.join('\n')}\n\nRefreshing every ${interval / 1000} s · Ctrl-C stops watching (the cutover keeps running)\n`);
    } else {
      const { at: _at, ...rest } = snapshot;
      const key = JSON.stringify({ ...rest, observed: undefined });
      if (key !== last) out(`${JSON.stringify(snapshot)}\n`);
      last = key;
    }
    // Ended: the cutover execution, and whatever holds the record (an alarm rollback or recovery still running, the
    // automatic recovery about to take over from an execution that ended holding it, or a holder that cannot be read).
    const r = snapshot.record;
    const recordBusy = r?.verdict === 'held' || rollbackRunning(r);
    const ended = snapshot.execution && snapshot.execution.status !== 'RUNNING' && isTerminal(snapshot.progress.phase) && !recordBusy;
    if (ended) return exitCodeOf(snapshot.progress.phase, r);
    await new Promise<void>((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * The SDK warns on Node 20 that *future* SDK releases will need Node 22: the bundled clients are fixed at build
 * time, so the warning only buries the console's own output (the SDK's own switch turns it off).
 */
function quietSdkNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

if (require.main === module) {
  quietSdkNodeVersionWarning();
  const out: Out = (t) => process.stdout.write(t);
  const err: Out = (t) => process.stderr.write(t);
  main(process.argv.slice(2), out, err).then(
    (code) => process.exit(code),
    (e) => {
      if (e instanceof ConsoleError) {
        err(`${e.message}\n`);
        process.exit(e.exitCode);
      }
      err(`Unexpected error: ${e?.stack ?? e}\n`);
      process.exit(EXIT.AWS_ERROR);
    },
  );
}
