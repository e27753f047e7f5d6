import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CutoverEndpoint, RegionalNetwork, WeightedCutover } from '../../src';
import { LAMBDA_BUNDLE_TARGET, LAMBDA_RUNTIME } from '../../src/private/lambda-runtime';
import { bundlePeerRoutesHandler } from '../regional-network/bundle';
import { nagFindings } from '../support/nag';
import { bundleHandler } from '../weighted-cutover/bundle';

const ROOT = path.join(__dirname, '..', '..');

describe('one Lambda runtime for the library\'s own functions', () => {
  test('the runtime is Node.js 24 and the bundles target it', () => {
    expect(LAMBDA_RUNTIME.name).toBe('nodejs24.x');
    expect(LAMBDA_BUNDLE_TARGET).toBe('node24');
  });

  test('the records function and the peer-routes function both run on it', () => {
    // GIVEN
    bundleHandler();
    bundlePeerRoutesHandler();
    const stack = new Stack(new App(), 'Target', { env: { account: '111111111111', region: 'eu-west-1' } });
    // WHEN
    new RegionalNetwork(stack, 'Network', {
      cidr: '10.1.0.0/16',
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      peering: { peerVpcId: 'vpc-0123456789abcdef0', peerCidr: '10.0.0.0/16', peerRegion: 'us-east-1', peerRouteTableIds: ['rtb-0123456789abcdef0'] },
    });
    new WeightedCutover(stack, 'Dns', {
      zoneName: 'pay.example.com',
      recordNames: ['api'],
      source: CutoverEndpoint.fromIpAddresses(['52.94.76.10']),
      target: CutoverEndpoint.fromLoadBalancerAttributes({ dnsName: 'alb-1.eu-west-1.elb.amazonaws.com', canonicalHostedZoneId: 'Z32O12XQLNTSW2' }),
    });
    // THEN
    const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    expect(functions.map((f) => f.Properties.Description)).toEqual([
      expect.stringMatching(/^Owns the routes of the peer VPC/),
      expect.stringMatching(/^Owns the weighted records of/),
    ]);
    expect(functions.map((f) => f.Properties.Runtime)).toEqual([LAMBDA_RUNTIME.name, LAMBDA_RUNTIME.name]);
    // The newest Node.js runtime aws-cdk-lib knows: AwsSolutions-L1 holds, and nothing acknowledges it.
    expect(nagFindings(stack).filter((f) => f.includes('-L1 '))).toEqual([]);
    expect(JSON.stringify(stack.node.findAll().flatMap((c) => c.node.metadata))).not.toMatch(/AwsSolutions-L1/);
  });

  test('the build bundles every handler for that runtime, from one place', () => {
    const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
    const steps: string[] = tasks['bundle:handlers'].steps.map((s: { exec: string }) => s.exec);
    expect(steps).toHaveLength(2);
    for (const step of steps) {
      expect(step).toMatch(/^esbuild /);
      expect(step.match(/--target=(\S+)/)?.[1]).toBe(LAMBDA_BUNDLE_TARGET);
    }
  });
});
