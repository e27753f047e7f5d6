import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import { checkInteger } from '../private/number-rules';
import { checkArgument, checkFactoryShapes, Validator, isDuration, knownSeconds, typesOf } from '../private/validation';

/*
 * The alarms a gate is made of: they must be able to be OK at rest (or no cutover can start), and a high-resolution
 * gate must watch a metric that is published at high resolution (or it judges on the gaps).
 */

/**
 * Metrics AWS publishes every period whether traffic flows or not (gauges of health and state): an alarm on them may
 * treat missing data as breaching — a gap there means what they watch is gone. Any other metric (a count of
 * requests or errors, a latency, a custom metric) has no datapoint while the target takes no traffic, which is
 * the case before every cutover.
 */
const PUBLISHED_AT_REST: ReadonlyArray<[RegExp, RegExp]> = [
  [/^AWS\/(ApplicationELB|NetworkELB|GatewayELB)$/, /^(HealthyHostCount|UnHealthyHostCount|HealthyState(DNS|Routing)|UnhealthyState(DNS|Routing))$/],
  [/^AWS\/Route53$/, /^(HealthCheckStatus|HealthCheckPercentageHealthy|ChildHealthCheckHealthyCount)$/],
  [/^AWS\/VPN$/, /^TunnelState$/],
  // instance and cluster gauges, published every minute while the database exists
  [/^AWS\/RDS$/, /^/],
];

const isAlarm = (o: Record<string, unknown>) => typeof o.alarmArn === 'string' && typeof o.alarmName === 'string';

