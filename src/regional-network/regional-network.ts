import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { addOnPremises, addTransitGateway, RoutedNetwork } from './connectivity-routes';
import { DefaultSecurityGroupCloser } from './default-security-group-closer';
import { addPeering } from './peer-routes';
import { NetworkTier, RegionalNetworkProps } from './regional-network-props';
import { validateRegionalNetworkProps } from './validate-props';
import { createRegionalKey, foreignKeyRegion } from '../private/kms';
import { perMinuteMetric } from '../private/metric';
import { acknowledgeInPacks, NagPackPrefix } from '../private/nag';
import { createServiceRole } from '../private/service-role';
import { propsValidator, Validator } from '../private/validation';

/**
 * The network for one region of a payment migration: a VPC over three AZs with public (ALB, NAT), private
 * (fleet, DMS) and isolated database subnets, a NAT gateway per AZ, encrypted flow logs kept a year, a closed
 * default security group, optional endpoints, and connectivity to the other side of the migration: cross-region
 * peering, an existing VPN, or an existing transit gateway.
 *
 * @example
 * declare const stack: Stack;
 * const network = new RegionalNetwork(stack, 'Network', {
 *   cidr: '10.1.0.0/16',
 *   availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
 *   peering: { peerVpcId: 'vpc-0123456789abcdef0', peerCidr: '10.0.0.0/16', peerRegion: 'us-east-1' },
 * });
 */
export class RegionalNetwork extends Construct {
  /**
   * The interface endpoints an EC2 fleet needs to pull images, ship logs and metrics, read secrets and be
   * managed by Session Manager without traversing a NAT gateway.
   */
  public static paymentFleetEndpoints(): ec2.InterfaceVpcEndpointAwsService[] {
    return [
      ec2.InterfaceVpcEndpointAwsService.SSM,
      ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
      ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES,
      ec2.InterfaceVpcEndpointAwsService.ECR,
      ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
      ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
      ec2.InterfaceVpcEndpointAwsService.KMS,
      ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    ];
  }

  /** The VPC. */
  public readonly vpc: ec2.Vpc;
  /** The key that encrypts the flow logs. */
  public readonly key: kms.IKey;
  /** The flow-log group. */
  public readonly flowLogGroup: logs.LogGroup;
  /** The public subnets (ALB, NAT gateways). */
  public readonly publicSubnets: ec2.SubnetSelection;
  /** The private subnets with egress through NAT (application fleet, DMS). */
  public readonly privateSubnets: ec2.SubnetSelection;
  /** The isolated subnets (databases). */
  public readonly databaseSubnets: ec2.SubnetSelection;
  /** The AZs the network spans. */
  public readonly availabilityZones: string[];
  /** The peering connection id (`pcx-…`), when `peering` is set. */
  public readonly peeringConnectionId?: string;
  /** The transit-gateway attachment, when `transitGateway` is set. */
  public readonly transitGatewayAttachment?: ec2.CfnTransitGatewayVpcAttachment;
  /** Alarms when no tunnel of the VPN is up for two minutes, when `onPremises.vpnConnectionId` is set. */
  public readonly vpnTunnelAlarm?: cloudwatch.Alarm;

  private readonly natGatewayIds: string[];
  private readonly vpnConnectionId?: string;

