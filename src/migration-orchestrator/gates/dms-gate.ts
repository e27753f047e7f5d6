import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { MAX_TABLE_PAGES, recordGateValidation, TABLE_PAGE, validationRule, validationScan, validationScanEvents } from './table-validation';
import type { DmsReplication } from '../../dms-replication/dms-replication';
import { GatePlugin, HistoryShare } from '../state-machine/contracts';
import { TRANSIENT_RETRY } from '../state-machine/state-builders';
import { DmsGateOptions } from '../switchovers/dms/dms-options';
import { describeTask, describeTaskCall, DMS_NOT_FOUND, DmsTaskRef, startTask } from '../switchovers/dms/dms-states';


/** What the DMS pre-check needs to know about the replication. @internal */
export interface DmsGateTarget {
  readonly task: DmsTaskRef;
  readonly alarms: cloudwatch.IAlarm[];
  readonly validation: boolean;
}

/** Worst-case history events of one poll of the full load (wait, count, read, two choices) and of the sync wait. */
const LOAD_POLL_EVENTS = 13;
const SYNC_POLL_EVENTS = 11;
/** Before and between the loops: the task read and its start, the budgets, the end. */
const PRE_CHECK_FIXED_EVENTS = 40;

/**
 * Pages of table statistics the pre-check may read in all: every table once (at most `MAX_TABLE_PAGES` pages), and a
 * page more for each poll of the sync wait, to read them again while validation is pending.
 */
function validationPageBudget(syncPolls: number): number {
  return MAX_TABLE_PAGES + syncPolls;
}

/** The DMS gate's timings with their defaults, resolved here, once (checked by `CutoverGate.dmsReplication`). @internal */
export function dmsGateTimings(options: DmsGateOptions): Required<Pick<DmsGateOptions, 'pollInterval' | 'fullLoadTimeout' | 'syncTimeout'>> {
  return {
    pollInterval: options.pollInterval ?? Duration.minutes(2),
    fullLoadTimeout: options.fullLoadTimeout ?? Duration.hours(2),
    syncTimeout: options.syncTimeout ?? Duration.minutes(30),
  };
}

/**
 * The DMS pre-check: the task runs (started if it never ran), the full load is complete with no table in error, the
 * latency and validation alarms are OK, and every table — every page of DescribeTableStatistics — is validated
 * ({@link validationRule}). The alarms and a pending validation are waited for, together, for `syncTimeout`; a failed
 * or suspended validation, a table in error or without primary key fails at once.
 * @internal
 */
