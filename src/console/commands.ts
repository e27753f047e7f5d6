/**
 * The console's commands, options and exit codes, declared once (the model: aws-cdk-cli's `cli-config.ts`). The help
 * text (`--help`) and the argument parser (cli.ts) are derived from this table, and cli.ts has one handler per
 * command, checked by its type: a command, flag or exit code added here is parsed and documented, and a command
 * without a handler does not compile.
 */
import { EXIT } from '../private/exit-codes';

/** An option: a switch, or one that takes a value (`--stack <name>`, `--stack=<name>`). */
export interface FlagSpec {
  /** The value's placeholder in the help (`<name>`); absent for a switch. */
  readonly value?: string;
  /** What it does, for the Options section (global options only). */
  readonly help?: string;
  /** Parsed but left out of the help (testing and layout knobs). */
  readonly hidden?: boolean;
}

/** The options, by name. Every option is parsed for every command (a command ignores those it does not read). */
export const FLAGS = {
  '--stack': { value: '<name>', help: 'the migration stack that holds the cutover (target region), e.g. PaymentTarget' },
  '--region': { value: '<r>', help: 'its region (default: AWS_REGION)' },
  '--profile': { value: '<p>', help: 'a named profile (default: the standard credential chain)' },
  '--json': { help: 'machine-readable output' },
  '--text': { help: 'the human view without a TTY' },
  '--no-color': { help: 'no ANSI colours' },
  '--interval': { value: '<s>' },
  '--watch': {},
  '--dry-run': {},
  '--force': {},
  '--reason': { value: '<text>' },
  '--report': { value: '<file>.html' },
  '--title': { value: '<text>' },
  '--endpoint-url': { value: '<url>', hidden: true },
  '--width': { value: '<columns>', hidden: true },
  '--help': { hidden: true },
  '-h': { hidden: true },
} satisfies Record<string, FlagSpec>;

/** An option's name. */
export type Flag = keyof typeof FLAGS;

/** One entry of the Commands section: one or more commands that share their options and help. */
export interface CommandSpec {
  readonly names: ReadonlyArray<string>;
  /** The positional arguments, as the help shows them. */
  readonly args?: string;
  /** The options it reads, as the help shows them (`[--report <file>.html [--title <text>]]`: nested in the first). */
  readonly flags?: ReadonlyArray<Flag | readonly [Flag, Flag]>;
  /** What it does: paragraphs (each starts on a new line), wrapped to the help's width. */
  readonly help: ReadonlyArray<string>;
  /** Whether it acts on a deployed stack (needs `--stack`); `rehearse` reads a synthesized template instead. */
  readonly needsStack: boolean;
}

/** The commands, in the order the help lists them. */
export const COMMAND_TABLE = [
  {
    names: ['status'],
    flags: ['--watch', '--json', '--interval'],
    needsStack: true,
    help: [
      'where the cutover is: phase, step k of N, bake left, the shifter (Route 53 records, the load balancer\'s weighted ' +
        'target groups or Global Accelerator\'s dials), intended and observed split, the cutover record (phase, holder, ' +
        'since; for STUCK the command that recovers it), gates, database writer, a pending approval and the command that ' +
        'answers it, last events.',
      '--watch refreshes (every 5 s) until the cutover ends and no running workflow holds the record; without a TTY or ' +
        'with --json it prints one JSON snapshot (with --watch: one JSON line per change). Ctrl-C stops watching only: ' +
        'the cutover keeps running.',
    ],
  },
  {
    names: ['start'],
    flags: ['--dry-run', '--watch'],
    needsStack: true,
    help: [
      'start a cutover; refused while one runs, while the cutover record is not IDLE (STUCK or held by an ended ' +
        'execution: recover first; COMPLETE is final), or while the control parameter holds a PAUSE or ABORT left over ' +
        '(a leftover SKIP_BAKE is harmless).',
      '--dry-run: a practice run — the record, the control, the gating alarms, the database or writer and the weights read live, nothing changed.',
    ],
  },
  {
    names: ['pause', 'resume', 'skip', 'abort'],
    needsStack: true,
    help: [
      'write PAUSE / RUN / SKIP_BAKE / ABORT to the control parameter while a cutover runs, in any phase: read at every ' +
        'poll of every bake (the steps\', the one after the database switchover or writer move), ABORT also right before ' +
        'the switchover. A value counts once, by its parameter version; the workflows never write it. Refused when no ' +
        'cutover runs; resume --force then resets a leftover PAUSE / ABORT / SKIP_BAKE to RUN before a start.',
    ],
  },
  {
    names: ['recover'],
    needsStack: true,
    help: [
      'start the recovery workflow for the execution holding the cutover record when a rollback could not finish (STUCK) ' +
        'or the holder ended: it takes the record over and rolls back, the database writer first, then traffic; the ' +
        'record ends IDLE. Refused when the record is IDLE or COMPLETE (nothing to recover) or its holder still runs.',
    ],
  },
  {
    names: ['approve', 'reject'],
    flags: ['--reason'],
    needsStack: true,
    help: ['answer the approval the running cutover waits for (the task token is found in the execution history).'],
  },
  {
    names: ['runbook'],
    needsStack: true,
    help: ['print the stack\'s runbook outputs (the raw aws commands, for operators without this tool).'],
  },
  {
    names: ['rehearse'],
    args: '<template.json> [scenario|file.json ...]',
    flags: [['--report', '--title'], '--json'],
    needsStack: false,
    help: [
      'run the synthesized cutover offline on aws-local-stepfunctions (a devDependency) against standard scenarios; ' +
        '--report writes one self-contained HTML page with an SVG timeline.',
    ],
  },
] as const satisfies ReadonlyArray<CommandSpec>;

