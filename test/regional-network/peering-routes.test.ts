import { App, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PeeringRoutes, PeeringRoutesProps } from '../../src';
import { expectNoNagFindings } from '../support/nag';

const PCX = 'pcx-0123456789abcdef0';
const RTBS = ['rtb-0123456789abcdef0', 'rtb-0fedcba9876543210'];

function synth(props: Partial<PeeringRoutesProps> = {}): Stack {
  // GIVEN the source region's stack, deployed second
  const stack = new Stack(new App(), 'Source', { env: { account: '111111111111', region: 'us-east-1' } });
  // WHEN
  new PeeringRoutes(stack, 'ToTarget', { peeringConnectionId: PCX, destinationCidr: '10.1.0.0/16', routeTableIds: RTBS, ...props });
  return stack;
}

test('one plain AWS::EC2::Route per route table to the peer CIDR through the peering connection', () => {
  const template = Template.fromStack(synth());
  template.resourceCountIs('AWS::EC2::Route', 2);
  for (const routeTableId of RTBS) {
    template.hasResourceProperties('AWS::EC2::Route', { RouteTableId: routeTableId, DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: PCX });
  }
  template.resourceCountIs('AWS::Lambda::Function', 0);
});

test('accepts tokens (an imported peering id)', () => {
  const template = Template.fromStack(synth({ peeringConnectionId: Fn.importValue('Pcx') }));
  template.hasResourceProperties('AWS::EC2::Route', { VpcPeeringConnectionId: { 'Fn::ImportValue': 'Pcx' } });
});

test('clean under the three nag packs', () => {
  expectNoNagFindings(synth());
});

test.each<[string, Partial<PeeringRoutesProps>, RegExp]>([
  ['peering id', { peeringConnectionId: 'vpc-0123456789abcdef0' }, /`peeringConnectionId` must be a VPC peering connection id \(pcx-…\), got: "vpc-0123456789abcdef0"/],
  ['CIDR', { destinationCidr: '10.1.0.0' }, /`destinationCidr` must be an IPv4 CIDR block such as 10.1.0.0\/16, got: "10.1.0.0"/],
  ['no route tables', { routeTableIds: [] }, /`routeTableIds` must name at least one route table, got: \[\]/],
  ['route table id', { routeTableIds: ['subnet-0123456789abcdef0'] }, /`routeTableIds\[0\]` must be a route table id \(rtb-…\), got: "subnet-0123456789abcdef0"/],
  ['duplicate', { routeTableIds: [RTBS[0], RTBS[0]] }, /`routeTableIds` must not repeat a route table/],
])('rejects a bad %s', (_n, props, message) => {
  expect(() => synth(props)).toThrow(message);
});
