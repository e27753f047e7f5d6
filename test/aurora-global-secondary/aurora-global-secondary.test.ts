import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraGlobalCluster, AuroraGlobalClusterProps, AuroraGlobalSecondary, AuroraGlobalSecondaryProps } from '../../src';
import { expectGrantConnect, expectInIsolatedSubnetsWithoutEgress, expectIngressOnDatabasePort } from '../support/database';
import { expectNoNagFindings, expectOnlyUnroutedAlarmFindings } from '../support/nag';
import { onTargetNetwork, synthesized, targetStack } from '../support/world';

function build(props: Partial<AuroraGlobalSecondaryProps> = {}) {
  return onTargetNetwork((stack, network) => new AuroraGlobalSecondary(stack, 'Db', {
    vpc: network.vpc,
    globalClusterIdentifier: 'payments-global',
    primaryRegion: 'us-east-1',
    ...props,
  }));
}

function synth(props: Partial<AuroraGlobalSecondaryProps> = {}) {
  return synthesized(build(props));
}

describe('AuroraGlobalSecondary defaults (seed S1 §2, §6, §10)', () => {
  const { template, db, stack } = synth();

  test('joins the global cluster as Aurora MySQL 8.0, with no credentials and no database name', () => {
    template.resourceCountIs('AWS::RDS::DBCluster', 1);
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      GlobalClusterIdentifier: 'payments-global',
      Engine: 'aurora-mysql',
      EngineVersion: '8.0.mysql_aurora.3.10.0',
      MasterUsername: Match.absent(),
      MasterUserPassword: Match.absent(),
      ManageMasterUserPassword: Match.absent(),
      DatabaseName: Match.absent(),
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('secure defaults: CMK storage encryption, IAM auth, port 3307, logs exported, backups 7 days, deletion protection, snapshot on removal', () => {
    template.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Snapshot',
      Properties: {
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DbKey'), 'Arn'] },
        EnableIAMDatabaseAuthentication: true,
        Port: 3307,
        EnableCloudwatchLogsExports: ['audit', 'error', 'slowquery'],
        BackupRetentionPeriod: 7,
        DeletionProtection: true,
        CopyTagsToSnapshot: true,
        EnableGlobalWriteForwarding: Match.absent(),
      },
    });
  });

  test('TLS is required and the audit log never records DML (no card data in logs)', () => {
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      Family: 'aurora-mysql8.0',
      Parameters: Match.objectLike({
        require_secure_transport: 'ON',
        server_audit_logging: '1',
        server_audit_events: 'CONNECT,QUERY_DCL,QUERY_DDL',
      }),
    });
  });

  test('in the isolated subnets, behind a security group with no egress', () => {
    expectInIsolatedSubnetsWithoutEgress(template, 'Aurora global secondary');
  });

  test('two instances (one promotable first), private, pinned engine, enhanced monitoring, encrypted Performance Insights', () => {
    template.resourceCountIs('AWS::RDS::DBInstance', 2);
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      DBInstanceClass: 'db.r6g.large',
      PubliclyAccessible: false,
      AutoMinorVersionUpgrade: false,
      PromotionTier: 0,
      MonitoringInterval: 60,
      MonitoringRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DbMonitoringRole'), 'Arn'] },
      EnablePerformanceInsights: true,
      PerformanceInsightsKMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DbKey'), 'Arn'] },
    });
  });

  test('the key rotates and serves RDS, EC2 (EBS) and CloudWatch Logs of this account in this region only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowUseThroughServicesOfThisAccount',
            Condition: {
              StringEquals: {
                'kms:CallerAccount': { Ref: 'AWS::AccountId' },
                'kms:ViaService': [
                  { 'Fn::Join': ['', ['rds.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
                  { 'Fn::Join': ['', ['ec2.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
                ],
              },
            },
          }),
          Match.objectLike({ Sid: 'AllowCloudWatchLogsOfThisAccount' }),
        ]),
      },
    });
  });

  test('audit, error and slow-query log groups exist before the cluster, encrypted, kept a year', () => {
    for (const type of ['audit', 'error', 'slowquery']) {
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/rds/cluster/${db.clusterIdentifier}/${type}`,
        RetentionInDays: 365,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DbKey'), 'Arn'] },
      });
    }
    const cluster = Object.values(template.findResources('AWS::RDS::DBCluster'))[0];
    expect(cluster.DependsOn.filter((d: string) => d.startsWith('DbLogs'))).toHaveLength(3);
  });

  test('enhanced monitoring uses a customer-managed policy, not AmazonRDSEnhancedMonitoringRole', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'monitoring.rds.amazonaws.com' } })] } },
    });
    expect(Object.values(roles)).toHaveLength(1);
    expect(Object.values(roles)[0].Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('replication-lag alarm: AuroraGlobalDBReplicationLag > 1000 ms, 60 s, 2 periods, missing data missing (INSUFFICIENT_DATA)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/RDS',
      MetricName: 'AuroraGlobalDBReplicationLag',
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: db.clusterIdentifier }, { Name: 'SourceRegion', Value: 'us-east-1' }],
      Threshold: 1000,
      ComparisonOperator: 'GreaterThanThreshold',
      Period: 60,
      EvaluationPeriods: 2,
      TreatMissingData: 'missing',
    });
    expect(db.replicationLagAlarm).toBeDefined();
  });

  test('after a switchover this cluster is the primary and publishes no lag: the alarm cannot go to ALARM on that (defect 1)', () => {
    // GIVEN the alarm routed as PaymentMigration routes it (ALARM and OK actions)
    const action: cloudwatch.IAlarmAction = { bind: () => ({ alarmActionArn: 'arn:aws:sns:eu-west-1:111111111111:oncall' }) };
    const routed = synth({ alarmActions: [action] }).template;
    // THEN a missing lag figure is neither breaching (which would page and start the alarm rollback) nor "OK" (which
    // would let a cutover start without a figure): it is INSUFFICIENT_DATA, which has no action and is no ALARM event
    routed.hasResourceProperties('AWS::CloudWatch::Alarm', Match.objectLike({
      MetricName: 'AuroraGlobalDBReplicationLag',
      TreatMissingData: 'missing',
      AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:oncall'],
      OKActions: ['arn:aws:sns:eu-west-1:111111111111:oncall'],
      InsufficientDataActions: Match.absent(),
    }));
  });

  test('metrics: RPO lag, CPU, connections', () => {
    expect(stack.resolve(db.metricRpoLag().metricName)).toBe('AuroraGlobalDBRPOLag');
    expect(db.metricCpuUtilization().statistic).toBe('Average');
    expect(db.metricDatabaseConnections().dimensions).toEqual({ DBClusterIdentifier: db.clusterIdentifier });
  });

  test('outputs: cluster and reader endpoints, KMS key id and ARN', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    for (const name of ['ClusterEndpoint', 'ReaderEndpoint', 'KmsKeyId', 'KmsKeyArn']) {
      expect(outputs.some((o) => o.startsWith(`Db${name}`))).toBe(true);
    }
  });
});

describe('AuroraGlobalSecondary options', () => {
  test('headless: no instances, no monitoring role', () => {
    const { template } = synth({ headless: true });
    template.resourceCountIs('AWS::RDS::DBInstance', 0);
    template.resourceCountIs('AWS::RDS::DBCluster', 1);
    expect(Object.keys(template.findResources('AWS::IAM::Role')).some((id) => id.startsWith('DbMonitoringRole'))).toBe(false);
  });

  test('instances, class, port, retention, interval, write forwarding, deletion protection and removal policy are honoured', () => {
    const { template } = synth({
      instances: 3,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.XLARGE),
      port: 4406,
      backupRetention: Duration.days(14),
      monitoringInterval: Duration.seconds(15),
      enableGlobalWriteForwarding: true,
      deletionProtection: false,
      removalPolicy: RemovalPolicy.DESTROY,
      logRetention: logs.RetentionDays.TWO_YEARS,
    });
    template.resourceCountIs('AWS::RDS::DBInstance', 3);
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r7g.xlarge', MonitoringInterval: 15 });
    template.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Delete',
      Properties: { Port: 4406, BackupRetentionPeriod: 14, EnableGlobalWriteForwarding: true, DeletionProtection: false },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731 });
  });

  test('a given key, the global writer endpoint and a custom cluster identifier', () => {
    const { stack, network } = targetStack();
    const key = new kms.Key(stack, 'Mine', { enableKeyRotation: true });
    const db = new AuroraGlobalSecondary(stack, 'Db', {
      vpc: network.vpc,
      globalClusterIdentifier: 'payments-global',
      primaryRegion: 'us-east-1',
      encryptionKey: key,
      clusterIdentifier: 'payments-eu',
      globalWriterEndpoint: 'payments-global.global-abc.global.rds.amazonaws.com',
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterIdentifier: 'payments-eu', KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Mine'), 'Arn'] } });
    template.resourceCountIs('AWS::KMS::Key', 2); // the network's and the given one
    expect(db.globalWriterEndpoint).toBe('payments-global.global-abc.global.rds.amazonaws.com');
    expect(db.clusterArn).toContain(':cluster:payments-eu');
  });

  test('connections: the fleet is allowed in on the database port, SG to SG', () => {
    const { stack, network, db } = build();
    expectIngressOnDatabasePort(stack, network.vpc, db, ['Fleet', 'fleet', 'payment fleet'], {
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Fleet'), 'GroupId'] },
    });
  });

  test('grantConnect: rds-db:connect for one database user of this cluster', () => {
    const { stack, db } = build();
    expectGrantConnect(stack, db, 'Db');
  });

  test('alarmActions go on the replication-lag alarm', () => {
    const action: cloudwatch.IAlarmAction = { bind: () => ({ alarmActionArn: 'arn:aws:sns:eu-west-1:111111111111:ops' }) };
    const { template } = synth({ alarmActions: [action], replicationLagThreshold: Duration.millis(500), replicationLagEvaluationPeriods: 3 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuroraGlobalDBReplicationLag',
      Threshold: 500,
      EvaluationPeriods: 3,
      AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:ops'],
    });
  });

  test('a burstable class is allowed for tests, with an acknowledgeable warning', () => {
    const { stack } = synth({ instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM) });
    Annotations.fromStack(stack).hasWarning('/Target/Db', Match.stringLikeRegexp('burstable class'));
  });
});

describe('AuroraGlobalSecondary validation', () => {
  test.each<[string, Partial<AuroraGlobalSecondaryProps>, RegExp]>([
    ['engine mismatch', { primaryEngineVersion: '8.0.mysql_aurora.3.08.0' }, /`engineVersion` must equal the primary's engine version 8.0.mysql_aurora.3.08.0.*got: "8.0.mysql_aurora.3.10.0"/],
    ['MySQL 5.7', { engineVersion: rds.AuroraMysqlEngineVersion.of('5.7.mysql_aurora.2.12.0', '5.7') }, /`engineVersion` must be an Aurora MySQL 8.0-compatible \(3.x\) version, got: "5.7.mysql_aurora.2.12.0"/],
    ['primary region = own region', { primaryRegion: 'eu-west-1' }, /`primaryRegion` must differ from the stack's region eu-west-1.*got: "eu-west-1"/],
    ['bad global id', { globalClusterIdentifier: 'payments--global' }, /`globalClusterIdentifier` must be 1–63 letters.*got: "payments--global"/],
    ['default port', { port: 3306 }, /`port` must not be the default MySQL port 3306.*got: 3306/],
    ['port out of range', { port: 80 }, /`port` must be an integer between 1150 and 65535.*got: 80/],
    ['retention 0', { backupRetention: Duration.days(0) }, /`backupRetention` must be a whole number of days between 1 and 35, got: "0 days"/],
    ['retention 36', { backupRetention: Duration.days(36) }, /`backupRetention` must be a whole number of days between 1 and 35, got: "36 days"/],
    ['zero instances', { instances: 0 }, /`instances` must be an integer between 1 and 16 \(use `headless: true` for none\), got: 0/],
    ['17 instances', { instances: 17 }, /`instances` must be an integer between 1 and 16.*got: 17/],
    ['headless with instances', { headless: true, instances: 2 }, /`instances` must not be set for a headless secondary.*got: 2/],
    ['headless write forwarding', { headless: true, enableGlobalWriteForwarding: true }, /`enableGlobalWriteForwarding` needs instances to forward from/],
    ['general-purpose class', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE) }, /`instanceType` must be a memory-optimized class.*got: "m6g.large"/],
    ['small burstable', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL) }, /`instanceType` must be a memory-optimized class.*got: "t3.small"/],
    ['monitoring interval', { monitoringInterval: Duration.seconds(20) }, /`monitoringInterval` must be one of 1, 5, 10, 15, 30, 60 seconds, got: "20 seconds"/],
    ['log retention', { logRetention: logs.RetentionDays.THREE_MONTHS }, /`logRetention` must keep database logs at least one year \(PCI DSS 10.5.1\), got: 90/],
    ['lag threshold', { replicationLagThreshold: Duration.hours(1) }, /`replicationLagThreshold` must be at least 1 millisecond and at most 60 seconds.*got: "1 hour"/],
    ['cluster id', { clusterIdentifier: 'Payments_EU' }, /`clusterIdentifier` must be 1–63 lowercase letters.*got: "Payments_EU"/],
  ])('rejects %s', (_n, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('a key from another region is refused: a secondary needs a region-local key', () => {
    const { stack, network } = targetStack();
    const key = kms.Key.fromKeyArn(stack, 'UsKey', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => new AuroraGlobalSecondary(stack, 'Db', { vpc: network.vpc, globalClusterIdentifier: 'g', primaryRegion: 'us-east-1', encryptionKey: key })).toThrow(
      /`encryptionKey` must be a key in the stack's region eu-west-1: a secondary needs a region-local key, got: "us-east-1"/,
    );
  });

  test('all failures at once, under the construct path', () => {
    expect(() => synth({ port: 3306, instances: 0 })).toThrow(/^AuroraGlobalSecondary initialization failed at Target\/Db:\n- `instances`.*\n- `port`/);
  });
});

describe('AuroraGlobalCluster (primary region)', () => {
  function primary(props: Partial<AuroraGlobalClusterProps> = {}) {
    const stack = new Stack(new App(), 'Source', { env: { account: '111111111111', region: 'us-east-1' } });
    const global = new AuroraGlobalCluster(stack, 'Global', {
      sourceClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:payments',
      globalClusterIdentifier: 'payments-global',
      ...props,
    });
    return { stack, global, template: Template.fromStack(stack) };
  }

  test('makes the existing cluster the primary of a new global database, protected and retained', () => {
    const { template, global, stack } = primary();
    template.hasResource('AWS::RDS::GlobalCluster', {
      DeletionPolicy: 'Retain',
      Properties: {
        GlobalClusterIdentifier: 'payments-global',
        SourceDBClusterIdentifier: 'arn:aws:rds:us-east-1:111111111111:cluster:payments',
        DeletionProtection: true,
      },
    });
    expect(stack.resolve(global.globalWriterEndpoint)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Global/), 'GlobalEndpoint.Address'] });
    const output = Object.entries(template.findOutputs('*')).find(([k]) => k.startsWith('GlobalGlobalWriterEndpointCommand'));
    expect(output![1].Value).toBe('aws rds describe-global-clusters --global-cluster-identifier payments-global --query "GlobalClusters[0].Endpoint" --output text');
    expectNoNagFindings(stack);
  });

  test.each<[string, Partial<AuroraGlobalClusterProps>, RegExp]>([
    ['not an ARN', { sourceClusterArn: 'payments' }, /`sourceClusterArn` must be the ARN of an Aurora DB cluster.*got: "payments"/],
    ['another region', { sourceClusterArn: 'arn:aws:rds:eu-west-1:111111111111:cluster:payments' }, /`sourceClusterArn` must be a cluster in this stack's region us-east-1/],
    ['bad identifier', { globalClusterIdentifier: '1payments' }, /`globalClusterIdentifier` must be 1–63 letters.*got: "1payments"/],
  ])('rejects %s', (_n, props, message) => {
    expect(() => primary(props)).toThrow(message);
  });
});

describe('AuroraGlobalSecondary under cdk-nag', () => {
  test('network + secondary, all options on: zero unacknowledged findings in the three packs', () => {
    const { stack } = synth({ instances: 3, enableGlobalWriteForwarding: true, globalWriterEndpoint: 'w.global.rds.amazonaws.com' });
    // used alone, without alarmActions: only its alarms are findings (nothing pages anyone; PaymentMigration routes them)
    expect(expectOnlyUnroutedAlarmFindings(stack)).toEqual(['Target/Db/ReplicationLagAlarm']);
  });

  test('headless: zero unacknowledged findings', () => {
    // used alone, without alarmActions: only its alarms are findings (nothing pages anyone; PaymentMigration routes them)
    expect(expectOnlyUnroutedAlarmFindings(synth({ headless: true }).stack)).toEqual(['Target/Db/ReplicationLagAlarm']);
  });
});
