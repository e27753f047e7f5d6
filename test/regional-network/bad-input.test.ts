import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { bundlePeerRoutesHandler } from './bundle';
import { PeeringRoutes, PeeringRoutesProps, RegionalNetwork, RegionalNetworkProps } from '../../src';
import { AZS, Control, expectAccepted, expectRefused, foreignKey, foreignTopic, newStack, Row } from '../support/bad-input';

// GIVEN one stack in eu-west-1 shared by every row
const stack = newStack('Network');
const PEERING = { peerVpcId: 'vpc-0a1b2c3d4e5f60718', peerCidr: '10.0.0.0/16', peerRegion: 'us-east-1' };

function network(id: string, props: Partial<RegionalNetworkProps> | Record<string, unknown>): RegionalNetwork {
  return new RegionalNetwork(stack, id, { cidr: '10.1.0.0/16', availabilityZones: AZS, ...props } as RegionalNetworkProps);
}
function routes(id: string, props: Partial<PeeringRoutesProps> | Record<string, unknown>): PeeringRoutes {
  return new PeeringRoutes(stack, id, {
    peeringConnectionId: 'pcx-0123456789abcdef0',
    destinationCidr: '10.1.0.0/16',
    routeTableIds: ['rtb-0123456789abcdef0'],
    ...props,
  } as PeeringRoutesProps);
}

