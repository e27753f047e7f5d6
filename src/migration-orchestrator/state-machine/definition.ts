import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { bake } from './bake';
import { BuildContext, PreCheckBuilder, SwitchoverConfig } from './contracts';
import { CLAIM_REFUSED, ClaimOptions, CutoverPhase } from './cutover-record';
import { checkpoint, gateFailures, notify, publishSplit, readControl, readGates, setSplit } from './state-builders';
import { CutoverSteps } from '../cutover-steps';
import { OperatorCommand } from '../operator-command';

/** What the cutover definition is made of. @internal */
export interface CutoverPlan {
  readonly steps: CutoverSteps;
  readonly bakeTime: Duration;
  /** The gates' pre-checks, in order. */
  readonly preChecks: PreCheckBuilder[];
  readonly switchover?: SwitchoverConfig;
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

/** Attempts of the rollback shift (2 s doubling to 30 s between them, plus each attempt's wait for INSYNC). */
export const ROLLBACK_ATTEMPTS = 20;

/** A claim whose refusal means another workflow decides now: `stood` runs instead (after a notification, if any). */
function claimOrStandAside(ctx: BuildContext, id: string, options: ClaimOptions, standAside: sfn.IChainable): tasks.DynamoUpdateItem {
  const claim = ctx.record.claim(ctx.scope, id, options);
  claim.addCatch(standAside, { errors: [CLAIM_REFUSED], resultPath: '$.claimError' });
  return claim;
}

/** Options of {@link rollback}. @internal */
export interface RollbackOptions {
  /** Put the writer back first (the writer may have moved). */
  readonly writer: boolean;
  /** The claim made before anything moves; undefined when the caller claimed already. */
  readonly claim?: ClaimOptions;
  /** Where a refused claim goes (another workflow decides). */
  readonly standAside?: sfn.IChainable;
}

/**
 * The rollback: the writer back first (when it may have moved), then the weights back to the source in one change,
 * confirmed in effect, retried (20 attempts). Then a notification, a checkpoint, the record released (IDLE), and `end`.
 * If the writer or the weights cannot be put back, the record says STUCK (nothing automatic acts on it again; the
 * console's `recover` resumes it) and the execution fails with the reason. Expects `$.error` ({ Error, Cause }).
 * @internal
 */
export function rollback(ctx: BuildContext, end: sfn.IChainable, options: RollbackOptions): sfn.IChainable {
  const scope = ctx.scope;
  const set = setSplit(ctx, 'Rollback: set split to source', ctx.shifter.splitFor(0));
  const shift = new sfn.Parallel(scope, 'Rollback: shift to source', { resultPath: sfn.JsonPath.DISCARD });
  shift.branch(ctx.shifter.shiftFragment(scope, 'Rollback'));
  shift.addRetry({
    errors: ['States.ALL'],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxDelay: Duration.seconds(30),
    maxAttempts: ROLLBACK_ATTEMPTS,
    jitterStrategy: sfn.JitterType.FULL,
  });
  shift.addCatch(
    notify(ctx, 'Rollback: notify failure', 'ROLLBACK FAILED: move traffic by hand',
      'The automatic rollback could not set the weights back to the source: run the manual command of the runbook, or payment-migration recover')
      .next(new sfn.Fail(scope, 'Rollback failed', { error: 'RollbackFailed', cause: 'The weights could not be set back to the source: act by hand' })),
    { resultPath: '$.rollbackError' },
  );
  const weights = shift;
  // A writer that moved comes back first: traffic never reaches a side whose database is not the writer.
  const moves = (options.writer ? ctx.switchover?.bindRollback?.(ctx, weights) : undefined) ?? weights;

  // Everything that moves runs in one branch: a failure anywhere in it leaves the record STUCK, never half-held.
  const body = new sfn.Parallel(scope, 'Rollback: writer, then traffic', { resultPath: sfn.JsonPath.DISCARD });
  body.branch(moves);
  const stuck = ctx.record.claim(scope, 'Rollback: record stuck', { from: [CutoverPhase.ROLLING_BACK], to: CutoverPhase.STUCK, holder: 'self' });
  const failed = new sfn.Fail(scope, 'Rollback did not finish', { errorPath: '$.stuckError.Error', causePath: '$.stuckError.Cause' });
  stuck.addCatch(failed, { resultPath: '$.recordError' });
  body.addCatch(stuck.next(failed), { resultPath: '$.stuckError' });

  const release = ctx.record.claim(scope, 'Rollback: release the record', { from: [CutoverPhase.ROLLING_BACK], to: CutoverPhase.IDLE, holder: 'self', release: true });
  const done = set
    .next(body)
    .next(publishSplit(ctx, 'Rollback: publish split'))
    .next(notify(ctx, 'Rollback: notify', 'Cutover rolled back', 'Traffic is back on the source, after the database writer if it had moved (the notifications before this one say where it is)'))
    .next(checkpoint(ctx, 'Rollback: checkpoint', 'rollback', true))
    .next(release)
    .next(end);
  release.addCatch(end, { errors: [CLAIM_REFUSED], resultPath: '$.recordError' });
  if (!options.claim) return done;
  return claimOrStandAside(ctx, 'Rollback: claim the record', options.claim, options.standAside ?? end).next(done);
}

/**
 * The cutover state machine: claim the record (the one-cutover lock), pre-checks, approval, steps with bakes (each
 * step claimed), switchover (claimed), complete (claimed); any failure after the pre-checks rolls back — if this
 * execution still holds the record. Another workflow that took the record (the alarm rollback) decides instead.
 * @internal
 */
export function cutoverDefinition(ctx: BuildContext, plan: CutoverPlan): sfn.IChainable {
  const scope = ctx.scope;
  const lost = (id: string) => new sfn.Fail(scope, `${id}: record taken`, {
    error: 'ClaimLost',
    cause: 'Another workflow (an alarm rollback, or a recovery) holds the cutover record: this execution stands aside',
  });

  // --- Steps and switchover, built backwards so each bake knows what follows it
  const branchEnd = new sfn.Pass(scope, 'Cutover steps done');
  let next: sfn.IChainable = branchEnd;
  if (plan.switchover) {
    // The last operator word before the writer moves: an ABORT is honoured here; after the claim, by the post-move bake.
    const lastWord = readControl(ctx, 'Switchover: operator control');
    const claim = claimOrStandAside(ctx, 'Switchover: claim the record',
      { from: [CutoverPhase.SHIFTING], to: CutoverPhase.SWITCHING, holder: 'self' }, lost('Switchover'));
    lastWord.next(new sfn.Choice(scope, 'Switchover: not aborted?')
      .when(sfn.Condition.and(
        sfn.Condition.stringEquals('$.control.value', OperatorCommand.ABORT),
        sfn.Condition.numberGreaterThanJsonPath('$.control.version', '$.controlSeen'),
      ), new sfn.Fail(scope, 'Switchover: operator abort', {
        error: 'OperatorAbort',
        cause: `An operator set the control parameter to ${OperatorCommand.ABORT} before the database switchover`,
      }))
      .otherwise(claim.next(plan.switchover.bind(ctx, next))));
    const switchover = checkGates(ctx, 'Switchover', false, lastWord);
    next = plan.approveBeforeSwitchover
      ? approval(ctx, 'Approval: before switchover', 'database switchover', plan.approvalTimeout).next(switchover)
      : switchover;
  }
  const steps = plan.steps.steps;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    const prefix = `Step ${i + 1} (${step.targetPercent}%)`;
    const bakeStart = bake(ctx, prefix, step.bakeTime ?? plan.bakeTime, next);
    // Each shift is claimed: once another workflow took the record, this execution moves nothing more.
    next = claimOrStandAside(ctx, `${prefix}: claim`, { from: [CutoverPhase.SHIFTING], to: CutoverPhase.SHIFTING, holder: 'self' }, lost(prefix))
      .next(setSplit(ctx, `${prefix}: set split`, ctx.shifter.splitFor(step.targetPercent)))
      .next(ctx.shifter.shiftFragment(scope, prefix))
      .next(publishSplit(ctx, `${prefix}: publish split`))
      .next(notify(ctx, `${prefix}: notify`, `Cutover step ${i + 1}: ${step.targetPercent}% on the target`, `Traffic split set to ${100 - step.targetPercent}/${step.targetPercent} (source/target)`))
      .next(checkpoint(ctx, `${prefix}: checkpoint`, `step-${i + 1}-${step.targetPercent}`, false))
      .next(bakeStart);
  }
  const cutover = new sfn.Parallel(scope, 'Cutover', { outputPath: '$[0]' });
  cutover.branch(sfn.Chain.start(next));

