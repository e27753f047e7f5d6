import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import { AcceleratorCutover, EdgeAccelerator, EdgeAcceleratorProps } from '../../src/accelerator-cutover';
import { expectNoNagFindings } from '../support/nag';

const SOURCE_ALB = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/pay/0123456789abcdef';
const TARGET_ALB = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/pay/fedcba9876543210';
const PROPS: EdgeAcceleratorProps = { sourceRegion: 'us-east-1', targetRegion: 'eu-west-1', sourceLoadBalancerArn: SOURCE_ALB, targetLoadBalancerArn: TARGET_ALB };

function edgeStack(region: string | undefined = 'us-west-2'): Stack {
  return new Stack(new App(), 'Edge', { env: region ? { account: '111111111111', region } : undefined });
}

describe('EdgeAccelerator', () => {
  // GIVEN / WHEN
  const stack = edgeStack();
  const edge = new EdgeAccelerator(stack, 'Edge', PROPS);
  const template = Template.fromStack(stack);

  test('one accelerator with a TCP listener on 443, client affinity NONE', () => {
    template.resourceCountIs('AWS::GlobalAccelerator::Accelerator', 1);
    template.hasResourceProperties('AWS::GlobalAccelerator::Listener', {
      Protocol: 'TCP',
      PortRanges: [{ FromPort: 443, ToPort: 443 }],
      ClientAffinity: 'NONE',
    });
  });

  test.each([
    ['source', 'us-east-1', SOURCE_ALB, 100],
    ['target', 'eu-west-1', TARGET_ALB, 0],
  ])('the %s endpoint group: in %s, with its ALB %s (client IP preserved), dial %i, HTTPS health checks on /health', (_side, region, alb, dial) => {
    template.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', {
      EndpointGroupRegion: region,
      TrafficDialPercentage: dial,
      EndpointConfigurations: [{ EndpointId: alb, ClientIPPreservationEnabled: true }],
      HealthCheckProtocol: 'HTTPS',
      HealthCheckPort: 443,
      HealthCheckPath: '/health',
    });
  });

  test('exposes the accelerator and both groups, as AcceleratorCutover props and as outputs', () => {
    template.resourceCountIs('AWS::GlobalAccelerator::EndpointGroup', 2);
    const props = edge.cutoverProps();
    expect(stack.resolve(props)).toEqual({
      acceleratorArn: { 'Fn::GetAtt': [expect.stringMatching(/^EdgeAccelerator/), 'AcceleratorArn'] },
      sourceEndpointGroupArn: { 'Fn::GetAtt': [expect.stringMatching(/^EdgeAcceleratorHttpsSource/), 'EndpointGroupArn'] },
      targetEndpointGroupArn: { 'Fn::GetAtt': [expect.stringMatching(/^EdgeAcceleratorHttpsTarget/), 'EndpointGroupArn'] },
    });
    expect(stack.resolve(edge.dnsName)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EdgeAccelerator/), 'DnsName'] });
    // the props make a shifter in the same stack (tokens pass its checks)
    expect(new AcceleratorCutover(stack, 'Shifter', props).targetEndpointGroupArn).toBe(edge.targetEndpointGroupArn);
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).map((k) => k.replace(/^Edge/, '').replace(/[0-9A-F]{8}$/, '')).sort())
      .toEqual(['AcceleratorArn', 'DnsName', 'SourceEndpointGroupArn', 'TargetEndpointGroupArn']);
  });

  test('passes the three nag packs', () => {
    expectNoNagFindings(stack);
  });

  test('client affinity and health-check path are props; outputs can be left out', () => {
    // GIVEN
    const other = edgeStack();
    // WHEN
    new EdgeAccelerator(other, 'Edge', { ...PROPS, clientAffinity: ga.ClientAffinity.SOURCE_IP, healthCheckPath: '/ready', createOutputs: false });
    // THEN
    const t = Template.fromStack(other);
    t.hasResourceProperties('AWS::GlobalAccelerator::Listener', { ClientAffinity: 'SOURCE_IP' });
    expect(Object.values(t.findResources('AWS::GlobalAccelerator::EndpointGroup')).map((g) => g.Properties.HealthCheckPath)).toEqual(['/ready', '/ready']);
    expect(t.findOutputs('*')).toEqual({});
  });

  test('a stack whose Region is not known at synth time is accepted', () => {
    const agnostic = edgeStack(undefined);
    new EdgeAccelerator(agnostic, 'Edge', PROPS);
    Template.fromStack(agnostic).hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', { TrafficDialPercentage: 100, EndpointGroupRegion: Match.anyValue() });
  });
});

describe('EdgeAccelerator refuses', () => {
  test('a stack in another Region than us-west-2, naming the construct path', () => {
    expect(() => new EdgeAccelerator(edgeStack('eu-west-1'), 'Edge', PROPS)).toThrow(
      'EdgeAccelerator initialization failed at Edge/Edge:\n- `stack region` must be us-west-2: Global Accelerator is created, updated and read ' +
        'only through the US West (Oregon) Region, got: "eu-west-1"',
    );
  });

  test.each([
    ['an ALB in another Region than its side', { targetLoadBalancerArn: SOURCE_ALB }, /`targetLoadBalancerArn` must be in `targetRegion` \(eu-west-1\), got: "arn:aws:elasticloadbalancing:us-east-1:/],
    ['a Network Load Balancer', { sourceLoadBalancerArn: SOURCE_ALB.replace('/app/', '/net/') }, /`sourceLoadBalancerArn` must be an Application Load Balancer ARN/],
    ['the same Region twice', { targetRegion: 'us-east-1', targetLoadBalancerArn: SOURCE_ALB }, /`targetRegion` must differ from `sourceRegion`/],
    ['a bad Region name', { sourceRegion: 'useast1' }, /`sourceRegion` must be a Region name such as eu-west-1, got: "useast1"/],
    ['a relative health-check path', { healthCheckPath: 'health' }, /`healthCheckPath` must start with \/, got: "health"/],
    ['a missing ALB', { targetLoadBalancerArn: undefined }, /`targetLoadBalancerArn` is required: it must be a string/],
  ])('%s', (_what, change, message) => {
    expect(() => new EdgeAccelerator(edgeStack(), 'Edge', { ...PROPS, ...change } as any)).toThrow(message);
  });
});
