import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { buildFixture } from './fixture';
import { CutoverGate, HighResolutionGateOptions } from '../../src';

const failedPayments = new cloudwatch.Metric({ namespace: 'Payments', metricName: 'FailedPaymentRate', statistic: 'Average', period: Duration.minutes(1) });

function withGate(options: Partial<HighResolutionGateOptions> = {}) {
  return buildFixture({}, {
    gates: ({ database, healthyHosts }) => [
      CutoverGate.auroraGlobalSecondary(database),
      CutoverGate.alarm(healthyHosts),
      CutoverGate.highResolutionMetric(healthyHosts.stack, 'FailedPayments', { metric: failedPayments, threshold: 2, ...options }),
    ],
  });
}

describe('CutoverGate.highResolutionMetric', () => {
  test('a 10-second alarm, one datapoint, on the event path and polled', () => {
    // GIVEN / WHEN
    const f = withGate();
    const template = Template.fromStack(f.stack);
    // THEN
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FailedPaymentRate',
      Namespace: 'Payments',
      Period: 10,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 2,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    const alarmId = Object.keys(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'FailedPaymentRate' } }))[0];
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ resources: Match.arrayWith([{ 'Fn::GetAtt': [alarmId, 'Arn'] }]) }),
    });
    expect(f.orchestrator.gatingAlarms.map((a) => a.node.id)).toContain('FailedPayments');
  });

  test.each([
    [{ period: Duration.minutes(1) }, /`period` must be 10, 20 or 30 seconds \(a high-resolution alarm\), got: 1 minute/],
    [{ datapointsToAlarm: 0 }, /`datapointsToAlarm` must be a whole number of at least 1, got: 0/],
    [{ datapointsToAlarm: 3, evaluationPeriods: 2 }, /`evaluationPeriods` must be a whole number of at least `datapointsToAlarm` \(3\), got: 2/],
  ])('refuses %o', (options, message) => {
    expect(() => withGate(options)).toThrow(message);
  });
});
