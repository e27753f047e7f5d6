import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DmsTaskRef } from './dms-states';
import { TRANSIENT_RETRY } from '../../state-machine/state-builders';

/*
 * The two ways a fenced replication is known to be drained: the task's live table statistics (`tableDrain`), or, for
 * a task with more tables than one page, CloudWatch's one-minute metrics (`drain`), which the first falls back to.
 */

/**
 * Tables one DescribeTableStatistics page may return (the API's maximum is 500; 100 keeps the state well under
 * Step Functions' 256 KB). A task with more tables falls back to the CloudWatch drain.
 */
export const DRAIN_TABLE_PAGE = 100;

/** The shortest drain on CloudWatch's one-minute metrics (the fallback for a task of many tables): 5 minutes. @internal */
export const CLOUDWATCH_DRAIN_MINIMUM = Duration.minutes(5);

/** How a drain read off the task's table statistics is judged. @internal */
export interface TableDrainOptions extends DrainOptions {
  /**
   * Time between reads of the table statistics (whole seconds, at least 1: a Wait state's granularity). Also the
   * window over which the counters must stand still.
   */
  readonly statisticsInterval: Duration;
}

/**
 * The writes are fenced: wait until the task has applied everything it captured, read off the task's live per-table
 * counters (DescribeTableStatistics: `Inserts`/`Updates`/`Deletes` captured from the source,
 * `AppliedInserts`/`AppliedUpdates`/`AppliedDeletes` applied on the target), not sampled one-minute metrics.
 *
 * Drained means: two consecutive reads, `statisticsInterval` apart and both after the fleets have seen the fence
 * (`applicationRefresh`), show the same counters, and the applied counters equal the captured ones on every table.
 * The counters standing still over a read interval means nothing was captured or applied in it (a change still in
 * the source's log would be captured within the CDC source latency, at most `maxLatency` for the gate to have
 * passed); applied = captured means nothing captured waits. With transactional apply (`BatchApplyEnabled: false`,
 * the DmsReplication setting) every captured change is applied as one change, so the counts are comparable.
 *
 * The time of the proving read is put at `$.drain.at`: every change the task applied is older than the previous
 * read, i.e. more than one interval (≥ 1 s) before it, so a CDC start time taken there (second precision) starts
 * after the last replicated change and before any write the unfence lets in.
 *
 * A task with more tables than one page (a `Marker` in the answer) cannot be proven this way: it falls back to the
 * CloudWatch drain (`drain`), slower but complete. Anything unexpected counts as "not drained yet": the drain times
 * out into `onTimeout` (a rollback that unfences).
 *
 * @see https://docs.aws.amazon.com/dms/latest/APIReference/API_DescribeTableStatistics.html
 * @see https://docs.aws.amazon.com/dms/latest/APIReference/API_TableStatistics.html
 * @internal
 */
