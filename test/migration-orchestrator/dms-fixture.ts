import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import {
  CutoverEndpoint,
  CutoverGate,
  DatabaseSwitchover,
  DatabaseWriterParameter,
  DmsGateOptions,
  DmsWriterMoveOptions,
  ITrafficShifter,
  LoadBalancerCutover,
  MigrationOrchestrator,
  MigrationOrchestratorProps,
  WeightedCutover,
} from '../../src';
import { DmsReplication, DmsReplicationProps } from '../../src/dms-replication';
import { fixture as dmsFixture } from '../dms-replication/fixture';
import { healthyHostsAlarm, TARGET_ALB } from '../support/world';
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
    /** Shift on a load balancer's listener (legacy servers by IP beside an AWS target group) instead of Route 53. */
    loadBalancerShifting?: boolean;
  } = {},
) {
  bundleHandler();
  const f = dmsFixture();
  const stack = f.stack;
  const replication = new DmsReplication(stack, 'Dms', { ...f.props, ...options.replication?.(f.props), reverseReplication: options.reverseReplication ?? true });
  const writerParameter = new DatabaseWriterParameter(stack, 'Writer', { parameterName: '/payments/database/writer' });
  const writer = writerParameter.parameter;
  const healthyHosts = healthyHostsAlarm(stack, 3);
  const dns = new WeightedCutover(stack, 'Dns', {
    zoneName: 'pay.example.com',
    recordNames: ['api'],
    source: CutoverEndpoint.fromIpAddresses(['52.94.76.10', '52.94.76.11']),
    target: CutoverEndpoint.fromLoadBalancerAttributes(TARGET_ALB),
  });
  let shifter: ITrafficShifter = dns;
  if (options.loadBalancerShifting) {
    const vpc = f.props.vpc;
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
    const listener = alb.addListener('Https', {
      port: 443,
      certificates: [acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555')],
      defaultAction: elbv2.ListenerAction.fixedResponse(503),
      open: false,
    });
    const group = (id: string, ip: string) => new elbv2.ApplicationTargetGroup(stack, id, {
      vpc, targetType: elbv2.TargetType.IP, protocol: elbv2.ApplicationProtocol.HTTPS, port: 443, targets: [new targets.IpTarget(ip, 443, 'all')],
    });
    shifter = new LoadBalancerCutover(stack, 'Shift', { listener, source: group('Legacy', '192.168.10.31'), target: group('Fleet', '10.0.1.10') });
  }
  const orchestrator = new MigrationOrchestrator(stack, 'Orchestrator', {
    shifter,
    gates: [CutoverGate.dmsReplication(replication, options.gate), CutoverGate.alarm(healthyHosts)],
    switchover: DatabaseSwitchover.dmsWriterMove(replication, { writerParameter: writer, ...options.move }),
    ...props,
  });
  return { ...f, replication, writer, writerParameter, healthyHosts, dns, shifter, orchestrator };
}