/** A command's name (`help` is `--help`'s, and the default). */
export type CommandName = (typeof COMMAND_TABLE)[number]['names'][number] | 'help';

/** Every command, in the help's order; `help` last. */
export const COMMANDS: ReadonlyArray<CommandName> = [...COMMAND_TABLE.flatMap((c) => c.names), 'help'];

/** The options shown in the Options section. */
const GLOBAL_FLAGS: ReadonlyArray<Flag> = ['--stack', '--region', '--profile', '--json', '--text', '--no-color'];

/** What each exit code means, for scripts to branch on (the values: exit-codes.ts). In the order the help lists them. */
export const EXIT_CODE_HELP: Record<keyof typeof EXIT, string> = {
  OK: 'done; status: the cutover succeeded, runs, or none ran; status --watch: it succeeded',
  REHEARSAL_UNEXPECTED: 'rehearse: a scenario did not end as it expects (or left traffic split)',
  ROLLED_BACK: 'the cutover rolled back (traffic is on the source)',
  ROLLBACK_FAILED: 'the rollback failed or did not finish (record STUCK, or held by an execution that ended over a minute ago): ' +
    'payment-migration recover; if that cannot finish either, act by hand (runbook: ManualRollback)',
  REFUSED: 'refused: nothing changed (a cutover already runs, none runs, the record is not IDLE, no approval waits, ' +
    'a practice check failed, nothing to recover, the cutover ended before moving traffic)',
  ROLLBACK_RUNNING: 'status: the cutover ended, but a rollback or the recovery still holds the record (or is about to take ' +
    'it over, or its holder cannot be read): traffic or the writer may still move; status --watch waits for its end',
  USAGE: 'bad arguments',
  AWS_ERROR: 'AWS error (credentials, region, stack not found, not a migration stack)',
  INTERRUPTED: 'Ctrl-C while watching (the cutover keeps running)',
};

const WIDTH = 118;
const COLUMN = 21;

/** Words wrapped to the help's width, each line indented by `indent` spaces (the first by `first`). */
function wrap(text: string, indent: number, first = indent): string[] {
  const lines: string[] = [];
  let line = ' '.repeat(first);
  for (const word of text.split(' ')) {
    if (line.trim() && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(indent);
    }
    line += line.trim() ? ` ${word}` : word;
  }
  return [...lines, line];
}

/** A help entry: its synopsis, then its paragraphs in the description column (on the same line when it fits). */
function entry(usage: string, paragraphs: ReadonlyArray<string>): string[] {
  const lines = paragraphs.flatMap((p) => wrap(p, COLUMN));
  if (usage.length + 2 < COLUMN - 1) return [`  ${usage.padEnd(COLUMN - 2)}${lines[0].trimStart()}`, ...lines.slice(1)];
  return [`  ${usage}`, ...lines];
}

const flagUsage = (flag: Flag) => {
  const spec: FlagSpec = FLAGS[flag];
  return spec.value ? `${flag} ${spec.value}` : flag;
};

/** A command's synopsis: names, positional arguments, options (`[--a [--b]]` for an option that needs another). */
function synopsis(command: CommandSpec): string {
  const flags = (command.flags ?? []).map((f) => (typeof f === 'string' ? `[${flagUsage(f)}]` : `[${flagUsage(f[0])} [${flagUsage(f[1])}]]`));
  return [command.names.join(' | '), command.args, ...flags].filter(Boolean).join(' ');
}

/** The `--help` text, from the table. */
export function helpText(): string {
  const exitLines = (Object.keys(EXIT_CODE_HELP) as Array<keyof typeof EXIT>).flatMap((name) => {
    const [first, ...rest] = wrap(EXIT_CODE_HELP[name], 6);
    return [`  ${String(EXIT[name]).padEnd(4)}${first.trimStart()}`, ...rest];
  });
  return [
    'payment-migration — start, watch, steer and approve a cutover of cdk-payment-migration',
    '',
    'Usage: payment-migration <command> --stack <name> [--region <r>] [--profile <p>] [options]',
    '',
    'Commands',
    ...COMMAND_TABLE.flatMap((c) => entry(synopsis(c), c.help)),
    '',
    'Options',
    ...GLOBAL_FLAGS.flatMap((f) => entry(flagUsage(f), [(FLAGS[f] as FlagSpec).help ?? ''])),
    '',
    'Exit codes',
    ...exitLines,
    '',
  ].join('\n');
}
