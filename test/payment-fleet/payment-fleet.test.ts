import { App, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PaymentFleet, PaymentFleetProps, PaymentProcessorImage } from '../../src/payment-fleet';
import { RegionalNetwork } from '../../src/regional-network/regional-network';
import { expectOnlyUnroutedAlarmFindings, nagFindings } from '../support/nag';

const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';
const IMAGE = 'public.ecr.aws/acme/payment-processor:2024.06.1';

function stackIn(): Stack {
  return new Stack(new App(), 'Target', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function vpcIn(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { availabilityZones: AZS, restrictDefaultSecurityGroup: false });
}

function synth(props: Partial<PaymentFleetProps> = {}, stack = stackIn()): { fleet: PaymentFleet; template: Template; stack: Stack } {
  const fleet = new PaymentFleet(stack, 'Fleet', {
    vpc: (stack.node.tryFindChild('Vpc') as ec2.Vpc | undefined) ?? vpcIn(stack),
    image: PaymentProcessorImage.fromRegistry(IMAGE),
    certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN),
    ...props,
  });
  return { fleet, template: Template.fromStack(stack), stack };
}

/** The user-data script with every token rendered as `<token>`. */
function userDataOf(template: Template): string {
  const lt = Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0];
  const parts = lt.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1] as unknown[];
  return parts.map((p) => (typeof p === 'string' ? p : '<token>')).join('');
}

