import { App, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RegionalNetwork, RegionalNetworkProps } from '../../src';
import { expectOnlyUnroutedAlarmFindings, nagFindings } from '../support/nag';

const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const PEER_VPC = 'vpc-0123456789abcdef0';
const VGW = 'vgw-0123456789abcdef0';
const VPN = 'vpn-0123456789abcdef0';
const TGW = 'tgw-0123456789abcdef0';

function stackIn(): Stack {
  return new Stack(new App(), 'Target', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/** A stack with no `env`: region and account are tokens. */
function agnosticStack(): Stack {
  return new Stack(new App(), 'Target');
}

function synth(props: Partial<RegionalNetworkProps> = {}, stack = stackIn()): { network: RegionalNetwork; template: Template } {
  const network = new RegionalNetwork(stack, 'Network', { cidr: '10.1.0.0/16', availabilityZones: AZS, ...props });
  return { network, template: Template.fromStack(stack) };
}

/** Logical ids of the route tables whose subnets carry the given `aws-cdk:subnet-type` tag. */
function routeTablesOf(template: Template, subnetType: 'Public' | 'Private' | 'Isolated'): string[] {
  const subnets = template.findResources('AWS::EC2::Subnet', {
    Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: subnetType }]) },
  });
  const associations = Object.values(template.findResources('AWS::EC2::SubnetRouteTableAssociation'));
  return Object.keys(subnets).map((subnetId) => {
    const assoc = associations.find((a) => a.Properties.SubnetId.Ref === subnetId);
    return assoc!.Properties.RouteTableId.Ref as string;
  });
}

function routesIn(template: Template, routeTableIds: string[], destination: string): Record<string, any> {
  const routes = template.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: destination } });
  return Object.fromEntries(Object.entries(routes).filter(([, r]) => routeTableIds.includes(r.Properties.RouteTableId.Ref)));
}

describe('RegionalNetwork defaults (seed S1 §1)', () => {
  // GIVEN only a CIDR and the AZs
  const { template } = synth();

  test('three tiers of one subnet per AZ, none assigning public IPs', () => {
    // THEN
    template.resourceCountIs('AWS::EC2::Subnet', 9);
    for (const type of ['Public', 'Private', 'Isolated']) {
      const subnets = template.findResources('AWS::EC2::Subnet', {
        Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: type }]) },
      });
      expect(Object.values(subnets).map((s) => s.Properties.AvailabilityZone).sort()).toEqual(AZS);
    }
    const publicIps = template.findResources('AWS::EC2::Subnet', { Properties: { MapPublicIpOnLaunch: true } });
    expect(Object.keys(publicIps)).toEqual([]);
  });

  test('an internet gateway and one NAT gateway per AZ, each private route table using its own AZ\'s NAT', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    const nats = new Set(
      Object.values(routesIn(template, routeTablesOf(template, 'Private'), '0.0.0.0/0')).map((r) => r.Properties.NatGatewayId.Ref),
    );
    expect(nats.size).toBe(3);
  });

  test('public route tables go to the internet gateway; isolated route tables have no default route', () => {
    const publicDefaults = Object.values(routesIn(template, routeTablesOf(template, 'Public'), '0.0.0.0/0'));
    expect(publicDefaults).toHaveLength(3);
    for (const r of publicDefaults) expect(r.Properties.GatewayId).toBeDefined();
    expect(routesIn(template, routeTablesOf(template, 'Isolated'), '0.0.0.0/0')).toEqual({});
  });

  test('flow logs of all traffic to a KMS-encrypted log group kept one year', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      MaxAggregationInterval: 60,
      DeliverLogsPermissionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('NetworkFlowLogRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('NetworkKey'), 'Arn'] },
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('the flow-log role may write to its one log group and nothing else, through a managed (not inline) policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('NetworkFlowLogs'), 'Arn'] },
          },
        ],
      },
    });
  });

  test('the default security group is closed by an SSM runbook association, with no Lambda function anywhere', () => {
    template.hasResourceProperties('AWS::SSM::Association', {
      Name: 'AWSConfigRemediation-RemoveVPCDefaultSecurityGroupRules',
      AutomationTargetParameterName: 'GroupId',
      Targets: [{ Key: 'ParameterValues', Values: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('NetworkVpc'), 'DefaultSecurityGroup'] }] }],
      Parameters: { AutomationAssumeRole: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('AutomationRole'), 'Arn'] }] },
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 0);
  });

  test('the runbook role can revoke rules of the default security group only', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
            Resource: {
              'Fn::Join': ['', Match.arrayWith([':ec2:eu-west-1:111111111111:security-group/', { 'Fn::GetAtt': [Match.stringLikeRegexp('NetworkVpc'), 'DefaultSecurityGroup'] }])],
            },
          }),
        ]),
      },
    });
  });

  test('an S3 gateway endpoint and no interface endpoints', () => {
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
    });
  });

  test('stack outputs: VPC id and CIDR, subnet ids per tier, internal route tables', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    for (const name of ['VpcId', 'VpcCidr', 'PublicSubnetIds', 'PrivateSubnetIds', 'DatabaseSubnetIds', 'InternalRouteTableIds']) {
      expect(outputs.some((o) => o.startsWith(`Network${name}`))).toBe(true);
    }
    expect(outputs.some((o) => o.includes('Peering'))).toBe(false);
  });
});

