/**
 * payment-migration — the operator's console for a cutover. See `payment-migration --help` and the README's
 * "Operating a cutover" section. Bundled with esbuild into assets/console/payment-migration.js (projenrc/console.ts).
 */
import { Aws } from './aws';
import { ConsoleError, EXIT } from './exit-codes';
import { runbookOutputs } from './manifest';
import { practiceRun } from './practice';
import { isTerminal, Phase } from './progress';
import { RecordState } from './record';
import { rehearseCommand } from './rehearse-command';
import { renderSnapshot } from './render';
import { readPlan, takeSnapshot } from './snapshot';
import { answer, CONTROL_VALUES, ControlCommand, recover, start, steer } from './steer';

export const HELP = `payment-migration — start, watch, steer and approve a cutover of cdk-payment-migration

Usage: payment-migration <command> --stack <name> [--region <r>] [--profile <p>] [options]

Commands
  status [--watch] [--json] [--interval <s>]
                     where the cutover is: phase, step k of N, bake left, the shifter (Route 53 records, the
                     load balancer's weighted target groups or Global Accelerator's dials), intended and observed
                     split, the cutover record (phase, holder, since; for STUCK the command that recovers it), gates,
                     database writer, a pending approval and the command that answers it, last events.
                     --watch refreshes (every 5 s) until the cutover ends and no running workflow holds the
                     record; without a TTY or with --json it prints one JSON snapshot (with --watch: one JSON
                     line per change). Ctrl-C stops watching only: the cutover keeps running.
  start [--dry-run] [--watch]
                     start a cutover; refused while one runs, while the cutover record is not IDLE (STUCK or
                     held by an ended execution: recover first; COMPLETE is final), or while the control
                     parameter holds a PAUSE or ABORT left over (a leftover SKIP_BAKE is harmless).
                     --dry-run: a practice run — pre-checks and gates evaluated live, nothing changed.
  pause | resume | skip | abort
                     write PAUSE / RUN / SKIP_BAKE / ABORT to the control parameter while a cutover runs, in
                     any phase: read at every poll of every bake (the steps', the one after the database
                     switchover or writer move), ABORT also right before the switchover. A value counts once,
                     by its parameter version; the workflows never write it. Refused when no cutover runs;
                     resume --force then resets a leftover PAUSE / ABORT / SKIP_BAKE to RUN before a start.
  recover            start the recovery workflow for the execution holding the cutover record when a rollback
                     could not finish (STUCK) or the holder ended: it takes the record over and rolls back,
                     the database writer first, then traffic; the record ends IDLE. Refused when the record is
                     IDLE or COMPLETE (nothing to recover) or its holder still runs.
  approve | reject [--reason <text>]
                     answer the approval the running cutover waits for (the task token is found in the
                     execution history).
  runbook            print the stack's runbook outputs (the raw aws commands, for operators without this tool).
  rehearse <template.json> [scenario|file.json ...] [--report <file>.html [--title <text>]] [--json]
                     run the synthesized cutover offline on aws-local-stepfunctions (a devDependency) against
                     standard scenarios; --report writes one self-contained HTML page with an SVG timeline.

Options
  --stack <name>     the migration stack that holds the cutover (target region), e.g. PaymentTarget
  --region <r>       its region (default: AWS_REGION); --profile <p>: a named profile (standard credential chain)
  --json             machine-readable output    --text  the human view without a TTY    --no-color  no ANSI colours

Exit codes
  0   done; status/watch: the cutover succeeded, runs, or none ran
  1   rehearse: a scenario did not end as it expects (or left traffic split)
  10  the cutover rolled back (traffic is on the source)
  11  the rollback failed or did not finish (record STUCK, or held by an ended execution):
      payment-migration recover; if that cannot finish either, act by hand (runbook: ManualRollback)
  12  refused: nothing changed (a cutover already runs, none runs, the record is not IDLE, no approval waits,
      a practice check failed, nothing to recover, the cutover ended before moving traffic)
  2   bad arguments          3  AWS error (credentials, region, stack not found, not a migration stack)
  130 Ctrl-C while watching (the cutover keeps running)
`;

const COMMANDS = ['status', 'start', 'pause', 'resume', 'skip', 'abort', 'recover', 'approve', 'reject', 'runbook', 'rehearse', 'help'];
const VALUE_FLAGS = ['--stack', '--region', '--profile', '--interval', '--report', '--title', '--reason', '--endpoint-url', '--width'];
const BOOL_FLAGS = ['--watch', '--json', '--text', '--dry-run', '--no-color', '--force', '--help', '-h'];

/** Parsed command line. */
export interface Args {
  readonly command: string;
  readonly positional: string[];
  readonly flags: Record<string, string | boolean>;
}

