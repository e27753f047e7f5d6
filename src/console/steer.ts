import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { Aws, call } from './aws';
import { ConsoleManifest } from './manifest';
import { progressOf } from './progress';
import { readRecord, recordSummary, RecordState } from './record';
import { historyOf, latestExecution, readParameter } from './snapshot';
import { CutoverPhase, OperatorCommand } from '../migration-orchestrator/operator-command';
import { ConsoleError, EXIT } from '../private/exit-codes';

/** The operator commands and the control parameter value each writes. */
export const CONTROL_VALUES = { pause: 'PAUSE', resume: 'RUN', skip: 'SKIP_BAKE', abort: 'ABORT' } as const;
export type ControlCommand = keyof typeof CONTROL_VALUES;

/**
 * What each command does to a running cutover. A value counts only when written after the cutover started (a newer
 * parameter version than the one it read at its start); the workflows never write the parameter.
 */
const WHAT_IT_DOES: Record<ControlCommand, string> = {
  pause: 'the cutover holds at its next poll; gating alarms still roll it back; it rolls back itself if paused longer than its pause budget (15 min by default). During the pre-checks: the start is refused when they end, nothing moved',
  resume: 'the cutover goes on at its next poll',
  skip: 'the current bake ends at the next poll and the cutover moves to the next step (taken once, by its parameter version: the value may stay). During the pre-checks it is not taken',
  abort: 'the cutover rolls back at its next poll — in any bake, or right before the database switchover: the database writer first, if it moved, then traffic. During the pre-checks: the start is refused when they end, nothing moved',
};

/** A timestamp for an execution name: `20261201T215623Z`. */
const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/**
 * `start`: refuses while an execution runs (the workflow's own lock would, too), while the cutover record is not IDLE
 * (the workflow refuses that too: CutoverAlreadyRunning), or while the control parameter holds a PAUSE or ABORT left
 * over (its pre-check refuses those; a SKIP_BAKE left over is harmless: a cutover takes only a value written after its
 * start).
 */
export async function start(aws: Aws, manifest: ConsoleManifest, stackName: string, suffix: string): Promise<{ lines: string[]; arn: string }> {
  const running = await latestExecution(aws, manifest, 'RUNNING');
  if (running) {
    throw new ConsoleError(`Refused: cutover ${running.name} is running (started ${new Date(running.startDate!).toISOString()}); only one may run at a time.\nWatch it: payment-migration status --watch${suffix}`, EXIT.REFUSED);
  }
  // A stack deployed before the record has none to read: its workflow's own lock decides.
  if (manifest.tbl) {
    const record = await readRecord(aws, manifest, stackName, true);
    if (record.phase !== CutoverPhase.IDLE) throw notIdle(record, suffix);
  }
  const control = await readParameter(aws, manifest.ctl);
  if (control !== OperatorCommand.RUN && control !== OperatorCommand.SKIP_BAKE) {
    throw new ConsoleError(`Refused: the control parameter ${manifest.ctl} is ${control}, left over from an earlier cutover; the cutover's pre-check refuses a start on a PAUSE or ABORT.\nReset it with: payment-migration resume${suffix} --force`, EXIT.REFUSED);
  }
  const name = `cutover-${stamp()}`;
  const out = await call('starting the cutover', () => aws.sfn().send(new StartExecutionCommand({ stateMachineArn: manifest.sm, name, input: JSON.stringify({ startedBy: 'payment-migration console' }) })), aws.region, stackName);
  return {
    arn: out.executionArn!,
    lines: [
      `Started cutover ${name}`,
      `  execution ${out.executionArn}`,
      ...(control === OperatorCommand.SKIP_BAKE ? ['  (the control parameter holds SKIP_BAKE from before: not taken, a cutover takes only a value written after its start)'] : []),
      `  watch:  payment-migration status --watch${suffix}`,
      `  steer:  payment-migration pause|resume|skip|abort${suffix}`,
    ],
  };
}

