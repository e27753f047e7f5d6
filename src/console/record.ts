import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { Aws, call, translate } from './aws';
import { ConsoleManifest, CONSOLE_MANIFEST_OUTPUT } from './manifest';
import { CutoverPhase } from '../migration-orchestrator/operator-command';
import { ConsoleError, EXIT } from '../private/exit-codes';

/**
 * The cutover record's key value (`RECORD_KEY` of src/migration-orchestrator/state-machine/cutover-record.ts, which the
 * console cannot import: it pulls in aws-cdk-lib). test/system/console/record.test.ts checks that the two agree.
 */
export const RECORD_KEY = 'cutover';

/** Phases in which a workflow holds the record: it may still move traffic or the writer, or left them half-moved. */
export const HELD_PHASES: readonly string[] = [CutoverPhase.SHIFTING, CutoverPhase.SWITCHING, CutoverPhase.ROLLING_BACK, CutoverPhase.STUCK];

/**
 * How long after its holder ended the console leaves a record to the automatic recovery (EventBridge starts it
 * within seconds of an execution ending ABORTED, TIMED_OUT or FAILED; it never takes over a STUCK record).
 */
export const AUTO_RECOVERY_GRACE_SECONDS = 60;

/** The execution that holds the record (`owner`). */
export interface RecordHolder {
  readonly arn: string;
  readonly name: string;
  /** The workflow it is an execution of (from the manifest's state machine ARNs). */
  readonly workflow: 'cutover' | 'alarm rollback' | 'recovery' | 'unknown workflow';
  /**
   * DescribeExecution's status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, …); `GONE` when Step Functions no
   * longer has it (an ended execution is kept 90 days); undefined when it could not be read.
   */
  readonly status?: string;
  readonly stopped?: string;
}

/**
 * What the console makes of the record:
 * - `idle`: nothing holds it; a cutover may start;
 * - `complete`: the cutover completed (final);
 * - `held`: a running execution holds it and decides;
 * - `recoverable`: STUCK, or held by an execution that has ended — `payment-migration recover` takes it over;
 * - `unknown`: the holder could not be read, a held phase without a holder, or a phase this console does not know.
 */
export type RecordVerdict = 'idle' | 'complete' | 'held' | 'recoverable' | 'unknown';

/** The cutover record as the console reads it (GetItem, strongly consistent). */
export interface RecordState {
  readonly table: string;
  /** The `phase` attribute; `IDLE` when the item was never written. */
  readonly phase: string;
  /** Whether the item exists. */
  readonly exists: boolean;
  readonly holder?: RecordHolder;
  /** `at`: when the last claim was made. */
  readonly since?: string;
  /** `by`: the state machine of the last claimant. */
  readonly by?: string;
  /** `cutover`: the execution that started this attempt. */
  readonly cutover?: string;
  readonly lastOwner?: string;
  readonly claims?: number;
  readonly verdict: RecordVerdict;
  /** The automatic recovery may still take it over (see {@link awaitingAutomaticRecovery}). */
  readonly awaitingAutomaticRecovery?: boolean;
}

const iso = (d: Date | string | undefined) => (d === undefined ? undefined : new Date(d).toISOString());

/** The record's table, or an error that says the stack predates it. */
export function recordTable(manifest: ConsoleManifest, stackName: string): string {
  if (!manifest.tbl) {
    throw new ConsoleError(
      `The ${CONSOLE_MANIFEST_OUTPUT} of ${stackName} names no cutover record table (key tbl): the stack was deployed with an older ` +
        'cdk-payment-migration, whose workflows keep no cutover record. Redeploy it with the current library.',
      EXIT.AWS_ERROR,
    );
  }
  return manifest.tbl;
}

/** The workflow an execution ARN belongs to (`arn:aws:states:<region>:<account>:execution:<state machine>:<name>`). */
export function workflowOf(manifest: ConsoleManifest, executionArn: string): RecordHolder['workflow'] {
  const machine = executionArn.split(':')[6];
  const nameOf = (arn: string | undefined) => arn?.split(':')[6];
  if (machine && machine === nameOf(manifest.sm)) return 'cutover';
  if (machine && machine === nameOf(manifest.rb)) return 'alarm rollback';
  if (machine && machine === nameOf(manifest.rc)) return 'recovery';
  return 'unknown workflow';
}

/** The verdict on a record (pure). */
export function verdictOf(r: Pick<RecordState, 'phase' | 'holder'>): RecordVerdict {
  if (r.phase === CutoverPhase.IDLE) return 'idle';
  if (r.phase === CutoverPhase.COMPLETE) return 'complete';
  if (!HELD_PHASES.includes(r.phase) || !r.holder?.status) return 'unknown';
  return r.holder.status === 'RUNNING' ? 'held' : 'recoverable';
}

/**
 * Whether the automatic recovery may still take the record over: held (not STUCK) by an execution that ended less
 * than a minute ago, on a stack with the recovery workflow. `recover` is safe meanwhile (of two claims one wins).
 */