/** What an alarm of the app watches, from its CloudFormation resource; undefined for an imported alarm. */
function watched(alarm: cloudwatch.IAlarm): { cfn: cloudwatch.CfnAlarm; metrics: string[]; filled: boolean } | undefined {
  const cfn = (alarm as unknown as IConstruct).node?.defaultChild;
  if (!(cfn instanceof cloudwatch.CfnAlarm)) return undefined;
  const queries = Array.isArray(cfn.metrics) ? (cfn.metrics as cloudwatch.CfnAlarm.MetricDataQueryProperty[]) : [];
  const metrics = [
    ...(cfn.metricName !== undefined ? [`${cfn.namespace}/${cfn.metricName}`] : []),
    ...queries.flatMap((q) => {
      const m = (q?.metricStat as cloudwatch.CfnAlarm.MetricStatProperty | undefined)?.metric as cloudwatch.CfnAlarm.MetricProperty | undefined;
      return m ? [`${m.namespace}/${m.metricName}`] : [];
    }),
  ];
  // metric math that fills its gaps (FILL) has a datapoint at every period: missing data never happens
  const filled = queries.some((q) => typeof q?.expression === 'string' && /\bFILL\s*\(/i.test(q.expression));
  return { cfn, metrics, filled };
}

function publishedAtRest(metric: string): boolean {
  if (Token.isUnresolved(metric)) return true;
  const slash = metric.lastIndexOf('/');
  const [namespace, name] = [metric.slice(0, slash), metric.slice(slash + 1)];
  return PUBLISHED_AT_REST.some(([ns, names]) => ns.test(namespace) && names.test(name));
}

const MISSING_AS_BREACHING = 'with no traffic on the target before the cutover it has no datapoint, so the alarm is in ALARM at rest and no cutover can start';

/** `CutoverGate.alarm` / `alarmBeforeWriterMove`: an alarm, one that can be OK at rest. @internal */
export function checkGateAlarm(factory: string, alarm: unknown): void {
  const v = new Validator(factory);
  if (checkArgument(v, 'alarm', alarm, isAlarm, 'a CloudWatch alarm (cloudwatch.Alarm, or cloudwatch.Alarm.fromAlarmArn for an existing one), not its name')) {
    const a = alarm as cloudwatch.IAlarm;
    const w = watched(a);
    const treat = w?.cfn.treatMissingData;
    if (w && treat === cloudwatch.TreatMissingData.BREACHING && !w.filled) {
      const notAtRest = w.metrics.filter((m) => !publishedAtRest(m));
      if (notAtRest.length > 0) {
        const name = Token.isUnresolved(a.alarmName) ? (a as unknown as IConstruct).node.path : a.alarmName;
        v.fail('alarm', `must not treat missing data as breaching (alarm ${name}, on ${notAtRest.join(', ')}): only the gauges AWS publishes whatever ` +
          'the traffic (load-balancer host counts, Route 53 health-check status, VPN tunnel state, AWS/RDS) have a datapoint at rest; ' +
          `${MISSING_AS_BREACHING.replace('it has', 'this metric has')}. Treat missing data as NOT_BREACHING or MISSING, or fill the gaps with metric math (FILL)`, treat);
      }
    }
  }
  v.throwIfInvalid();
}

/** The options of `CutoverGate.highResolutionMetric`, resolved. @internal */
export interface HighResolutionPlan {
  readonly period: Duration;
  readonly datapoints: number;
  readonly periods: number;
}

/**
 * `CutoverGate.highResolutionMetric`: where the alarm goes, its options' shapes, then the rules — a period of 10, 20
 * or 30 s, on a metric published at high resolution (not an AWS namespace), able to be OK at rest. @internal
 */
export function checkHighResolutionGate(scope: unknown, id: unknown, options: unknown): HighResolutionPlan {
  const scopePath = (scope as IConstruct | undefined)?.node?.path;
  const at = typeof scopePath === 'string' && typeof id === 'string' ? [scopePath, id].filter((p) => p !== '').join('/') : undefined;
  const v = new Validator('CutoverGate.highResolutionMetric', at);
  checkArgument(v, 'scope', scope, (o) => typeof (o.node as IConstruct['node'] | undefined)?.path === 'string', 'a construct (the stack or construct to create the alarm in)');
  v.check(typeof id === 'string' && id !== '', 'id', 'must be a non-empty string (the id of the alarm)', id);
  const shapesOk = checkFactoryShapes(v, options, typesOf('HighResolutionGateOptions'), true);
  const o = (shapesOk ? options : {}) as Record<string, unknown>;
  const period = isDuration(o.period) ? (o.period as Duration) : Duration.seconds(10);
  const datapoints = typeof o.datapointsToAlarm === 'number' ? o.datapointsToAlarm : 1;
  const periods = typeof o.evaluationPeriods === 'number' ? o.evaluationPeriods : datapoints;
  if (shapesOk) {
    checkHighResolutionRules(v, o, period, datapoints, periods, at);
  }
  v.throwIfInvalid();
  return { period, datapoints, periods };
}

function checkHighResolutionRules(
  v: Validator, o: Record<string, unknown>, period: Duration, datapoints: number, periods: number, at: string | undefined,
): void {
  const metric = o.metric as Partial<cloudwatch.Metric>;
  const seconds = knownSeconds(period);
  if (typeof metric.namespace !== 'string' || typeof metric.metricName !== 'string' || typeof metric.with !== 'function') {
    v.fail('metric', 'must be a cloudwatch.Metric (a namespace and a metric name the payment processor publishes)', metric);
  } else if (!Token.isUnresolved(metric.namespace) && metric.namespace.startsWith('AWS/')) {
    v.fail('metric', `must be a metric published at high resolution: ${metric.namespace} is an AWS namespace, which AWS publishes every 60 seconds ` +
      `or coarser, so a ${seconds !== undefined && [10, 20, 30].includes(seconds) ? seconds : 10}-second alarm on it sees one datapoint a minute and decides nothing sooner. Publish a custom ` +
      'high-resolution metric (PutMetricData with StorageResolution 1) and gate on it, or gate on a one-minute alarm with CutoverGate.alarm',
    `${metric.namespace}/${metric.metricName}`);
  }
  if (seconds !== undefined) v.check([10, 20, 30].includes(seconds), 'period', 'must be 10, 20 or 30 seconds (a high-resolution alarm)', period);
  checkInteger(v, 'datapointsToAlarm', datapoints, 1, Infinity, 'must be a whole number of at least 1');
  checkInteger(v, 'evaluationPeriods', periods, datapoints, Infinity, `must be a whole number of at least \`datapointsToAlarm\` (${datapoints})`);
  if (o.treatMissingData === cloudwatch.TreatMissingData.BREACHING) {
    v.fail('treatMissingData', `must not be BREACHING (the alarm ${at ?? 'of this gate'}): a metric the payment processor publishes while payments flow ` +
      `is missing when none do — ${MISSING_AS_BREACHING}. Use NOT_BREACHING (the default), MISSING or IGNORE`, o.treatMissingData);
  }
}
