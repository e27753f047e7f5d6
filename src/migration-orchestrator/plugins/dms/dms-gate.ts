import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DmsGateOptions } from './dms-options';
import { describeTask, DmsTaskRef, startTask } from './dms-states';
import type { DmsReplication } from '../../../dms-replication/dms-replication';
import { GatePlugin } from '../../engine/contracts';
import { TRANSIENT_RETRY } from '../../engine/state-builders';


/** What the DMS pre-check needs to know about the replication. @internal */
export interface DmsGateTarget {
  readonly task: DmsTaskRef;
  readonly alarms: cloudwatch.IAlarm[];
  readonly validation: boolean;
}

/** Validation states of a table that mean it cannot be trusted. */
const BAD_VALIDATION_STATES = ['Mismatched records', 'Suspended records', 'No primary key', 'Table error', 'Error'];
/** The most tables one DescribeTableStatistics page returns in detail (a bigger page may exceed 256 KB of state). */
export const TABLE_PAGE = 100;

/**
 * The DMS pre-check: the task runs (started if it never ran), the full load is complete with no table in error, the
 * latency and validation alarms are OK (waited for), and no table has failed or suspended validation.
 * @internal
 */
export function dmsPreCheck(scope: Construct, target: DmsGateTarget, options: DmsGateOptions, next: sfn.IChainable): sfn.IChainable {
  const interval = options.pollInterval ?? Duration.minutes(2);
  const task = target.task;
  const fail = (id: string, cause: string) => new sfn.Fail(scope, `Pre-check failed: ${id}`, { error: 'PreCheckFailed', cause: `${cause}: no traffic was moved` });

  // --- 3. No table failed validation (the first page of tables in detail; the alarm covers the whole task)
  const tableStatistics = (id: string, resultSelector: { [key: string]: string }) => {
    const call = new tasks.CallAwsService(scope, id, {
      service: 'databasemigration',
      action: 'describeTableStatistics',
      iamAction: 'dms:DescribeTableStatistics',
      iamResources: [task.arn],
      parameters: { ReplicationTaskArn: task.arn, MaxRecords: TABLE_PAGE },
      resultSelector,
      resultPath: '$.preCheck.dmsTables',
    });
    call.addRetry(TRANSIENT_RETRY);
    return call;
  };
  // A first call counts the tables: a wildcard over an empty list would fail the second one uncatchably.
  const count = tableStatistics('Pre-check: DMS tables', { 'count.$': 'States.ArrayLength($.TableStatistics)' });
  const tables = tableStatistics('Pre-check: DMS table validation', {
    'failed.$': 'States.ArrayUnique($.TableStatistics[*].ValidationFailedRecords)',
    'suspended.$': 'States.ArrayUnique($.TableStatistics[*].ValidationSuspendedRecords)',
    'validation.$': 'States.ArrayUnique($.TableStatistics[*].ValidationState)',
    'tableStates.$': 'States.ArrayUnique($.TableStatistics[*].TableState)',
  });
  const badStates = [...BAD_VALIDATION_STATES, ...(target.validation ? ['Not enabled'] : [])];
  const judge = new sfn.Pass(scope, 'Pre-check: judge DMS tables', {
    parameters: {
      'failedValues.$': 'States.ArrayLength($.preCheck.dmsTables.failed)',
      'failedZero.$': 'States.ArrayContains($.preCheck.dmsTables.failed, 0)',
      'suspendedValues.$': 'States.ArrayLength($.preCheck.dmsTables.suspended)',
      'suspendedZero.$': 'States.ArrayContains($.preCheck.dmsTables.suspended, 0)',
      'tableError.$': "States.ArrayContains($.preCheck.dmsTables.tableStates, 'Table error')",
      ...Object.fromEntries(badStates.map((s, i) => [`bad${i}.$`, `States.ArrayContains($.preCheck.dmsTables.validation, '${s}')`])),
    },
    resultPath: '$.preCheck.dmsTables',
  });
  const validationOk = sfn.Condition.and(
    sfn.Condition.numberEquals('$.preCheck.dmsTables.failedValues', 1),
    sfn.Condition.booleanEquals('$.preCheck.dmsTables.failedZero', true),
    sfn.Condition.numberEquals('$.preCheck.dmsTables.suspendedValues', 1),
    sfn.Condition.booleanEquals('$.preCheck.dmsTables.suspendedZero', true),
    sfn.Condition.booleanEquals('$.preCheck.dmsTables.tableError', false),
    ...badStates.map((_, i) => sfn.Condition.booleanEquals(`$.preCheck.dmsTables.bad${i}`, false)),
  );
  const validated = count.next(
    new sfn.Choice(scope, 'Pre-check: any DMS table?')
      .when(sfn.Condition.numberEquals('$.preCheck.dmsTables.count', 0), fail('no DMS table', `The DMS task ${task.label} replicates no table`))
      .otherwise(tables.next(judge).next(
        new sfn.Choice(scope, 'Pre-check: DMS tables validated?')
          .when(validationOk, next)
          .otherwise(fail('DMS validation', `A table of the DMS task has failed or suspended validation, is in error, or is not validated (${badStates.join(', ')})`)),
      )),
  );

  // --- 2. CDC latency within the threshold: the replication's alarms all OK, waited for
  const syncTimeout = options.syncTimeout ?? Duration.minutes(30);
  const syncPolls = Math.max(1, Math.ceil(syncTimeout.toSeconds() / interval.toSeconds()));
  const syncBudget = new sfn.Pass(scope, 'Pre-check: DMS sync budget', { result: sfn.Result.fromObject({ polls: syncPolls }), resultPath: '$.preCheck.dmsSync' });
  const syncWait = new sfn.Wait(scope, 'Pre-check: wait for DMS sync', { time: sfn.WaitTime.duration(interval) });
  const alarms = new tasks.CallAwsService(scope, 'Pre-check: DMS alarms', {
    service: 'cloudwatch',
    action: 'describeAlarms',
    iamResources: target.alarms.map((a) => a.alarmArn),
    parameters: { AlarmNames: target.alarms.map((a) => a.alarmName), AlarmTypes: ['MetricAlarm'] },
    resultSelector: { 'states.$': 'States.ArrayUnique($.MetricAlarms[*].StateValue)', 'count.$': 'States.ArrayLength($.MetricAlarms)' },
    resultPath: '$.preCheck.dmsSync.alarms',
  });
  alarms.addRetry(TRANSIENT_RETRY);
  const syncEvaluate = new sfn.Pass(scope, 'Pre-check: DMS in sync?', {
    parameters: {
      'polls.$': 'States.MathAdd($.preCheck.dmsSync.polls, -1)',
      'count.$': '$.preCheck.dmsSync.alarms.count',
      'distinct.$': 'States.ArrayLength($.preCheck.dmsSync.alarms.states)',
      'ok.$': "States.ArrayContains($.preCheck.dmsSync.alarms.states, 'OK')",
    },
    resultPath: '$.preCheck.dmsSync',
  });
  const inSync = syncBudget.next(syncWait).next(alarms).next(syncEvaluate).next(
    new sfn.Choice(scope, 'Pre-check: DMS CDC latency within threshold?')
      .when(
        sfn.Condition.and(
          sfn.Condition.numberEquals('$.preCheck.dmsSync.count', target.alarms.length),
          sfn.Condition.numberEquals('$.preCheck.dmsSync.distinct', 1),
          sfn.Condition.booleanEquals('$.preCheck.dmsSync.ok', true),
        ),
        validated,
      )
      .when(
        sfn.Condition.numberLessThanEquals('$.preCheck.dmsSync.polls', 0),
        fail('DMS not in sync', `The DMS task's CDC latency or validation alarms were not all OK within ${syncTimeout.toHumanString()}`),
      )
      .otherwise(syncWait),
  );

  // --- 1. The task runs and its full load is complete
  const loadTimeout = options.fullLoadTimeout ?? Duration.hours(2);
  const loadPolls = Math.max(1, Math.ceil(loadTimeout.toSeconds() / interval.toSeconds()));
  const loadBudget = new sfn.Pass(scope, 'Pre-check: DMS full-load budget', { result: sfn.Result.fromObject({ polls: loadPolls }), resultPath: '$.preCheck.dmsLoad' });
  const loadWait = new sfn.Wait(scope, 'Pre-check: wait for the DMS full load', { time: sfn.WaitTime.duration(interval) });
  const loadCount = new sfn.Pass(scope, 'Pre-check: DMS full-load count', {
    parameters: { 'polls.$': 'States.MathAdd($.preCheck.dmsLoad.polls, -1)' },
    resultPath: '$.preCheck.dmsLoad',
  });
  const progress = describeTask(scope, 'Pre-check: DMS task progress', task, '$.preCheck.dmsLoad.task');
  const stats = '$.preCheck.dmsLoad.task.task.ReplicationTaskStats';
  const loadTimedOut = fail('DMS full load not complete', `The DMS full load did not complete within ${loadTimeout.toHumanString()}`);
  const loaded = new sfn.Choice(scope, 'Pre-check: DMS full load complete?')
    .when(sfn.Condition.numberGreaterThan(`${stats}.TablesErrored`, 0), fail('DMS table errored', 'A table of the DMS task is in error'))
    .when(
      sfn.Condition.and(
        sfn.Condition.numberEquals(`${stats}.FullLoadProgressPercent`, 100),
        sfn.Condition.numberEquals(`${stats}.TablesLoading`, 0),
        sfn.Condition.numberEquals(`${stats}.TablesQueued`, 0),
      ),
      inSync,
    )
    .when(sfn.Condition.numberLessThanEquals('$.preCheck.dmsLoad.polls', 0), loadTimedOut)
    .otherwise(loadWait);
  const notRunning = fail('DMS task not running', 'The DMS task stopped, failed or disappeared while the pre-check waited for its full load (see its StopReason)');
  const loadBlocked = new sfn.Choice(scope, 'Pre-check: DMS load time left?')
    .when(sfn.Condition.numberLessThanEquals('$.preCheck.dmsLoad.polls', 0), loadTimedOut)
    .otherwise(loadWait);
  loadBudget.next(loadWait).next(loadCount).next(progress).next(
    new sfn.Choice(scope, 'Pre-check: DMS task running?')
      .when(
        sfn.Condition.and(
          sfn.Condition.stringEquals('$.preCheck.dmsLoad.task.status', 'running'),
          sfn.Condition.isPresent(`${stats}.FullLoadProgressPercent`),
        ),
        loaded,
      )
      .when(sfn.Condition.stringEquals('$.preCheck.dmsLoad.task.status', 'running'), loadBlocked)
      .when(sfn.Condition.stringEquals('$.preCheck.dmsLoad.task.status', 'starting'), loadBlocked)
      .otherwise(notRunning),
  );

  // --- 0. The task's state decides: start it, wait for it, or refuse
  const initial = describeTask(scope, 'Pre-check: DMS task', task, '$.preCheck.dmsTask');
  const state = new sfn.Choice(scope, 'Pre-check: DMS task state?')
    .when(sfn.Condition.or(
      sfn.Condition.stringEquals('$.preCheck.dmsTask.status', 'running'),
      sfn.Condition.stringEquals('$.preCheck.dmsTask.status', 'starting'),
    ), loadBudget)
    .when(
      sfn.Condition.stringEquals('$.preCheck.dmsTask.status', 'stopped'),
      fail('DMS task stopped',
        'The DMS task is stopped: find out why (StopReason). If the database writer never moved, resume it (resume-processing). ' +
        'After a writer move-back do NOT resume it (it would replay what the reverse task applied): restart CDC from the time the writer returned to SOURCE (runbook)'),
    );
  if (options.startTask ?? true) {
    state.when(
      sfn.Condition.stringEquals('$.preCheck.dmsTask.status', 'ready'),
      startTask(scope, 'Pre-check: start the DMS task', task, 'start-replication').next(loadBudget),
    );
  }
  state.otherwise(fail('DMS task not startable', 'The DMS task is not running, starting or (with startTask) ready: it may have failed, be missing or be changing'));
  return initial.next(state);
}

