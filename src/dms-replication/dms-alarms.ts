import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CONTROL_SCHEMA } from './task-settings';

/** What the replication's alarms watch. @internal */
export interface DmsAlarmParts {
  readonly taskIdentifier: string;
  readonly instanceIdentifier: string;
  readonly thresholdSeconds: number;
  readonly evaluationPeriods: number;
  readonly latencySource: cloudwatch.Metric;
  readonly latencyTarget: cloudwatch.Metric;
  /** Undefined when validation is off. */
  readonly validationFailures?: cloudwatch.Metric;
  readonly taskErrors: cloudwatch.Metric;
  /** The reverse task's identifier and CDC latency metrics (its own dimensions), with `reverseReplication`. */
  readonly reverse?: {
    readonly taskIdentifier: string;
    readonly latencySource: cloudwatch.Metric;
    readonly latencyTarget: cloudwatch.Metric;
  };
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/** The replication's alarms. @internal */
export interface DmsAlarms {
  readonly cdcLatencySource: cloudwatch.Alarm;
  readonly cdcLatencyTarget: cloudwatch.Alarm;
  readonly validationFailure?: cloudwatch.Alarm;
  readonly taskError: cloudwatch.Alarm;
  readonly reverseCdcLatencySource?: cloudwatch.Alarm;
  readonly reverseCdcLatencyTarget?: cloudwatch.Alarm;
}

/**
 * How every CDC latency alarm treats missing data: `missing`, so an evaluation range without a latency figure makes
 * the alarm INSUFFICIENT_DATA — never ALARM, never OK.
 *
 * A task reports CDC latency only while it runs. The forward task is stopped on purpose once the writer has moved, and
 * the reverse task runs only from then on: treated as breaching, the forward alarms would page for good after every
 * successful cutover (and the reverse ones before every cutover); treated as not breaching, they would show a
 * stopped task as in sync. INSUFFICIENT_DATA pages nobody (the alarm actions go on ALARM and OK only) and still closes
 * the cutover gate: the DMS pre-check waits for OK, and a bake under the default `InsufficientDataPolicy.BLOCK` rolls
 * back on it. A task that stops or fails is also reported by its state-change event (`notificationTopic`, or
 * `notifyTaskStateChanges`) and, with an error line in its log, by the task-error alarm.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 */
const LATENCY_MISSING_DATA = cloudwatch.TreatMissingData.MISSING;

/**
 * The gate alarms (CDC latency on both sides, validation failures), the task-log error alarm and, with a reverse task,
 * the reverse task's CDC latency alarms (the way back, watched once it runs; never a gate), with the actions given.
 * @internal
 */
export function createDmsAlarms(scope: Construct, p: DmsAlarmParts): DmsAlarms {
  const latencyAlarm = (alarmId: string, metric: cloudwatch.Metric, alarmDescription: string) =>
    metric.createAlarm(scope, alarmId, {
      alarmDescription,
      threshold: p.thresholdSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: p.evaluationPeriods,
      datapointsToAlarm: p.evaluationPeriods,
      treatMissingData: LATENCY_MISSING_DATA,
    });
  const forward = (side: string) =>
    `DMS task ${p.taskIdentifier}: CDC latency (${side}) above ${p.thresholdSeconds} s: the target is not in sync, do ` +
    'not cut over. No figure (INSUFFICIENT_DATA) means the task is not running: expected once the writer has moved';
  const reverse = (task: string, side: string) =>
    `DMS reverse task ${task} (Aurora to on-premises): CDC latency (${side}) above ${p.thresholdSeconds} s: the way ` +
    'back is falling behind, a move back of the writer would wait for it. No figure (INSUFFICIENT_DATA) means the ' +
    'task is not running: expected until the writer moves to Aurora, and after it moves back';
  const alarms: DmsAlarms = {
    cdcLatencySource: latencyAlarm('CdcLatencySourceAlarm', p.latencySource, forward('source')),
    cdcLatencyTarget: latencyAlarm('CdcLatencyTargetAlarm', p.latencyTarget, forward('target')),
    validationFailure: p.validationFailures?.createAlarm(scope, 'ValidationFailureAlarm', {
      alarmDescription:
        `DMS task ${p.taskIdentifier}: rows failed validation (see ${CONTROL_SCHEMA}.awsdms_validation_failures_v1 on the target)`,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, // reported only while validation runs; a stopped task shows in the latency alarms
    }),
    taskError: p.taskErrors.createAlarm(scope, 'TaskErrorAlarm', {
      alarmDescription:
        `DMS replication instance ${p.instanceIdentifier}: error lines in the task logs (dms-tasks-${p.instanceIdentifier}, ` +
        'forward and reverse task alike) within 5 minutes: read the log streams dms-task-<task resource id>',
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, // no log line, no error; a silent task shows in the latency alarms
    }),
    reverseCdcLatencySource: p.reverse && latencyAlarm('ReverseCdcLatencySourceAlarm', p.reverse.latencySource, reverse(p.reverse.taskIdentifier, 'source')),
    reverseCdcLatencyTarget: p.reverse && latencyAlarm('ReverseCdcLatencyTargetAlarm', p.reverse.latencyTarget, reverse(p.reverse.taskIdentifier, 'target')),
  };
  const all = [alarms.cdcLatencySource, alarms.cdcLatencyTarget, alarms.validationFailure, alarms.taskError];
  for (const alarm of [...all, alarms.reverseCdcLatencySource, alarms.reverseCdcLatencyTarget]) {
    if (!alarm) continue;
    if (p.alarmActions && p.alarmActions.length > 0) {
      alarm.addAlarmAction(...p.alarmActions);
      alarm.addOkAction(...p.alarmActions);
    }
  }
  return alarms;
}