export function dmsPreCheck(scope: Construct, target: DmsGateTarget, options: DmsGateOptions, next: sfn.IChainable): sfn.IChainable {
  const { pollInterval: interval, fullLoadTimeout: loadTimeout, syncTimeout } = dmsGateTimings(options);
  const task = target.task;
  const fail = (id: string, cause: string) => new sfn.Fail(scope, `Pre-check failed: ${id}`, { error: 'PreCheckFailed', cause: `${cause}: no traffic was moved` });
  const syncPolls = Math.max(1, Math.ceil(syncTimeout.toSeconds() / interval.toSeconds()));
  const pageBudget = validationPageBudget(syncPolls);
  const syncWait = new sfn.Wait(scope, 'Pre-check: wait for DMS sync', { time: sfn.WaitTime.duration(interval) });

  // --- 3. Every table validated; pending validation is waited for with the alarms (the same polls)
  const rule = validationRule(target.validation);
  const budgetSpent = fail('DMS validation budget',
    `A table of the DMS task was still not validated when the pre-check had read its ${pageBudget} pages of table statistics (${TABLE_PAGE} tables each)`);
  const validated = validationScan(scope, 'Pre-check: DMS validation', task, {
    validation: target.validation,
    path: '$.preCheck.dmsValidation',
    onClean: next,
    onPending: new sfn.Choice(scope, 'Pre-check: DMS validation time left?')
      .when(
        sfn.Condition.numberLessThanEquals('$.preCheck.dmsSync.polls', 0),
        fail('DMS validation pending', `A table of the DMS task was not validated (pending, preparing or revalidating) within ${syncTimeout.toHumanString()}`),
      )
      .when(sfn.Condition.numberLessThanEquals('$.preCheck.dmsValidation.pages', 0), budgetSpent)
      .otherwise(syncWait),
    onFailed: fail('DMS validation', `A table of the DMS task failed or suspended validation, is in error, or cannot be validated (${rule.fail.join(', ')})`),
    onNoTable: fail('no DMS table', `The DMS task ${task.label} replicates no table`),
    onTooMany: fail('DMS tables unread', `The DMS task has more than ${MAX_TABLE_PAGES * TABLE_PAGE} tables: the validation of every table cannot be read within the execution history`),
    onBudgetSpent: budgetSpent,
  });

  // --- 2. CDC latency within the threshold: the replication's alarms all OK, waited for
  const syncBudget = new sfn.Pass(scope, 'Pre-check: DMS sync budget', { result: sfn.Result.fromObject({ polls: syncPolls }), resultPath: '$.preCheck.dmsSync' });
  const pages = new sfn.Pass(scope, 'Pre-check: DMS validation budget', { result: sfn.Result.fromObject({ pages: pageBudget }), resultPath: '$.preCheck.dmsValidation' });
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
  const inSync = syncBudget.next(pages).next(syncWait).next(alarms).next(syncEvaluate).next(
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

  // --- 1. The task runs and its full load is complete. Each poll reads the task in one call and two choices (the
  // task list is checked before its first element is read; DMS answers a filter matching nothing with a fault).
  const loadPolls = Math.max(1, Math.ceil(loadTimeout.toSeconds() / interval.toSeconds()));
  const loadBudget = new sfn.Pass(scope, 'Pre-check: DMS full-load budget', { result: sfn.Result.fromObject({ polls: loadPolls }), resultPath: '$.preCheck.dmsLoad' });
  const loadWait = new sfn.Wait(scope, 'Pre-check: wait for the DMS full load', { time: sfn.WaitTime.duration(interval) });
  const loadCount = new sfn.Pass(scope, 'Pre-check: DMS full-load count', {
    parameters: { 'polls.$': 'States.MathAdd($.preCheck.dmsLoad.polls, -1)' },
    resultPath: '$.preCheck.dmsLoad',
  });
  const notRunning = fail('DMS task not running', 'The DMS task stopped, failed or disappeared while the pre-check waited for its full load (see its StopReason)');
  const progress = describeTaskCall(scope, 'Pre-check: DMS task progress', task, '$.preCheck.dmsLoad.read');
  progress.addCatch(notRunning, { errors: DMS_NOT_FOUND, resultPath: '$.preCheck.dmsLoad.error' });
  const read = '$.preCheck.dmsLoad.read.tasks[0]';
  const stats = `${read}.ReplicationTaskStats`;
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
  const status = `${read}.Status`;
  // Choice rules are tried in order: the first makes sure the status exists before the others read it.
  loadBudget.next(loadWait).next(loadCount).next(progress).next(
    new sfn.Choice(scope, 'Pre-check: DMS task running?')
      .when(sfn.Condition.not(sfn.Condition.isPresent(status)), notRunning)
      .when(sfn.Condition.and(sfn.Condition.stringEquals(status, 'running'), sfn.Condition.isPresent(`${stats}.FullLoadProgressPercent`)), loaded)
      .when(
        sfn.Condition.and(
          sfn.Condition.or(sfn.Condition.stringEquals(status, 'running'), sfn.Condition.stringEquals(status, 'starting')),
          sfn.Condition.numberGreaterThan('$.preCheck.dmsLoad.polls', 0),
        ),
        loadWait,
      )
      .when(sfn.Condition.or(sfn.Condition.stringEquals(status, 'running'), sfn.Condition.stringEquals(status, 'starting')), loadTimedOut)
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
        'After a writer move-back do NOT resume it (it would replay what the reverse task applied): with the reverse task stopped, empty the replicated tables on Aurora, then reload it (reload-target; runbook, Replication section)'),
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
 * latency and validation alarms, watched until the writer moves (its factory checks the options).
 * @internal
 */
export function dmsReplicationGate(replication: DmsReplication, options: DmsGateOptions): GatePlugin {
  const { pollInterval: interval, fullLoadTimeout, syncTimeout } = dmsGateTimings(options);
  const alarms = [replication.cdcLatencySourceAlarm, replication.cdcLatencyTargetAlarm];
  if (replication.validationFailureAlarm) alarms.push(replication.validationFailureAlarm);
  const loadPolls = Math.max(1, Math.ceil(fullLoadTimeout.toSeconds() / interval.toSeconds()));
  const syncPolls = Math.max(1, Math.ceil(syncTimeout.toSeconds() / interval.toSeconds()));
  // Every poll of the full load and of the sync wait, and every page of table statistics the pre-check may read
  // (a scan after each sync poll at most).
  const history: HistoryShare[] = [
    { events: PRE_CHECK_FIXED_EVENTS },
    { option: 'fullLoadTimeout', events: loadPolls * LOAD_POLL_EVENTS, value: fullLoadTimeout.toHumanString() },
    {
      option: 'syncTimeout',
      events: syncPolls * SYNC_POLL_EVENTS + validationScanEvents(validationPageBudget(syncPolls), syncPolls) + syncPolls * 2,
      value: syncTimeout.toHumanString(),
    },
  ];
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
      // A DMS writer move of the same task judges the tables by the same rule (it finds it by this alarm).
      recordGateValidation(replication.cdcLatencySourceAlarm, replication.replicationTaskArn, target.validation);
      return {
        alarms: [],
        replicationAlarms: alarms,
        preChecks: [(scope, next) => dmsPreCheck(scope, target, options, next)],
        history,
        replicationTaskArn: replication.replicationTaskArn,
      };
    },
  };
}
