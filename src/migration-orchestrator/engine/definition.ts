import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { BuildContext, PreCheckBuilder, SwitchoverPlugin } from './contracts';
import { bake, checkpoint, gateFailures, notify, publishSplit, readControl, readGates, setSplit, TRANSIENT_RETRY, writeControl } from './state-builders';
import { CutoverSteps } from '../cutover-steps';
import { OperatorCommand, SWITCHOVER_IN_PROGRESS } from '../operator-command';

/** What the cutover definition is made of. @internal */
export interface CutoverPlan {
  readonly steps: CutoverSteps;
  readonly bakeTime: Duration;
  /** The gates' pre-checks, in order. */
  readonly preChecks: PreCheckBuilder[];
  readonly switchover?: SwitchoverPlugin;
  readonly approveBeforeFirstStep: boolean;
  readonly approveBeforeSwitchover: boolean;
  readonly approvalTimeout: Duration;
}

/** Gate alarms, read and judged, then `next`. @internal */
function checkGates(ctx: BuildContext, prefix: string, atStart: boolean, next: sfn.IChainable): sfn.IChainable {
  if (ctx.alarms.length === 0) return next;
  const read = readGates(ctx, prefix);
  const judge = new sfn.Choice(ctx.scope, `${prefix}: gates OK?`);
  for (const f of gateFailures(ctx, prefix, atStart)) judge.when(f.condition, f.fail);
  judge.otherwise(next);
  read.end.next(judge);
  return read.start;
}

/** A manual approval: a task token published to the topic; SendTaskSuccess continues, SendTaskFailure stops. @internal */
function approval(ctx: BuildContext, id: string, what: string, timeout: Duration): tasks.SnsPublish {
  return new tasks.SnsPublish(ctx.scope, id, {
    topic: ctx.topic,
    subject: `Approval needed: ${what}`,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    message: sfn.TaskInput.fromObject({
      approvalNeededFor: what,
      execution: sfn.JsonPath.executionId,
      approve: sfn.JsonPath.format("aws stepfunctions send-task-success --task-token {} --task-output '{}'", sfn.JsonPath.taskToken, '{}'),
      reject: sfn.JsonPath.format("aws stepfunctions send-task-failure --task-token {} --error Rejected --cause 'rejected by operator'", sfn.JsonPath.taskToken),
    }),
    taskTimeout: sfn.Timeout.duration(timeout),
    resultPath: sfn.JsonPath.DISCARD,
  });
}

/** Attempts of the rollback shift; with a 5-minute INSYNC timeout each, this fits the execution history. */
export const ROLLBACK_ATTEMPTS = 20;

/**
 * The rollback: weights back to the source in one change, confirmed in effect, retried until it succeeds (or, after
 * about half an hour of failures, a loud RollbackFailed). Then a notification and a checkpoint, then `end`.
 * Expects `$.error` ({ Error, Cause }) in its input.
 * @internal
 */
export function rollback(ctx: BuildContext, end: sfn.IChainable, options: { writer: boolean } = { writer: true }): sfn.IChainable {
  const set = setSplit(ctx, 'Rollback: set split to source', ctx.shifter.splitFor(0));
  const shift = new sfn.Parallel(ctx.scope, 'Rollback: shift to source', { resultPath: sfn.JsonPath.DISCARD });
  shift.branch(ctx.shifter.shiftFragment(ctx.scope, 'Rollback'));
  shift.addRetry({
    errors: ['States.ALL'],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxDelay: Duration.seconds(30),
    maxAttempts: ROLLBACK_ATTEMPTS,
    jitterStrategy: sfn.JitterType.FULL,
  });
  const failed = notify(ctx, 'Rollback: notify failure', 'ROLLBACK FAILED: move traffic by hand', 'The automatic rollback could not set the weights back to the source: run the manual route53 command of the runbook')
    .next(new sfn.Fail(ctx.scope, 'Rollback failed', { error: 'RollbackFailed', cause: 'The weights could not be set back to the source: act by hand' }));
  shift.addCatch(failed, { resultPath: '$.rollbackError' });
  const weights = set
    .next(shift)
    .next(publishSplit(ctx, 'Rollback: publish split'))
    .next(notify(ctx, 'Rollback: notify', 'Cutover rolled back', 'Traffic is back on the source, after the database writer if it had moved (the notifications before this one say where it is)'))
    .next(checkpoint(ctx, 'Rollback: checkpoint', 'rollback', true))
    .next(writeControl(ctx, 'Rollback: reset control', OperatorCommand.RUN, true))
    .next(end);
  // A writer that moved comes back first: traffic never reaches a side whose database is not the writer.
  return (options.writer ? ctx.switchover?.bindRollback?.(ctx, weights) : undefined) ?? weights;
}