  // --- Any failure inside the cutover rolls back — if this execution still holds the record
  const rolledBack = new sfn.Fail(scope, 'Cutover rolled back', { error: 'CutoverRolledBack', causePath: '$.error.Cause' });
  const stoodAside = new sfn.Fail(scope, 'Rolled back by another workflow', {
    error: 'CutoverRolledBack',
    cause: 'Another workflow (an alarm rollback, or a recovery) holds the cutover record and rolls back: this execution stands aside',
  });
  cutover.addCatch(rollback(ctx, rolledBack, {
    writer: true,
    claim: { from: [CutoverPhase.SHIFTING, CutoverPhase.SWITCHING, CutoverPhase.ROLLING_BACK], to: CutoverPhase.ROLLING_BACK, holder: 'self' },
    standAside: stoodAside,
  }), { resultPath: '$.error' });

  const complete = claimOrStandAside(ctx, 'Complete: claim the record',
    { from: [CutoverPhase.SHIFTING, CutoverPhase.SWITCHING], to: CutoverPhase.COMPLETE, holder: 'self' }, lost('Complete'));
  const done = cutover
    .next(complete)
    .next(notify(ctx, 'Notify: cutover complete', 'Cutover complete', 'All traffic is on the target'))
    .next(checkpoint(ctx, 'Checkpoint: complete', 'complete', true))
    .next(new sfn.Succeed(scope, 'Cutover complete'));

