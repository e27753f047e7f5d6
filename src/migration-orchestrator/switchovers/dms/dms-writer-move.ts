import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DatabaseWriter } from './database-writer';
import { DmsWriterMoveOptions } from './dms-options';
import { describeTask, DmsTaskRef, readWriter, startTask, startTaskFrom, stopTask, TRANSITIONAL_STATUSES, waitForStatus, writeWriter } from './dms-states';
import { CLOUDWATCH_DRAIN_MINIMUM, tableDrain } from './drain';
import { fenceAcknowledged, fenceAcknowledgementEvents } from './fence-acknowledgement';
import type { DmsReplication } from '../../../dms-replication/dms-replication';
import { Validator } from '../../../private/validation';
import { gateValidation, WRITER_VALIDATION_EVENTS, writerValidationCheck } from '../../gates/table-validation';
import { BAKE_PARENT_EVENTS, bake } from '../../state-machine/bake';
import { BuildContext, HistoryShare, SwitchoverConfig } from '../../state-machine/contracts';
import { CutoverPhase } from '../../state-machine/cutover-record';
import { checkpoint, notify, tolerant } from '../../state-machine/state-builders';
import { checkWriterMoveTimings } from '../../validate-options';


/** Time between reads of a DMS task that is stopping or starting. */
const TASK_POLL = Duration.seconds(20);

/** The resolved plan of a writer move. @internal */
export interface WriterMovePlan {
  readonly parameter: ssm.IStringParameter;
  readonly forward: DmsTaskRef;
  readonly reverse: DmsTaskRef;
  readonly applicationRefresh: Duration;
  /** The fleets that acknowledge every fence (empty: `applicationRefresh` is waited instead). */
  readonly fleets: string[];
  readonly drainTimeout: Duration;
  readonly maxLatency: Duration;
  readonly interval: Duration;
  readonly drainReadInterval: Duration;
  readonly taskTimeout: Duration;
  readonly postMoveBake: Duration;
  /**
   * Whether the reverse task can start after the unfence from a CDC start time: Aurora MySQL (binary log from a
   * time). An Aurora PostgreSQL source needs a logical replication slot made ahead and named on the endpoint
   * (`slotName`) for a CDC start point, which DmsReplication does not provision: there the reverse task starts,
   * and runs, before the unfence (a longer pause).
   */
  readonly reverseStartsAfterUnfence: boolean;
}

/** Checks the options and the replication; throws naming the option, the rule and the value. @internal */
export function writerMovePlan(replication: DmsReplication, options: DmsWriterMoveOptions): WriterMovePlan {
  const v = new Validator('DatabaseSwitchover.dmsWriterMove');
  if (!replication.reverseReplicationTaskArn || !replication.reverseReplicationTaskResourceId) {
    v.fail('replication', 'must prepare the reverse task (DmsReplication `reverseReplication: true`): without it a rollback after the writer moved would lose the payments written to Aurora');
  }
  const interval = options.pollInterval ?? Duration.seconds(30);
  checkWriterMoveTimings(v, { ...options });
  const fleets = options.acknowledgingFleets ?? ['aws', 'datacenter'];
  const badFleets = fleets.filter((f, i) => typeof f !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(f) || fleets.indexOf(f) !== i || f === 'pk' || f === 'checkedAt');
  if (badFleets.length > 0) {
    v.fail('acknowledgingFleets', "must be distinct names of 1-64 letters, digits, '-' or '_' starting with a letter (not 'pk' or 'checkedAt')", fleets);
  }
  v.throwIfInvalid();
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
    fleets,
    drainTimeout: options.drainTimeout ?? Duration.minutes(1),
    maxLatency: options.maxLatency ?? Duration.seconds(1),
    interval,
    drainReadInterval: options.drainReadInterval ?? Duration.seconds(1),
    taskTimeout: options.taskTimeout ?? Duration.minutes(10),
    postMoveBake: options.postMoveBake ?? Duration.minutes(10),
    reverseStartsAfterUnfence: replication.reverseAuroraEndpoint?.engineName !== 'aurora-postgresql',
  };
}

/** After the move the replication alarms watch a task stopped on purpose: only the other gates are baked on. */
const bakedOnAfterMove = (alarms: cloudwatch.IAlarm[], replicationAlarms: cloudwatch.IAlarm[]) =>
  alarms.filter((a) => !replicationAlarms.includes(a));