describe('RegionalNetwork options', () => {
  test('natGateways: 1 puts every private route table behind the one NAT gateway', () => {
    const { template } = synth({ natGateways: 1 });
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    const routes = Object.values(routesIn(template, routeTablesOf(template, 'Private'), '0.0.0.0/0'));
    expect(routes).toHaveLength(3);
    expect(new Set(routes.map((r) => r.Properties.NatGatewayId.Ref)).size).toBe(1);
  });

  test('without availabilityZones, a stack with a region uses three of its AZs', () => {
    const { network, template } = synth({ availabilityZones: undefined });
    expect(network.availabilityZones).toHaveLength(3);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  test('flowLogRetention, removalPolicy and a given key are honoured', () => {
    const stack = stackIn();
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    const { template } = synth(
      { flowLogRetention: logs.RetentionDays.TWO_YEARS, encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY },
      stack,
    );
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Delete',
      Properties: { RetentionInDays: 731, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('MyKey'), 'Arn'] } },
    });
    template.resourceCountIs('AWS::KMS::Key', 1);
  });

  test('interface endpoints sit in the private subnets behind a security group that admits HTTPS from the VPC only', () => {
    const { template } = synth({ interfaceEndpoints: RegionalNetwork.paymentFleetEndpoints() });
    const interfaces = template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } });
    expect(Object.keys(interfaces)).toHaveLength(RegionalNetwork.paymentFleetEndpoints().length);
    for (const e of Object.values(interfaces)) {
      expect(e.Properties.PrivateDnsEnabled).toBe(true);
      expect(e.Properties.SubnetIds).toHaveLength(3);
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Interface endpoints: HTTPS from inside the VPC only',
      SecurityGroupIngress: [{ CidrIp: '10.1.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }],
    });
  });

  test('restrictDefaultSecurityGroup: false creates no association', () => {
    const { template } = synth({ restrictDefaultSecurityGroup: false });
    template.resourceCountIs('AWS::SSM::Association', 0);
  });

  test('createOutputs: false adds no outputs', () => {
    const { template } = synth({ createOutputs: false });
    expect(template.findOutputs('*')).toEqual({});
  });
});