export function awaitingAutomaticRecovery(r: Pick<RecordState, 'phase' | 'holder' | 'verdict'>, manifest: ConsoleManifest, now: Date): boolean {
  if (r.verdict !== 'recoverable' || r.phase === CutoverPhase.STUCK || !manifest.rc || !r.holder?.stopped) return false;
  return now.getTime() - new Date(r.holder.stopped).getTime() < AUTO_RECOVERY_GRACE_SECONDS * 1000;
}

/**
 * Reads the record and describes its holder. `strict`: an error describing the holder is an error (recover, start);
 * otherwise the holder's status is left unknown (status).
 */
export async function readRecord(aws: Aws, manifest: ConsoleManifest, stackName: string, strict: boolean, now = new Date()): Promise<RecordState> {
  const table = recordTable(manifest, stackName);
  const out = await call(`reading the cutover record (table ${table})`, () => aws.dynamodb().send(new GetItemCommand({
    TableName: table,
    Key: { pk: { S: RECORD_KEY } },
    ConsistentRead: true,
  })), aws.region);
  const item = out.Item;
  const phase = item?.phase?.S ?? CutoverPhase.IDLE;
  const owner = item?.owner?.S;
  const holder = owner ? await describeHolder(aws, manifest, owner, strict) : undefined;
  const claims = item?.claims?.N !== undefined ? Number(item.claims.N) : undefined;
  const record = {
    table,
    phase,
    exists: item !== undefined,
    holder,
    since: item?.at?.S,
    by: item?.by?.S,
    cutover: item?.cutover?.S,
    lastOwner: item?.lastOwner?.S,
    claims,
  };
  const verdict = verdictOf(record);
  const awaiting = awaitingAutomaticRecovery({ ...record, verdict }, manifest, now);
  return { ...record, verdict, ...(awaiting ? { awaitingAutomaticRecovery: true } : {}) };
}

async function describeHolder(aws: Aws, manifest: ConsoleManifest, arn: string, strict: boolean): Promise<RecordHolder> {
  const base = { arn, name: arn.split(':')[7] ?? arn, workflow: workflowOf(manifest, arn) };
  try {
    const d = await aws.sfn().send(new DescribeExecutionCommand({ executionArn: arn }));
    return { ...base, status: d.status, stopped: iso(d.stopDate) };
  } catch (e: any) {
    if (e?.name === 'ExecutionDoesNotExist') return { ...base, status: 'GONE' };
    if (strict) throw translate(e, `describing ${base.name}, the holder of the cutover record`, aws.region);
    return base;
  }
}

const hhmmss = (t: string | undefined) => (t ? `${t.slice(11, 19)}Z` : '—');

/** `STUCK · held by recover-… (recovery, FAILED) since 21:58:00Z` (pure). */
export function recordSummary(r: RecordState): string {
  const holder = r.holder ? ` · held by ${r.holder.name} (${r.holder.workflow}, ${r.holder.status === undefined ? 'status unknown' : r.holder.status === 'GONE' ? 'no longer listed' : r.holder.status})` : '';
  return `${r.phase}${holder}${r.since ? ` since ${hhmmss(r.since)}` : ''}`;
}

/** What the record means and what to do about it, one line each (pure; `suffix` is the `--stack`/`--region` part). */
export function recordAdvice(r: RecordState, suffix: string): string[] {
  const recover = `payment-migration recover${suffix}`;
  switch (r.verdict) {
    case 'idle':
      return [r.exists ? 'no workflow holds it: a cutover may start' : 'never claimed: no cutover has run; a cutover may start'];
    case 'complete':
      return ['the cutover completed: traffic (and the writer) on the target. Final: a new cutover is refused'];
    case 'held':
      return [r.phase === CutoverPhase.ROLLING_BACK ? 'it runs and rolls back: the writer first, then traffic' : 'it runs and decides'];
    case 'recoverable': {
      const why = r.phase === CutoverPhase.STUCK
        ? 'a rollback could not finish: nothing automatic acts on it again'
        : `${r.holder!.name} ended (${r.holder!.status === 'GONE' ? 'no longer listed' : r.holder!.status}) holding it: nobody is rolling back`;
      if (r.awaitingAutomaticRecovery) {
        return [`${why}; the recovery workflow normally takes it over within seconds of the end`, `if it has not within a minute: ${recover}`];
      }
      return [why, `recover: ${recover}  (writer first, then traffic; the record ends IDLE)`];
    }
    default:
      if (!HELD_PHASES.includes(r.phase)) return ['a phase this console does not know: upgrade cdk-payment-migration'];
      if (!r.holder) return ['no holder named (no owner attribute): not a state the workflows leave; read it with aws dynamodb get-item and decide by hand'];
      return [`the state of ${r.holder.name} could not be read: check the permissions (grantOperate) and run status again`];
  }
}