/**
 * The writer move: fence → the forward task drained (its table statistics) → writer = TARGET → stop the forward
 * task → start the reverse task from the drain's time (`CdcStartTime`) → bake. Built backwards.
 *
 * Writes are refused only from the fence to the unfence: the drain. The tasks stop and start after the unfence,
 * while Aurora takes writes: the forward task has nothing left to apply (nobody writes on premises), and the reverse
 * task, started from a time before the first write Aurora took, reads Aurora's binary log from there — nothing
 * written meanwhile is skipped. The two tasks still never run at once.
 * @internal
 */
export function writerMoveStates(ctx: BuildContext, plan: WriterMovePlan, next: sfn.IChainable): sfn.IChainable {
  const scope = ctx.scope;
  const afterMove: BuildContext = { ...ctx, alarms: bakedOnAfterMove(ctx.alarms, ctx.replicationAlarms) };
  // The way back must still be there when the cutover ends: the reverse task runs after the bake.
  const fallback = describeTask(scope, 'Writer moved: reverse task', plan.reverse, '$.writerMove.reverse')
    .next(new sfn.Choice(scope, 'Writer moved: reverse task still running?')
      .when(sfn.Condition.stringEquals('$.writerMove.reverse.status', 'running'), next)
      .otherwise(new sfn.Fail(scope, 'Writer moved: reverse task not running', {
        error: 'WriterMove.ReverseNotRunning',
        cause: 'The reverse DMS task stopped after the writer moved: the way back is gone, so the cutover does not report success',
      })));
  if (!plan.reverseStartsAfterUnfence) {
    // PostgreSQL: stop the forward task, start the reverse task from now and wait until it runs, then unfence.
    const unfence = writeWriter(scope, 'Writer: move to the target', plan.parameter, DatabaseWriter.TARGET)
      .next(notify(ctx, 'Writer: notify moved', 'Database writer moved to the target', 'Writes go to Aurora; the reverse DMS task replicates them on premises'))
      .next(checkpoint(ctx, 'Writer: checkpoint', 'writer-target', true))
      .next(bake(afterMove, 'Writer moved', plan.postMoveBake, fallback));
    const running = waitForStatus(scope, 'Writer: reverse task', plan.reverse, 'running', {
      interval: TASK_POLL, timeout: plan.taskTimeout, error: 'WriterMove.ReverseNotRunning', next: unfence,
    });
    const stopped = waitForStatus(scope, 'Writer: forward task', plan.forward, 'stopped', {
      interval: TASK_POLL,
      timeout: plan.taskTimeout,
      error: 'WriterMove.ForwardNotStopped',
      next: startTask(scope, 'Writer: start the reverse task', plan.reverse, 'start-replication').next(running),
    });
    return fenceAndDrain(ctx, plan, stopTask(scope, 'Writer: stop the forward task', plan.forward).next(stopped));
  }
  const reverseRunning = waitForStatus(scope, 'Writer: reverse task', plan.reverse, 'running', {
    interval: TASK_POLL,
    timeout: plan.taskTimeout,
    error: 'WriterMove.ReverseNotRunning',
    next: notify(ctx, 'Writer: notify reverse running', 'Reverse DMS task running',
      'The reverse DMS task replicates the writes Aurora took since {} on premises', ['$.writerMove.cdcStartTime'])
      .next(bake(afterMove, 'Writer moved', plan.postMoveBake, fallback)),
  });
  const forwardStopped = waitForStatus(scope, 'Writer: forward task', plan.forward, 'stopped', {
    interval: TASK_POLL,
    timeout: plan.taskTimeout,
    error: 'WriterMove.ForwardNotStopped',
    next: startTaskFrom(scope, 'Writer: start the reverse task', plan.reverse, '$.writerMove.cdcStartTime').next(reverseRunning),
  });
  // The way back's start time goes into the cutover record before Aurora takes a write: whoever holds the record when
  // a rollback runs (this execution, or the recovery after it was stopped) starts the reverse task from there.
  const remember = ctx.record.claim(scope, 'Writer: record the reverse start time', {
    from: [CutoverPhase.SWITCHING], to: CutoverPhase.SWITCHING, holder: 'self', set: { reverseFrom: '$.writerMove.cdcStartTime' },
  });
  const moved = new sfn.Pass(scope, 'Writer: reverse start time', { parameters: { 'cdcStartTime.$': '$.drain.at' }, resultPath: '$.writerMove' })
    .next(remember)
    .next(writeWriter(scope, 'Writer: move to the target', plan.parameter, DatabaseWriter.TARGET))
    .next(notify(ctx, 'Writer: notify moved', 'Database writer moved to the target',
      'Writes go to Aurora. The reverse DMS task starts from CdcStartTime {} once the forward task stopped; should it not, ' +
      'start it from that time by hand (runbook): Aurora keeps its binary log for its binlog retention', ['$.writerMove.cdcStartTime']))
    .next(checkpoint(ctx, 'Writer: checkpoint', 'writer-target', true, { cdcStartTime: '$.writerMove.cdcStartTime' }))
    .next(stopTask(scope, 'Writer: stop the forward task', plan.forward))
    .next(forwardStopped);
  return fenceAndDrain(ctx, plan, moved);
}

