import { App, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { bundlePeerRoutesHandler } from './bundle';
import { RegionalNetwork, RegionalNetworkProps, VpcPeeringOptions } from '../../src';
import { expectOnlyUnroutedAlarmFindings, nagFindings } from '../support/nag';

const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const PEER_VPC = 'vpc-0123456789abcdef0';
const VGW = 'vgw-0123456789abcdef0';
const VPN = 'vpn-0123456789abcdef0';
const TGW = 'tgw-0123456789abcdef0';
const PEER_RTBS = ['rtb-0123456789abcdef0', 'rtb-0fedcba9876543210'];
const PEERING: VpcPeeringOptions = { peerVpcId: PEER_VPC, peerCidr: '10.0.0.0/16', peerRegion: 'us-east-1', peerRouteTableIds: PEER_RTBS };

function stackIn(): Stack {
  return new Stack(new App(), 'Target', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function synth(props: Partial<RegionalNetworkProps> = {}, stack = stackIn()): { network: RegionalNetwork; template: Template } {
  const network = new RegionalNetwork(stack, 'Network', { cidr: '10.1.0.0/16', availabilityZones: AZS, peering: PEERING, ...props });
  return { network, template: Template.fromStack(stack) };
}

/** The one resource of a type: its logical id and body. */
function only(template: Template, type: string): [string, any] {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}

/** The statements of the peer-routes function's managed policy, by Sid. */
function peerRoutesStatements(template: Template): Record<string, any> {
  const policies = template.findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Description: Match.stringLikeRegexp('^Peer routes of ') },
  });
  expect(Object.keys(policies)).toHaveLength(1);
  const statements = Object.values(policies)[0].Properties.PolicyDocument.Statement as any[];
  return Object.fromEntries(statements.map((s) => [s.Sid, s]));
}