/** Why a start is refused by a record that is not IDLE, and what to do. */
function notIdle(r: RecordState, suffix: string): ConsoleError {
  const since = r.since ? ` since ${r.since}` : '';
  switch (r.verdict) {
    case 'complete':
      return new ConsoleError(`Refused: the cutover is complete (record COMPLETE${since}): traffic and the writer are on the target. COMPLETE is final; ` +
        'the workflow refuses a new cutover too.', EXIT.REFUSED);
    case 'held':
      return new ConsoleError(`Refused: the migration is not idle: ${r.holder!.name} (${r.holder!.workflow}) runs and holds the cutover record (${r.phase}${since}).\n` +
        `Wait until it ends: payment-migration status --watch${suffix}`, EXIT.REFUSED);
    case 'recoverable':
      return new ConsoleError(`Refused: the migration is not idle: the cutover record is ${recordSummary(r)}` +
        `${r.phase === CutoverPhase.STUCK ? ' — a rollback could not finish' : ' — it ended holding the record'}.\n` +
        `Recover first (the database writer first, then traffic; the record ends IDLE): payment-migration recover${suffix}\nThen start again.`, EXIT.REFUSED);
    default:
      return new ConsoleError(`Refused: the migration is not idle: the cutover record is ${recordSummary(r)} (see payment-migration status${suffix}).`, EXIT.REFUSED);
  }
}

/**
 * `pause`, `resume`, `skip`, `abort`: writes the control parameter while a cutover runs — in any phase: the cutover
 * reads it at every poll of every bake (the traffic steps', the one after the database switchover or writer move) and,
 * for ABORT, right before the switchover. `resume --force` with no cutover running resets a leftover value (PAUSE,
 * ABORT, SKIP_BAKE) to RUN before a start.
 */
export async function steer(aws: Aws, manifest: ConsoleManifest, command: ControlCommand, suffix: string, force = false): Promise<string[]> {
  const value = CONTROL_VALUES[command];
  if (force && command !== 'resume') {
    throw new ConsoleError(`--force is for resume only (it resets a leftover value before a start); ${command} is for a running cutover`, EXIT.USAGE);
  }
  const running = await latestExecution(aws, manifest, 'RUNNING');
  if (!running && !force) {
    throw new ConsoleError(`Refused: no cutover is running, so nothing reads the control parameter. Start one with: payment-migration start${suffix}` +
      (command === 'resume' ? `\n(to reset a leftover value before a start: payment-migration resume${suffix} --force)` : ''), EXIT.REFUSED);
  }
  const current = await readParameter(aws, manifest.ctl);
  if (!running && current === value) return [`${manifest.ctl}: already ${value}: nothing to reset`];
  await call(`writing ${value} to ${manifest.ctl}`, () => aws.ssm().send(new PutParameterCommand({ Name: manifest.ctl, Value: value, Type: 'String', Overwrite: true })), aws.region);
  return [
    `${manifest.ctl}: ${current} → ${value}`,
    running ? `  ${running.name}: ${WHAT_IT_DOES[command]}.` : '  (no cutover running: reset for the next start, which finds RUN)',
  ];
}

/**
 * `recover`: starts the recovery workflow by hand for the execution that holds the cutover record — a rollback that
 * could not finish (STUCK), or any held phase whose holder has ended. The recovery takes the record over from that
 * holder (a conditional write: of two recoveries one wins) and rolls back, the database writer first, then traffic,
 * releasing the record to IDLE. Refused when there is nothing to recover (IDLE, COMPLETE) or the holder still runs.
 */