/**
 * Every table of the forward task validated, read again (all pages, by the DMS gate's rule) — else
 * `WriterMove.ValidationNotClean` before anything moved — then the fence, the forward task's drain, then `next`.
 */
function fenceAndDrain(ctx: BuildContext, plan: WriterMovePlan, next: sfn.IChainable): sfn.IChainable {
  const drained = tableDrain(ctx.scope, 'Writer: drain forward', plan.forward, {
    applicationRefresh: plan.fleets.length > 0 ? Duration.seconds(0) : plan.applicationRefresh,
    statisticsInterval: plan.drainReadInterval,
    interval: plan.interval,
    timeout: plan.drainTimeout,
    maxLatency: plan.maxLatency,
    error: 'WriterMove.DrainTimeout',
    next,
  });
  const fence = writeWriter(ctx.scope, 'Writer: fence', plan.parameter, DatabaseWriter.FENCED)
    .next(notify(ctx, 'Writer: notify fence', 'Writes fenced: the database writer is moving', 'The fleet refuses writes (retryable) while DMS drains'))
    .next(acknowledged(ctx, plan, 'Writer: fence', 'WriterMove.FenceNotAcknowledged', drained));
  return writerValidationCheck(ctx.scope, plan.forward, gateValidation(ctx.replicationAlarms, plan.forward.arn), fence);
}

/** Every fleet's acknowledgement of the fence just written, then `next` (or `next` at once without fleets). */
function acknowledged(ctx: BuildContext, plan: WriterMovePlan, prefix: string, error: string, next: sfn.IChainable): sfn.IChainable {
  if (plan.fleets.length === 0) return next;
  return fenceAcknowledged(ctx.scope, prefix, ctx.record, {
    parameter: plan.parameter, value: DatabaseWriter.FENCED, fleets: plan.fleets, timeout: plan.applicationRefresh, error, next,
  });
}

/**
 * The writer back on the source before traffic moves back. Only the holder of the cutover record runs this (the
 * cutover's own rollback, or the recovery that took the record over; the alarm-rollback workflow claims the record
 * only while the writer has not started to move), so one execution at a time decides. The writer's value when the rollback starts says where the data is:
 * - SOURCE: nothing to do;
 * - TARGET (the writer moved): the reverse task must be running — fence, drain it, writer = SOURCE, stop it. If it is
 *   not running, or does not drain, or anything fails, the writer is put back on TARGET (where the data is) and the
 *   rollback stops loudly with traffic where it is;
 * - FENCED (the move had started, the writer never reached TARGET: Aurora took no write): writer = SOURCE. A reverse
 *   task that was started (PostgreSQL) is drained and stopped, and the forward task is left stopped for an operator
 *   to resume (the notification says so); otherwise the forward task is resumed. Anything failing still ends with
 *   writer = SOURCE, which is safe here, and traffic moves back.
 * @internal
 */