export function parseArgs(argv: string[]): Args {
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [key, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (VALUE_FLAGS.includes(key)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new ConsoleError(`${key} needs a value`, EXIT.USAGE);
      flags[key] = value;
    } else if (BOOL_FLAGS.includes(key)) {
      flags[key] = true;
    } else if (a.startsWith('-')) {
      throw new ConsoleError(`Unknown option ${a} (see payment-migration --help)`, EXIT.USAGE);
    } else {
      positional.push(a);
    }
  }
  const [command = 'help', ...rest] = positional;
  if (flags['--help'] || flags['-h']) return { command: 'help', positional: rest, flags };
  if (!COMMANDS.includes(command)) throw new ConsoleError(`Unknown command ${command}: one of ${COMMANDS.join(', ')} (see --help)`, EXIT.USAGE);
  return { command, positional: rest, flags };
}

/**
 * The exit code a finished (or running) cutover maps to. A record that needs `recover` (STUCK, or held by an ended
 * execution) is a rollback that did not finish, whatever the cutover execution's own ending says.
 */
export function exitCodeOf(phase: Phase, record?: RecordState): number {
  if (record?.verdict === 'recoverable' && !record.awaitingAutomaticRecovery) return EXIT.ROLLBACK_FAILED;
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

type Out = (text: string) => void;

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
  const json = !!args.flags['--json'];

  switch (args.command) {
    case 'runbook': {
      const sections = runbookOutputs(stack);
      if (json) out(`${JSON.stringify(sections)}\n`);
      else for (const s of sections) out(`## ${s.key}${s.description ? ` — ${s.description}` : ''}\n${s.value}\n\n`);
      out(json ? '' : `With this console: payment-migration status --watch${suffix} · start · pause · resume · skip · abort · recover · approve · reject\n`);
      return EXIT.OK;
    }
    case 'start': {
      const plan = await readPlan(aws, manifest);
      if (args.flags['--dry-run']) {
        const checks = await practiceRun(aws, stackName, manifest, plan, suffix);
        const failed = checks.filter((c) => c.result === 'FAIL');
        if (json) {
          out(`${JSON.stringify({ dryRun: true, ok: failed.length === 0, checks })}\n`);
        } else {
          out(`Practice run of ${stackName} (nothing is changed: no execution, no parameter, no weight)\n`);
          for (const c of checks) out(`  ${c.result.padEnd(4)}  ${c.check}: ${c.detail}\n`);
          out(failed.length === 0 ? `Ready: a start now would pass its pre-checks. Start with: payment-migration start${suffix}\n` : `Not ready: ${failed.length} check(s) failed; a start now would be refused by its pre-checks.\n`);
        }
        return failed.length === 0 ? EXIT.OK : EXIT.REFUSED;
      }
      const started = await start(aws, manifest, stackName, suffix);
      out(json ? `${JSON.stringify({ started: started.arn })}\n` : `${started.lines.join('\n')}\n`);
      if (args.flags['--watch']) return watch(aws, stackName, manifest, plan, args, suffix, out);
      return EXIT.OK;
    }
    case 'pause':
    case 'resume':
    case 'skip':
    case 'abort': {
      const lines = await steer(aws, manifest, args.command as ControlCommand, suffix, !!args.flags['--force']);
      out(json ? `${JSON.stringify({ control: CONTROL_VALUES[args.command as ControlCommand] })}\n` : `${lines.join('\n')}\n`);
      return EXIT.OK;
    }
    case 'recover': {
      const recovery = await recover(aws, manifest, stackName, suffix);
      out(json ? `${JSON.stringify({ recovery: recovery.arn, from: recovery.record.holder?.arn, phase: recovery.record.phase })}\n` : `${recovery.lines.join('\n')}\n`);
      return EXIT.OK;
    }
    case 'approve':
    case 'reject': {
      const lines = await answer(aws, manifest, args.command === 'approve', suffix, args.flags['--reason'] as string | undefined);
      out(json ? `${JSON.stringify({ answered: args.command })}\n` : `${lines.join('\n')}\n`);
      return EXIT.OK;
    }
    case 'status': {
      const plan = await readPlan(aws, manifest);
      if (args.flags['--watch']) return watch(aws, stackName, manifest, plan, args, suffix, out);
      const snapshot = await takeSnapshot(aws, stackName, manifest, plan);
      if (human(args)) out(`${renderSnapshot(snapshot, { width: width(args), color: !!process.stdout.isTTY && !args.flags['--no-color'], commandSuffix: suffix }).join('\n')}\n`);
      else out(`${JSON.stringify(snapshot)}\n`);
      return exitCodeOf(snapshot.progress.phase, snapshot.record);
    }
  }
  return EXIT.USAGE;
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
  let stop = false;
  let wake: () => void = () => undefined;
  process.once('SIGINT', () => {
    stop = true;
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
    // Ended: the cutover execution, and whatever holds the record (an alarm rollback or recovery still running, or the
    // automatic recovery about to take over from an execution that ended holding it).
    const r = snapshot.record;
    const recordBusy = r?.verdict === 'held' || !!r?.awaitingAutomaticRecovery;
    const ended = snapshot.execution && snapshot.execution.status !== 'RUNNING' && isTerminal(snapshot.progress.phase) && !recordBusy;
    if (ended || stop) return exitCodeOf(snapshot.progress.phase, r);
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, interval);
    });
    void wake;
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