  constructor(scope: Construct, id: string, props: RegionalNetworkProps) {
    super(scope, id);
    propsValidator(this, 'RegionalNetwork', props);
    const stack = Stack.of(this);
    const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
    const account = Token.isUnresolved(stack.account) ? undefined : stack.account;
    const azs = props.availabilityZones ?? (region ? stack.availabilityZones.slice(0, 3) : undefined);

    const v = new Validator('RegionalNetwork', this);
    validateRegionalNetworkProps(v, props, azs, { region, account });
    const keyRegion = foreignKeyRegion(this, props.encryptionKey);
    v.check(keyRegion === undefined, 'encryptionKey', `must be a key in the stack's region ${region} (KMS keys are regional)`, keyRegion);
    v.throwIfInvalid();

    this.availabilityZones = azs!;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // --- VPC: three tiers, one subnet of each per AZ, a NAT gateway per AZ
    const natProvider = ec2.NatProvider.gateway();
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      availabilityZones: this.availabilityZones,
      natGateways: props.natGateways ?? this.availabilityZones.length,
      natGatewayProvider: natProvider,
      createInternetGateway: true,
      restrictDefaultSecurityGroup: false, // closed below without a Lambda
      subnetConfiguration: [
        { name: NetworkTier.PUBLIC, subnetType: ec2.SubnetType.PUBLIC, cidrMask: props.subnetCidrMask, mapPublicIpOnLaunch: false },
        { name: NetworkTier.PRIVATE, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: props.subnetCidrMask },
        { name: NetworkTier.DATABASE, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: props.subnetCidrMask },
      ],
      gatewayEndpoints: Object.fromEntries(
        (props.gatewayEndpoints ?? [ec2.GatewayVpcEndpointAwsService.S3]).map((service, i) => [`Gateway${i}`, { service }]),
      ),
    });
    this.natGatewayIds = natProvider.configuredGateways.map((g) => g.gatewayId);
    this.publicSubnets = { subnetGroupName: NetworkTier.PUBLIC };
    this.privateSubnets = { subnetGroupName: NetworkTier.PRIVATE };
    this.databaseSubnets = { subnetGroupName: NetworkTier.DATABASE };

    for (const subnet of this.vpc.publicSubnets) {
      acknowledgeInPacks(
        subnet,
        [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5],
        'VPCNoUnrestrictedRouteToIGW',
        'Public subnets hold only the internet-facing ALB and the NAT gateways (PCI DSS 1.3 segmentation): their ' +
          'default route to the internet gateway is their purpose. Instances and databases live in the private and ' +
          'isolated subnets, which have no route to the internet gateway.',
      );
    }

    // --- Flow logs to a KMS-encrypted log group kept at least a year
    this.key =
      props.encryptionKey ??
      createRegionalKey(this, 'Key', { description: `Encrypts the VPC flow logs of ${this.node.path}`, services: ['logs'], removalPolicy });
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      encryptionKey: this.key,
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });
    this.createFlowLog();

    // --- Default security group closed, without a custom-resource Lambda
    if (props.restrictDefaultSecurityGroup ?? true) {
      new DefaultSecurityGroupCloser(this, 'DefaultSecurityGroup', {
        vpcId: this.vpc.vpcId,
        defaultSecurityGroupId: this.vpc.vpcDefaultSecurityGroup,
      });
    }
    acknowledgeInPacks(
      this.vpc,
      [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5],
      'VPCDefaultSecurityGroupClosed',
      props.restrictDefaultSecurityGroup ?? true
        ? 'The default security group is closed by the AWS-owned SSM runbook AWSConfigRemediation-RemoveVPCDefaultSecurityGroupRules ' +
            '(a State Manager association on this VPC) instead of the aws-cdk-lib custom-resource Lambda this rule looks for.'
        : 'restrictDefaultSecurityGroup was turned off explicitly by the application; nothing in this library uses the default security group.',
    );

    // --- Interface endpoints: HTTPS from inside the VPC only
    if (props.interfaceEndpoints && props.interfaceEndpoints.length > 0) {
      this.addInterfaceEndpoints(props.interfaceEndpoints, props.cidr);
    }

    // --- Connectivity to the other side
    if (props.peering) {
      this.peeringConnectionId = addPeering(this.routing(), props.peering, account, props.cidr, removalPolicy);
    }
    if (props.transitGateway) {
      this.transitGatewayAttachment = addTransitGateway(this.routing(), props.transitGateway, props.onPremises);
    }
    if (props.onPremises) {
      this.vpnConnectionId = props.onPremises.vpnConnectionId;
      addOnPremises(this.routing(), props.onPremises);
      if (this.vpnConnectionId) {
        this.vpnTunnelAlarm = this.metricVpnTunnelState().createAlarm(this, 'VpnTunnelDown', {
          alarmDescription: `No tunnel of VPN ${this.vpnConnectionId} is up: the on-premises network is unreachable`,
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 2,
          datapointsToAlarm: 2,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        });
        if (props.alarmActions && props.alarmActions.length > 0) {
          this.vpnTunnelAlarm.addAlarmAction(...props.alarmActions);
          this.vpnTunnelAlarm.addOkAction(...props.alarmActions);
        }
      }
    }

    if (props.createOutputs ?? true) {
      this.createOutputs();
    }
  }

  /** The route tables of the private and database subnets: where routes to the other side go. */
  public get internalRouteTableIds(): string[] {
    return [...this.vpc.privateSubnets, ...this.vpc.isolatedSubnets].map((s) => s.routeTable.routeTableId);
  }

  /**
   * The state of the VPN tunnels: 1 while at least one tunnel is up (Maximum over the connection's tunnels).
   * Only meaningful when `onPremises.vpnConnectionId` is set.
   *
   * @default - Maximum over 1 minute
   */
  public metricVpnTunnelState(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!this.vpnConnectionId) {
      return new Validator('RegionalNetwork.metricVpnTunnelState', this)
        .refuse('onPremises.vpnConnectionId', 'must be given for metricVpnTunnelState(): the tunnels are the VPN connection\'s', this.vpnConnectionId);
    }
    return perMinuteMetric('AWS/VPN', 'TunnelState', { VpnId: this.vpnConnectionId }, cloudwatch.Stats.MAXIMUM, props);
  }

  /**
   * NAT gateway port-allocation errors, summed over every NAT gateway: a NAT gateway that runs out of source
   * ports drops new connections (from the fleet to ECR, to the other region, …).
   *
   * @default - Sum over 1 minute
   */
  public metricNatGatewayErrorPortAllocation(props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    return this.sumOverNatGateways('ErrorPortAllocation', props);
  }

  /**
   * Packets dropped by the NAT gateways, summed over every NAT gateway.
   *
   * @default - Sum over 1 minute
   */
  public metricNatGatewayPacketsDropCount(props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    return this.sumOverNatGateways('PacketsDropCount', props);
  }

  private sumOverNatGateways(metricName: string, props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    this.natGatewayIds.forEach((natGatewayId, i) => {
      usingMetrics[`nat${i}`] = new cloudwatch.Metric({
        namespace: 'AWS/NATGateway',
        metricName,
        dimensionsMap: { NatGatewayId: natGatewayId },
        statistic: cloudwatch.Stats.SUM,
        period: props?.period ?? Duration.minutes(1),
      });
    });
    return new cloudwatch.MathExpression({
      expression: Object.keys(usingMetrics).join(' + '),
      usingMetrics,
      label: `NAT gateways ${metricName}`,
      period: Duration.minutes(1),
      ...props,
    });
  }

  private createFlowLog(): void {
    const { role, policy } = createServiceRole(this, 'FlowLog', {
      service: 'vpc-flow-logs.amazonaws.com',
      thisAccountOnly: true,
      roleDescription: `Delivers the VPC flow logs of ${this.node.path}`,
      policyDescription: 'Write VPC flow logs to one log group',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [this.flowLogGroup.logGroupArn],
        }),
      ],
    });
    const flowLog = new ec2.CfnFlowLog(this, 'FlowLog', {
      resourceId: this.vpc.vpcId,
      resourceType: 'VPC',
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logGroupName: this.flowLogGroup.logGroupName,
      deliverLogsPermissionArn: role.roleArn,
      maxAggregationInterval: 60,
    });
    flowLog.node.addDependency(policy);
  }

  private addInterfaceEndpoints(services: ec2.InterfaceVpcEndpointAwsService[], cidr: string): void {
    const sg = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints: HTTPS from inside the VPC only',
      allowAllOutbound: false,
    });
    // The literal CIDR rather than the VPC's CidrBlock attribute, so the rule can be checked at synth time.
    sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from inside the VPC');
    services.forEach((service, i) => {
      this.vpc.addInterfaceEndpoint(`Endpoint${i}`, {
        service,
        subnets: this.privateSubnets,
        securityGroups: [sg],
        privateDnsEnabled: true,
        open: false, // the security group above already admits HTTPS from the VPC
      });
    });
  }

  /** What the connectivity routing needs of this network. */
  private routing(): RoutedNetwork {
    return { scope: this, vpc: this.vpc, internalRouteTableIds: this.internalRouteTableIds, key: this.key };
  }

  private createOutputs(): void {
    const join = (subnets: ec2.ISubnet[]) => Fn.join(',', subnets.map((s) => s.subnetId));
    new CfnOutput(this, 'VpcId', { value: this.vpc.vpcId, description: 'VPC id' });
    new CfnOutput(this, 'VpcCidr', { value: this.vpc.vpcCidrBlock, description: 'VPC CIDR block' });
    new CfnOutput(this, 'PublicSubnetIds', { value: join(this.vpc.publicSubnets), description: 'Public subnet ids (ALB, NAT)' });
    new CfnOutput(this, 'PrivateSubnetIds', { value: join(this.vpc.privateSubnets), description: 'Private subnet ids (fleet, DMS)' });
    new CfnOutput(this, 'DatabaseSubnetIds', { value: join(this.vpc.isolatedSubnets), description: 'Isolated subnet ids (databases)' });
    new CfnOutput(this, 'InternalRouteTableIds', {
      value: Fn.join(',', this.internalRouteTableIds),
      description: 'Route tables of the private and database subnets (give them to the peer side\'s PeeringRoutes)',
    });
    if (this.peeringConnectionId) {
      new CfnOutput(this, 'PeeringConnectionId', {
        value: this.peeringConnectionId,
        description: this.node.tryFindChild('PeerRoutes')
          ? 'VPC peering connection id (the peer VPC\'s routes to this VPC are created by this stack)'
          : 'VPC peering connection id: pass it to PeeringRoutes in the peer region\'s stack',
      });
    }
  }
}