function managedPolicyStatements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('PaymentFleet defaults (seed S1 §3, §4, §6)', () => {
  const { fleet, template } = synth();

  test('Auto Scaling group: min 2, max 6, desired left to min, ELB health checks with 300 s grace, private subnets of all AZs', () => {
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '2',
      MaxSize: '6',
      DesiredCapacity: Match.absent(),
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 300,
      Cooldown: '300',
      VPCZoneIdentifier: [1, 2, 3].map((n) => ({ Ref: Match.stringLikeRegexp(`VpcPrivateSubnet${n}Subnet`) })),
      NotificationConfigurations: [{ TopicARN: { Ref: Match.stringLikeRegexp('FleetNotifications') }, NotificationTypes: Match.anyValue() }],
    });
  });

  test('Control Tower CT.AUTOSCALING.PR.6: a prioritized, all On-Demand mixed-instances policy, t3.medium first, then t3a.medium', () => {
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      LaunchTemplate: Match.absent(),
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: { Ref: Match.stringLikeRegexp('FleetLaunchTemplate') }, Version: Match.anyValue() },
          Overrides: [{ InstanceType: 't3.medium' }, { InstanceType: 't3a.medium' }],
        },
        InstancesDistribution: { OnDemandAllocationStrategy: 'prioritized', OnDemandBaseCapacity: 0, OnDemandPercentageAboveBaseCapacity: 100 },
      },
    });
  });

  test('Control Tower CT.AUTOSCALING.PR.1: the group names its subnets\' Availability Zones', () => {
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { AvailabilityZones: AZS });
  });

  test('rolling updates one instance at a time, never below min capacity, waiting for each new instance to signal', () => {
    template.hasResource('AWS::AutoScaling::AutoScalingGroup', {
      CreationPolicy: { ResourceSignal: { Count: 2, Timeout: 'PT15M' } },
      UpdatePolicy: { AutoScalingRollingUpdate: Match.objectLike({ MaxBatchSize: 1, MinInstancesInService: 2, WaitOnResourceSignals: true }) },
    });
  });

  test('target tracking on CPU 60 % and 1000 requests per target', () => {
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 60 },
    });
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      TargetTrackingConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: Match.anyValue() },
        TargetValue: 1000,
      },
    });
  });

  test('launch template: AL2023, t3.medium, IMDSv2 required with hop limit 2, encrypted gp3 root with the fleet key, no key pair', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        ImageId: { Ref: Match.stringLikeRegexp('al2023ami') },
        InstanceType: 't3.medium',
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
        KeyName: Match.absent(),
        Monitoring: { Enabled: true },
        BlockDeviceMappings: [{
          DeviceName: '/dev/xvda',
          Ebs: { Encrypted: true, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('FleetKey'), 'Arn'] }, VolumeSize: 30, VolumeType: 'gp3', DeleteOnTermination: true },
        }],
      }),
    });
    template.resourceCountIs('AWS::EC2::KeyPair', 0);
  });

  test('user data installs docker and runs the image (8443 inside, published on the target port 443) with --restart always, logging to the fleet log group', () => {
    const script = userDataOf(template);
    expect(script).toContain('dnf install -y docker');
    expect(script).toContain('docker run --detach --name payment-processor --restart always --publish 443:8443');
    expect(script).toContain('https://localhost:443/health'); // the creation signal waits for the port the ALB checks
    expect(script).toMatch(/--log-driver awslogs --log-opt awslogs-region=eu-west-1 --log-opt awslogs-group=<token>/);
    expect(script).toContain(` ${IMAGE}\n`);
    expect(script).not.toContain('docker login');
  });

  test('the key rotates and lets the Auto Scaling service-linked role use it and create grants for AWS resources', () => {
    const slr = { 'aws:PrincipalArn': { 'Fn::Join': ['', Match.arrayWith([':role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling'])] } };
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
            Condition: { StringEquals: Match.objectLike(slr) },
          }),
          Match.objectLike({
            Action: 'kms:CreateGrant',
            Condition: { StringEquals: Match.objectLike(slr), Bool: { 'kms:GrantIsForAWSResource': true } },
          }),
        ]),
      },
    });
  });

  test('container logs: KMS-encrypted, kept one year, retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('FleetKey'), 'Arn'] }, LogGroupName: Match.absent() },
    });
  });

  test('instance role: Session Manager and log writing through managed policies; no AWS-managed policy, no ECR access', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
    const statements = managedPolicyStatements(template);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: expect.arrayContaining(['ssm:UpdateInstanceInformation', 'ssmmessages:CreateControlChannel', 'ec2messages:GetMessages']) }),
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^FleetContainerLogs/), 'Arn'] } }),
    ]));
    expect(JSON.stringify(statements)).not.toMatch(/ecr:/);
    // The only inline statement is aws-cdk-lib's SignalResource grant for the creation/update signals.
    const inline = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(inline).toEqual([{ Action: 'cloudformation:SignalResource', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } }]);
  });

  test('security groups: the internet reaches the ALB on 443 and 80, the fleet only from the ALB on the target port, nothing on 22', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('load balancer: HTTPS from the internet'),
      SecurityGroupIngress: [
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 }),
      ],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 443,
      ToPort: 443,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('FleetInstanceSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('FleetLoadBalancerSecurityGroup'), 'GroupId'] },
    });
    const fleetSg = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('instances') } });
    for (const sg of Object.values(fleetSg)) expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"FromPort":22\b/);
    expect(fleet.connections.securityGroups).toHaveLength(1);
  });

  test('target group (seed S1 §4): HTTPS on 443, /health, healthy 2, unhealthy 3, every 30 s, timeout 5 s, deregistration 60 s', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Protocol: 'HTTPS',
      Port: 443,
      HealthCheckPort: Match.absent(), // the traffic port: 443
      TargetType: 'instance',
      HealthCheckProtocol: 'HTTPS',
      HealthCheckPath: '/health',
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '60' }]),
    });
  });

  test('load balancer: internet-facing in the public subnets, invalid headers dropped, deletion protection, access logs', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Subnets: [1, 2, 3].map((n) => ({ Ref: Match.stringLikeRegexp(`VpcPublicSubnet${n}Subnet`) })),
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: 'true' },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: { Ref: Match.stringLikeRegexp('FleetAccessLogs') } },
      ]),
    });
  });

  test('listeners: HTTPS 443 with the certificate and the TLS 1.2+/1.3 policy; HTTP 80 only redirects', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: CERT_ARN }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('FleetTargetGroup') } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
  });

  test('access-log bucket: SSE-S3, public access blocked, TLS only, versioned, expired after 400 days, retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 400, NoncurrentVersionExpiration: { NoncurrentDays: 400 } })] },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('WAF: a REGIONAL web ACL with the four AWS managed rule groups, associated with the ALB, logging to aws-waf-logs-*', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesSQLiRuleSet']
        .map((name) => Match.objectLike({ Name: name, OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name } } })),
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: Match.stringLikeRegexp('FleetLoadBalancer') },
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('FleetWebAcl'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'), KmsKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('FleetWebAcl'), 'Arn'] },
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
    });
  });

  test('notification topic: encrypted with the fleet key, TLS only', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('FleetKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
  });

  test('healthy-host alarm: Minimum HealthyHostCount < 2, 60 s, 2 evaluation periods, missing data breaching', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'HealthyHostCount',
      Namespace: 'AWS/ApplicationELB',
      Statistic: 'Minimum',
      Period: 60,
      Threshold: 2,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2,
      TreatMissingData: 'breaching',
    });
    expect(fleet.healthyHostsAlarm).toBeInstanceOf(cloudwatch.Alarm);
  });

  test('5xx alarm: target 5xx as a percentage of requests above 1, missing data not breaching', () => {
    const alarm = template.findResources('AWS::CloudWatch::Alarm', { Properties: { Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' } });
    const props = Object.values(alarm)[0].Properties;
    expect(props.TreatMissingData).toBe('notBreaching');
    expect(props.EvaluationPeriods).toBe(3);
    expect(props.Metrics.find((m: any) => m.Expression).Expression).toBe('IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)');
    const names = props.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName).sort();
    expect(names).toEqual(['HTTPCode_Target_5XX_Count', 'RequestCount']);
  });

  test('latency alarm: p99 TargetResponseTime above 1 s, missing data not breaching', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('outputs: load balancer DNS name and Auto Scaling group name', () => {
    const outputs = template.findOutputs('*');
    const dns = Object.entries(outputs).find(([k]) => k.startsWith('FleetLoadBalancerDnsName'))![1];
    expect(dns.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^FleetLoadBalancer/), 'DNSName'] });
    const asg = Object.entries(outputs).find(([k]) => k.startsWith('FleetAutoScalingGroupName'))![1];
    expect(asg.Value).toEqual({ Ref: expect.stringMatching(/^FleetAutoScalingGroupASG/) });
  });

  test('no Lambda function, no warning', () => {
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Annotations.fromStack(Stack.of(fleet)).findWarning('*', Match.stringLikeRegexp('Amazon Linux 2 '))).toEqual([]);
  });
});