export function writerRollbackStates(ctx: BuildContext, plan: WriterMovePlan, next: sfn.IChainable): sfn.IChainable {
  const scope = ctx.scope;

  // --- Inside the branch: any error ends in the catch below, which restores a safe writer
  const stopReverse = tolerant(ctx, stopTask(scope, 'Rollback: stop the reverse task', plan.reverse), '$.writerBack.stopError');
  const backToSource = writeWriter(scope, 'Rollback: writer back to the source', plan.parameter, DatabaseWriter.SOURCE)
    .next(stopReverse)
    .next(notify(ctx, 'Rollback: notify writer back', 'Database writer back on the source',
      'The reverse DMS task drained; writes go on premises again. The writer was {} when the rollback began. The forward task stays stopped: ' +
      'after TARGET (Aurora took writes), reload Aurora through it before another attempt; after FENCED (Aurora took none), resume it (runbook, Replication section)',
      ['$.writerBack.value']));
  const drainBack = writeWriter(scope, 'Rollback: fence', plan.parameter, DatabaseWriter.FENCED).next(acknowledged(ctx, plan, 'Rollback: fence', 'WriterRollback.FenceNotAcknowledged', tableDrain(scope, 'Rollback: drain reverse', plan.reverse, {
    applicationRefresh: plan.fleets.length > 0 ? Duration.seconds(0) : plan.applicationRefresh,
    statisticsInterval: plan.drainReadInterval,
    interval: plan.interval,
    timeout: plan.drainTimeout,
    maxLatency: plan.maxLatency,
    error: 'WriterRollback.DrainTimeout',
    next: backToSource,
  })));

  const resume = startTask(scope, 'Rollback: resume the forward task', plan.forward, 'resume-processing');
  const forwardStopped = waitForStatus(scope, 'Rollback: forward task', plan.forward, 'stopped', {
    interval: TASK_POLL, timeout: plan.taskTimeout, error: 'WriterRollback.ForwardNotStopped', next: resume,
  });
  const neverMoved = writeWriter(scope, 'Rollback: unfence to the source', plan.parameter, DatabaseWriter.SOURCE)
    .next(describeTask(scope, 'Rollback: forward task', plan.forward, '$.writerBack.forward'))
    .next(new sfn.Choice(scope, 'Rollback: forward task state?')
      .when(sfn.Condition.stringEquals('$.writerBack.forward.status', 'running'), new sfn.Pass(scope, 'Rollback: forward task still replicating'))
      .when(sfn.Condition.stringEquals('$.writerBack.forward.status', 'stopped'), resume)
      .when(sfn.Condition.stringEquals('$.writerBack.forward.status', 'stopping'), forwardStopped)
      .otherwise(new sfn.Fail(scope, 'Rollback: forward task not resumable', {
        error: 'WriterRollback.ForwardNotResumable',
        cause: 'The writer is back on the source, but the forward DMS task is neither running nor stopped: Aurora is behind until it is fixed',
      })));

  const unsafe = new sfn.Fail(scope, 'Rollback: no reverse replication', {
    error: 'WriterRollbackUnsafe',
    cause: 'The writer is Aurora and the reverse DMS task is not running: moving the writer or the traffic back would lose payments only Aurora has. ' +
      'Start the reverse task from the CdcStartTime of the "Database writer moved" notification (also in the writer-target checkpoint): ' +
      'Aurora keeps every write since then in its binary log for its binlog retention (runbook)',
  });
  const reverseState = describeTask(scope, 'Rollback: reverse task', plan.reverse, '$.writerBack.reverse');
  const settle = new sfn.Wait(scope, 'Rollback: reverse task settling', { time: sfn.WaitTime.duration(TASK_POLL) });
  const settleCount = new sfn.Pass(scope, 'Rollback: settle count', {
    parameters: { 'value.$': '$.writerBack.value', 'record.$': '$.writerBack.record', 'polls.$': 'States.MathAdd($.writerBack.polls, -1)' },
    resultPath: '$.writerBack',
  });
  const transitional = sfn.Condition.or(...TRANSITIONAL_STATUSES.map((t) => sfn.Condition.stringEquals('$.writerBack.reverse.status', t)));
  // Writer on Aurora and the reverse task never started (the holder was stopped between the unfence and the start):
  // start it from the time recorded before the unfence, then drain it back as usual.
  const startReverse = startTaskFrom(scope, 'Rollback: start the reverse task from the recorded time', plan.reverse, '$.writerBack.record.Item.reverseFrom.S')
    .next(waitForStatus(scope, 'Rollback: reverse task starting', plan.reverse, 'running', {
      interval: TASK_POLL, timeout: plan.taskTimeout, error: 'WriterRollback.ReverseNotRunning', next: drainBack,
    }));
  reverseState.next(new sfn.Choice(scope, 'Rollback: reverse task running?')
    .when(sfn.Condition.stringEquals('$.writerBack.reverse.status', 'running'), drainBack)
    .when(sfn.Condition.and(
      sfn.Condition.stringEquals('$.writerBack.value', DatabaseWriter.TARGET),
      sfn.Condition.stringEquals('$.writerBack.reverse.status', 'ready'),
      sfn.Condition.isPresent('$.writerBack.record.Item.reverseFrom.S'),
    ), startReverse)
    .when(sfn.Condition.and(transitional, sfn.Condition.numberGreaterThan('$.writerBack.polls', 0)), settle)
    .when(sfn.Condition.stringEquals('$.writerBack.value', DatabaseWriter.TARGET), unsafe)
    .when(transitional, new sfn.Fail(scope, 'Rollback: reverse task stuck', {
      error: 'WriterRollback.ReverseStuck',
      cause: 'The reverse DMS task stayed in a transitional state',
    }))
    .otherwise(neverMoved));
  settle.next(settleCount).next(reverseState);

  const branch = new sfn.Parallel(scope, 'Rollback: writer back to the source first', { resultPath: sfn.JsonPath.DISCARD });
  branch.branch(reverseState);

  // --- After a failure: TARGET at the start → TARGET again (the data is there), traffic stays, loudly;
  //     FENCED at the start → SOURCE (Aurora took no write), then traffic moves back.
  const stayOnTarget = writeWriter(scope, 'Rollback: writer stays on the target', plan.parameter, DatabaseWriter.TARGET)
    .next(notify(ctx, 'Rollback: notify stopped', 'ROLLBACK STOPPED: the writer stays on the target',
      'The writer could not move back through the reverse DMS task: it stays on Aurora, where the data is, and traffic was not moved back. Act by hand (runbook)'))
    .next(new sfn.Fail(scope, 'Rollback stopped: writer on the target', { error: 'WriterRollbackFailed', causePath: '$.writerRollbackError.Cause' }));
  const sourceAnyway = writeWriter(scope, 'Rollback: writer to the source anyway', plan.parameter, DatabaseWriter.SOURCE)
    .next(notify(ctx, 'Rollback: notify check the tasks', 'Writer back on the source: check the DMS tasks',
      'The writer never reached the target, so it is back on the source and traffic moves back; a DMS task could not be put back in order: check both tasks (runbook)'))
    .next(next);
  branch.addCatch(
    new sfn.Choice(scope, 'Rollback: where was the writer?')
      .when(sfn.Condition.stringEquals('$.writerBack.value', DatabaseWriter.TARGET), stayOnTarget)
      .otherwise(sourceAnyway),
    { resultPath: '$.writerRollbackError' },
  );

  const budget = new sfn.Pass(scope, 'Rollback: writer budget', {
    parameters: { 'value.$': '$.writerBack.value', 'polls': Math.ceil(plan.taskTimeout.toSeconds() / TASK_POLL.toSeconds()) },
    resultPath: '$.writerBack',
  });
  const readRecord = ctx.record.read(scope, 'Rollback: read the record', '$.writerBack.record');
  const read = readWriter(scope, 'Rollback: read the writer', plan.parameter, '$.writerBack');
  read.addCatch(
    notify(ctx, 'Rollback: notify writer unknown', 'ROLLBACK STOPPED: the writer parameter cannot be read',
      'Where the fleet writes is unknown, so traffic was not moved back. Act by hand (runbook)')
      .next(new sfn.Fail(scope, 'Rollback stopped: writer unknown', { error: 'WriterRollbackFailed', causePath: '$.writerRollbackError.Cause' })),
    { resultPath: '$.writerRollbackError' },
  );
  return read.next(new sfn.Choice(scope, 'Rollback: where is the writer?')
    .when(sfn.Condition.stringEquals('$.writerBack.value', DatabaseWriter.SOURCE), next)
    .otherwise(budget.next(readRecord).next(branch.next(next))));
}

