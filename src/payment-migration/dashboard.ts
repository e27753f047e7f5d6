import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { SourceRegionAttributes } from './cross-region-options';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { AuroraTargetCluster } from '../aurora-target/aurora-target-cluster';
import { MigrationOrchestrator } from '../migration-orchestrator/migration-orchestrator';
import { PaymentFleet } from '../payment-fleet/payment-fleet';
import { clusterMetric } from '../private/aurora';

/** The parts the dashboard shows. @internal */
export interface DashboardParts {
  /** What moves where, for the title: `us-east-1 → target`, `datacenter → eu-west-1`. */
  readonly title: string;
  /** The source region, when it is one (its ALB's requests and health are graphed next to the target's). */
  readonly source?: SourceRegionAttributes;
  /** The replication's widgets (Aurora global lag, or DMS latency, backlog, validation). */
  readonly replication: cloudwatch.IWidget[];
  /** More lines for the header (where the database writer is, …). */
  readonly notes?: string;
  readonly fleet: PaymentFleet;
  readonly orchestrator: MigrationOrchestrator;
  /**
   * The legacy servers' target group on the fleet's load balancer (load-balancer shifting): the observed split is
   * then the fleet's target group's requests over both target groups' (the source region's ALB is not graphed).
   *
   * @default - the observed split compares the fleet's requests with the source region's load balancer's, if any
   */
  readonly legacyTargetGroup?: elbv2.IApplicationTargetGroup;
  /**
   * What moves traffic, as the shifter describes itself (`ITrafficShifter.description`), for the header.
   *
   * @default - not named
   */
  readonly shifterDescription?: string;
  /**
   * The Aurora cluster in this Region, whose writer's CPU and connections are graphed (with its readers').
   *
   * @default - the `AuroraTargetCluster` or `AuroraGlobalSecondary` among the dashboard scope's children, if any
   */
  readonly database?: DashboardDatabase;
}

/** The Aurora cluster the dashboard graphs. @internal */
export interface DashboardDatabase {
  /** Its `DBClusterIdentifier`, the dimension of its `AWS/RDS` metrics. */
  readonly clusterIdentifier: string;
}

/** The migration's Aurora cluster: the one given, else the one its side built next to the dashboard. */
function databaseOf(scope: Construct, parts: DashboardParts): DashboardDatabase | undefined {
  return parts.database ?? scope.node.children.find((c): c is AuroraTargetCluster | AuroraGlobalSecondary =>
    c instanceof AuroraTargetCluster || c instanceof AuroraGlobalSecondary);
}

/**
 * The Aurora writer's CPU and connections, each next to the readers'. On the datacenter path the writer
 * takes DMS's writes, then the fleet's once the writer moved; on the cross-region path this Region's cluster has a
 * writer only once the switchover made it the primary (before, every instance is a reader).
 */
function auroraWriterWidgets(database: DashboardDatabase): cloudwatch.IWidget[] {
  const byRole = (metricName: string, statistic: string, role: 'WRITER' | 'READER', label: string) =>
    clusterMetric(database.clusterIdentifier, metricName, statistic, { label }, { Role: role });
  return [
    new cloudwatch.GraphWidget({
      title: 'Aurora writer: CPU (%)',
      left: [
        byRole('CPUUtilization', cloudwatch.Stats.AVERAGE, 'WRITER', 'writer'),
        byRole('CPUUtilization', cloudwatch.Stats.MAXIMUM, 'READER', 'busiest reader'),
      ],
      leftYAxis: { min: 0, max: 100 },
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Aurora writer: connections',
      left: [
        byRole('DatabaseConnections', cloudwatch.Stats.MAXIMUM, 'WRITER', 'writer'),
        byRole('DatabaseConnections', cloudwatch.Stats.MAXIMUM, 'READER', 'most connected reader'),
      ],
      width: 12,
    }),
  ];
}

/** The Aurora global database's replication widget. @internal */
export function auroraGlobalWidgets(database: AuroraGlobalSecondary): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({
      title: 'Aurora global replication (ms)',
      left: [database.metricReplicationLag({ label: 'replication lag' }), database.metricRpoLag({ label: 'RPO lag' })],
      leftAnnotations: [{ value: 1000, label: 'gate: 1 s', color: cloudwatch.Color.RED }],
      width: 12,
    }),
  ];
}

/** A source-region ALB metric (dashboards may graph metrics of other regions). */
function sourceAlbMetric(source: SourceRegionAttributes | undefined, metricName: string, statistic: string): cloudwatch.IMetric | undefined {
  if (!source?.loadBalancerFullName) return undefined;
  return new cloudwatch.Metric({
    namespace: 'AWS/ApplicationELB',
    metricName,
    dimensionsMap: { LoadBalancer: source.loadBalancerFullName },
    statistic,
    period: Duration.minutes(1),
    region: source.region,
    label: `source (${source.region})`,
  });
}

interface SideMetrics {
  readonly requests?: cloudwatch.IMetric;
  readonly healthyHosts?: cloudwatch.IMetric;
  readonly errors?: cloudwatch.IMetric;
  readonly p99?: cloudwatch.IMetric;
}

