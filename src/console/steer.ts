import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { Aws, call } from './aws';
import { ConsoleError, EXIT } from './exit-codes';
import { ConsoleManifest } from './manifest';
import { progressOf } from './progress';
import { historyOf, latestExecution, readParameter } from './snapshot';

/** The operator commands and the control parameter value each writes. */
export const CONTROL_VALUES = { pause: 'PAUSE', resume: 'RUN', skip: 'SKIP_BAKE', abort: 'ABORT' } as const;
export type ControlCommand = keyof typeof CONTROL_VALUES;

const WHAT_IT_DOES: Record<ControlCommand, string> = {
  pause: 'the cutover holds at its next poll; gating alarms still roll it back; it rolls back itself if paused longer than its pause budget (15 min by default)',
  resume: 'the cutover goes on at its next poll',
  skip: 'the current bake ends at the next poll and the cutover moves to the next step (the cutover resets the parameter to RUN)',
  abort: 'the cutover rolls back at its next poll: traffic to the source (the database writer first, if it moved)',
};

/** `start`: refuses while an execution runs (the workflow's own lock would, too) or while the control is not RUN. */
export async function start(aws: Aws, manifest: ConsoleManifest, stackName: string, suffix: string): Promise<{ lines: string[]; arn: string }> {
  const running = await latestExecution(aws, manifest, 'RUNNING');
  if (running) {
    throw new ConsoleError(`Refused: cutover ${running.name} is running (started ${new Date(running.startDate!).toISOString()}); only one may run at a time.\nWatch it: payment-migration status --watch${suffix}`, EXIT.REFUSED);
  }
  const control = await readParameter(aws, manifest.ctl);
  if (control !== 'RUN') {
    throw new ConsoleError(`Refused: the control parameter ${manifest.ctl} is ${control}, not RUN (a leftover command); the cutover's pre-check would fail.\nClear it with: payment-migration resume${suffix} --force`, EXIT.REFUSED);
  }
  const name = `cutover-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  const out = await call('starting the cutover', () => aws.sfn().send(new StartExecutionCommand({ stateMachineArn: manifest.sm, name, input: JSON.stringify({ startedBy: 'payment-migration console' }) })), aws.region, stackName);
  return {
    arn: out.executionArn!,
    lines: [
      `Started cutover ${name}`,
      `  execution ${out.executionArn}`,
      `  watch:  payment-migration status --watch${suffix}`,
      `  steer:  payment-migration pause|resume|skip|abort${suffix}`,
    ],
  };
}

/** `pause`, `resume`, `skip`, `abort`: writes the control parameter, only while a cutover runs and reads it. */
export async function steer(aws: Aws, manifest: ConsoleManifest, command: ControlCommand, suffix: string, force = false): Promise<string[]> {
  const value = CONTROL_VALUES[command];
  const running = await latestExecution(aws, manifest, 'RUNNING');
  if (!running && !force) {
    throw new ConsoleError(`Refused: no cutover is running, so nothing reads the control parameter. Start one with: payment-migration start${suffix}` +
      (command === 'resume' ? `\n(to reset a leftover value before a start: payment-migration resume${suffix} --force)` : ''), EXIT.REFUSED);
  }
  const current = await readParameter(aws, manifest.ctl);
  if (current === 'SWITCHOVER') {
    throw new ConsoleError('Refused: the database switchover is in progress (control = SWITCHOVER): operator commands are not read until it ends. ' +
      'Watch it with payment-migration status --watch' + suffix, EXIT.REFUSED);
  }
  await call(`writing ${value} to ${manifest.ctl}`, () => aws.ssm().send(new PutParameterCommand({ Name: manifest.ctl, Value: value, Type: 'String', Overwrite: true })), aws.region);
  return [
    `${manifest.ctl}: ${current} → ${value}`,
    running ? `  ${running.name}: ${WHAT_IT_DOES[command]}.` : '  (no cutover running: the value is read by the next one)',
  ];
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
