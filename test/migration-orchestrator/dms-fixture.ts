import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  CutoverEndpoint,
  CutoverGate,
  DatabaseSwitchover,
  DatabaseWriterParameter,
  DmsGateOptions,
  DmsWriterMoveOptions,
  MigrationOrchestrator,
  MigrationOrchestratorProps,
  WeightedCutover,
} from '../../src';
import { DmsReplication, DmsReplicationProps } from '../../src/dms-replication';
import { fixture as dmsFixture } from '../dms-replication/fixture';
import { bundleHandler } from '../weighted-cutover/bundle';

/** The on-premises path (seed S2): DMS with a prepared reverse task, weighted records legacy IPs vs the AWS ALB. */
export function buildDmsFixture(
  props: Partial<MigrationOrchestratorProps> = {},
  options: {
    gate?: DmsGateOptions;
    move?: Partial<DmsWriterMoveOptions>;
    reverseReplication?: boolean;
    /** Changes to the replication's props (e.g. the engine). */
    replication?: (props: DmsReplicationProps) => Partial<DmsReplicationProps>;
  } = {},
) {
  bundleHandler();
  const f = dmsFixture();
  const stack = f.stack;
  const replication = new DmsReplication(stack, 'Dms', { ...f.props, ...options.replication?.(f.props), reverseReplication: options.reverseReplication ?? true });
  const writerParameter = new DatabaseWriterParameter(stack, 'Writer', { parameterName: '/payments/database/writer' });
  const writer = writerParameter.parameter;
  const healthyHosts = new cloudwatch.Alarm(stack, 'HealthyHosts', {
    metric: new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'HealthyHostCount', period: Duration.minutes(1) }),
    threshold: 3,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 2,
  });
  const dns = new WeightedCutover(stack, 'Dns', {
    zoneName: 'pay.example.com',
    recordNames: ['api'],
    source: CutoverEndpoint.fromIpAddresses(['52.94.76.10', '52.94.76.11']),
    target: CutoverEndpoint.fromLoadBalancerAttributes({ dnsName: 'target-alb-456.eu-west-1.elb.amazonaws.com', canonicalHostedZoneId: 'Z32O12XQLNTSW2' }),
  });
  const orchestrator = new MigrationOrchestrator(stack, 'Orchestrator', {
    shifter: dns,
    gates: [CutoverGate.dmsReplication(replication, options.gate), CutoverGate.alarm(healthyHosts)],
    switchover: DatabaseSwitchover.dmsWriterMove(replication, { writerParameter: writer, ...options.move }),
    ...props,
  });
  return { ...f, replication, writer, writerParameter, healthyHosts, dns, orchestrator };
}
