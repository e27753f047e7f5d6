import { Duration } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DatabaseWriter } from './database-writer';
import { DmsWriterMoveOptions } from './dms-options';
import { describeTask, DmsTaskRef, drain, readWriter, startTask, stopTask, waitForStatus, writeWriter } from './dms-states';
import { bake, BuildContext, checkpoint, notify, tolerant } from './state-builders';
import type { DmsReplication } from '../dms-replication/dms-replication';


/** Time between reads of a DMS task that is stopping or starting. */
const TASK_POLL = Duration.seconds(20);

/** The resolved plan of a writer move. @internal */
export interface WriterMovePlan {
  readonly parameter: ssm.IStringParameter;
  readonly forward: DmsTaskRef;
  readonly reverse: DmsTaskRef;
  readonly applicationRefresh: Duration;
  readonly drainTimeout: Duration;
  readonly maxLatency: Duration;
  readonly interval: Duration;
  readonly taskTimeout: Duration;
  readonly postMoveBake: Duration;
}

/** Checks the options and the replication; throws naming the option, the rule and the value. @internal */
export function writerMovePlan(replication: DmsReplication, options: DmsWriterMoveOptions): WriterMovePlan {
  const problems: string[] = [];
  if (!replication.reverseReplicationTaskArn || !replication.reverseReplicationTaskResourceId) {
    problems.push('`replication` must prepare the reverse task (DmsReplication `reverseReplication: true`): without it a rollback after the writer moved would lose the payments written to Aurora');
  }
  const interval = options.pollInterval ?? Duration.seconds(30);
  const check = (name: string, value: Duration | undefined, min: number, max: number) => {
    const seconds = value?.toSeconds({ integral: false });
    if (seconds !== undefined && (seconds < min || seconds > max || !Number.isInteger(seconds))) {
      problems.push(`\`${name}\` must be a whole number of seconds from ${min} to ${max}, got: ${value!.toHumanString()}`);
    }
  };
  check('pollInterval', options.pollInterval, 5, 300);
  check('applicationRefresh', options.applicationRefresh, 0, 300);
  check('drainTimeout', options.drainTimeout, 60, 3600);
  check('taskTimeout', options.taskTimeout, 60, 3600);
  check('postMoveBake', options.postMoveBake, 0, 86400);
  if (options.maxLatency && (options.maxLatency.toMilliseconds() <= 0 || options.maxLatency.toSeconds({ integral: false }) > 60)) {
    problems.push(`\`maxLatency\` must be more than 0 and at most 60 seconds, got: ${options.maxLatency.toHumanString()}`);
  }
  if (problems.length > 0) {
    throw new Error(`DatabaseSwitchover.dmsWriterMove: ${problems.join('; ')}`);
  }
  return {
    parameter: options.writerParameter,
    forward: {
      arn: replication.replicationTaskArn,
      instanceIdentifier: replication.replicationInstanceIdentifier,
      resourceId: replication.replicationTaskResourceId,
      label: 'forward',
    },
    reverse: {
      arn: replication.reverseReplicationTaskArn!,
      instanceIdentifier: replication.replicationInstanceIdentifier,
      resourceId: replication.reverseReplicationTaskResourceId!,
      label: 'reverse',
    },
    applicationRefresh: options.applicationRefresh ?? Duration.seconds(15),
    drainTimeout: options.drainTimeout ?? Duration.minutes(10),
    maxLatency: options.maxLatency ?? Duration.seconds(1),
    interval,
    taskTimeout: options.taskTimeout ?? Duration.minutes(10),
    postMoveBake: options.postMoveBake ?? Duration.minutes(10),
  };
}

/**
 * The writer move: fence, drain forward, stop forward, start reverse, writer = TARGET, bake. Built backwards.
 * @internal
 */
