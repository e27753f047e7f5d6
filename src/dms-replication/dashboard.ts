import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DmsAlarms } from './dms-alarms';
import { DmsReplicationBase } from './dms-replication-base';

const HALF = 12;
const FULL = 24;
const HEIGHT = 6;

/** @internal */
export interface DashboardOptions {
  /** The CDC latency alarms' threshold, drawn on the latency graph. */
  readonly thresholdSeconds: number;
  /** Whether row-level validation runs (else no validation widget). */
  readonly validation: boolean;
  /** The replication's alarms. */
  readonly alarms: DmsAlarms;
  readonly replicationTaskIdentifier: string;
  readonly reverseReplicationTaskIdentifier?: string;
}

/**
 * The migration dashboard's widgets for one replication, in reading order: gate states first, then what explains
 * them (latency against the threshold, the backlog, throughput, validation, log errors), then the reverse task.
 * @internal
 */
export function buildDashboardWidgets(r: DmsReplicationBase, options: DashboardOptions): cloudwatch.IWidget[] {
  const task = options.replicationTaskIdentifier;
  const a = options.alarms;
  const gates = [a.cdcLatencySource, a.cdcLatencyTarget, ...(a.validationFailure ? [a.validationFailure] : []), a.taskError];
  const widgets: cloudwatch.IWidget[] = [
    new cloudwatch.AlarmStatusWidget({ title: `DMS ${task}: gates`, alarms: gates, width: FULL, height: 3 }),
    new cloudwatch.GraphWidget({
      title: `DMS ${task}: CDC latency (s)`,
      left: [r.metricCdcLatencySource({ label: 'source' }), r.metricCdcLatencyTarget({ label: 'target' })],
      leftAnnotations: [{ value: options.thresholdSeconds, label: `cutover gate (${options.thresholdSeconds} s)`, color: cloudwatch.Color.RED }],
      leftYAxis: { min: 0, label: 'seconds', showUnits: false },
      width: HALF,
      height: HEIGHT,
    }),
    new cloudwatch.GraphWidget({
      title: `DMS ${task}: changes waiting to be applied`,
      left: [r.metricCdcIncomingChanges({ label: 'CDCIncomingChanges' })],
      leftYAxis: { min: 0, showUnits: false },
      width: HALF,
      height: HEIGHT,
    }),
    new cloudwatch.GraphWidget({
      title: `DMS ${task}: rows/s written to the target`,
      left: [r.metricFullLoadThroughputRowsTarget({ label: 'full load' }), r.metricCdcThroughputRowsTarget({ label: 'CDC' })],
      leftYAxis: { min: 0, showUnits: false },
      width: HALF,
      height: HEIGHT,
    }),
  ];
  if (options.validation) {
    widgets.push(
      new cloudwatch.GraphWidget({
        title: `DMS ${task}: validation (rows)`,
        left: [r.metricValidationFailures({ label: 'failed' }), r.metricValidationSuspended({ label: 'suspended' })],
        right: [r.metricValidationPending({ label: 'pending' })],
        leftYAxis: { min: 0, showUnits: false },
        rightYAxis: { min: 0, showUnits: false },
        width: HALF,
        height: HEIGHT,
      }),
    );
  }
  widgets.push(new cloudwatch.AlarmWidget({ title: `DMS ${r.replicationInstanceIdentifier}: task log errors`, alarm: a.taskError, width: HALF, height: HEIGHT }));
  if (options.reverseReplicationTaskIdentifier) {
    widgets.push(
      new cloudwatch.GraphWidget({
        title: `DMS ${options.reverseReplicationTaskIdentifier} (reverse, Aurora to on-premises): CDC latency (s)`,
        left: [r.metricReverseTask('CDCLatencySource', { label: 'source' }), r.metricReverseTask('CDCLatencyTarget', { label: 'target' })],
        right: [r.metricReverseTask('CDCIncomingChanges', { label: 'incoming changes' })],
        leftAnnotations: [{ value: options.thresholdSeconds, label: `threshold (${options.thresholdSeconds} s)`, color: cloudwatch.Color.RED }],
        leftYAxis: { min: 0, label: 'seconds', showUnits: false },
        rightYAxis: { min: 0, showUnits: false },
        width: HALF,
        height: HEIGHT,
      }),
    );
  }
  return widgets;
}
