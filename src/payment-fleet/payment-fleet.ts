import { Annotations, CfnElement, CfnOutput, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { createAccessLogBucket, createWebAcl } from './edge-protection';
import { attachFleetPolicies, createFleetKey } from './fleet-permissions';
import { completeGroup, fleetInstanceTypes } from './instance-types';
import { PaymentFleetProps } from './payment-fleet-props';
import { paymentProcessorScript } from './user-data';
import { checkPaymentFleetRegions, DEFAULT_HEALTHY_HOST_THRESHOLD, validatePaymentFleetProps } from './validate-props';
import { acknowledge, acknowledgeInPacks, NagPackPrefix } from '../private/nag';
import { propsValidator, Validator } from '../private/validation';

/**
 * The payment processor fleet of one region: containers on EC2 instances in an Auto Scaling group in the private
 * subnets, behind an internet-facing Application Load Balancer that terminates TLS 1.2+ on 443, redirects HTTP,
 * logs every request and sits behind AWS WAF.
 *
 * Instances run Amazon Linux 2023 with IMDSv2 required, KMS-encrypted volumes, no key pair and no SSH (Session
 * Manager instead); their user data installs docker and runs the image with `--restart always`, logging to a
 * KMS-encrypted log group. Scaling follows CPU and requests per target; new launch templates roll out one
 * instance at a time, each waiting for its container to answer the health check, without dropping below
 * `minCapacity` (one below it when `maxCapacity` equals it: there is no room for an extra instance then). The alarms the cutover gates on (healthy hosts, 5xx rate, p99 latency) are exposed.
 *
 * @example
 * declare const network: RegionalNetwork;
 * declare const certificate: acm.ICertificate;
 * declare const repository: ecr.IRepository;
 * const fleet = new PaymentFleet(this, 'Fleet', {
 *   vpc: network.vpc,
 *   publicSubnets: network.publicSubnets,
 *   applicationSubnets: network.privateSubnets,
 *   image: PaymentProcessorImage.fromEcrRepository(repository, '2024.06.1'),
 *   certificate,
 * });
 */
export class PaymentFleet extends Construct {
  /** The internet-facing load balancer (`loadBalancerDnsName`, `loadBalancerCanonicalHostedZoneId`). */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The HTTPS listener on 443. */
  public readonly listener: elbv2.ApplicationListener;
  /** The HTTPS target group on `targetPort` (443 by default), which the host maps to the container port. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The Auto Scaling group. */
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  /** The launch template. */
  public readonly launchTemplate: ec2.LaunchTemplate;
  /** The instances' role. */
  public readonly role: iam.IRole;
  /** The instances' network access: allow it on the database (`database.connections.allowDefaultPortFrom(fleet)`). */
  public readonly connections: ec2.Connections;
  /** The key of the volumes, log groups and topic. */
  public readonly key: kms.IKey;
  /** The container log group (awslogs driver). */
  public readonly logGroup: logs.LogGroup;
  /** The access-log bucket. */
  public readonly accessLogBucket: s3.IBucket;
  /** The Auto Scaling notification topic. */
  public readonly notificationTopic: sns.ITopic;
  /** The web ACL created here, when `webAcl` is on and no `webAclArn` is given. */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** The listener's certificate. */
  public readonly certificate: acm.ICertificate;
  /**
   * Fewer healthy targets than `healthyHostAlarmThreshold` for 2 periods of 60 s. Missing data is breaching:
   * the load balancer reports this metric every minute, so silence means something is wrong.
   */
  public readonly healthyHostsAlarm: cloudwatch.Alarm;
  /**
   * Target 5xx responses above `max5xxPercent` of requests for 3 periods of 60 s. Missing data is not breaching:
   * no requests (before cutover, at night) is not an error rate.
   */
  public readonly errorRateAlarm: cloudwatch.Alarm;
  /** p99 target response time above `maxP99ResponseTime` for 3 periods of 60 s; missing data is not breaching. */
  public readonly latencyAlarm: cloudwatch.Alarm;
  /** The minimum number of instances (`minCapacity`, after its default). */
  public readonly minCapacity: number;

  constructor(scope: Construct, id: string, props: PaymentFleetProps) {
    super(scope, id);
    propsValidator(this, 'PaymentFleet', props, ['image']);
    const stack = Stack.of(this);
    const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
    this.minCapacity = props.minCapacity ?? 2;
    const minCapacity = this.minCapacity;
    const maxCapacity = props.maxCapacity ?? 6;
    const capacity = { min: minCapacity, max: maxCapacity, desired: props.desiredCapacity ?? minCapacity };

    const v = new Validator('PaymentFleet', this);
    validatePaymentFleetProps(v, props, capacity, region);
    if (props.targetPort !== undefined && !Token.isUnresolved(props.targetPort)) {
      v.check(Number.isInteger(props.targetPort) && props.targetPort >= 1 && props.targetPort <= 65535 && props.targetPort !== 22,
        'targetPort', 'must be an integer between 1 and 65535, not 22 (no SSH on the fleet)', props.targetPort);
    }
    checkPaymentFleetRegions(v, this, props);
    v.throwIfInvalid();

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const containerPort = props.containerPort ?? 8443;
    const targetPort = props.targetPort ?? 443;
    const healthCheckPath = props.healthCheck?.path ?? '/health';
    const machineImage = props.machineImage ?? ec2.MachineImage.latestAmazonLinux2023();
    this.warnIfAmazonLinux2(machineImage);

    // --- Encryption and logs
    this.key = props.encryptionKey ?? createFleetKey(this, removalPolicy);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    this.logGroup = new logs.LogGroup(this, 'ContainerLogs', { encryptionKey: this.key, retention: logRetention, removalPolicy });
    this.notificationTopic = props.notificationTopic ?? new sns.Topic(this, 'Notifications', {
      displayName: 'Payment fleet scaling events',
      masterKey: this.key,
      enforceSSL: true,
    });

    // --- Network access: the internet reaches the ALB only; the ALB reaches the instances on `targetPort` only
    const albSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: 'Payment fleet load balancer: HTTPS from the internet, HTTP only to redirect it',
      allowAllOutbound: false,
    });
    albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from the internet (payment API)');
    albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from the internet, redirected to HTTPS');
    const publicIngress =
      'The internet-facing payment API: only 443 (TLS 1.2+) and 80 (redirect to 443, no content) are open, the load ' +
      'balancer is protected by AWS WAF managed rules (PCI DSS 6.4.2) and reaches the instances on the target port only.';
    acknowledge(albSecurityGroup, { id: 'AwsSolutions-EC23', reason: publicIngress });
    const fleetSecurityGroup = new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc: props.vpc,
      description: 'Payment fleet instances: the target port from the load balancer only, no SSH',
      allowAllOutbound: true,
    });

    // --- Instances
    const role = new iam.Role(this, 'InstanceRole', {
      description: `Instances of the payment fleet ${this.node.path}`,
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    });
    this.role = role;
    attachFleetPolicies(this, {
      role,
      logGroup: this.logGroup,
      image: props.image,
      databaseSecret: props.databaseSecret,
      parameterNames: props.parameterNames,
    });
    const userData = ec2.UserData.forLinux();
    const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM);
    const instanceTypes = fleetInstanceTypes(instanceType, props.fallbackInstanceTypes);
    if (instanceTypes.length < 2) {
      Annotations.of(this).addWarningV2('cdk-payment-migration:singleInstanceType',
        `instanceType ${instanceType} has no default fallback: give fallbackInstanceTypes, or the group launches one type only (AWS Control Tower CT.AUTOSCALING.PR.6)`);
    }
    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage,
      instanceType,
      userData,
      role,
      securityGroup: fleetSecurityGroup,
      requireImdsv2: true,
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: props.httpPutResponseHopLimit ?? 2,
      detailedMonitoring: true,
      ebsOptimized: true,
      blockDevices: [{
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs(props.rootVolumeSize ?? 30, {
          encrypted: true,
          kmsKey: this.key,
          volumeType: ec2.EbsDeviceVolumeType.GP3,
          deleteOnTermination: true,
        }),
      }],
    });

    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'AutoScalingGroup', {
      vpc: props.vpc,
      vpcSubnets: props.applicationSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      // Prioritized, all On-Demand: the first type while it has capacity, the next ones when it has none.
      mixedInstancesPolicy: {
        launchTemplate: this.launchTemplate,
        launchTemplateOverrides: instanceTypes.map((t) => ({ instanceType: t })),
        instancesDistribution: {
          onDemandAllocationStrategy: autoscaling.OnDemandAllocationStrategy.PRIORITIZED,
          onDemandBaseCapacity: 0,
          onDemandPercentageAboveBaseCapacity: 100,
        },
      },
      minCapacity,
      maxCapacity,
      // Only when asked: a fixed desired capacity resets a scaled-out group on every deployment.
      desiredCapacity: props.desiredCapacity,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: props.healthCheckGracePeriod ?? Duration.seconds(300),
      }),
      cooldown: props.cooldown ?? Duration.seconds(300),
      notifications: [{ topic: this.notificationTopic }],
      groupMetrics: [autoscaling.GroupMetrics.all()],
      signals: autoscaling.Signals.waitForMinCapacity({ timeout: props.signalTimeout ?? Duration.minutes(15) }),
      // One instance at a time, never fewer than minCapacity in service (CloudFormation needs it below maxCapacity).
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({
        maxBatchSize: 1,
        minInstancesInService: Math.min(minCapacity, maxCapacity - 1),
      }),
    });
    this.connections = fleetSecurityGroup.connections;
    // The subnets' AZs, named on the group as well (AWS Control Tower CT.AUTOSCALING.PR.1 reads AvailabilityZones).
    const applicationSubnets = props.vpc.selectSubnets(props.applicationSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    completeGroup(this.autoScalingGroup, applicationSubnets.availabilityZones);
    // `signals` makes aws-cdk-lib grant cloudformation:SignalResource through the role's inline DefaultPolicy.
    const signalPolicy = role.node.tryFindChild('DefaultPolicy');
    if (signalPolicy) {
      acknowledgeInPacks(signalPolicy, [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5], 'IAMNoInlinePolicy',
        'Added by aws-cdk-lib for Auto Scaling creation/update signals: one statement, cloudformation:SignalResource on ' +
          'this stack only. Every other permission of the fleet is in customer-managed policies (least privilege, PCI DSS 7.2).');
    }

    userData.addCommands(...paymentProcessorScript({
      imageUri: props.image.imageUri,
      containerPort,
      hostPort: targetPort,
      environment: this.containerEnvironment(props),
      logGroupName: this.logGroup.logGroupName,
      region: stack.region,
      ecrLogin: props.image.repository
        ? { registry: props.image.repository.repositoryUri.split('/')[0], region: props.image.repository.env.region }
        : undefined,
      signal: {
        stackName: stack.stackName,
        resource: stack.getLogicalId(this.autoScalingGroup.node.defaultChild as CfnElement),
        region: stack.region,
        healthCheckPath,
      },
    }));

    // --- Load balancer
    this.certificate = props.certificate ?? new acm.Certificate(this, 'Certificate', {
      domainName: props.domainName ?? '', // validated above: given whenever `certificate` is not
      validation: acm.CertificateValidation.fromDns(props.hostedZone),
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: props.publicSubnets ?? { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: albSecurityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection ?? true,
    });
    this.accessLogBucket = props.accessLogBucket ?? createAccessLogBucket(this, props.accessLogRetention ?? Duration.days(400), removalPolicy);
    this.loadBalancer.logAccessLogs(this.accessLogBucket, 'payment-fleet');

    const hc = props.healthCheck ?? {};
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      targetType: elbv2.TargetType.INSTANCE,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      port: targetPort,
      targets: [this.autoScalingGroup],
      deregistrationDelay: props.deregistrationDelay ?? Duration.seconds(60),
      healthCheck: {
        protocol: elbv2.Protocol.HTTPS,
        path: healthCheckPath,
        healthyThresholdCount: hc.healthyThresholdCount ?? 2,
        unhealthyThresholdCount: hc.unhealthyThresholdCount ?? 3,
        interval: hc.interval ?? Duration.seconds(30),
        timeout: hc.timeout ?? Duration.seconds(5),
        healthyHttpCodes: '200',
      },
    });
    this.listener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [this.certificate],
      sslPolicy: props.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultTargetGroups: [this.targetGroup],
      open: false,
    });
    const redirect = this.loadBalancer.addListener('Http', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      open: false,
    });
    acknowledgeInPacks(redirect, [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5], 'ELBv2ACMCertificateRequired',
      'This HTTP listener serves no content: its only action is a permanent redirect to the HTTPS listener on 443, ' +
        'which uses an ACM certificate and a TLS 1.2+ policy (PCI DSS 4.2.1).');

    // --- WAF
    const webAclArn = props.webAclArn ?? ((props.webAcl ?? true)
      ? (this.webAcl = createWebAcl(this, this.key, logRetention, removalPolicy)).attrArn
      : undefined);
    if (webAclArn) {
      new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: this.loadBalancer.loadBalancerArn, webAclArn });
    }

    // --- Scaling
    this.autoScalingGroup.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: props.targetCpuUtilization ?? 60 });
    this.autoScalingGroup.scaleOnRequestCount('RequestScaling', { targetRequestsPerMinute: props.targetRequestsPerTarget ?? 1000 });

    // --- Alarms the cutover gates on
    const healthyHosts = props.healthyHostAlarmThreshold ?? DEFAULT_HEALTHY_HOST_THRESHOLD;
    this.healthyHostsAlarm = this.metricHealthyHostCount().createAlarm(this, 'HealthyHostsAlarm', {
      alarmDescription: `Fewer than ${healthyHosts} healthy payment processors behind ${this.node.path}`,
      threshold: healthyHosts,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.errorRateAlarm = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)',
      usingMetrics: { errors: this.metricTarget5xxCount(), requests: this.metricRequestCount() },
      label: 'Target 5xx (% of requests)',
      period: Duration.minutes(1),
    }).createAlarm(this, 'ErrorRateAlarm', {
      alarmDescription: `Payment processors behind ${this.node.path} answer more than ${props.max5xxPercent ?? 1}% of requests with 5xx`,
      threshold: props.max5xxPercent ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const maxLatency = props.maxP99ResponseTime ?? Duration.seconds(1);
    this.latencyAlarm = this.metricTargetResponseTimeP99().createAlarm(this, 'LatencyAlarm', {
      alarmDescription: `p99 response time of the payment processors behind ${this.node.path} above ${maxLatency.toHumanString()}`,
      threshold: maxLatency.toMilliseconds() / 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.healthyHostsAlarm, this.errorRateAlarm, this.latencyAlarm]) {
      if (props.alarmActions && props.alarmActions.length > 0) {
        alarm.addAlarmAction(...props.alarmActions);
        alarm.addOkAction(...props.alarmActions);
      }
    }

    if (props.createOutputs ?? true) {
      new CfnOutput(this, 'LoadBalancerDnsName', { value: this.loadBalancer.loadBalancerDnsName, description: 'Payment fleet load balancer DNS name' });
      new CfnOutput(this, 'AutoScalingGroupName', { value: this.autoScalingGroup.autoScalingGroupName, description: 'Payment fleet Auto Scaling group name' });
    }
  }

  /** Requests to the fleet. @default - Sum over 1 minute */
  public metricRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.requestCount({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(1), ...props });
  }

  /** Healthy targets. @default - Minimum over 1 minute */
  public metricHealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.healthyHostCount({ statistic: cloudwatch.Stats.MINIMUM, period: Duration.minutes(1), ...props });
  }

  /** 5xx responses of the payment processors (not of the load balancer). @default - Sum over 1 minute */
  public metricTarget5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(1),
      ...props,
    });
  }

  /** Target response time, in seconds. @default - p99 over 1 minute */
  public metricTargetResponseTimeP99(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.targetResponseTime({ statistic: cloudwatch.Stats.p(99), period: Duration.minutes(1), ...props });
  }

  private containerEnvironment(props: PaymentFleetProps): Record<string, string> {
    const env: Record<string, string> = { ...(props.environment ?? {}) };
    if (props.databaseWriterEndpoint !== undefined) env.DB_WRITER_ENDPOINT = props.databaseWriterEndpoint;
    if (props.databaseReaderEndpoint !== undefined) env.DB_READER_ENDPOINT = props.databaseReaderEndpoint;
    if (props.databaseSecret) env.DB_SECRET_ARN = props.databaseSecret.secretArn;
    if (props.parameterNames && props.parameterNames.length > 0) env.PARAMETER_NAMES = props.parameterNames.join(',');
    return env;
  }

  /** Amazon Linux 2 is recognised by its public SSM parameter; AMIs given by id cannot be. */
  private warnIfAmazonLinux2(image: ec2.IMachineImage): void {
    const imageId = Stack.of(this).resolve(image.getImage(this).imageId);
    const isAl2 = image instanceof ec2.AmazonLinux2ImageSsmParameter || /amzn2ami/i.test(JSON.stringify(imageId));
    if (isAl2) {
      Annotations.of(this).addWarningV2('cdk-payment-migration:amazonLinux2EndOfSupport',
        'Amazon Linux 2 reaches end of support on 2026-06-30: prefer ec2.MachineImage.latestAmazonLinux2023() (the default).');
    }
  }
}