const routeTableArn = (rtb: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:us-east-1:111111111111:route-table/${rtb}`]] });

beforeAll(() => {
  bundlePeerRoutesHandler();
});

describe('RegionalNetwork peering.peerRouteTableIds', () => {
  const { template } = synth();

  test('a Custom::PeerRoutes resource: the peer region, the peering connection, this VPC\'s CIDR and the peer route tables', () => {
    const [, resource] = only(template, 'Custom::PeerRoutes');
    const [pcxId] = only(template, 'AWS::EC2::VPCPeeringConnection');
    const [functionId] = only(template, 'AWS::Lambda::Function');
    expect(resource.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [functionId, 'Arn'] },
      ServiceTimeout: '600',
      PeerRegion: 'us-east-1',
      VpcPeeringConnectionId: { Ref: pcxId },
      DestinationCidrBlock: '10.1.0.0/16',
      RouteTableIds: PEER_RTBS,
    });
  });

  test('this side\'s routes to the peer are unchanged: plain AWS::EC2::Route resources in the private and isolated tables', () => {
    const routes = template.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '10.0.0.0/16' } });
    expect(Object.keys(routes)).toHaveLength(6);
  });

  test('the function: Node.js 24 on arm64, its own role, its own log group encrypted with the network key and kept a year', () => {
    const [, fn] = only(template, 'AWS::Lambda::Function');
    const [roleId] = Object.entries(template.findResources('AWS::IAM::Role')).find(([, r]) => /^Routes the peer VPC/.test(r.Properties.Description))!;
    const [logGroupId, logGroup] = Object.entries(template.findResources('AWS::Logs::LogGroup')).find(([id]) => id.includes('PeerRoutes'))!;
    const [keyId] = only(template, 'AWS::KMS::Key');
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: logGroupId } },
      Timeout: 180,
    });
    // no VPC, no DLQ, no reserved concurrency: each is acknowledged with its reason (see the nag test)
    expect(fn.Properties.VpcConfig).toBeUndefined();
    expect(fn.Properties.DeadLetterConfig).toBeUndefined();
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    expect(logGroup.Properties).toEqual({ KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 365 });
    expect(logGroup.DeletionPolicy).toBe('Retain');
  });

  test('IAM: one customer-managed policy, no inline policy, no AWS-managed policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const [, role] = Object.entries(template.findResources('AWS::IAM::Role')).find(([, r]) => /^Routes the peer VPC/.test(r.Properties.Description))!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  test('IAM: CreateRoute, ReplaceRoute and DeleteRoute on exactly one ARN per peer route table, in the peer region', () => {
    const statements = peerRoutesStatements(template);
    expect(Object.keys(statements).sort()).toEqual([
      'DeleteRoutesOfRemovedTables', 'ReadRouteTables', 'RouteTheseTablesOnly', 'RouteThroughThisPeeringOnly', 'WriteOwnLogs',
    ]);
    expect(statements.RouteTheseTablesOnly).toEqual({
      Sid: 'RouteTheseTablesOnly',
      Effect: 'Allow',
      Action: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute'],
      Resource: PEER_RTBS.map(routeTableArn),
    });
  });

  test('IAM: the route target is this one peering connection (as either region names it), nothing else', () => {
    const [pcxId] = only(template, 'AWS::EC2::VPCPeeringConnection');
    const pcxArn = (region: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:${region}:111111111111:vpc-peering-connection/`, { Ref: pcxId }]] });
    expect(peerRoutesStatements(template).RouteThroughThisPeeringOnly).toEqual({
      Sid: 'RouteThroughThisPeeringOnly',
      Effect: 'Allow',
      Action: ['ec2:CreateRoute', 'ec2:ReplaceRoute'],
      Resource: [pcxArn('us-east-1'), pcxArn('eu-west-1')],
    });
  });

  test('IAM: routes of tables removed from the list can be deleted, in the peer VPC only; DescribeRouteTables in the peer region only', () => {
    const statements = peerRoutesStatements(template);
    expect(statements.DeleteRoutesOfRemovedTables).toEqual({
      Sid: 'DeleteRoutesOfRemovedTables',
      Effect: 'Allow',
      Action: 'ec2:DeleteRoute',
      Resource: routeTableArn('*'),
      Condition: { ArnEquals: { 'ec2:Vpc': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:us-east-1:111111111111:vpc/${PEER_VPC}`]] } } },
    });
    expect(statements.ReadRouteTables).toEqual({
      Sid: 'ReadRouteTables',
      Effect: 'Allow',
      Action: 'ec2:DescribeRouteTables',
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
    });
    const [logGroupId] = Object.entries(template.findResources('AWS::Logs::LogGroup')).find(([id]) => id.includes('PeerRoutes'))!;
    expect(statements.WriteOwnLogs.Resource).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
  });

  test('the function waits for its policy (CloudFormation must not invoke it before the permissions exist)', () => {
    const [, fn] = only(template, 'AWS::Lambda::Function');
    const policyId = Object.keys(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Peer routes of ') } }))[0];
    expect(fn.DependsOn).toEqual(expect.arrayContaining([policyId]));
  });

  test('the PeeringConnectionId output stays; it no longer asks for a PeeringRoutes stack', () => {
    const outputs = template.findOutputs('*');
    const pcx = Object.entries(outputs).find(([id]) => id.startsWith('NetworkPeeringConnectionId'))![1];
    expect(pcx.Description).toMatch(/created by this stack/);
  });

  test('without peerRouteTableIds there is no custom resource and no function', () => {
    const { peerRouteTableIds: _, ...plain } = PEERING;
    const other = synth({ peering: plain }).template;
    other.resourceCountIs('Custom::PeerRoutes', 0);
    other.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('tokens as route table ids (imports) are passed through to the properties and the policy', () => {
    const tables = [Fn.importValue('PeerPrivateRtb'), PEER_RTBS[1]];
    const other = synth({ peering: { ...PEERING, peerRouteTableIds: tables } }).template;
    other.hasResourceProperties('Custom::PeerRoutes', { RouteTableIds: [{ 'Fn::ImportValue': 'PeerPrivateRtb' }, PEER_RTBS[1]] });
    const statements = peerRoutesStatements(other);
    expect(statements.RouteTheseTablesOnly.Resource).toHaveLength(2);
  });
});

describe('RegionalNetwork peering.peerRouteTableIds validation', () => {
  test.each<[string, Partial<VpcPeeringOptions>, RegExp]>([
    ['empty list', { peerRouteTableIds: [] }, /`peering.peerRouteTableIds` must name at least one route table of the peer VPC when given.*got: \[\]/],
    ['not a route table id', { peerRouteTableIds: ['subnet-0123456789abcdef0'] }, /`peering.peerRouteTableIds\[0\]` must be a route table id \(rtb-…\), got: "subnet-0123456789abcdef0"/],
    ['short id', { peerRouteTableIds: [PEER_RTBS[0], 'rtb-123'] }, /`peering.peerRouteTableIds\[1\]` must be a route table id \(rtb-…\), got: "rtb-123"/],
    ['duplicate', { peerRouteTableIds: [PEER_RTBS[0], PEER_RTBS[0]] }, /`peering.peerRouteTableIds` must not repeat a route table, got: \["rtb-0123456789abcdef0"\]/],
    ['another account', { peerAccountId: '222222222222', peerRoleArn: 'arn:aws:iam::222222222222:role/peer-accepter' },
      /`peering.peerRouteTableIds` cannot be used with a peer account \(222222222222\) other than the stack's \(111111111111\): the peer account's route tables must be changed from that account: use PeeringRoutes there, got: \["rtb-/],
    ['a list token', { peerRouteTableIds: Fn.split(',', Fn.importValue('PeerRtbs')) }, /`peering.peerRouteTableIds` must be a literal list: the custom resource's IAM policy names each route table, got: /],
    ['a region token', { peerRegion: Fn.importValue('PeerRegion') }, /`peering.peerRouteTableIds` needs a literal `peering.peerRegion`.*got: \["rtb-/],
  ])('%s', (_name, peering, message) => {
    expect(() => synth({ peering: { ...PEERING, ...peering } })).toThrow(message);
  });

  test('the same account given explicitly is accepted', () => {
    const { template } = synth({ peering: { ...PEERING, peerAccountId: '111111111111' } });
    template.resourceCountIs('Custom::PeerRoutes', 1);
  });

  test.each<[string, { account?: string; region?: string }]>([
    ['no env at all', {}],
    ['no account', { region: 'eu-west-1' }],
    ['no region', { account: '111111111111' }],
  ])('refused without a resolved account and region: %s', (_name, env) => {
    const stack = new Stack(new App(), 'Target', { env });
    expect(() => synth({}, stack)).toThrow(
      /`peering.peerRouteTableIds` needs a stack with an explicit account and region \(`env`\): the custom resource's IAM policy names each route table by ARN, got: \["rtb-/,
    );
  });
});

describe('RegionalNetwork with peer routes under cdk-nag', () => {
  test('all options on: zero unacknowledged AwsSolutions, PCI DSS 3.2.1 and NIST 800-53 r5 findings', () => {
    const { network } = synth({
      interfaceEndpoints: RegionalNetwork.paymentFleetEndpoints(),
      gatewayEndpoints: [ec2.GatewayVpcEndpointAwsService.S3, ec2.GatewayVpcEndpointAwsService.DYNAMODB],
      peering: PEERING,
      onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: VGW, vpnConnectionId: VPN },
      transitGateway: { transitGatewayId: TGW, destinationCidrs: ['10.50.0.0/16'] },
    });
    // used alone, without alarmActions: only its alarms are findings (nothing pages anyone; PaymentMigration routes them)
    expect(expectOnlyUnroutedAlarmFindings(Stack.of(network))).toEqual(['Target/Network/VpnTunnelDown']);
  });

  test('the acknowledgements are what keeps it clean: each names its rule on the resource that causes it', () => {
    const { network } = synth();
    // the acknowledged ids on the construct at `path` (Validations.acknowledge repeats its map with an `annotation::` prefix)
    const acks = (path: string) => [...new Set(
      network.node.findAll().filter((c) => c.node.path.endsWith(path)).flatMap((c) =>
        c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').flatMap((m) => Object.keys(m.data))),
    )].map((id) => id.replace(/^annotation::/, '')).sort();
    expect(acks('PeerRoutes/FunctionPolicy')).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:us-east-1:111111111111:route-table/*]',
    ]);
    expect(acks('PeerRoutes/Function')).toEqual([
      'NIST.800.53.R5-LambdaConcurrency',
      'NIST.800.53.R5-LambdaDLQ',
      'NIST.800.53.R5-LambdaInsideVPC',
      'PCI.DSS.321-LambdaDLQ',
      'PCI.DSS.321-LambdaInsideVPC',
    ]);
  });

  test('the Lambda runtime is the newest Node.js cdk-nag knows: no AwsSolutions-L1 finding, none acknowledged', () => {
    const { network } = synth();
    expect(nagFindings(Stack.of(network)).filter((f) => f.includes('-L1 '))).toEqual([]);
    const metadata = JSON.stringify(network.node.findAll().flatMap((c) => c.node.metadata));
    expect(metadata).not.toMatch(/AwsSolutions-L1/);
  });
});