/**
 * The cutover state machine: lock, pre-checks, approval, steps with bakes, switchover; any failure after the
 * first shift rolls back.
 * @internal
 */
export function cutoverDefinition(ctx: BuildContext, plan: CutoverPlan, selfArn: string): sfn.IChainable {
  const scope = ctx.scope;

  // --- Steps and switchover, built backwards so each bake knows what follows it
  const branchEnd = new sfn.Pass(scope, 'Cutover steps done');
  let next: sfn.IChainable = branchEnd;
  if (plan.switchover) {
    // While the writer moves, operator commands are not read and the alarm-rollback workflow only notifies.
    // An ABORT written since the last poll (or during the approval) is honoured before the marker replaces it.
    const lastWord = readControl(ctx, 'Switchover: operator control');
    lastWord.next(new sfn.Choice(scope, 'Switchover: not aborted?')
      .when(sfn.Condition.stringEquals('$.control.value', OperatorCommand.ABORT), new sfn.Fail(scope, 'Switchover: operator abort', {
        error: 'OperatorAbort',
        cause: `An operator set the control parameter to ${OperatorCommand.ABORT} before the database switchover`,
      }))
      .otherwise(writeControl(ctx, 'Switchover: mark in progress', SWITCHOVER_IN_PROGRESS, false).next(plan.switchover.bind(ctx, next))));
    let switchover: sfn.IChainable = lastWord;
    switchover = checkGates(ctx, 'Switchover', false, switchover);
    next = plan.approveBeforeSwitchover
      ? approval(ctx, 'Approval: before switchover', 'database switchover', plan.approvalTimeout).next(switchover)
      : switchover;
  }
  const steps = plan.steps.steps;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    const prefix = `Step ${i + 1} (${step.targetPercent}%)`;
    const bakeStart = bake(ctx, prefix, step.bakeTime ?? plan.bakeTime, next);
    next = setSplit(ctx, `${prefix}: set split`, ctx.shifter.splitFor(step.targetPercent))
      .next(ctx.shifter.shiftFragment(scope, prefix))
      .next(publishSplit(ctx, `${prefix}: publish split`))
      .next(notify(ctx, `${prefix}: notify`, `Cutover step ${i + 1}: ${step.targetPercent}% on the target`, `Traffic split set to ${100 - step.targetPercent}/${step.targetPercent} (source/target)`))
      .next(checkpoint(ctx, `${prefix}: checkpoint`, `step-${i + 1}-${step.targetPercent}`, false))
      .next(bakeStart);
  }
  const cutover = new sfn.Parallel(scope, 'Cutover', { outputPath: '$[0]' });
  cutover.branch(sfn.Chain.start(next));

  // --- Any failure inside the cutover rolls back; the execution then fails with the reason
  const rolledBack = new sfn.Fail(scope, 'Cutover rolled back', { error: 'CutoverRolledBack', causePath: '$.error.Cause' });
  cutover.addCatch(rollback(ctx, rolledBack), { resultPath: '$.error' });

  const done = cutover
    .next(writeControl(ctx, 'Reset control', OperatorCommand.RUN, true))
    .next(notify(ctx, 'Notify: cutover complete', 'Cutover complete', 'All traffic is on the target'))
    .next(checkpoint(ctx, 'Checkpoint: complete', 'complete', true))
    .next(new sfn.Succeed(scope, 'Cutover complete'));

  // --- Before any traffic moves: lock, notify, control at RUN, pre-checks (they may wait, e.g. for a DMS full load),
  // the approval if asked for, control at RUN again, then the gate alarms, fresh, just before traffic moves.
  const controlAtRun = (prefix: string, then: sfn.IChainable): sfn.IChainable => {
    const read = readControl(ctx, `${prefix}: operator control`);
    read.next(
      new sfn.Choice(scope, `${prefix}: control at RUN?`)
        .when(sfn.Condition.stringEquals('$.control.value', OperatorCommand.RUN), then)
        .otherwise(new sfn.Fail(scope, `${prefix} failed: control parameter not at RUN`, {
          error: 'PreCheckFailed',
          cause: `The control parameter is not ${OperatorCommand.RUN} (a leftover command, or an abort): set it to ${OperatorCommand.RUN} before starting. No traffic was moved.`,
        })),
    );
    return read;
  };
  let beforeFirstShift: sfn.IChainable = checkGates(ctx, 'Pre-check', true, done);
  if (plan.approveBeforeFirstStep) {
    const ask = approval(ctx, 'Approval: before first step', 'the first traffic shift', plan.approvalTimeout);
    ask.addCatch(new sfn.Fail(scope, 'Not approved: no traffic moved', { error: 'NotApproved', causePath: '$.error.Cause' }), { resultPath: '$.error' });
    beforeFirstShift = ask.next(controlAtRun('Approved', beforeFirstShift));
  }
  const lastPreCheck = plan.switchover?.bindPreCheck?.(ctx, beforeFirstShift) ?? beforeFirstShift;
  const preChecks = plan.preChecks
    .reduceRight<sfn.IChainable>((following, build) => build(scope, following), lastPreCheck);
  const control = controlAtRun('Pre-check', preChecks);

  const init = new sfn.Pass(scope, 'Start cutover', {
    parameters: { cutover: { 'execution.$': '$$.Execution.Name', 'input.$': '$' }, pauseBudget: { remaining: ctx.pausePolls } },
  });
  const lock = new tasks.CallAwsService(scope, 'Only one cutover at a time', {
    service: 'sfn',
    action: 'listExecutions',
    iamResources: [selfArn],
    parameters: { 'StateMachineArn.$': '$$.StateMachine.Id', 'StatusFilter': 'RUNNING' },
    resultSelector: { 'running.$': 'States.ArrayLength($.Executions)' },
    resultPath: '$.lock',
  });
  lock.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 4 });
  const refuse = new sfn.Fail(scope, 'Refused: another cutover is running', {
    error: 'CutoverAlreadyRunning',
    cause: 'Another execution of this cutover is running: only one may run at a time. No traffic was moved.',
  });
  return init
    .next(lock)
    .next(
      new sfn.Choice(scope, 'Another cutover running?')
        .when(sfn.Condition.numberGreaterThan('$.lock.running', 1), refuse)
        .otherwise(
          notify(ctx, 'Notify: cutover starting', 'Cutover starting', 'Pre-checks are running; no traffic has moved yet').next(control),
        ),
    );
}