describe('PaymentFleet options', () => {
  test('seed S2 capacity: 3 to 9 with an explicit desired count; rolling updates keep 3 in service', () => {
    const { template } = synth({ minCapacity: 3, maxCapacity: 9, desiredCapacity: 4 });
    template.hasResource('AWS::AutoScaling::AutoScalingGroup', {
      Properties: Match.objectLike({ MinSize: '3', MaxSize: '9', DesiredCapacity: '4' }),
      UpdatePolicy: { AutoScalingRollingUpdate: Match.objectLike({ MinInstancesInService: 3 }) },
    });
  });

  test('an ECR image: pull scoped to the repository, GetAuthorizationToken on *, docker login in user data', () => {
    const stack = stackIn();
    const repository = new ecr.Repository(stack, 'Repo');
    const { template } = synth({ image: PaymentProcessorImage.fromEcrRepository(repository, 'v7') }, stack);
    const statements = managedPolicyStatements(template);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Repo/), 'Arn'] } }),
      expect.objectContaining({ Action: 'ecr:GetAuthorizationToken', Resource: '*' }),
    ]));
    const script = userDataOf(template);
    expect(script).toMatch(/aws ecr get-login-password --region eu-west-1 \| docker login --username AWS --password-stdin <token>\.dkr\.ecr\./);
    expect(script).toMatch(/docker pull <token>.*:v7\n/);
  });

  test('database endpoints, secret ARN, parameters and extra environment reach the container; the secret and parameters are readable', () => {
    const stack = stackIn();
    const key = new kms.Key(stack, 'SecretKey', { enableKeyRotation: true });
    const secret = new secretsmanager.Secret(stack, 'DbSecret', { encryptionKey: key });
    const { template } = synth({
      databaseWriterEndpoint: 'writer.global-abc.global.rds.amazonaws.com',
      databaseReaderEndpoint: 'reader.cluster-ro-abc.eu-west-1.rds.amazonaws.com',
      databaseSecret: secret,
      parameterNames: ['/payments/config', 'payments-flags'],
      environment: { LOG_LEVEL: 'info' },
    }, stack);
    const script = userDataOf(template);
    expect(script).toContain(
      'LOG_LEVEL=info\nDB_WRITER_ENDPOINT=writer.global-abc.global.rds.amazonaws.com\n' +
        'DB_READER_ENDPOINT=reader.cluster-ro-abc.eu-west-1.rds.amazonaws.com\nDB_SECRET_ARN=<token>\n' +
        'PARAMETER_NAMES=/payments/config,payments-flags\nPAYMENT_PROCESSOR_ENV',
    );
    const statements = managedPolicyStatements(template);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: expect.stringMatching(/^DbSecret/) } }),
      expect.objectContaining({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] } } } }),
      expect.objectContaining({
        Action: ['ssm:GetParameter', 'ssm:GetParameters'],
        Resource: [
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1:111111111111:parameter/payments/config']] },
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1:111111111111:parameter/payments-flags']] },
        ],
      }),
    ]));
  });

  test('domainName and hostedZone create a DNS-validated certificate used by the listener', () => {
    const stack = stackIn();
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'pay.example.com' });
    const { template } = synth({ certificate: undefined, domainName: 'api.pay.example.com', hostedZone }, stack);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.pay.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'api.pay.example.com', HostedZoneId: 'Z0123456789' }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('FleetCertificate') } }] });
  });

  test('instance, port, health check, TLS policy, hop limit, grace, scaling targets and deregistration delay are honoured', () => {
    const { template } = synth({
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.LARGE),
      containerPort: 9443,
      targetPort: 8443,
      sslPolicy: elbv2.SslPolicy.TLS13_13,
      httpPutResponseHopLimit: 1,
      healthCheckGracePeriod: Duration.seconds(600),
      targetCpuUtilization: 50,
      targetRequestsPerTarget: 500,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: { path: '/ready', healthyThresholdCount: 3, unhealthyThresholdCount: 5, interval: Duration.seconds(10), timeout: Duration.seconds(4) },
    });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ InstanceType: 'm6i.large', MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } }),
    });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { HealthCheckGracePeriod: 600 });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MixedInstancesPolicy: Match.objectLike({ LaunchTemplate: Match.objectLike({ Overrides: [{ InstanceType: 'm6i.large' }, { InstanceType: 'm6a.large' }] }) }),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8443,
      HealthCheckPath: '/ready',
      HealthyThresholdCount: 3,
      UnhealthyThresholdCount: 5,
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 4,
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, SslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8443, ToPort: 8443 });
    expect(userDataOf(template)).toContain('--publish 8443:9443');
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', { TargetTrackingConfiguration: Match.objectLike({ TargetValue: 50 }) });
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', { TargetTrackingConfiguration: Match.objectLike({ TargetValue: 500 }) });
    expect(userDataOf(template)).toContain('https://localhost:8443/ready');
  });

  test('webAcl: false creates no web ACL; webAclArn associates the given one', () => {
    const off = synth({ webAcl: false }).template;
    off.resourceCountIs('AWS::WAFv2::WebACL', 0);
    off.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    const arn = 'arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/payments/0123-4567';
    const given = synth({ webAclArn: arn }).template;
    given.resourceCountIs('AWS::WAFv2::WebACL', 0);
    given.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: arn });
  });

  test('given bucket, key, topic, retention, removal policy; deletion protection and outputs off', () => {
    const stack = stackIn();
    const bucket = new s3.Bucket(stack, 'MyLogs');
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'MyTopic');
    const { template, fleet } = synth({
      accessLogBucket: bucket,
      encryptionKey: key,
      notificationTopic: topic,
      deletionProtection: false,
      createOutputs: false,
      logRetention: logs.RetentionDays.TWO_YEARS,
      removalPolicy: RemovalPolicy.DESTROY,
    }, stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(fleet.accessLogBucket).toBe(bucket);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'false' }, { Key: 'access_logs.s3.bucket', Value: { Ref: Match.stringLikeRegexp('MyLogs') } }]),
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ RetentionInDays: 731, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('MyKey'), 'Arn'] } }) });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { NotificationConfigurations: [Match.objectLike({ TopicARN: { Ref: Match.stringLikeRegexp('MyTopic') } })] });
    expect(template.findOutputs('*')).toEqual({});
  });

  test('alarm thresholds and actions', () => {
    const action: cloudwatch.IAlarmAction = { bind: () => ({ alarmActionArn: 'arn:aws:sns:eu-west-1:111111111111:ops' }) };
    const { template } = synth({
      minCapacity: 3,
      maxCapacity: 9,
      healthyHostAlarmThreshold: 3,
      max5xxPercent: 2,
      maxP99ResponseTime: Duration.millis(750),
      alarmActions: [action],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'HealthyHostCount', Threshold: 3, AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:ops'], OKActions: ['arn:aws:sns:eu-west-1:111111111111:ops'] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 2, Metrics: Match.anyValue() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'TargetResponseTime', Threshold: 0.75 });
  });

  test('Amazon Linux 2 is allowed, with an end-of-support warning', () => {
    const { stack } = synth({ machineImage: ec2.MachineImage.latestAmazonLinux2() });
    Annotations.fromStack(stack).hasWarning('/Target/Fleet', Match.stringLikeRegexp('Amazon Linux 2 reaches end of support'));
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ ImageId: { Ref: Match.stringLikeRegexp('amzn2ami') } }) });
  });

  test('metrics: sensible statistics and periods', () => {
    const { fleet } = synth();
    expect(fleet.metricRequestCount().statistic).toBe('Sum');
    expect(fleet.metricHealthyHostCount().statistic).toBe('Minimum');
    expect(fleet.metricTarget5xxCount().metricName).toBe('HTTPCode_Target_5XX_Count');
    expect(fleet.metricTargetResponseTimeP99().statistic).toBe('p99');
    expect(fleet.metricRequestCount({ period: Duration.minutes(5) }).period.toMinutes()).toBe(5);
  });

  test('tokens pass validation untouched', () => {
    const { template } = synth({ databaseWriterEndpoint: Fn.importValue('WriterEndpoint'), containerPort: 8443 });
    expect(userDataOf(template)).toContain('DB_WRITER_ENDPOINT=<token>');
  });
});