/**
 * Before any traffic moves: the writer is on the source and the reverse task is not running (after an earlier
 * attempt that moved the writer back, the forward task must be reloaded first, see the runbook). @internal
 */
export function writerPreCheckStates(ctx: BuildContext, plan: WriterMovePlan, next: sfn.IChainable): sfn.IChainable {
  const scope = ctx.scope;
  const fail = new sfn.Fail(scope, 'Pre-check failed: database writer not on the source', {
    error: 'PreCheckFailed',
    cause: 'The writer parameter is not SOURCE, or the reverse DMS task is running (a leftover of an earlier attempt): no traffic was moved',
  });
  return readWriter(scope, 'Pre-check: database writer', plan.parameter, '$.preCheck.writer')
    .next(describeTask(scope, 'Pre-check: reverse task', plan.reverse, '$.preCheck.reverse'))
    .next(new sfn.Choice(scope, 'Pre-check: writer on the source, reverse task idle?')
      .when(
        sfn.Condition.and(
          sfn.Condition.stringEquals('$.preCheck.writer.value', DatabaseWriter.SOURCE),
          sfn.Condition.or(
            sfn.Condition.stringEquals('$.preCheck.reverse.status', 'ready'),
            sfn.Condition.stringEquals('$.preCheck.reverse.status', 'stopped'),
            sfn.Condition.stringEquals('$.preCheck.reverse.status', 'failed'),
          ),
        ),
        next,
      )
      .otherwise(fail));
}

