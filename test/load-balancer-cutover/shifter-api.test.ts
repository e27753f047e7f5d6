import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LoadBalancerCutover } from '../../src/load-balancer-cutover/load-balancer-cutover';
import { loadBalancerCutover } from '../support/listener';

// LoadBalancerCutover's ITrafficShifter methods take the same rules as the other shifters' (one implementation):
// splitFor's percentage, shiftFragment's options (its own defaults: a listener takes a change at once).
function cutover(): { stack: Stack; shifter: LoadBalancerCutover } {
  const stack = new Stack(new App(), 'Lb', { env: { account: '111111111111', region: 'us-east-1' } });
  return { stack, shifter: loadBalancerCutover(stack) };
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