export function writerMoveStates(ctx: BuildContext, plan: WriterMovePlan, next: sfn.IChainable): sfn.IChainable {
  const scope = ctx.scope;
  // After the move the replication alarms watch a task stopped on purpose: only the other gates are baked on.
  const afterMove: BuildContext = { ...ctx, alarms: ctx.alarms.filter((a) => !ctx.replicationAlarms.includes(a)) };
  const moved = writeWriter(scope, 'Writer: move to the target', plan.parameter, DatabaseWriter.TARGET)
    .next(notify(ctx, 'Writer: notify moved', 'Database writer moved to the target', 'Writes go to Aurora; the reverse DMS task replicates them on premises'))
    .next(checkpoint(ctx, 'Writer: checkpoint', 'writer-target', false))
    .next(bake(afterMove, 'Writer moved', plan.postMoveBake, next));
  const reverseRunning = waitForStatus(scope, 'Writer: reverse task', plan.reverse, 'running', {
    interval: TASK_POLL, timeout: plan.taskTimeout, error: 'WriterMove.ReverseNotRunning', next: moved,
  });
  const forwardStopped = waitForStatus(scope, 'Writer: forward task', plan.forward, 'stopped', {
    interval: TASK_POLL,
    timeout: plan.taskTimeout,
    error: 'WriterMove.ForwardNotStopped',
    next: startTask(scope, 'Writer: start the reverse task', plan.reverse, 'start-replication').next(reverseRunning),
  });
  const drained = drain(scope, 'Writer: drain forward', plan.forward, {
    applicationRefresh: plan.applicationRefresh,
    interval: plan.interval,
    timeout: plan.drainTimeout,
    maxLatency: plan.maxLatency,
    error: 'WriterMove.DrainTimeout',
    next: stopTask(scope, 'Writer: stop the forward task', plan.forward).next(forwardStopped),
  });
  return writeWriter(scope, 'Writer: fence', plan.parameter, DatabaseWriter.FENCED)
    .next(notify(ctx, 'Writer: notify fence', 'Writes fenced: the database writer is moving', 'The fleet refuses writes (retryable) while DMS drains'))
    .next(drained);
}

/**
 * The writer back on the source before traffic moves back. Where the writer is decides:
 * - SOURCE: nothing to do;
 * - reverse task running (the writer moved, or was about to): fence, drain the reverse task, writer = SOURCE,
 *   stop the reverse task; if it does not drain in time the writer stays on the target (where the data is) and
 *   the rollback stops, loudly, with traffic where it is;
 * - FENCED, reverse not running (the writer never left the source): writer = SOURCE, the forward task resumed;
 * - TARGET with the reverse task not running: moving back would lose the writes only Aurora has — stop, loudly.
 * Any error: notify and fail without moving traffic (a human decides).
 * @internal
 */