export async function recover(
  aws: Aws, manifest: ConsoleManifest, stackName: string, suffix: string,
): Promise<{ lines: string[]; arn: string; record: RecordState }> {
  const r = await readRecord(aws, manifest, stackName, true);
  const since = r.since ? ` since ${r.since}` : '';
  switch (r.verdict) {
    case 'idle':
      throw new ConsoleError(`Nothing to recover: the cutover record is IDLE${r.exists ? since : ' (never claimed)'} — no workflow holds it. ` +
        `A cutover may start: payment-migration start${suffix}`, EXIT.REFUSED);
    case 'complete':
      throw new ConsoleError(`Nothing to recover: the cutover is complete (record COMPLETE${since}): traffic and the writer are on the target. COMPLETE is final.`, EXIT.REFUSED);
    case 'held':
      throw new ConsoleError(`Refused: ${r.holder!.name} (${r.holder!.workflow}) still runs and holds the cutover record (${r.phase}${since}): it decides, nothing to recover.\n` +
        `Watch it: payment-migration status --watch${suffix}` +
        (r.holder!.workflow === 'cutover' ? `\nTo roll it back now: payment-migration abort${suffix}` : ''), EXIT.REFUSED);
    case 'unknown':
      throw new ConsoleError(`Refused: the cutover record is ${recordSummary(r)}, which this console cannot recover: ` +
        (!r.holder ? 'no holder is named (not a state the workflows leave). ' : '') +
        `Read it: aws dynamodb get-item --region ${aws.region} --table-name ${r.table} --key '{"pk":{"S":"cutover"}}' --consistent-read`, EXIT.REFUSED);
  }
  if (!manifest.rc) {
    throw new ConsoleError(`Refused: this stack has no recovery workflow (recoverEndedExecutions: false), so the record (${recordSummary(r)}) cannot be taken over.\n` +
      `Roll back by hand: the ManualRollback runbook section (payment-migration runbook${suffix})`, EXIT.REFUSED);
  }
  const holder = r.holder!;
  const name = `recover-${stamp()}`;
  const out = await call('starting the recovery', () => aws.sfn().send(new StartExecutionCommand({
    stateMachineArn: manifest.rc,
    name,
    input: JSON.stringify({ execution: holder.arn, manual: true }),
  })), aws.region, stackName);
  return {
    arn: out.executionArn!,
    record: r,
    lines: [
      `Started recovery ${name}: it takes the cutover record over from ${holder.name} (${holder.workflow}, ${holder.status === 'GONE' ? 'no longer listed' : holder.status}; ${r.phase}${since})`,
      '  and rolls back: the database writer first (if it moved), then traffic to the source; the record ends IDLE.',
      '  If it cannot finish, the record is STUCK again, held by this recovery: recover again once the cause is fixed.',
      ...(r.awaitingAutomaticRecovery ? ['  (if the automatic recovery took the record first, this one ends "Not the holder of the record: nothing to recover")'] : []),
      `  execution ${out.executionArn}`,
      `  watch:  payment-migration status --watch${suffix}   (Record: ROLLING_BACK held by ${name}, then IDLE)`,
      `          aws stepfunctions describe-execution --region ${aws.region} --execution-arn ${out.executionArn}`,
    ],
  };
}

/** `approve` / `reject`: finds the waiting task token in the running execution's history and answers it. */
export async function answer(aws: Aws, manifest: ConsoleManifest, approve: boolean, suffix: string, reason?: string): Promise<string[]> {
  const running = await latestExecution(aws, manifest, 'RUNNING');
  if (!running?.executionArn) throw new ConsoleError(`Refused: no cutover is running, so no approval is waiting.${suffix ? ` (payment-migration status${suffix})` : ''}`, EXIT.REFUSED);
  const progress = progressOf(await historyOf(aws, running.executionArn));
  const pending = progress.pendingApproval;
  if (!pending) {
    throw new ConsoleError(`Refused: cutover ${running.name} is not waiting for an approval (it is at: ${progress.state ?? 'its start'}).`, EXIT.REFUSED);
  }
  if (approve) {
    await call('answering the approval', () => aws.sfn().send(new SendTaskSuccessCommand({ taskToken: pending.token, output: JSON.stringify({ approvedBy: 'payment-migration console', ...(reason ? { reason } : {}) }) })), aws.region);
    return [`Approved: ${pending.what} (${running.name}, waiting since ${pending.since}).`, `  watch: payment-migration status --watch${suffix}`];
  }
  await call('answering the approval', () => aws.sfn().send(new SendTaskFailureCommand({ taskToken: pending.token, error: 'Rejected', cause: reason ?? 'rejected by operator (payment-migration reject)' })), aws.region);
  return [
    `Rejected: ${pending.what} (${running.name}).`,
    pending.state === 'Approval: before first step' ? '  The cutover ends; no traffic was moved.' : '  The cutover rolls back: traffic to the source.',
  ];
}