describe('PaymentFleet validation', () => {
  const stack = stackIn();
  const otherRegionCert = acm.Certificate.fromCertificateArn(stack, 'UsCert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'pay.example.com' });

  test.each<[string, Partial<PaymentFleetProps>, RegExp]>([
    ['min 0', { minCapacity: 0 }, /`minCapacity` must be an integer of at least 1, got: 0/],
    ['max below min', { minCapacity: 4, maxCapacity: 3 }, /`maxCapacity` must be an integer of at least minCapacity \(4\), got: 3/],
    ['desired above max', { desiredCapacity: 7 }, /`desiredCapacity` must be an integer between minCapacity \(2\) and maxCapacity \(6\), got: 7/],
    ['desired below min', { desiredCapacity: 1 }, /`desiredCapacity` must be an integer between minCapacity \(2\) and maxCapacity \(6\), got: 1/],
    ['timeout not below interval', { healthCheck: { interval: Duration.seconds(10), timeout: Duration.seconds(10) } }, /`healthCheck.timeout` must be less than healthCheck.interval \(10 s\), got: 10/],
    ['default interval vs long timeout', { healthCheck: { timeout: Duration.seconds(60) } }, /`healthCheck.timeout` must be less than healthCheck.interval \(30 s\), got: 60/],
    ['interval too long', { healthCheck: { interval: Duration.seconds(301) } }, /`healthCheck.interval` must be between 5 and 300 seconds, got: 301/],
    ['timeout too short', { healthCheck: { timeout: Duration.seconds(1) } }, /`healthCheck.timeout` must be between 2 and 120 seconds, got: 1/],
    ['healthy threshold', { healthCheck: { healthyThresholdCount: 1 } }, /`healthCheck.healthyThresholdCount` must be an integer between 2 and 10, got: 1/],
    ['unhealthy threshold', { healthCheck: { unhealthyThresholdCount: 11 } }, /`healthCheck.unhealthyThresholdCount` must be an integer between 2 and 10, got: 11/],
    ['path', { healthCheck: { path: 'health' } }, /`healthCheck.path` must start with \/, got: "health"/],
    ['certificate in another region', { certificate: otherRegionCert }, /`certificate` must be in the stack's region eu-west-1.*got: "arn:aws:acm:us-east-1:111111111111:certificate\/abc"/],
    ['RECOMMENDED (2016) policy', { sslPolicy: elbv2.SslPolicy.RECOMMENDED }, /`sslPolicy` must allow TLS 1.2 or later only \(PCI DSS 4.2.1\).*got: "ELBSecurityPolicy-2016-08"/],
    ['TLS 1.0 policy', { sslPolicy: elbv2.SslPolicy.TLS13_10 }, /`sslPolicy` must allow TLS 1.2 or later only.*got: "ELBSecurityPolicy-TLS13-1-0-2021-06"/],
    ['TLS 1.1 FS policy', { sslPolicy: elbv2.SslPolicy.FORWARD_SECRECY_TLS11 }, /`sslPolicy` must allow TLS 1.2 or later only.*got: "ELBSecurityPolicy-FS-1-1-2019-08"/],
    ['hop limit 0', { httpPutResponseHopLimit: 0 }, /`httpPutResponseHopLimit` must be an integer between 1 and 64, got: 0/],
    ['hop limit 65', { httpPutResponseHopLimit: 65 }, /`httpPutResponseHopLimit` must be an integer between 1 and 64, got: 65/],
    ['zero grace', { healthCheckGracePeriod: Duration.seconds(0) }, /`healthCheckGracePeriod` must be positive: ELB health checks would replace instances before the container starts, got: "0 s"/],
    ['certificate and domain', { domainName: 'api.pay.example.com', hostedZone: zone }, /`certificate` must not be given together with `domainName`\/`hostedZone`/],
    ['neither certificate nor domain', { certificate: undefined }, /`certificate` or `domainName` and `hostedZone` must be given: the HTTPS listener needs a certificate, got: undefined/],
    ['domain without zone', { certificate: undefined, domainName: 'api.pay.example.com' }, /`hostedZone` must be given with `domainName`/],
    ['port 22', { containerPort: 22 }, /`containerPort` must not be 22 \(no SSH on the fleet: use Session Manager\), got: 22/],
    ['port 70000', { containerPort: 70000 }, /`containerPort` must be an integer between 1 and 65535, got: 70000/],
    ['reserved env', { environment: { DB_SECRET_ARN: 'x' } }, /`environment.DB_SECRET_ARN` must not be one of the variables set by the construct/],
    ['bad env name', { environment: { 'BAD-NAME': 'x' } }, /`environment.BAD-NAME` must be named like a shell variable.*got: "BAD-NAME"/],
    ['multi-line env value', { environment: { A: 'x\ny' } }, /`environment.A` must be a single line, got: "x\\ny"/],
    ['parameter ARN', { parameterNames: ['arn:aws:ssm:eu-west-1:111111111111:parameter/x'] }, /`parameterNames\[0\]` must be an SSM parameter name/],
    ['short access-log retention', { accessLogRetention: Duration.days(90) }, /`accessLogRetention` must keep access logs at least 365 days \(PCI DSS 10.5.1\), got: "90 days"/],
    ['short log retention', { logRetention: logs.RetentionDays.ONE_MONTH }, /`logRetention` must keep logs at least one year \(PCI DSS 10.5.1\), got: 30/],
    ['WAF off with an ARN', { webAcl: false, webAclArn: 'arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/x/1' }, /`webAclArn` must not be given with `webAcl: false`/],
    ['global web ACL', { webAclArn: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/x/1' }, /`webAclArn` must be the ARN of a REGIONAL WAFv2 web ACL/],
    ['healthy-host threshold above min', { healthyHostAlarmThreshold: 3 }, /`healthyHostAlarmThreshold` must be at most minCapacity \(2\), or the alarm fires at rest, got: 3/],
    ['5xx percent', { max5xxPercent: 0 }, /`max5xxPercent` must be a percentage above 0 and below 100, got: 0/],
    ['CPU target', { targetCpuUtilization: 120 }, /`targetCpuUtilization` must be a percentage above 0 and at most 100, got: 120/],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('every failure is reported at once, under the construct path', () => {
    expect(() => synth({ minCapacity: 0, containerPort: 22, httpPutResponseHopLimit: 0 })).toThrow(
      /^PaymentFleet initialization failed at Target\/Fleet:\n- `minCapacity` .*\n- `containerPort` .*\n- `httpPutResponseHopLimit` .*$/,
    );
  });

  test('a stack without a region is rejected: access-log delivery is region specific', () => {
    const agnostic = new Stack(new App(), 'Agnostic');
    expect(() => synth({}, agnostic)).toThrow(/`env.region` must be set on the stack: ALB access-log delivery is region specific/);
  });
});

describe('PaymentFleet under cdk-nag', () => {
  test('with RegionalNetwork and every option on: zero unacknowledged AwsSolutions, PCI DSS 3.2.1 and NIST 800-53 r5 findings', () => {
    const stack = stackIn();
    const network = new RegionalNetwork(stack, 'Network', {
      cidr: '10.1.0.0/16',
      availabilityZones: AZS,
      interfaceEndpoints: RegionalNetwork.paymentFleetEndpoints(),
    });
    const repository = new ecr.Repository(stack, 'Repo', { imageScanOnPush: true });
    // The database's secret, owned (and rotated) by the database stack.
    const secret = secretsmanager.Secret.fromSecretAttributes(stack, 'DbSecret', {
      secretCompleteArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:payments/db-AbCdEf',
      encryptionKey: kms.Key.fromKeyArn(stack, 'SecretKey', 'arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-1111-2222-333344445555'),
    });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'pay.example.com' });
    const fleet = new PaymentFleet(stack, 'Fleet', {
      vpc: network.vpc,
      publicSubnets: network.publicSubnets,
      applicationSubnets: network.privateSubnets,
      image: PaymentProcessorImage.fromEcrRepository(repository, '2024.06.1'),
      domainName: 'api.pay.example.com',
      hostedZone: zone,
      databaseWriterEndpoint: 'writer.example.internal',
      databaseReaderEndpoint: 'reader.example.internal',
      databaseSecret: secret,
      parameterNames: ['/payments/config'],
      environment: { LOG_LEVEL: 'info' },
      minCapacity: 3,
      maxCapacity: 9,
    });
    expect(fleet.webAcl).toBeDefined();
    // used alone, without alarmActions: only its alarms are findings (nothing pages anyone; PaymentMigration routes them)
    expect(expectOnlyUnroutedAlarmFindings(stack)).toEqual(['Target/Fleet/ErrorRateAlarm', 'Target/Fleet/HealthyHostsAlarm', 'Target/Fleet/LatencyAlarm']);
  });

  test('with the defaults, the whole stack on RegionalNetwork is clean', () => {
    const stack = stackIn();
    const network = new RegionalNetwork(stack, 'Network', { cidr: '10.1.0.0/16', availabilityZones: AZS });
    new PaymentFleet(stack, 'Fleet', {
      vpc: network.vpc,
      publicSubnets: network.publicSubnets,
      applicationSubnets: network.privateSubnets,
      image: PaymentProcessorImage.fromRegistry(IMAGE),
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN),
    });
    // used alone, without alarmActions: only its alarms are findings (nothing pages anyone; PaymentMigration routes them)
    expect(expectOnlyUnroutedAlarmFindings(stack)).toEqual(['Target/Fleet/ErrorRateAlarm', 'Target/Fleet/HealthyHostsAlarm', 'Target/Fleet/LatencyAlarm']);
  });

  test('the harness does see fleet findings: without WAF the load balancer is reported', () => {
    const { stack } = synth({ webAcl: false });
    expect(nagFindings(stack)).toEqual(expect.arrayContaining([expect.stringMatching(/^PCI\.DSS\.321-ALBWAFEnabled Target\/Fleet\/LoadBalancer/)]));
  });
});

describe('PaymentFleet instance types', () => {
  test('fallbackInstanceTypes are tried in order after instanceType (duplicates dropped)', () => {
    const { template } = synth({
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.C6I, ec2.InstanceSize.XLARGE),
      fallbackInstanceTypes: [new ec2.InstanceType('c6i.xlarge'), new ec2.InstanceType('c7i.xlarge'), new ec2.InstanceType('c6a.xlarge')],
    });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MixedInstancesPolicy: Match.objectLike({
        LaunchTemplate: Match.objectLike({ Overrides: [{ InstanceType: 'c6i.xlarge' }, { InstanceType: 'c7i.xlarge' }, { InstanceType: 'c6a.xlarge' }] }),
      }),
    });
  });

  test('a family without a known fallback: one type, and an acknowledgeable warning', () => {
    const { stack, template } = synth({ instanceType: new ec2.InstanceType('m7g.large') });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MixedInstancesPolicy: Match.objectLike({ LaunchTemplate: Match.objectLike({ Overrides: [{ InstanceType: 'm7g.large' }] }) }),
    });
    const warnings = Annotations.fromStack(stack).findWarning('/Target/Fleet', Match.stringLikeRegexp('singleInstanceType'));
    expect(warnings).toHaveLength(1);
  });

  test.each([0, 22, 70000, 1.5])('targetPort %p is refused with the construct path, the prop and the value', (port) => {
    expect(() => synth({ targetPort: port })).toThrow(new RegExp(`Target/Fleet[\\s\\S]*\`targetPort\` must be an integer between 1 and 65535, not 22 \\(no SSH on the fleet\\), got: ${port}`));
  });
});

describe('PaymentFleet template hygiene (issue 12)', () => {
  const { template } = synth();

  test('the WAF logging configuration reaches its log group by reference, with no redundant DependsOn (cfn-lint W3005)', () => {
    const [logging] = Object.values(template.findResources('AWS::WAFv2::LoggingConfiguration'));
    expect(logging.DependsOn).toBeUndefined();
    expect(JSON.stringify(logging.Properties.LogDestinationConfigs)).toMatch(/"Ref":"FleetWebAclLogs/);
  });

  test('no acknowledgement claims a CloudTrail trail the library does not create', () => {
    template.resourceCountIs('AWS::CloudTrail::Trail', 0);
    const [bucket] = Object.values(template.findResources('AWS::S3::Bucket', { Properties: { BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })] }) } }));
    const acknowledgements = JSON.stringify(bucket.Metadata ?? {});
    expect(acknowledgements).not.toMatch(/audited by\s+CloudTrail/);
  });
});
