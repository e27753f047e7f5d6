import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { LoadBalancerCutover } from '../../src/load-balancer-cutover/load-balancer-cutover';

/**
 * A LoadBalancerCutover on an HTTPS listener of a new ALB in `stack`, between a `Legacy` target group (the source)
 * and a `Fleet` one (the target, the listener's default before the cutover).
 */
export function loadBalancerCutover(stack: Stack): LoadBalancerCutover {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
  const group = (id: string) => new elbv2.ApplicationTargetGroup(stack, id, {
    vpc, port: 443, protocol: elbv2.ApplicationProtocol.HTTPS, targetType: elbv2.TargetType.IP,
  });
  const fleet = group('Fleet');
  const listener = alb.addListener('Https', {
    port: 443,
    certificates: [elbv2.ListenerCertificate.fromArn(`arn:aws:acm:${stack.region}:${stack.account}:certificate/11111111-2222-3333-4444-555555555555`)],
    defaultTargetGroups: [fleet],
  });
  return new LoadBalancerCutover(stack, 'Shift', { listener, source: group('Legacy'), target: fleet });
}
