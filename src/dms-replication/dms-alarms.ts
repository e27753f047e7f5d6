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
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/** The replication's alarms. @internal */
export interface DmsAlarms {
  readonly cdcLatencySource: cloudwatch.Alarm;
  readonly cdcLatencyTarget: cloudwatch.Alarm;
  readonly validationFailure?: cloudwatch.Alarm;
  readonly taskError: cloudwatch.Alarm;
}

/**
 * The gate alarms (CDC latency on both sides, validation failures) and the task-log error alarm, with the actions
 * given. @internal
 */
export function createDmsAlarms(scope: Construct, p: DmsAlarmParts): DmsAlarms {
  const latencyAlarm = (alarmId: string, metric: cloudwatch.Metric, side: string) =>
    metric.createAlarm(scope, alarmId, {
      alarmDescription:
        `DMS task ${p.taskIdentifier}: CDC latency (${side}) above ${p.thresholdSeconds} s, or no figure ` +
        '(task stopped or failed): the target is not in sync, do not cut over',
      threshold: p.thresholdSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: p.evaluationPeriods,
      datapointsToAlarm: p.evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING, // no latency figure is no proof of sync
    });
  const alarms: DmsAlarms = {
    cdcLatencySource: latencyAlarm('CdcLatencySourceAlarm', p.latencySource, 'source'),
    cdcLatencyTarget: latencyAlarm('CdcLatencyTargetAlarm', p.latencyTarget, 'target'),
    validationFailure: p.validationFailures?.createAlarm(scope, 'ValidationFailureAlarm', {
      alarmDescription:
        `DMS task ${p.taskIdentifier}: rows failed validation (see ${CONTROL_SCHEMA}.awsdms_validation_failures_v1 on the target)`,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, // reported only while validation runs; the latency alarms catch a stopped task
    }),
    taskError: p.taskErrors.createAlarm(scope, 'TaskErrorAlarm', {
      alarmDescription:
        `DMS replication instance ${p.instanceIdentifier}: error lines in the task logs (dms-tasks-${p.instanceIdentifier}, ` +
        'forward and reverse task alike) within 5 minutes: read the log streams dms-task-<task resource id>',
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, // no log line, no error; the latency alarms catch a silent task
    }),
  };
  for (const alarm of [alarms.cdcLatencySource, alarms.cdcLatencyTarget, alarms.validationFailure, alarms.taskError]) {
    if (!alarm) continue;
    if (p.alarmActions && p.alarmActions.length > 0) {
      alarm.addAlarmAction(...p.alarmActions);
      alarm.addOkAction(...p.alarmActions);
    }
  }
  return alarms;
}