  // --- Before any traffic moves: control at RUN, pre-checks (they may wait, e.g. for a DMS full load), the approval
  // if asked for, control at RUN again (after the pre-checks, or after the approval), then the gate alarms, fresh, just
  // before traffic moves. All in one branch:
  // whatever ends it releases the record (nothing has moved) and fails with the reason.
  const controlAtRun = (prefix: string, then: sfn.IChainable, why = 'a PAUSE or ABORT left over'): sfn.IChainable => {
    const read = readControl(ctx, `${prefix}: operator control`);
    // `$.controlSeen`: the parameter version read now. A SKIP_BAKE or ABORT counts only when written after it, so a
    // value left over from an earlier cutover is never taken again — and the workflow never writes the parameter.
    const flatten = new sfn.Pass(scope, `${prefix}: control version`, { inputPath: '$.control.version', resultPath: '$.controlSeen' });
    read.next(
      new sfn.Choice(scope, `${prefix}: control at RUN?`)
        .when(sfn.Condition.or(
          sfn.Condition.stringEquals('$.control.value', OperatorCommand.RUN),
          sfn.Condition.stringEquals('$.control.value', OperatorCommand.SKIP_BAKE),
        ), flatten.next(then))
        .otherwise(new sfn.Fail(scope, `${prefix} failed: control parameter not at RUN`, {
          error: 'PreCheckFailed',
          cause: `The control parameter is not ${OperatorCommand.RUN} (${why}): payment-migration resume sets it to ${OperatorCommand.RUN}. No traffic was moved.`,
        })),
    );
    return read;
  };
  const passed = new sfn.Pass(scope, 'Pre-checks passed');
  let beforeFirstShift: sfn.IChainable = checkGates(ctx, 'Pre-check', true, passed);
  if (plan.approveBeforeFirstStep) {
    const ask = approval(ctx, 'Approval: before first step', 'the first traffic shift', plan.approvalTimeout);
    ask.addCatch(new sfn.Fail(scope, 'Not approved: no traffic moved', { error: 'NotApproved', causePath: '$.error.Cause' }), { resultPath: '$.error' });
    beforeFirstShift = ask.next(controlAtRun('Approved', beforeFirstShift));
  } else {
    // the pre-checks may wait (a DMS full load, for hours): a PAUSE or ABORT written meanwhile stops the start here,
    // before traffic moves, not in the first bake after it moved
    beforeFirstShift = controlAtRun('Pre-checks done', beforeFirstShift, 'a PAUSE or ABORT written during the pre-checks');
  }
  const lastPreCheck = plan.switchover?.bindPreCheck?.(ctx, beforeFirstShift) ?? beforeFirstShift;
  const preChecks = plan.preChecks
    .reduceRight<sfn.IChainable>((following, build) => build(scope, following), lastPreCheck);
  const checks = new sfn.Parallel(scope, 'Pre-checks', { outputPath: '$[0]' });
  checks.branch(controlAtRun('Pre-check', preChecks));
  const release = ctx.record.claim(scope, 'Pre-checks failed: release the record',
    { from: [CutoverPhase.SHIFTING], to: CutoverPhase.IDLE, holder: 'self', release: true });
  const notStarted = new sfn.Fail(scope, 'Not started', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
  release.addCatch(notStarted, { resultPath: '$.recordError' });
  checks.addCatch(release.next(notStarted), { resultPath: '$.error' });

  const init = new sfn.Pass(scope, 'Start cutover', {
    parameters: { cutover: { 'execution.$': '$$.Execution.Name', 'input.$': '$' }, pauseBudget: { remaining: ctx.pausePolls } },
  });
  // The one-cutover lock: one conditional write; of two starts in the same second exactly one holds the record.
  const refuse = new sfn.Fail(scope, 'Refused: the migration is not idle', {
    error: 'CutoverAlreadyRunning',
    cause: 'The cutover record is not IDLE: another cutover or rollback holds it, the cutover is COMPLETE, or a rollback is STUCK ' +
      '(payment-migration status says which; payment-migration recover resumes a stuck rollback). No traffic was moved.',
  });
  const lock = claimOrStandAside(ctx, 'Only one cutover at a time',
    { from: [CutoverPhase.IDLE], to: CutoverPhase.SHIFTING, holder: 'any', start: true }, refuse);
  return init
    .next(lock)
    .next(notify(ctx, 'Notify: cutover starting', 'Cutover starting', 'Pre-checks are running; no traffic has moved yet'))
    .next(checks)
    .next(done);
}

/**
 * The event-driven rollback: started by EventBridge when a gating alarm enters ALARM. It claims the record from a
 * cutover that is shifting traffic (the writer has not started to move), stops that cutover and rolls the traffic
 * back. Any other phase — idle, complete, the writer moving (the cutover's own polls roll back, writer first),
 * already rolling back (a duplicate event) — refuses the claim, and it does nothing.
 * @internal
 */
export function alarmRollbackDefinition(ctx: BuildContext, cutoverArn: string): sfn.IChainable {
  const scope = ctx.scope;
  const nothing = new sfn.Succeed(scope, 'No cutover shifting traffic: nothing to do');
  const readPhase = ctx.record.read(scope, 'Read the cutover record', '$.record');
  const writerMoving = notify(ctx, 'Notify: alarm while the writer moves', 'ALARM while the database writer is moving or moved',
    'A gating alarm entered ALARM while the cutover moves the database writer: the cutover\'s own polls roll back, writer first')
    .next(new sfn.Succeed(scope, 'Writer phase: left to the cutover'));
  readPhase.addCatch(nothing, { resultPath: '$.recordError' });
  readPhase.next(new sfn.Choice(scope, 'Writer moving?')
    .when(sfn.Condition.stringEquals('$.record.Item.phase.S', CutoverPhase.SWITCHING), writerMoving)
    .otherwise(nothing));
  const claim = claimOrStandAside(ctx, 'Claim the record from the shifting cutover',
    { from: [CutoverPhase.SHIFTING], to: CutoverPhase.ROLLING_BACK, holder: 'any', resultPath: '$.record' }, readPhase);
  const stop = new tasks.CallAwsService(scope, 'Stop the cutover', {
    service: 'sfn',
    action: 'stopExecution',
    iamResources: [executionsOf(cutoverArn)],
    parameters: {
      'ExecutionArn.$': '$.record.cutover',
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
  // A stop that fails is no danger: the cutover claims every shift, and the record is no longer its own.
  stop.addCatch(reason, { resultPath: '$.stopError' });
  return claim.next(stop).next(reason).next(rollback(ctx, new sfn.Succeed(scope, 'Rolled back after alarm'), { writer: false }));
}

/**
 * The recovery workflow: started by EventBridge when an execution of the cutover, alarm-rollback or recovery
 * workflow ends ABORTED, TIMED_OUT or FAILED — or by the console's `recover` with `manual: true`. It takes the record
 * over only from that execution (the record names its holder): an execution that ended through its own states
 * released it, and a duplicate event finds it taken. Then it rolls back as the cutover would have: the writer first,
 * then traffic. A STUCK record is taken over only by hand (`manual`): an automatic retry of a failed rollback would
 * loop.
 * @internal
 */
export function recoveryDefinition(ctx: BuildContext, holderArns: string[]): sfn.IChainable {
  const scope = ctx.scope;
  const leave = new sfn.Succeed(scope, 'Not the holder of the record: nothing to recover');
  const reason = new sfn.Pass(scope, 'Record why', {
    parameters: { 'Error': 'CutoverEndedWithoutRollback', 'Cause.$': "States.Format('The execution {} ended holding the cutover record', $.execution)" },
    resultPath: '$.error',
  });
  const recover = notify(ctx, 'Notify: recovering', 'Cutover ended without its rollback: rolling back',
    'An execution ended (stopped, timed out, failed) while holding the cutover record: rolling back, the database writer first')
    .next(reason)
    .next(rollback(ctx, new sfn.Succeed(scope, 'Recovered'), { writer: true }));
  const held = [CutoverPhase.SHIFTING, CutoverPhase.SWITCHING, CutoverPhase.ROLLING_BACK];

  // Not the ended execution's record: if its holder has ended too (a recovery stopped before its claim landed), take
  // it over from that holder — an ended execution never runs again, so the claim, conditional on that owner, is safe.
  const read = ctx.record.read(scope, 'Read the record', '$.record');
  const describe = new tasks.CallAwsService(scope, 'Is its holder running?', {
    service: 'sfn',
    action: 'describeExecution',
    iamResources: holderArns.map(executionsOf),
    parameters: { 'ExecutionArn.$': '$.record.Item.owner.S' },
    resultSelector: { 'status.$': '$.Status' },
    resultPath: '$.holder',
  });
  describe.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 4 });
  describe.addCatch(leave, { resultPath: '$.holderError' });
  read.addCatch(leave, { resultPath: '$.recordError' });
  const orphan = claimOrStandAside(ctx, 'Take the record over from its ended holder',
    { from: held, to: CutoverPhase.ROLLING_BACK, holder: { path: '$.record.Item.owner.S' } }, leave);
  orphan.next(recover);
  read.next(new sfn.Choice(scope, 'Held, by someone else?')
    .when(sfn.Condition.and(
      sfn.Condition.isPresent('$.record.Item.owner.S'),
      sfn.Condition.or(...held.map((p) => sfn.Condition.stringEquals('$.record.Item.phase.S', p))),
    ), describe.next(new sfn.Choice(scope, 'Holder ended?')
      .when(sfn.Condition.stringEquals('$.holder.status', 'RUNNING'), leave)
      .otherwise(orphan)))
    .otherwise(leave));

  const automatic = claimOrStandAside(ctx, 'Take the record over',
    { from: held, to: CutoverPhase.ROLLING_BACK, holder: { path: '$.execution' } }, read);
  const manual = claimOrStandAside(ctx, 'Take the record over by hand',
    { from: [...held, CutoverPhase.STUCK], to: CutoverPhase.ROLLING_BACK, holder: { path: '$.execution' } }, leave);
  automatic.next(recover);
  manual.next(recover);
  return new sfn.Choice(scope, 'Started by hand?')
    .when(sfn.Condition.and(sfn.Condition.isPresent('$.manual'), sfn.Condition.booleanEquals('$.manual', true)), manual)
    .otherwise(automatic);
}

/** Every execution of a state machine, as IAM names them. @internal */
export function executionsOf(stateMachineArn: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:*`;
}