describe('RegionalNetwork connectivity', () => {
  const peering = { peerVpcId: PEER_VPC, peerCidr: '10.0.0.0/16', peerRegion: 'us-east-1' };

  test('same-account cross-region peering: requested here, accepted by CloudFormation, routed from private and isolated tables only', () => {
    const { network, template } = synth({ peering });
    template.hasResourceProperties('AWS::EC2::VPCPeeringConnection', {
      PeerVpcId: PEER_VPC,
      PeerRegion: 'us-east-1',
      PeerRoleArn: Match.absent(),
    });
    const internal = [...routeTablesOf(template, 'Private'), ...routeTablesOf(template, 'Isolated')];
    const routes = Object.values(routesIn(template, internal, '10.0.0.0/16'));
    expect(routes).toHaveLength(6);
    for (const r of routes) expect(r.Properties.VpcPeeringConnectionId).toEqual({ Ref: expect.stringMatching(/^NetworkPeering/) });
    expect(routesIn(template, routeTablesOf(template, 'Public'), '10.0.0.0/16')).toEqual({});
    expect(network.peeringConnectionId).toBeDefined();
    expect(Object.keys(template.findOutputs('*')).some((o) => o.startsWith('NetworkPeeringConnectionId'))).toBe(true);
  });

  test('cross-account peering passes the peer account and its accepter role', () => {
    const role = 'arn:aws:iam::222222222222:role/peer-accepter';
    const { template } = synth({ peering: { ...peering, peerAccountId: '222222222222', peerRoleArn: role } });
    template.hasResourceProperties('AWS::EC2::VPCPeeringConnection', { PeerOwnerId: '222222222222', PeerRoleArn: role });
  });

  test('existing VPN gateway: attached, routes propagated to private and isolated tables after the attachment', () => {
    const { template } = synth({ onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: VGW } });
    template.resourceCountIs('AWS::EC2::VPNGateway', 0);
    template.resourceCountIs('AWS::EC2::VPNConnection', 0);
    template.hasResourceProperties('AWS::EC2::VPCGatewayAttachment', { VpnGatewayId: VGW });
    const internal = [...routeTablesOf(template, 'Private'), ...routeTablesOf(template, 'Isolated')];
    template.hasResource('AWS::EC2::VPNGatewayRoutePropagation', {
      Properties: { VpnGatewayId: VGW, RouteTableIds: internal.map((id) => ({ Ref: id })) },
      DependsOn: [Match.stringLikeRegexp('NetworkVpnGatewayAttachment')],
    });
  });

  test('existing VPN gateway without propagation: static routes to each on-premises CIDR', () => {
    const { template } = synth({ onPremises: { cidrs: ['192.168.0.0/16', '172.16.0.0/16'], vpnGatewayId: VGW, routePropagation: false } });
    template.resourceCountIs('AWS::EC2::VPNGatewayRoutePropagation', 0);
    for (const cidr of ['192.168.0.0/16', '172.16.0.0/16']) {
      const routes = Object.values(template.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: cidr, GatewayId: VGW } }));
      expect(routes).toHaveLength(6);
      for (const r of routes) expect(r.DependsOn).toEqual([expect.stringMatching(/NetworkVpnGatewayAttachment/)]);
    }
  });

  test('VPN tunnel alarm: TunnelState of the connection below 1 for two minutes, missing data breaching', () => {
    const { network, template } = synth({ onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: VGW, vpnConnectionId: VPN } });
    expect(network.vpnTunnelAlarm).toBeDefined();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/VPN',
      MetricName: 'TunnelState',
      Dimensions: [{ Name: 'VpnId', Value: VPN }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2,
      TreatMissingData: 'breaching',
    });
  });

  test('alarmActions are attached to the tunnel alarm', () => {
    const action: cloudwatch.IAlarmAction = { bind: () => ({ alarmActionArn: 'arn:aws:sns:eu-west-1:111111111111:ops' }) };
    const { template } = synth({ onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: VGW, vpnConnectionId: VPN }, alarmActions: [action] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:ops'],
      OKActions: ['arn:aws:sns:eu-west-1:111111111111:ops'],
    });
  });

  test('transit gateway: attached in the private subnets; routes to its CIDRs and on-premises CIDRs wait for the attachment', () => {
    const { template } = synth({
      transitGateway: { transitGatewayId: TGW, destinationCidrs: ['10.50.0.0/16'] },
      onPremises: { cidrs: ['192.168.0.0/16'] },
    });
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      TransitGatewayId: TGW,
      SubnetIds: [1, 2, 3].map((n) => ({ Ref: Match.stringLikeRegexp(`NetworkVpcPrivateSubnet${n}Subnet`) })),
    });
    for (const cidr of ['10.50.0.0/16', '192.168.0.0/16']) {
      const routes = Object.values(template.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: cidr, TransitGatewayId: TGW } }));
      expect(routes).toHaveLength(6);
      for (const r of routes) expect(r.DependsOn).toEqual([expect.stringMatching(/NetworkTransitGatewayAttachment/)]);
    }
  });

  test('tokens from other stacks or imports pass validation untouched', () => {
    const { template } = synth({
      peering: { peerVpcId: Fn.importValue('PeerVpcId'), peerCidr: Fn.importValue('PeerCidr'), peerRegion: 'us-east-1' },
    });
    template.hasResourceProperties('AWS::EC2::VPCPeeringConnection', { PeerVpcId: { 'Fn::ImportValue': 'PeerVpcId' } });
  });
});

