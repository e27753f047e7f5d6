import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LoadBalancerCutover } from '../../src/load-balancer-cutover/load-balancer-cutover';

// LoadBalancerCutover's ITrafficShifter methods take the same rules as the other shifters' (one implementation):
// splitFor's percentage, shiftFragment's options (its own defaults: a listener takes a change at once).
function cutover(): { stack: Stack; shifter: LoadBalancerCutover } {
  const stack = new Stack(new App(), 'Lb', { env: { account: '111111111111', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
  const group = (id: string) => new elbv2.ApplicationTargetGroup(stack, id, {
    vpc, port: 443, protocol: elbv2.ApplicationProtocol.HTTPS, targetType: elbv2.TargetType.IP,
  });
  const fleet = group('Fleet');
  const listener = alb.addListener('Https', {
    port: 443,
    certificates: [elbv2.ListenerCertificate.fromArn('arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555')],
    defaultTargetGroups: [fleet],
  });
  return { stack, shifter: new LoadBalancerCutover(stack, 'Shift', { listener, source: group('Legacy'), target: fleet }) };
}

test('splitFor refuses a share outside 0–100, naming the method and the construct path', () => {
  const { shifter } = cutover();
  expect(shifter.splitFor(25)).toEqual({ sourceWeight: 75, targetWeight: 25 });
  expect(() => shifter.splitFor(101)).toThrow(/^LoadBalancerCutover\.splitFor failed at Lb\/Shift:\n- `targetPercent` must be an integer percentage between 0 and 100.*got: 101$/);
});

test.each<[string, object, RegExp]>([
  ['a split path that is not a JSONPath', { splitPath: 'split' }, /`splitPath` must be a JSONPath of fields such as \$\.split, got: "split"/],
  ['a result path that is not a JSONPath', { resultPath: '$.shift[0]' }, /`resultPath` must be a JSONPath of fields such as \$\.shift\.change/],
  ['a poll under one second', { pollInterval: Duration.millis(500) }, /`pollInterval` must be whole seconds, at least 1, got: 0\.5/],
  ['a timeout shorter than its default poll', { timeout: Duration.millis(500) }, /`timeout` must be at least `pollInterval`, got: 0\.5/],
])('shiftFragment refuses %s', (_name, options, message) => {
  const { stack, shifter } = cutover();
  expect(() => shifter.shiftFragment(stack, 'Fragment', options)).toThrow(/^LoadBalancerCutover\.shiftFragment failed at Lb:/);
  expect(() => shifter.shiftFragment(stack, 'Fragment2', options)).toThrow(message);
});

test('shiftFragment builds with its defaults, and grantShift grants ModifyListener on this listener only', () => {
  const { stack, shifter } = cutover();
  expect(() => shifter.shiftFragment(stack, 'Fragment')).not.toThrow();
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
  shifter.grantShift(role);
  const statements = stack.resolve((role.node.findChild('DefaultPolicy') as iam.Policy).document).Statement;
  expect(statements).toEqual(expect.arrayContaining([
    expect.objectContaining({ Action: 'elasticloadbalancing:ModifyListener', Resource: stack.resolve(shifter.listenerArn) }),
  ]));
});
