import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { Validator } from '../private/validation';

/** The CloudWatch namespace of the metrics this library derives from the DMS task logs. */
export const LOG_METRICS_NAMESPACE = 'PaymentMigration/DMS';
/**
 * DMS task log lines read `<timestamp> [<COMPONENT>      ]<severity>:  <message>`, the severity `E` for errors, `W`
 * for warnings, `I` for information (e.g. `[SOURCE_CAPTURE  ]E:  RetCode: SQL_ERROR …`): an error line holds `]E:`.
 * A quoted term matches it wherever it occurs; check with
 * `aws logs test-metric-filter --filter-pattern '"]E:"' --log-event-messages '…'`.
 */
export const ERROR_LINE_TERM = ']E:';
/**
 * The metrics of a DMS replication's tasks (AWS/DMS, with the task's dimensions) and of its task logs. Extended by
 * {@link DmsReplication}.
 */
export abstract class DmsReplicationBase extends Construct {
  /** The replication instance identifier (a dimension of the task metrics). */
  public abstract readonly replicationInstanceIdentifier: string;
  /** The forward task's resource id, the `ReplicationTaskIdentifier` dimension of its metrics. */
  public abstract readonly replicationTaskResourceId: string;
  /** The reverse task's resource id, when a reverse task is prepared. */
  public abstract readonly reverseReplicationTaskResourceId?: string;

  /**
   * `CDCLatencySource`: the gap, in seconds, between the last event captured from the source and now.
   *
   * @default - Maximum over 1 minute
   */
  public metricCdcLatencySource(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this._taskMetric('CDCLatencySource', cloudwatch.Unit.SECONDS, props);
  }

  /**
   * `CDCLatencyTarget`: the gap, in seconds, between the oldest event not yet committed on the target and now.
   * Replication lag is source + target latency.
   *
   * @default - Maximum over 1 minute
   */
  public metricCdcLatencyTarget(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this._taskMetric('CDCLatencyTarget', cloudwatch.Unit.SECONDS, props);
  }

  /**
   * `ValidationFailedOverallCount`: rows where validation failed.
   *
   * @default - Maximum over 1 minute
   */
  public metricValidationFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this._taskMetric('ValidationFailedOverallCount', cloudwatch.Unit.COUNT, props);
  }

  /**
   * `ValidationSuspendedOverallCount`: rows whose validation was suspended (e.g. rows changing too often).
   *
   * @default - Maximum over 1 minute
   */
  public metricValidationSuspended(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this._taskMetric('ValidationSuspendedOverallCount', cloudwatch.Unit.COUNT, props);
  }

  /**
   * `ValidationPendingOverallCount`: rows whose validation is still pending.
   *
   * @default - Maximum over 1 minute
   */
  public metricValidationPending(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this._taskMetric('ValidationPendingOverallCount', cloudwatch.Unit.COUNT, props);
  }

  /**
   * `CDCIncomingChanges`: change events captured and waiting to be applied to the target, at a point in time. It
   * must come down to 0 (after writes stop on the source) before the writer moves.
   *
   * @default - Maximum over 1 minute
   */
  public metricCdcIncomingChanges(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this._taskMetric('CDCIncomingChanges', cloudwatch.Unit.COUNT, props);
  }

  /**
   * `FullLoadThroughputRowsTarget`: rows per second written to the target by the full load.
   *
   * @default - Average over 1 minute
   */
  public metricFullLoadThroughputRowsTarget(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this._taskMetric('FullLoadThroughputRowsTarget', undefined, { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /**
   * `CDCThroughputRowsTarget`: changes per second applied to the target during CDC.
   *
   * @default - Average over 1 minute
   */
  public metricCdcThroughputRowsTarget(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this._taskMetric('CDCThroughputRowsTarget', undefined, { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /**
   * The error lines (`]E:`) of the task logs, counted by a metric filter on the task log group into the
   * `PaymentMigration/DMS` namespace. DMS writes the logs of every task of the replication instance to that one
   * group and a metric filter cannot tell the log streams apart (nor take a dimension that is not a field of the log
   * line), so the metric is named after the replication instance and counts the forward and the reverse task alike.
   *
   * @default - Sum over 5 minutes
   */
  public metricTaskErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: LOG_METRICS_NAMESPACE,
      metricName: this._taskErrorsMetricName(),
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...props,
    });
  }

  /**
   * Any task metric of AWS/DMS, with the task's dimensions: `ReplicationInstanceIdentifier` (the instance
   * identifier) and `ReplicationTaskIdentifier` (the task's resource id, from its ARN — not the task identifier).
   *
   * @default - Maximum over 1 minute
   */
  public metricTask(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this._taskMetric(metricName, undefined, props);
  }

  /**
   * Any task metric of AWS/DMS for the reverse task (e.g. `CDCLatencySource`, `CDCLatencyTarget`,
   * `CDCIncomingChanges`), with its dimensions. Throws unless `reverseReplication` is on.
   *
   * @default - Maximum over 1 minute
   */
  public metricReverseTask(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (this.reverseReplicationTaskResourceId === undefined) {
      return new Validator('DmsReplication.metricReverseTask', this).refuse('reverseReplication', `must be true for metricReverseTask('${metricName}'): no reverse task was prepared`, false);
    }
    return this._taskMetric(metricName, undefined, props, this.reverseReplicationTaskResourceId);
  }

  /** A task metric of AWS/DMS: Maximum over 1 minute unless told otherwise. @internal */
  protected _taskMetric(
    metricName: string,
    unit: cloudwatch.Unit | undefined,
    props?: cloudwatch.MetricOptions,
    resourceId?: string,
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/DMS',
      metricName,
      dimensionsMap: {
        ReplicationInstanceIdentifier: this.replicationInstanceIdentifier,
        ReplicationTaskIdentifier: resourceId ?? this.replicationTaskResourceId,
      },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
      unit,
      ...props,
    });
  }

  /** The name of the task-log error metric. @internal */
  protected _taskErrorsMetricName(): string {
    return `TaskLogErrors-${this.replicationInstanceIdentifier}`;
  }
}
