import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A metric of one resource (`dimensionsMap`) with the given statistic, per minute unless `props` say otherwise: what
 * the constructs' `metric…()` methods return.
 * @internal
 */
export function perMinuteMetric(
  namespace: string,
  metricName: string,
  dimensionsMap: Record<string, string>,
  statistic: string,
  props?: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace, metricName, dimensionsMap, statistic, period: Duration.minutes(1), ...props });
}