const N = 'RegionalNetwork';
const P = 'PeeringRoutes';
const rows: Row[] = [
  // --- Region mismatches
  ['a flow-log key from another region', (id) => network(id, { encryptionKey: foreignKey(stack) }), N, /`encryptionKey` must be a key in the stack's region eu-west-1 \(KMS keys are regional\), got: "us-east-1"/],
  ['a VPN alarm action on a topic of another region', (id) => network(id, {
    onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0', vpnConnectionId: 'vpn-0123456789abcdef0' },
    alarmActions: [new actions.SnsAction(foreignTopic(stack))],
  }), N, /`alarmActions\[0\]` must notify a topic in the stack's region eu-west-1.*not us-east-1/],
  ['AZs of another region', (id) => network(id, { availabilityZones: ['us-east-1a', 'us-east-1b'] }), N, /`availabilityZones` must be AZs of the stack's region eu-west-1, got: "us-east-1a"/],
  ['a peer region equal to the stack\'s', (id) => network(id, { peering: { ...PEERING, peerRegion: 'eu-west-1' } }), N, /`peering.peerRegion` must differ from the stack's region eu-west-1 \(this is cross-region peering\), got: "eu-west-1"/],
  ['a peer region that is no region name', (id) => network(id, { peering: { ...PEERING, peerRegion: 'us-east1' } }), N, /`peering.peerRegion` must be a region name such as us-east-1, got: "us-east1"/],

  // --- Strings that are almost right
  ['a CIDR with host bits', (id) => network(id, { cidr: '10.1.0.1/16' }), N, /`cidr` must be an IPv4 CIDR block with no host bits set, such as 10.1.0.0\/16, got: "10.1.0.1\/16"/],
  ['a CIDR without a prefix', (id) => network(id, { cidr: '10.1.0.0' }), N, /`cidr` must be an IPv4 CIDR block.*got: "10.1.0.0"/],
  ['a /8 VPC', (id) => network(id, { cidr: '10.0.0.0/8' }), N, /`cidr` must have a prefix between \/16 and \/28 \(the VPC limits\), got: "10.0.0.0\/8"/],
  ['a peer VPC id that is a subnet id', (id) => network(id, { peering: { ...PEERING, peerVpcId: 'subnet-0a1b2c3d' } }), N, /`peering.peerVpcId` must be a VPC id \(vpc-…\), got: "subnet-0a1b2c3d"/],
  ['a peer CIDR overlapping the VPC', (id) => network(id, { peering: { ...PEERING, peerCidr: '10.1.128.0/17' } }), N, /`peering.peerCidr` must not overlap `cidr` \(10.1.0.0\/16\).*got: "10.1.128.0\/17"/],
  ['an on-premises CIDR overlapping the VPC', (id) => network(id, { onPremises: { cidrs: ['10.1.0.0/24'], vpnGatewayId: 'vgw-0123456789abcdef0' } }), N, /`onPremises.cidrs\[0\]` must not overlap `cidr`.*got: "10.1.0.0\/24"/],
  ['a VPN gateway id that is a VPN connection id', (id) => network(id, { onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vpn-0123456789abcdef0' } }), N, /`onPremises.vpnGatewayId` must be a virtual private gateway id \(vgw-…\), got: "vpn-0123456789abcdef0"/],
  ['a peer role ARN that is a user', (id) => network(id, { peering: { ...PEERING, peerAccountId: '222222222222', peerRoleArn: 'arn:aws:iam::222222222222:user/x' } }), N, /`peering.peerRoleArn` must be an IAM role ARN, got: "arn:aws:iam::222222222222:user\/x"/],

  // --- Units and scales
  ['more NAT gateways than AZs', (id) => network(id, { natGateways: 4 }), N, /`natGateways` must be an integer between 1 and the number of AZs \(3\).*got: 4/],
  ['flow logs kept 30 days', (id) => network(id, { flowLogRetention: 30 }), N, /`flowLogRetention` must keep flow logs at least one year \(PCI DSS 10.5.1\), got: 30/],
  ['a subnet mask too small for the VPC', (id) => network(id, { subnetCidrMask: 30 }), N, /`subnetCidrMask` must be an integer greater than the VPC prefix \/16 and at most \/28, got: 30/],

  // --- Plain JavaScript callers
  ['a CIDR as a number', (id) => network(id, { cidr: 10 as any }), N, /`cidr` must be a string, got: 10/],
  ['no CIDR', (id) => network(id, { cidr: undefined as any }), N, /`cidr` is required: it must be a string, got: undefined/],
  ['AZs as one string', (id) => network(id, { availabilityZones: 'eu-west-1a' as any }), N, /`availabilityZones` must be a list \(array\) of strings, got: "eu-west-1a"/],
  ['NAT gateways as a string', (id) => network(id, { natGateways: '2' as any }), N, /`natGateways` must be a number, got: "2"/],
  ['peering as a string', (id) => network(id, { peering: 'vpc-0a1b2c3d4e5f60718' as any }), N, /`peering` must be an object, got: "vpc-0a1b2c3d4e5f60718"/],
  ['peering without the peer CIDR', (id) => network(id, { peering: { peerVpcId: PEERING.peerVpcId, peerRegion: 'us-east-1' } as any }), N, /`peering.peerCidr` is required: it must be a string, got: undefined/],
  ['peer route tables as one string', (id) => network(id, { peering: { ...PEERING, peerRouteTableIds: 'rtb-0123456789abcdef0' as any } }), N, /`peering.peerRouteTableIds` must be a list \(array\) of strings, got: "rtb-0123456789abcdef0"/],
  ['on-premises CIDRs as one string', (id) => network(id, { onPremises: { cidrs: '192.168.0.0/16' as any, vpnGatewayId: 'vgw-0123456789abcdef0' } }), N, /`onPremises.cidrs` must be a list \(array\) of strings, got: "192.168.0.0\/16"/],
  ['transit-gateway CIDRs as one string', (id) => network(id, { transitGateway: { transitGatewayId: 'tgw-0123456789abcdef0', destinationCidrs: '172.16.0.0/12' as any } }), N, /`transitGateway.destinationCidrs` must be a list \(array\) of strings/],
  ['route propagation as a string', (id) => network(id, { onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0', routePropagation: 'yes' as any } }), N, /`onPremises.routePropagation` must be a boolean \(true or false\), got: "yes"/],

  // --- PeeringRoutes
  ['route tables as one string', (id) => routes(id, { routeTableIds: 'rtb-0123456789abcdef0' as any }), P, /`routeTableIds` must be a list \(array\) of strings, got: "rtb-0123456789abcdef0"/],
  ['no route tables', (id) => routes(id, { routeTableIds: undefined as any }), P, /`routeTableIds` is required: it must be a list \(array\) of strings, got: undefined/],
  ['a peering id that is a VPC id', (id) => routes(id, { peeringConnectionId: 'vpc-0123456789abcdef0' }), P, /`peeringConnectionId` must be a VPC peering connection id \(pcx-…\), got: "vpc-0123456789abcdef0"/],
  ['a destination that is an address, not a block', (id) => routes(id, { destinationCidr: '10.1.0.10' }), P, /`destinationCidr` must be an IPv4 CIDR block such as 10.1.0.0\/16, got: "10.1.0.10"/],
  ['a repeated route table', (id) => routes(id, { routeTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef0'] }), P, /`routeTableIds` must not repeat a route table, got: \["rtb-0123456789abcdef0"\]/],
  ['no props at all', (id) => new PeeringRoutes(stack, id, undefined as any), P, /`props` must be an object of properties, got: undefined/],
];

const controls: Control[] = [
  ['a /28 VPC in two AZs (the smallest)', (id) => network(id, { cidr: '10.1.0.0/24', availabilityZones: ['eu-west-1a', 'eu-west-1b'], subnetCidrMask: 28 })],
  ['a key of the stack\'s region', (id) => network(id, { encryptionKey: new kms.Key(stack, `${id}Key`, { enableKeyRotation: true }) })],
  ['peering with a peer CIDR adjacent to the VPC', (id) => network(id, { peering: { ...PEERING, peerCidr: '10.2.0.0/16' } })],
  ['peer route tables in the same account', (id) => network(id, { peering: { ...PEERING, peerRouteTableIds: ['rtb-0123456789abcdef0'] } })],
  ['routes to a /32', (id) => routes(id, { destinationCidr: '10.1.0.10/32' })],
];

beforeAll(() => bundlePeerRoutesHandler());

describe('RegionalNetwork and PeeringRoutes: bad input is refused at synth time', () => {
  test.each(rows)('%s', (...row) => expectRefused(stack, row as Row));
});

describe('RegionalNetwork and PeeringRoutes: inputs near the limits are accepted', () => {
  test.each(controls)('%s', (...control) => expectAccepted(control as Control));
});