export function tableDrain(scope: Construct, prefix: string, task: DmsTaskRef, options: TableDrainOptions): sfn.IChainable {
  const interval = Math.max(1, options.statisticsInterval.toSeconds());
  const polls = Math.max(2, Math.ceil(options.timeout.toSeconds() / interval));
  const settle = new sfn.Wait(scope, `${prefix}: let the fleets see the fence`, { time: sfn.WaitTime.duration(options.applicationRefresh) });
  const start = new sfn.Pass(scope, `${prefix}: fenced at`, {
    parameters: { 'fencedAt.$': '$$.State.EnteredTime', polls, 'now': {} },
    resultPath: '$.drain',
  });
  const wait = new sfn.Wait(scope, `${prefix}: wait`, { time: sfn.WaitTime.duration(Duration.seconds(interval)) });
  // The whole answer (a page of at most DRAIN_TABLE_PAGE tables) and its table count: a wildcard over an empty list
  // would fail uncatchably, so the counters are read only from a list known to be non-empty.
  const read = new tasks.CallAwsService(scope, `${prefix}: read the table statistics`, {
    service: 'databasemigration',
    action: 'describeTableStatistics',
    iamAction: 'dms:DescribeTableStatistics',
    iamResources: [task.arn],
    parameters: { ReplicationTaskArn: task.arn, MaxRecords: DRAIN_TABLE_PAGE },
    resultSelector: { 'tables.$': 'States.ArrayLength($.TableStatistics)', 'answer.$': '$' },
    resultPath: '$.drain.read',
  });
  read.addRetry(TRANSIENT_RETRY);

  const timeout = options.onTimeout ?? new sfn.Fail(scope, `${prefix}: not drained`, {
    error: options.error,
    cause: `The DMS ${task.label} task did not drain within ${options.timeout.toHumanString()} of the fence`,
  });

  // One snapshot per read: the counters as strings (one JSON array per counter), the previous read's beside them.
  // No table at all means nothing captured yet ("[]" throughout).
  const counters = ['Inserts', 'Updates', 'Deletes', 'AppliedInserts', 'AppliedUpdates', 'AppliedDeletes'];
  const snapshot = (id: string, values: { [key: string]: string }) => new sfn.Pass(scope, id, {
    parameters: {
      'fencedAt.$': '$.drain.fencedAt',
      'polls.$': 'States.MathAdd($.drain.polls, -1)',
      'previous.$': '$.drain.now',
      'at.$': '$$.State.EnteredTime',
      'now': values,
    },
    resultPath: '$.drain',
  });
  const some = snapshot(`${prefix}: counters`, Object.fromEntries(counters.map((c) => [`${c}.$`, `States.JsonToString($.drain.read.answer.TableStatistics[*].${c})`])));
  const none = snapshot(`${prefix}: no table yet`, Object.fromEntries(counters.map((c) => [c, '[]'])));

  const eq = (a: string, b: string) => sfn.Condition.stringEqualsJsonPath(a, b);
  const now = (c: string) => `$.drain.now.${c}`;
  const before = (c: string) => `$.drain.previous.${c}`;
  const judge = new sfn.Choice(scope, `${prefix}: drained?`)
    .when(
      sfn.Condition.and(
        sfn.Condition.isPresent('$.drain.previous.Inserts'),
        eq(now('Inserts'), now('AppliedInserts')),
        eq(now('Updates'), now('AppliedUpdates')),
        eq(now('Deletes'), now('AppliedDeletes')),
        ...counters.map((c) => eq(now(c), before(c))),
      ),
      options.next,
    )
    .when(sfn.Condition.numberLessThanEquals('$.drain.polls', 0), timeout)
    .otherwise(wait);
  some.next(judge);
  none.next(judge);

  // More tables than a page: the statistics cannot prove it; the CloudWatch drain can (its own refresh wait is spent
  // again, a minute at most, on a path only very large schemas take).
  // It proves a whole minute without changes, so its time is a valid `$.drain.at` too.
  const drainedAt = new sfn.Pass(scope, `${prefix} (CloudWatch): drained at`, { parameters: { 'at.$': '$$.State.EnteredTime' }, resultPath: '$.drain' });
  drainedAt.next(options.next);
  const metrics = drain(scope, `${prefix} (CloudWatch)`, task, {
    ...options,
    timeout: Duration.seconds(Math.max(CLOUDWATCH_DRAIN_MINIMUM.toSeconds(), options.timeout.toSeconds())),
    next: drainedAt,
  });
  settle.next(start).next(read).next(
    new sfn.Choice(scope, `${prefix}: tables?`)
      .when(sfn.Condition.isPresent('$.drain.read.answer.Marker'), metrics)
      .when(sfn.Condition.numberGreaterThan('$.drain.read.tables', 0), some)
      .otherwise(none),
  );
  wait.next(read);
  return settle;
}

/** How a drain is judged. @internal */
export interface DrainOptions {
  /** How long the fleets may keep using the previous writer value: waited once, after the fence. */
  readonly applicationRefresh: Duration;
  /** Time between metric reads. */
  readonly interval: Duration;
  /** Give up (Fail with `error`) after this long. */
  readonly timeout: Duration;
  /** Drained: CDC latency (source and target) at most this. */
  readonly maxLatency: Duration;
  readonly error: string;
  readonly next: sfn.IChainable;
  /** Where the failure goes (default: a Fail state with `error`). */
  readonly onTimeout?: sfn.IChainable;
}

/**
 * The writes are fenced: wait until the replication has applied everything it captured. The fence counts from the
 * moment every fleet has seen it (after `applicationRefresh`), recorded at `$.drain.fencedAt`. Drained means two
 * consecutive one-minute datapoints, the older one starting after the fence (so it is a complete minute), show no
 * change waiting to be applied (`CDCIncomingChanges` = 0) and CDC latency on both sides within `maxLatency` — one
 * metric-math series, 0 when drained. With no new writes after the fence, nothing can arrive later.
 * @internal
 */