/**
 * Worst-case history events of the move, by the option that sets them: the validation re-read, the drain, the task
 * waits, and the post-move bake (a child execution: the same few events whatever its length). @internal
 */
export function writerMoveHistory(plan: WriterMovePlan): HistoryShare[] {
  // The table-statistics drain (one read per drainReadInterval), or its CloudWatch fallback (at least 5 minutes).
  // (either, never both: the first read decides) — 13 and 14 events a poll.
  const drainPolls = Math.max(
    Math.ceil(plan.drainTimeout.toSeconds() / plan.drainReadInterval.toSeconds()) * 13 / 14,
    Math.ceil(Math.max(plan.drainTimeout.toSeconds(), CLOUDWATCH_DRAIN_MINIMUM.toSeconds()) / plan.interval.toSeconds()));
  const taskPolls = 2 * Math.ceil(plan.taskTimeout.toSeconds() / TASK_POLL.toSeconds());
  // The fence acknowledged (the move's; a rollback's fence is counted by the rollback budget's margin).
  const acks = plan.fleets.length > 0 ? fenceAcknowledgementEvents(plan.applicationRefresh) : 0;
  return [
    // Before the fence: every page of the forward task's table statistics, read once more.
    { events: 80 + WRITER_VALIDATION_EVENTS },
    { option: 'applicationRefresh', events: acks, value: plan.applicationRefresh.toHumanString() },
    { option: 'drainTimeout', events: Math.ceil(drainPolls * 14), value: plan.drainTimeout.toHumanString() },
    { option: 'taskTimeout', events: taskPolls * 17, value: plan.taskTimeout.toHumanString() },
    { option: 'postMoveBake', events: BAKE_PARENT_EVENTS, value: plan.postMoveBake.toHumanString() },
  ];
}

/**
 * The single-writer move as the engine's switchover plug-in (DatabaseSwitchover.dmsWriterMove). Checks the options
 * and the replication at once.
 * @internal
 */
export function dmsWriterMoveSwitchover(replication: DmsReplication, options: DmsWriterMoveOptions): SwitchoverConfig {
  const plan = writerMovePlan(replication, options);
  return {
    description: `DMS single-writer move (${replication.replicationTaskIdentifier})`,
    bind: (ctx, next) => writerMoveStates(ctx, plan, next),
    bindRollback: (ctx, next) => writerRollbackStates(ctx, plan, next),
    bindPreCheck: (ctx, next) => writerPreCheckStates(ctx, plan, next),
    replicationTaskArn: replication.replicationTaskArn,
    history: () => writerMoveHistory(plan),
    postBake: { option: 'postMoveBake', duration: plan.postMoveBake, alarms: bakedOnAfterMove },
  };
}
