import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { GateConfig, GatePlugin } from './state-machine/contracts';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { DmsReplication } from '../dms-replication/dms-replication';
import { auroraGlobalSecondaryGate } from './gates/aurora-global-gate';
import { dmsReplicationGate } from './gates/dms-gate';
import { healthyTargetsGate } from './gates/healthy-targets-gate';
import { DmsGateOptions } from './switchovers/dms/dms-options';
import { checkGateAlarm, checkHighResolutionGate } from './validate-gates';
import { checkAuroraGateArgument, checkDmsGateOptions, checkHealthyTargets } from './validate-options';

/** Options for {@link CutoverGate.highResolutionMetric}. */
export interface HighResolutionGateOptions {
  /**
   * A metric the payment processor publishes at high resolution (`PutMetricData` with `StorageResolution: 1`), e.g.
   * its failed-payment rate. Its period is replaced by `period`. A metric of an AWS namespace (`AWS/ApplicationELB`,
   * `AWS/RDS`, …) is refused: AWS publishes those every 60 seconds or coarser, so a 10-second alarm on them decides
   * nothing sooner than a one-minute alarm ({@link CutoverGate.alarm}).
   */
  readonly metric: cloudwatch.Metric;

  /** The threshold the alarm compares the metric with. */
  readonly threshold: number;

  /**
   * How the metric is compared with the threshold.
   *
   * @default cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
   */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;

  /**
   * The alarm's period: 10, 20 or 30 seconds (a high-resolution alarm).
   *
   * @default Duration.seconds(10)
   */
  readonly period?: Duration;

  /**
   * Datapoints that must breach, out of `evaluationPeriods`, for the alarm (and so the rollback). The evaluation
   * window — the first term of the time to safety — is `period` × `datapointsToAlarm`; more datapoints mean fewer
   * rollbacks on a single noisy datapoint, and a later one on a real failure.
   *
   * @default 1
   */
  readonly datapointsToAlarm?: number;

  /**
   * Periods evaluated.
   *
   * @default - `datapointsToAlarm`
   */
  readonly evaluationPeriods?: number;

  /**
   * What a missing datapoint means. A rate metric published only while payments flow is missing when none do —
   * on the target, before every cutover — so `BREACHING` is refused: the alarm would be in ALARM at rest and no
   * cutover could start.
   *
   * @default cloudwatch.TreatMissingData.NOT_BREACHING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/**
 * A condition a cutover needs to start and to keep going. Replication-agnostic: Aurora Global Database, DMS and
 * plain alarms are all gates.
 *
 * @example
 * declare const lagAlarm: cloudwatch.IAlarm;
 * const gates = [CutoverGate.alarm(lagAlarm)];
 */
export abstract class CutoverGate {
  /**
   * The alarm must be OK to start and stay OK during every bake. ALARM rolls back; INSUFFICIENT_DATA blocks the
   * start (unless the orchestrator allows it) and is tolerated during bakes only when allowed.
   *
   * An alarm of the app that treats missing data as breaching is refused unless its metrics are ones AWS publishes
   * at rest (load-balancer host counts, Route 53 health-check status, VPN tunnel state, `AWS/RDS`) or its metric
   * math fills the gaps (`FILL`): any other metric has no datapoint while the target takes no traffic, so the
   * alarm would be in ALARM before every cutover, and none could start.
   */
  public static alarm(alarm: cloudwatch.IAlarm): CutoverGate {
    checkGateAlarm('CutoverGate.alarm', alarm);
    return new PluginGate({ description: `alarm ${alarm.alarmName}`, bind: () => ({ alarms: [alarm], preChecks: [] }) });
  }

  /**
   * The alarm must be OK to start and stay OK during every bake **until the database writer moves**
   * ({@link DatabaseSwitchover.dmsWriterMove}); after the move it is no longer watched. For what only matters while
   * the old database is the writer — the VPN tunnels the fleet writes through, for example. Polled, not on the event
   * path. Missing data treated as breaching is refused as for {@link CutoverGate.alarm}.
   */
  public static alarmBeforeWriterMove(alarm: cloudwatch.IAlarm): CutoverGate {
    checkGateAlarm('CutoverGate.alarmBeforeWriterMove', alarm);
    return new PluginGate({
      description: `alarm ${alarm.alarmName} (until the writer moves)`,
      bind: () => ({ alarms: [], preChecks: [], replicationAlarms: [alarm] }),
    });
  }