export function drain(scope: Construct, prefix: string, task: DmsTaskRef, options: DrainOptions): sfn.IChainable {
  const polls = Math.max(1, Math.ceil(options.timeout.toSeconds() / options.interval.toSeconds()));
  const settle = new sfn.Wait(scope, `${prefix}: let the fleets see the fence`, { time: sfn.WaitTime.duration(options.applicationRefresh) });
  const start = new sfn.Pass(scope, `${prefix}: fenced at`, {
    parameters: { 'fencedAt.$': '$$.State.EnteredTime', polls },
    resultPath: '$.drain',
  });
  const wait = new sfn.Wait(scope, `${prefix}: wait`, { time: sfn.WaitTime.duration(options.interval) });
  const dimensions = [
    { Name: 'ReplicationInstanceIdentifier', Value: task.instanceIdentifier },
    { Name: 'ReplicationTaskIdentifier', Value: task.resourceId },
  ];
  const stat = (id: string, metricName: string) => ({
    Id: id,
    MetricStat: { Metric: { Namespace: 'AWS/DMS', MetricName: metricName, Dimensions: dimensions }, Period: 60, Stat: 'Maximum' },
    ReturnData: false,
  });
  const latency = options.maxLatency.toSeconds({ integral: false });
  const read = new tasks.CallAwsService(scope, `${prefix}: read the backlog`, {
    service: 'cloudwatch',
    action: 'getMetricData',
    iamResources: ['*'], // GetMetricData has no resource-level permissions
    parameters: {
      'StartTime.$': '$.drain.fencedAt',
      'EndTime.$': '$$.State.EnteredTime',
      'ScanBy': 'TimestampDescending',
      'MetricDataQueries': [
        stat('incoming', 'CDCIncomingChanges'),
        stat('source', 'CDCLatencySource'),
        stat('target', 'CDCLatencyTarget'),
        { Id: 'backlog', Expression: `incoming + IF(source > ${latency}, 1, 0) + IF(target > ${latency}, 1, 0)`, Label: 'backlog', ReturnData: true },
      ],
    },
    resultSelector: { 'values.$': '$.MetricDataResults[0].Values', 'timestamps.$': '$.MetricDataResults[0].Timestamps' },
    resultPath: '$.drain.read',
  });
  read.addRetry(TRANSIENT_RETRY);
  const evaluate = new sfn.Pass(scope, `${prefix}: evaluate`, {
    parameters: {
      'fencedAt.$': '$.drain.fencedAt',
      'polls.$': 'States.MathAdd($.drain.polls, -1)',
      'points.$': 'States.ArrayLength($.drain.read.values)',
      'stamps.$': 'States.ArrayLength($.drain.read.timestamps)',
      'values.$': '$.drain.read.values',
      'timestamps.$': '$.drain.read.timestamps',
    },
    resultPath: '$.drain',
  });
  const timeout = options.onTimeout ?? new sfn.Fail(scope, `${prefix}: not drained`, {
    error: options.error,
    cause: `The DMS ${task.label} task did not drain within ${options.timeout.toHumanString()} of the fence`,
  });
  const again = new sfn.Choice(scope, `${prefix}: time left?`)
    .when(sfn.Condition.numberLessThanEquals('$.drain.polls', 0), timeout)
    .otherwise(wait);
  // A runtime error here could not be caught (States.Runtime) and would leave the writes fenced: every value is
  // type-checked before it is compared, in nested Choices (an `And` is not documented to short-circuit). Anything
  // unexpected counts as "not drained yet", and the drain times out into a rollback that unfences.
  const drained = new sfn.Choice(scope, `${prefix}: drained?`)
    .when(
      sfn.Condition.and(
        sfn.Condition.numberEquals('$.drain.values[0]', 0),
        sfn.Condition.numberEquals('$.drain.values[1]', 0),
        sfn.Condition.timestampGreaterThanEqualsJsonPath('$.drain.timestamps[1]', '$.drain.fencedAt'),
      ),
      options.next,
    )
    .otherwise(again);
  const wellFormed = new sfn.Choice(scope, `${prefix}: datapoints well formed?`)
    .when(
      sfn.Condition.and(
        sfn.Condition.isNumeric('$.drain.values[0]'),
        sfn.Condition.isNumeric('$.drain.values[1]'),
        sfn.Condition.isTimestamp('$.drain.timestamps[1]'),
        sfn.Condition.isTimestamp('$.drain.fencedAt'),
      ),
      drained,
    )
    .otherwise(again);
  settle.next(start).next(wait).next(read).next(evaluate).next(
    new sfn.Choice(scope, `${prefix}: two datapoints?`)
      .when(sfn.Condition.and(sfn.Condition.numberGreaterThanEquals('$.drain.points', 2), sfn.Condition.numberGreaterThanEquals('$.drain.stamps', 2)), wellFormed)
      .otherwise(again),
  );
  return settle;
}