export function writerRollbackStates(ctx: BuildContext, plan: WriterMovePlan, next: sfn.IChainable): sfn.IChainable {
  const scope = ctx.scope;
  const failLoudly = (id: string, error: string, subject: string, message: string) =>
    notify(ctx, `Rollback: notify ${id}`, subject, message).next(new sfn.Fail(scope, `Rollback: ${id}`, { error, cause: message }));

  const stopReverse = tolerant(ctx, stopTask(scope, 'Rollback: stop the reverse task', plan.reverse), '$.writerBack.stopError');
  const backToSource = writeWriter(scope, 'Rollback: writer back to the source', plan.parameter, DatabaseWriter.SOURCE)
    .next(stopReverse)
    .next(notify(ctx, 'Rollback: notify writer back', 'Database writer back on the source', 'The reverse DMS task drained; writes go on premises again. Reload the forward task before another attempt'));
  const keepTarget = writeWriter(scope, 'Rollback: writer stays on the target', plan.parameter, DatabaseWriter.TARGET)
    .next(failLoudly('stopped, writer on the target', 'WriterRollbackFailed', 'ROLLBACK STOPPED: the writer stays on the target',
      'The reverse DMS task did not drain in time: the writer stays on Aurora, where the data is, and traffic was not moved back. Act by hand'));
  const drainBack = writeWriter(scope, 'Rollback: fence', plan.parameter, DatabaseWriter.FENCED).next(drain(scope, 'Rollback: drain reverse', plan.reverse, {
    applicationRefresh: plan.applicationRefresh,
    interval: plan.interval,
    timeout: plan.drainTimeout,
    maxLatency: plan.maxLatency,
    error: 'WriterRollbackFailed',
    next: backToSource,
    onTimeout: keepTarget,
  }));

  const resumeForward = tolerant(ctx, startTask(scope, 'Rollback: resume the forward task', plan.forward, 'resume-processing'), '$.writerBack.resumeError');
  const neverMoved = writeWriter(scope, 'Rollback: unfence to the source', plan.parameter, DatabaseWriter.SOURCE)
    .next(describeTask(scope, 'Rollback: forward task', plan.forward, '$.writerBack.forward'))
    .next(new sfn.Choice(scope, 'Rollback: forward task stopped?')
      .when(sfn.Condition.stringEquals('$.writerBack.forward.status', 'stopped'), resumeForward)
      .otherwise(new sfn.Pass(scope, 'Rollback: forward task still replicating')));

  const unsafe = failLoudly('stopped, no reverse replication', 'WriterRollbackUnsafe', 'ROLLBACK STOPPED: the writer is on the target without reverse replication',
    'The writer is Aurora and the reverse DMS task is not running: moving the writer or the traffic back would lose payments only Aurora has. Traffic was not moved back. Act by hand');
  const reverseState = describeTask(scope, 'Rollback: reverse task', plan.reverse, '$.writerBack.reverse');
  const settle = new sfn.Wait(scope, 'Rollback: reverse task settling', { time: sfn.WaitTime.duration(Duration.seconds(15)) });
  const settleCount = new sfn.Pass(scope, 'Rollback: settle count', {
    parameters: { 'value.$': '$.writerBack.value', 'polls.$': 'States.MathAdd($.writerBack.polls, -1)' },
    resultPath: '$.writerBack',
  });
  const transitional = ['starting', 'stopping', 'modifying', 'creating'].map((s) => sfn.Condition.stringEquals('$.writerBack.reverse.status', s));
  reverseState.next(new sfn.Choice(scope, 'Rollback: reverse task running?')
    .when(sfn.Condition.stringEquals('$.writerBack.reverse.status', 'running'), drainBack)
    .when(sfn.Condition.and(sfn.Condition.or(...transitional), sfn.Condition.numberGreaterThan('$.writerBack.polls', 0)), settle)
    .when(sfn.Condition.stringEquals('$.writerBack.value', DatabaseWriter.TARGET), unsafe)
    .when(sfn.Condition.or(...transitional), unsafe)
    .otherwise(neverMoved));
  settle.next(settleCount).next(reverseState);

  const budget = new sfn.Pass(scope, 'Rollback: writer budget', {
    parameters: { 'value.$': '$.writerBack.value', 'polls': Math.ceil(plan.taskTimeout.toSeconds() / 15) },
    resultPath: '$.writerBack',
  });
  budget.next(reverseState);
  // Every path of the branch ends in a state without a next one: that ends the branch.
  const phase = readWriter(scope, 'Rollback: read the writer', plan.parameter, '$.writerBack')
    .next(new sfn.Choice(scope, 'Rollback: where is the writer?')
      .when(sfn.Condition.stringEquals('$.writerBack.value', DatabaseWriter.SOURCE), new sfn.Pass(scope, 'Rollback: writer on the source'))
      .otherwise(budget));

  const branch = new sfn.Parallel(scope, 'Rollback: writer back to the source first', { resultPath: sfn.JsonPath.DISCARD });
  branch.branch(phase);
  branch.addCatch(
    notify(ctx, 'Rollback: notify writer rollback failed', 'ROLLBACK STOPPED: check the database writer',
      'Moving the writer back failed or was refused: traffic was not moved back. Check the writer parameter and the DMS tasks by hand')
      .next(new sfn.Fail(scope, 'Rollback stopped: writer not back on the source', { error: 'WriterRollbackFailed', causePath: '$.writerRollbackError.Cause' })),
    { resultPath: '$.writerRollbackError' },
  );
  return branch.next(next);
}

/** Worst-case history events of the move (drain, task waits, post-move bake). @internal */
export function writerMoveEvents(plan: WriterMovePlan, pollInterval: Duration): number {
  const drainPolls = Math.ceil(plan.drainTimeout.toSeconds() / plan.interval.toSeconds());
  const taskPolls = 2 * Math.ceil(plan.taskTimeout.toSeconds() / TASK_POLL.toSeconds());
  const bakePolls = Math.ceil(plan.postMoveBake.toSeconds() / Math.max(1, pollInterval.toSeconds()));
  return 80 + drainPolls * 14 + taskPolls * 17 + bakePolls * 20;
}