describe('RegionalNetwork metrics', () => {
  test('NAT gateway metrics sum over every NAT gateway', () => {
    const stack = stackIn();
    const network = new RegionalNetwork(stack, 'Network', { cidr: '10.1.0.0/16', availabilityZones: AZS });
    new cloudwatch.Alarm(stack, 'PortAlarm', { metric: network.metricNatGatewayErrorPortAllocation(), threshold: 0, evaluationPeriods: 1 });
    const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
    const config = Object.values(alarms)[0].Properties.Metrics as any[];
    expect(config.find((m) => m.Expression)?.Expression).toBe('nat0 + nat1 + nat2');
    const stats = config.filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
    expect(stats.map((m) => m.MetricName)).toEqual(['ErrorPortAllocation', 'ErrorPortAllocation', 'ErrorPortAllocation']);
    expect(new Set(stats.map((m) => JSON.stringify(m.Dimensions))).size).toBe(3);
    expect(network.metricNatGatewayPacketsDropCount()).toBeInstanceOf(cloudwatch.MathExpression);
  });

  test('metricVpnTunnelState without a VPN connection says which prop is missing', () => {
    const { network } = synth();
    expect(() => network.metricVpnTunnelState()).toThrow(/^RegionalNetwork\.metricVpnTunnelState failed at .+:\n- `onPremises\.vpnConnectionId` must be given for metricVpnTunnelState\(\): the tunnels are the VPN connection's, got: undefined$/);
  });
});

describe('RegionalNetwork validation', () => {
  test.each<[string, Partial<RegionalNetworkProps>, RegExp]>([
    ['CIDR format', { cidr: '10.1.0/16' }, /`cidr` must be an IPv4 CIDR block with no host bits set.*got: "10.1.0\/16"/],
    ['CIDR host bits', { cidr: '10.1.0.1/16' }, /`cidr` must be an IPv4 CIDR block.*got: "10.1.0.1\/16"/],
    ['CIDR too large', { cidr: '10.0.0.0/8' }, /`cidr` must have a prefix between \/16 and \/28.*got: "10.0.0.0\/8"/],
    ['CIDR too small for 9 subnets', { cidr: '10.1.0.0/26' }, /`cidr` must hold 9 subnets \(3 tiers x 3 AZs\) of at least \/28, got: "10.1.0.0\/26"/],
    ['subnet mask too small', { subnetCidrMask: 30 }, /`subnetCidrMask` must be an integer greater than the VPC prefix \/16 and at most \/28, got: 30/],
    ['one AZ', { availabilityZones: ['eu-west-1a'] }, /`availabilityZones` must list between 2 and 6 AZs.*got: \["eu-west-1a"\]/],
    ['AZ of another region', { availabilityZones: ['eu-west-1a', 'us-east-1b', 'eu-west-1c'] }, /`availabilityZones` must be AZs of the stack's region eu-west-1, got: "us-east-1b"/],
    ['repeated AZ', { availabilityZones: ['eu-west-1a', 'eu-west-1a'] }, /`availabilityZones` must not repeat an AZ/],
    ['NAT count above AZ count', { natGateways: 4 }, /`natGateways` must be an integer between 1 and the number of AZs \(3\).*got: 4/],
    ['zero NAT', { natGateways: 0 }, /`natGateways` must be an integer between 1 and the number of AZs.*got: 0/],
    ['short flow-log retention', { flowLogRetention: logs.RetentionDays.SIX_MONTHS }, /`flowLogRetention` must keep flow logs at least one year \(PCI DSS 10.5.1\), got: 180/],
    ['peer VPC id', { peering: { peerVpcId: 'vpc-123', peerCidr: '10.0.0.0/16', peerRegion: 'us-east-1' } }, /`peering.peerVpcId` must be a VPC id \(vpc-…\), got: "vpc-123"/],
    ['peer region = own region', { peering: { peerVpcId: PEER_VPC, peerCidr: '10.0.0.0/16', peerRegion: 'eu-west-1' } }, /`peering.peerRegion` must differ from the stack's region eu-west-1.*got: "eu-west-1"/],
    ['peer region name', { peering: { peerVpcId: PEER_VPC, peerCidr: '10.0.0.0/16', peerRegion: 'Virginia' } }, /`peering.peerRegion` must be a region name.*got: "Virginia"/],
    ['peer CIDR overlaps VPC', { peering: { peerVpcId: PEER_VPC, peerCidr: '10.1.128.0/17', peerRegion: 'us-east-1' } }, /`peering.peerCidr` must not overlap `cidr` \(10.1.0.0\/16\).*got: "10.1.128.0\/17"/],
    ['cross-account without role', { peering: { peerVpcId: PEER_VPC, peerCidr: '10.0.0.0/16', peerRegion: 'us-east-1', peerAccountId: '222222222222' } }, /`peering.peerRoleArn` must be given when the peer account \(222222222222\) differs from the stack's account \(111111111111\)/],
    ['bad peer account', { peering: { peerVpcId: PEER_VPC, peerCidr: '10.0.0.0/16', peerRegion: 'us-east-1', peerAccountId: '1234' } }, /`peering.peerAccountId` must be a 12-digit account id, got: "1234"/],
    ['on-prem overlaps peer', {
      peering: { peerVpcId: PEER_VPC, peerCidr: '10.0.0.0/16', peerRegion: 'us-east-1' },
      onPremises: { cidrs: ['10.0.5.0/24'], vpnGatewayId: VGW },
    }, /`onPremises.cidrs\[0\]` must not overlap `peering.peerCidr` \(10.0.0.0\/16\).*got: "10.0.5.0\/24"/],
    ['on-prem without route target', { onPremises: { cidrs: ['192.168.0.0/16'] } }, /`onPremises.vpnGatewayId` must be given unless `transitGateway` is set/],
    ['no on-prem CIDRs', { onPremises: { cidrs: [], vpnGatewayId: VGW } }, /`onPremises.cidrs` must list at least one on-premises CIDR block, got: \[\]/],
    ['bad VGW id', { onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vpn-0123456789abcdef0' } }, /`onPremises.vpnGatewayId` must be a virtual private gateway id \(vgw-…\), got: "vpn-0123456789abcdef0"/],
    ['bad VPN id', { onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: VGW, vpnConnectionId: 'vgw-0123456789abcdef0' } }, /`onPremises.vpnConnectionId` must be a Site-to-Site VPN connection id/],
    ['propagation with a TGW', { onPremises: { cidrs: ['192.168.0.0/16'], routePropagation: true }, transitGateway: { transitGatewayId: TGW } }, /`onPremises.routePropagation` applies only with `onPremises.vpnGatewayId`/],
    ['bad TGW id', { transitGateway: { transitGatewayId: 'tgw-1', destinationCidrs: ['10.50.0.0/16'] } }, /`transitGateway.transitGatewayId` must be a transit gateway id \(tgw-…\), got: "tgw-1"/],
    ['TGW with nothing to route', { transitGateway: { transitGatewayId: TGW } }, /`transitGateway.destinationCidrs` must list at least one CIDR/],
    ['TGW CIDR overlaps VPC', { transitGateway: { transitGatewayId: TGW, destinationCidrs: ['10.0.0.0/8'] } }, /`transitGateway.destinationCidrs\[0\]` must not overlap `cidr` \(10.1.0.0\/16\)/],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('every failure is reported at once, under the construct path', () => {
    expect(() => synth({ cidr: '10.0.0.0/8', natGateways: 9, flowLogRetention: logs.RetentionDays.ONE_DAY })).toThrow(
      /^RegionalNetwork initialization failed at Target\/Network:\n- `cidr` .*\n- `natGateways` .*\n- `flowLogRetention` .*$/,
    );
  });

  test('a stack without a region must name its AZs instead of silently getting two', () => {
    expect(() => synth({ availabilityZones: undefined }, agnosticStack())).toThrow(
      /`availabilityZones` must be given when the stack has no explicit region: without it CDK silently spreads the VPC over only 2 AZs/,
    );
  });

  test('a stack without a region works with explicit AZs', () => {
    const { template } = synth({}, agnosticStack());
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
  });
});

describe('RegionalNetwork under cdk-nag', () => {
  test('all options on: zero unacknowledged AwsSolutions, PCI DSS 3.2.1 and NIST 800-53 r5 findings', () => {
    const { network } = synth({
      interfaceEndpoints: RegionalNetwork.paymentFleetEndpoints(),
      gatewayEndpoints: [ec2.GatewayVpcEndpointAwsService.S3, ec2.GatewayVpcEndpointAwsService.DYNAMODB],
      peering: { peerVpcId: PEER_VPC, peerCidr: '10.0.0.0/16', peerRegion: 'us-east-1' },
      onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: VGW, vpnConnectionId: VPN },
      transitGateway: { transitGatewayId: TGW, destinationCidrs: ['10.50.0.0/16'] },
    });
    // used alone, without alarmActions: only its alarms are findings (nothing pages anyone; PaymentMigration routes them)
    expect(expectOnlyUnroutedAlarmFindings(Stack.of(network))).toEqual(['Target/Network/VpnTunnelDown']);
  });

  test('the harness does report findings: a plain ec2.Vpc fails all three packs', () => {
    const stack = stackIn();
    new ec2.Vpc(stack, 'Plain', { restrictDefaultSecurityGroup: false });
    const findings = nagFindings(stack);
    expect(findings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^AwsSolutions-VPC7 /),
      expect.stringMatching(/^PCI\.DSS\.321-VPCFlowLogsEnabled /),
      expect.stringMatching(/^NIST\.800\.53\.R5-VPCDefaultSecurityGroupClosed /),
    ]));
  });

  test('each acknowledgement is specific: turning the default-SG closer off still explains itself', () => {
    const { network } = synth({ restrictDefaultSecurityGroup: false });
    const acks = network.vpc.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data);
    expect(JSON.stringify(acks)).toMatch(/turned off explicitly/);
  });
});