/**
 * The DMS replication gate as the engine's gate plug-in (CutoverGate.dmsReplication): the pre-check, and the
 * latency and validation alarms, watched until the writer moves. Checks the options at once.
 * @internal
 */
export function dmsReplicationGate(replication: DmsReplication, options: DmsGateOptions): GatePlugin {
  const interval = options.pollInterval ?? Duration.minutes(2);
  const ms = interval.toMilliseconds();
  if (ms < 1000 || ms % 1000 !== 0 || ms > 3_600_000) {
    throw new Error(`CutoverGate.dmsReplication: \`pollInterval\` must be a whole number of seconds from 1 to 3600, got: ${interval.toHumanString()}`);
  }
  const alarms = [replication.cdcLatencySourceAlarm, replication.cdcLatencyTargetAlarm];
  if (replication.validationFailureAlarm) alarms.push(replication.validationFailureAlarm);
  const polls = Math.ceil((options.fullLoadTimeout ?? Duration.hours(2)).toSeconds() / interval.toSeconds()) +
    Math.ceil((options.syncTimeout ?? Duration.minutes(30)).toSeconds() / interval.toSeconds());
  return {
    description: `DMS replication ${replication.replicationTaskIdentifier}`,
    bind: () => {
      const target: DmsGateTarget = {
        task: {
          arn: replication.replicationTaskArn,
          instanceIdentifier: replication.replicationInstanceIdentifier,
          resourceId: replication.replicationTaskResourceId,
          label: replication.replicationTaskIdentifier,
        },
        alarms,
        validation: replication.validationFailureAlarm !== undefined,
      };
      return {
        alarms: [],
        replicationAlarms: alarms,
        preChecks: [(scope, next) => dmsPreCheck(scope, target, options, next)],
        historyEvents: 40 + polls * 19,
        replicationTaskArn: replication.replicationTaskArn,
      };
    },
  };
}