/** The source side's metrics: the legacy target group's on the fleet's load balancer, or the source region's ALB's. */
function sourceMetrics(parts: DashboardParts): SideMetrics {
  const legacy = parts.legacyTargetGroup;
  if (legacy) {
    const options = { label: 'legacy (target group)', period: Duration.minutes(1) };
    return {
      requests: legacy.metrics.requestCount({ ...options, statistic: cloudwatch.Stats.SUM }),
      healthyHosts: legacy.metrics.healthyHostCount({ ...options, statistic: cloudwatch.Stats.MINIMUM }),
      errors: legacy.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { ...options, statistic: cloudwatch.Stats.SUM }),
      p99: legacy.metrics.targetResponseTime({ ...options, statistic: cloudwatch.Stats.p(99) }),
    };
  }
  return {
    requests: sourceAlbMetric(parts.source, 'RequestCount', cloudwatch.Stats.SUM),
    healthyHosts: sourceAlbMetric(parts.source, 'HealthyHostCount', cloudwatch.Stats.MINIMUM),
    errors: sourceAlbMetric(parts.source, 'HTTPCode_Target_5XX_Count', cloudwatch.Stats.SUM),
    p99: sourceAlbMetric(parts.source, 'TargetResponseTime', cloudwatch.Stats.percentile(99)),
  };
}

const present = (...metrics: Array<cloudwatch.IMetric | undefined>): cloudwatch.IMetric[] => metrics.filter((m): m is cloudwatch.IMetric => !!m);

/**
 * The migration dashboard: replication lag; the Aurora writer's CPU and connections; each side's health;
 * the intended split (the weights the cutover set) next to the observed split (each side's request count: both
 * target groups on the fleet's load balancer with load-balancer shifting, else the two sides' load balancers); the
 * gating alarms; the cutover's progress. The source side is graphed only where it is measured: the legacy target
 * group (load-balancer shifting) or the source region's load balancer (`loadBalancerFullName`); a datacenter behind
 * weighted records has no load balancer here, so its health and the observed split are not on the dashboard.
 * @internal
 */
export function createMigrationDashboard(scope: Construct, parts: DashboardParts): cloudwatch.Dashboard {
  const { fleet, orchestrator } = parts;
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', { defaultInterval: Duration.hours(3) });
  const targetRequests = fleet.metricRequestCount({ label: parts.legacyTargetGroup ? 'fleet (target group)' : 'target', period: Duration.minutes(1) });
  const source = sourceMetrics(parts);

  const observed: cloudwatch.IMetric[] = [];
  if (source.requests) {
    observed.push(
      new cloudwatch.MathExpression({
        expression: '100 * t / (s + t)',
        usingMetrics: { s: source.requests, t: targetRequests },
        label: 'observed: target share of requests (%)',
        period: Duration.minutes(1),
      }),
    );
  }

  const shifter = parts.shifterDescription ? `\n\nTraffic moves with: ${parts.shifterDescription}.` : '';
  const notes = parts.notes ? `\n\n${parts.notes}` : '';
  dashboard.addWidgets(
    new cloudwatch.TextWidget({
      markdown: `# Payment migration ${parts.title}\nCutover: \`${orchestrator.stateMachine.stateMachineName}\`. Intended split = the weights the cutover set; observed split = where requests actually land.${shifter}${notes}`,
      width: 24,
      height: 2 + (parts.notes ? 1 : 0) + (parts.shifterDescription ? 1 : 0),
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Traffic split: intended vs observed (target %)',
      left: [orchestrator.metricTargetWeight({ label: 'intended: target weight' }), ...observed],
      leftYAxis: { min: 0, max: 100 },
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Requests per side',
      left: [targetRequests, ...present(source.requests)],
      width: 12,
    }),
  );
  dashboard.addWidgets(...parts.replication);
  const database = databaseOf(scope, parts);
  if (database) dashboard.addWidgets(...auroraWriterWidgets(database));
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Healthy hosts',
      left: [fleet.metricHealthyHostCount({ label: 'target' }), ...present(source.healthyHosts)],
      width: 12,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: '5xx from targets',
      left: [fleet.metricTarget5xxCount({ label: 'target' }), ...present(source.errors)],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'p99 target response time (s)',
      left: [fleet.metricTargetResponseTimeP99({ label: 'target' }), ...present(source.p99)],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Cutover executions',
      left: [
        orchestrator.stateMachine.metricStarted({ label: 'started' }),
        orchestrator.stateMachine.metricSucceeded({ label: 'succeeded' }),
        orchestrator.stateMachine.metricFailed({ label: 'failed (rolled back or refused)' }),
        orchestrator.stateMachine.metricAborted({ label: 'stopped' }),
      ],
      width: 8,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.AlarmStatusWidget({
      title: 'Gating alarms (an ALARM rolls a running cutover back)',
      alarms: orchestrator.gatingAlarms,
      width: 24,
    }),
  );
  return dashboard;
}