  /**
   * The target fleet has at least `minimum` registered targets, every one of them `healthy` (none initial,
   * unhealthy, unavailable or draining), before any traffic moves.
   */
  public static healthyTargets(targetGroup: elbv2.ITargetGroup, minimum: number): CutoverGate {
    checkHealthyTargets(targetGroup, minimum);
    return new PluginGate(healthyTargetsGate(targetGroup, minimum));
  }

  /**
   * The Aurora global secondary is available and a member of its global cluster before any traffic moves, and its
   * replication-lag alarm stays OK until the switchover (after it, the lag of the old secondary means nothing: the
   * bake on the new writer no longer polls it).
   */
  public static auroraGlobalSecondary(database: AuroraGlobalSecondary): CutoverGate {
    checkAuroraGateArgument(database);
    return new PluginGate(auroraGlobalSecondaryGate(database));
  }

  /**
   * The DMS replication is ready before any traffic moves — the task runs (started if it never ran), its full load
   * is complete, CDC latency is within the threshold on both sides (waited for), and no table failed validation —
   * and its latency and validation alarms stay OK until the writer moves.
   *
   * @example
   * declare const replication: DmsReplication;
   * const gate = CutoverGate.dmsReplication(replication, { fullLoadTimeout: Duration.hours(12) });
   */
  public static dmsReplication(replication: DmsReplication, options: DmsGateOptions = {}): CutoverGate {
    checkDmsGateOptions(replication, options);
    return new PluginGate(dmsReplicationGate(replication, options));
  }

  /**
   * A gate on a high-resolution metric the payment processor publishes (every 10 s, e.g. its failed-payment rate):
   * a new 10-second alarm (in `scope`, as `id`) that gates the cutover like {@link CutoverGate.alarm} — OK to start,
   * polled in every bake, and on the event path, whose "CloudWatch Alarm State Change" event starts the rollback
   * within a second while traffic shifts (from the database switchover on, the cutover's own bake polls it and rolls
   * back, writer first). Detection then takes one 10-second datapoint instead of the one-minute datapoints of the
   * load balancer's and the database's metrics (which CloudWatch stores at 60 s).
   *
   * Alarm-based Route 53 health checks take only standard-resolution alarms: this gate acts through the cutover's
   * workflows, not a health check.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#high-resolution-alarms
   * @example
   * declare const stack: Stack;
   * const failedPayments = new cloudwatch.Metric({ namespace: 'Payments', metricName: 'FailedPaymentRate', statistic: 'Average' });
   * const gate = CutoverGate.highResolutionMetric(stack, 'FailedPayments', { metric: failedPayments, threshold: 2 });
   */
  public static highResolutionMetric(scope: Construct, id: string, options: HighResolutionGateOptions): CutoverGate {
    const { period, datapoints, periods } = checkHighResolutionGate(scope, id, options);
    const seconds = period.toSeconds({ integral: false });
    const alarm = new cloudwatch.Alarm(scope, id, {
      alarmDescription: `Cutover gate on ${options.metric.namespace}/${options.metric.metricName} at ${seconds} s: ALARM rolls the cutover back`,
      metric: options.metric.with({ period }),
      threshold: options.threshold,
      comparisonOperator: options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: periods,
      datapointsToAlarm: datapoints,
      treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return new PluginGate({ description: `high-resolution alarm ${id} (${seconds} s)`, bind: () => ({ alarms: [alarm], preChecks: [] }) });
  }

  protected constructor(
    /** What the gate checks, for messages and the timeline. */
    public readonly description: string,
  ) {}

  /** What the orchestrator's state machine needs of the gate: its alarms and pre-checks. @internal */
  public abstract _bind(): GateConfig;
}

/** A gate made by one of gates/. */
class PluginGate extends CutoverGate {
  constructor(private readonly plugin: GatePlugin) {
    super(plugin.description);
  }

  /** @internal */
  public _bind(): GateConfig {
    return this.plugin.bind();
  }
}