/**
 * The event-driven rollback: started by EventBridge when a gating alarm enters ALARM. Acts only while a cutover
 * runs: stops it, then rolls back. With no cutover running (none started, or one that completed) it does nothing.
 * @internal
 */
export function alarmRollbackDefinition(ctx: BuildContext, cutoverArn: string): sfn.IChainable {
  const scope = ctx.scope;
  // The whole list, not `$.Executions[*].ExecutionArn`: a wildcard over an empty list matches nothing.
  const find = runningCutovers(scope, 'Find running cutover', cutoverArn, { 'executions.$': '$.Executions' }, '$.running');
  const stop = new tasks.CallAwsService(scope, 'Stop the cutover', {
    service: 'sfn',
    action: 'stopExecution',
    iamResources: [executionsOf(cutoverArn)],
    parameters: {
      'ExecutionArn.$': '$.running.executions[0].ExecutionArn',
      'Error': 'AlarmRollback',
      'Cause.$': "States.Format('Gating alarm {} entered ALARM', $.alarm)",
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  stop.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 4 });
  const reason = new sfn.Pass(scope, 'Record the alarm', {
    parameters: { 'Error': 'AlarmRollback', 'Cause.$': "States.Format('Gating alarm {} entered ALARM', $.alarm)" },
    resultPath: '$.error',
  });
  // Even if the stop fails, roll back: the cutover's own polls would see the alarm and roll back to the same split.
  stop.addCatch(reason, { resultPath: '$.stopError' });
  const duringSwitchover = notify(ctx, 'Notify: alarm during switchover', 'ALARM during the database switchover: decide by hand',
    'A gating alarm entered ALARM while the database writer moves: traffic was not moved automatically')
    .next(new sfn.Succeed(scope, 'Switchover in progress: left to the operator'));
  // Traffic only: a writer that moved is moved back by the cutover's own rollback (its polls see the same alarm),
  // so that one execution at a time decides about the database.
  const act = stop.next(reason).next(rollback(ctx, new sfn.Succeed(scope, 'Rolled back after alarm'), { writer: false }));
  const writerNotOnSource = notify(ctx, 'Notify: alarm while the writer is not on the source', 'ALARM while the database writer is moving or moved',
    'A gating alarm entered ALARM while the database writer is not on the source: the cutover\'s own polls roll back, writer first')
    .next(new sfn.Succeed(scope, 'Writer not on the source: left to the cutover'));
  const phase = readControl(ctx, 'Read cutover phase');
  phase.next(
    new sfn.Choice(scope, 'Switchover in progress?')
      .when(sfn.Condition.stringEquals('$.control.value', SWITCHOVER_IN_PROGRESS), duringSwitchover)
      .otherwise(ctx.switchover?.bindEventGuard?.(ctx, act, writerNotOnSource) ?? act),
  );
  return find.next(
    new sfn.Choice(scope, 'Cutover running?')
      .when(sfn.Condition.isPresent('$.running.executions[0]'), phase)
      .otherwise(new sfn.Succeed(scope, 'No cutover running: nothing to do')),
  );
}

/**
 * The recovery workflow: started by EventBridge when a cutover execution ends without running its own rollback —
 * stopped by hand, timed out, or failed on a Step Functions runtime error (`States.*`: those cannot be caught).
 * Unless another cutover runs by then, it rolls back as the cutover would have: the writer first (DMS path), then
 * traffic. Executions that ended through their own states (rolled back, refused, pre-check failed, rollback
 * failed), and those the alarm-rollback workflow stopped (it rolls back itself), are left alone.
 * @internal
 */
export function recoveryDefinition(ctx: BuildContext, cutoverArn: string): sfn.IChainable {
  const scope = ctx.scope;
  const describe = new tasks.CallAwsService(scope, 'Describe the ended cutover', {
    service: 'sfn',
    action: 'describeExecution',
    iamResources: [executionsOf(cutoverArn)],
    parameters: { 'ExecutionArn.$': '$.execution' },
    resultSelector: { 'status.$': '$.Status', 'described.$': '$' },
    resultPath: '$.ended',
  });
  describe.addRetry(TRANSIENT_RETRY);
  const leave = new sfn.Succeed(scope, 'Ended through its own states: nothing to recover');
  const find = runningCutovers(scope, 'Another cutover running?', cutoverArn, { 'running.$': 'States.ArrayLength($.Executions)' }, '$.lock');
  const reason = new sfn.Pass(scope, 'Record why', {
    parameters: { 'Error': 'CutoverEndedWithoutRollback', 'Cause.$': "States.Format('The cutover execution {} ended {} without its rollback', $.execution, $.ended.status)" },
    resultPath: '$.error',
  });
  const recover = notify(ctx, 'Notify: recovering', 'Cutover ended without its rollback: rolling back', 'A cutover execution was stopped by hand, timed out or hit a runtime error: rolling back, the database writer first')
    .next(reason)
    .next(rollback(ctx, new sfn.Succeed(scope, 'Recovered')));
  const newer = notify(ctx, 'Notify: not recovering', 'Cutover ended without its rollback: another cutover runs, not touched',
    'A cutover execution ended without its rollback while another one runs: check the weights and the database writer by hand')
    .next(new sfn.Succeed(scope, 'Another cutover runs: left alone'));
  find.next(new sfn.Choice(scope, 'Nobody else running?')
    .when(sfn.Condition.numberEquals('$.lock.running', 0), recover)
    .otherwise(newer));
  const error = '$.ended.described.Error';
  return describe.next(new sfn.Choice(scope, 'Ended without its rollback?')
    .when(sfn.Condition.stringEquals('$.ended.status', 'TIMED_OUT'), find)
    // Not(IsPresent) rather than IsPresent: false, which aws-local-stepfunctions 3.0 never matches (the rehearsal runs there).
    .when(sfn.Condition.and(sfn.Condition.stringEquals('$.ended.status', 'ABORTED'), sfn.Condition.not(sfn.Condition.isPresent(error))), find)
    .when(sfn.Condition.and(
      sfn.Condition.stringEquals('$.ended.status', 'ABORTED'),
      sfn.Condition.isPresent(error),
      sfn.Condition.not(sfn.Condition.stringEquals(error, 'AlarmRollback')),
    ), find)
    .when(sfn.Condition.and(
      sfn.Condition.stringEquals('$.ended.status', 'FAILED'),
      sfn.Condition.isPresent(error),
      sfn.Condition.stringMatches(error, 'States.*'),
    ), find)
    .otherwise(leave));
}

/** ListExecutions of the cutover state machine, RUNNING only, read through `resultSelector`. @internal */
function runningCutovers(
  scope: Construct,
  id: string,
  cutoverArn: string,
  resultSelector: { [key: string]: string },
  resultPath: string,
): tasks.CallAwsService {
  const list = new tasks.CallAwsService(scope, id, {
    service: 'sfn',
    action: 'listExecutions',
    iamResources: [cutoverArn],
    parameters: { StateMachineArn: cutoverArn, StatusFilter: 'RUNNING' },
    resultSelector,
    resultPath,
  });
  list.addRetry(TRANSIENT_RETRY);
  return list;
}

/** Every execution of a state machine, as IAM names them. @internal */
export function executionsOf(stateMachineArn: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:*`;
}
