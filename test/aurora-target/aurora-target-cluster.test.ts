import { App, CfnParameter, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AuroraTargetCluster, AuroraTargetClusterProps, AuroraTargetEngine } from '../../src';
import { expectGrantConnect, expectInIsolatedSubnetsWithoutEgress, expectIngressOnDatabasePort } from '../support/database';
import { expectNoNagFindings, expectOnlyUnroutedAlarmFindings, nagFindings } from '../support/nag';
import { AZS, onTargetNetwork, synthesized, targetStack } from '../support/world';

const KEY = { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbKey'), 'Arn'] };
const OPS: cloudwatch.IAlarmAction = { bind: () => ({ alarmActionArn: 'arn:aws:sns:eu-west-1:111111111111:ops' }) };

function build(props: Partial<AuroraTargetClusterProps> = {}) {
  return onTargetNetwork((stack, network) => new AuroraTargetCluster(stack, 'Db', { vpc: network.vpc, ...props }));
}

function synth(props: Partial<AuroraTargetClusterProps> = {}) {
  return synthesized(build(props));
}

function instances(template: Template) {
  return Object.values(template.findResources('AWS::RDS::DBInstance')).map((r) => r.Properties);
}

function clusterParameterGroup(template: Template): Record<string, string> {
  const groups = Object.values(template.findResources('AWS::RDS::DBClusterParameterGroup'));
  expect(groups).toHaveLength(1);
  return groups[0].Properties.Parameters;
}

describe('AuroraTargetCluster defaults: Aurora MySQL, one writer and two readers (seed S2)', () => {
  const { template, db, stack } = synth();

  test('Aurora MySQL 3.10 (LTS), one writer and two readers, one per Availability Zone, private, pinned', () => {
    template.hasResourceProperties('AWS::RDS::DBCluster', { Engine: 'aurora-mysql', EngineVersion: '8.0.mysql_aurora.3.10.0' });
    const all = instances(template);
    expect(all).toHaveLength(3);
    expect(new Set(all.map((i) => i.AvailabilityZone))).toEqual(new Set(AZS));
    expect(all.map((i) => i.PromotionTier).sort()).toEqual([0, 1, 1]);
    for (const i of all) {
      expect(i).toMatchObject({
        DBInstanceClass: 'db.r6g.large',
        PubliclyAccessible: false,
        AutoMinorVersionUpgrade: false,
        CACertificateIdentifier: 'rds-ca-rsa2048-g1',
        MonitoringInterval: 60,
        MonitoringRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^DbMonitoringRole/), 'Arn'] },
      });
    }
    expect(db.engine).toBe(AuroraTargetEngine.MYSQL);
    expect(db.engineVersion).toBe('8.0.mysql_aurora.3.10.0');
  });

  test('one customer-managed key, rotated and retained, encrypts storage, Performance Insights, the master secret and the logs', () => {
    template.resourceCountIs('AWS::KMS::Key', 2); // the network's and the cluster's
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: { EnableKeyRotation: true, Description: Match.stringLikeRegexp('Aurora target') },
    });
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      StorageEncrypted: true,
      KmsKeyId: KEY,
      PerformanceInsightsEnabled: true,
      PerformanceInsightsKmsKeyId: KEY,
      PerformanceInsightsRetentionPeriod: 7,
    });
    // Said per instance too, as the cluster has it (left unset, aws-cdk-lib warns once per instance)
    const key = { 'Fn::GetAtt': [expect.stringMatching(/^DbKey/), 'Arn'] };
    expect(instances(template).map((i) => [i.EnablePerformanceInsights, i.PerformanceInsightsKMSKeyId, i.PerformanceInsightsRetentionPeriod]))
      .toEqual([[true, key, 7], [true, key, 7], [true, key, 7]]);
    template.hasResourceProperties('AWS::RDS::DBCluster', { MasterUserSecret: { KmsKeyId: KEY } });
    const dbLogGroups = template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: Match.stringLikeRegexp('^/aws/rds/cluster/') } });
    expect(Object.values(dbLogGroups).map((g) => g.Properties.KmsKeyId)).toEqual([expect.anything(), expect.anything(), expect.anything()]);
    for (const g of Object.values(dbLogGroups)) {
      expect(g.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DbKey/), 'Arn'] });
    }
    expect(db.secret.encryptionKey).toBe(db.key);
  });

  test('secure defaults: IAM auth, port 3307, backups 7 days, deletion protection, snapshot on removal', () => {
    template.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: {
        DBClusterIdentifier: db.clusterIdentifier,
        EnableIAMDatabaseAuthentication: true,
        Port: 3307,
        BackupRetentionPeriod: 7,
        DeletionProtection: true,
        CopyTagsToSnapshot: true,
        EnableCloudwatchLogsExports: ['audit', 'error', 'slowquery'],
        BacktrackWindow: Match.absent(),
      },
    });
    expect(db.port).toBe(3307);
  });

  test('TLS is required and audited without DML; no binary log unless the cluster is a CDC source', () => {
    template.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterParameterGroupName: { Ref: Match.stringLikeRegexp('^DbParameterGroup') } });
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Family: 'aurora-mysql8.0' });
    const parameters = clusterParameterGroup(template);
    expect(parameters).toMatchObject({
      require_secure_transport: 'ON',
      tls_version: 'TLSv1.2,TLSv1.3',
      server_audit_logging: '1',
      server_audit_events: 'CONNECT,QUERY_DCL,QUERY_DDL',
    });
    expect(Object.keys(parameters).filter((p) => p.startsWith('binlog'))).toEqual([]);
  });

  test('audit, error and slow-query log groups exist before the cluster, kept a year, without a LogRetention Lambda', () => {
    for (const type of ['audit', 'error', 'slowquery']) {
      template.hasResource('AWS::Logs::LogGroup', {
        DeletionPolicy: 'Retain',
        Properties: { LogGroupName: `/aws/rds/cluster/${db.clusterIdentifier}/${type}`, RetentionInDays: 365 },
      });
    }
    const cluster = Object.values(template.findResources('AWS::RDS::DBCluster'))[0];
    expect(cluster.DependsOn.filter((d: string) => d.startsWith('DbLogs'))).toHaveLength(3);
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  test('in the isolated subnets, behind a security group with no egress', () => {
    expectInIsolatedSubnetsWithoutEgress(template, 'Aurora target .* port 3307 only');
    template.hasResourceProperties('AWS::RDS::DBCluster', { VpcSecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DbSecurityGroup'), 'GroupId'] }] });
  });

  test('the master password is managed by RDS: no password and no secret resource in the template', () => {
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      MasterUsername: 'paymentsadmin',
      MasterUserPassword: Match.absent(),
      ManageMasterUserPassword: true,
      MasterUserSecret: { KmsKeyId: KEY },
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('managed-by-rds'); // the L2's placeholder is gone
    // the construct exposes the secret RDS creates, with the cluster key
    expect(stack.resolve(db.secret.secretArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DbCluster/), 'MasterUserSecret.SecretArn'] });
    expect(db.secret.encryptionKey).toBe(db.key);
  });

  test('an existing master secret: read by dynamic references, nothing written back to it, RDS manages nothing', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:aurora/master-AbCdEf';
    const { stack: s2, network } = targetStack();
    const masterSecret = secretsmanager.Secret.fromSecretCompleteArn(s2, 'Master', arn);
    const target = new AuroraTargetCluster(s2, 'Db', { vpc: network.vpc, masterSecret });
    const t = Template.fromStack(s2);
    t.hasResourceProperties('AWS::RDS::DBCluster', {
      MasterUsername: `{{resolve:secretsmanager:${arn}:SecretString:username::}}`,
      MasterUserPassword: `{{resolve:secretsmanager:${arn}:SecretString:password::}}`,
      ManageMasterUserPassword: Match.absent(),
      MasterUserSecret: Match.absent(),
    });
    t.resourceCountIs('AWS::SecretsManager::Secret', 0);
    t.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 0);
    expect(target.secret).toBe(masterSecret);
  });

  test('an existing master secret and a master user name are refused together', () => {
    const { stack: s2, network } = targetStack();
    const masterSecret = secretsmanager.Secret.fromSecretCompleteArn(s2, 'Master', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:m-AbCdEf');
    expect(() => new AuroraTargetCluster(s2, 'Db', { vpc: network.vpc, masterSecret, masterUsername: 'admin2' })).toThrow(
      /Target\/Db[\s\S]*`masterUsername` must not be set with masterSecret: the master user name is the secret's `username`, got: "admin2"/,
    );
  });

  test('enhanced monitoring uses the shared customer-managed role, not AmazonRDSEnhancedMonitoringRole', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'monitoring.rds.amazonaws.com' } })] } },
    });
    expect(Object.keys(roles)).toEqual([expect.stringMatching(/^DbMonitoringRole/)]);
    expect(Object.values(roles)[0].Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('alarms: busiest-instance CPU > 80 % for 5 min, reader lag > 1000 ms for 3 min (silence breaches); no connections alarm', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: db.clusterIdentifier }],
      Statistic: 'Maximum',
      Threshold: 80,
      EvaluationPeriods: 5,
      TreatMissingData: 'notBreaching',
      AlarmActions: Match.absent(),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuroraReplicaLag',
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: db.clusterIdentifier }, { Name: 'Role', Value: 'READER' }],
      Statistic: 'Maximum',
      Threshold: 1000,
      Period: 60,
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    expect(db.replicaLagAlarm).toBeDefined();
    expect(db.connectionsAlarm).toBeUndefined();
  });

  test('metrics: CPU, connections, reader lag', () => {
    expect(db.metricCpuUtilization().statistic).toBe('Average');
    expect(db.metricDatabaseConnections().dimensions).toEqual({ DBClusterIdentifier: db.clusterIdentifier });
    expect(db.metricReplicaLag().dimensions).toEqual({ DBClusterIdentifier: db.clusterIdentifier, Role: 'READER' });
    expect(db.metricReplicaLag({ period: Duration.minutes(5) }).period.toSeconds()).toBe(300);
  });

  test('endpoints and ARN resolve to the cluster', () => {
    const cluster = expect.stringMatching(/^DbCluster[0-9A-F]{8}$/);
    expect(stack.resolve(db.clusterEndpoint)).toEqual({ 'Fn::GetAtt': [cluster, 'Endpoint.Address'] });
    expect(stack.resolve(db.clusterReadEndpoint)).toEqual({ 'Fn::GetAtt': [cluster, 'ReadEndpoint.Address'] });
    expect(stack.resolve(db.clusterArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:eu-west-1:111111111111:cluster:', { Ref: cluster }]],
    });
  });

  test('outputs: writer and reader endpoints, port and the secret ARN, never the secret value', () => {
    const outputs = template.findOutputs('*');
    const mine = Object.fromEntries(Object.entries(outputs).filter(([k]) => k.startsWith('Db')));
    expect(Object.keys(mine).map((k) => k.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['DbClusterEndpoint', 'DbPort', 'DbReaderEndpoint', 'DbSecretArn']);
    const secretArn = Object.entries(mine).find(([k]) => k.startsWith('DbSecretArn'))![1];
    expect(secretArn.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DbCluster/), 'MasterUserSecret.SecretArn'] });
    expect(Object.entries(mine).find(([k]) => k.startsWith('DbPort'))![1].Value).toBe('3307');
    const text = JSON.stringify(outputs);
    expect(text).not.toMatch(/resolve:secretsmanager|SecretString|password/i);
  });
});

describe('AuroraTargetCluster with PostgreSQL (seed S3)', () => {
  test('Aurora PostgreSQL 16.8 (LTS) on db.r6g.large, port 5433, TLS forced, pgAudit preloaded, the postgresql log exported', () => {
    const { template, db } = synth({ engine: AuroraTargetEngine.POSTGRESQL });
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      EngineVersion: '16.8',
      Port: 5433,
      EnableIAMDatabaseAuthentication: true,
      StorageEncrypted: true,
      KmsKeyId: KEY,
      EnableCloudwatchLogsExports: ['postgresql'],
      DeletionProtection: true,
    });
    expect(instances(template).map((i) => i.DBInstanceClass)).toEqual(['db.r6g.large', 'db.r6g.large', 'db.r6g.large']);
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Family: 'aurora-postgresql16' });
    const parameters = clusterParameterGroup(template);
    expect(parameters).toMatchObject({
      'rds.force_ssl': '1',
      'ssl_min_protocol_version': 'TLSv1.2',
      'shared_preload_libraries': 'pg_stat_statements,pgaudit',
      'pgaudit.log': 'ddl,role',
    });
    expect(parameters['rds.logical_replication']).toBeUndefined();
    expect(parameters.require_secure_transport).toBeUndefined();
    template.resourceCountIs('AWS::Logs::LogGroup', 2); // the network's flow logs and the postgresql log
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/rds/cluster/${db.clusterIdentifier}/postgresql`, KmsKeyId: KEY });
    expect(db.port).toBe(5433);
    expect(db.engineVersion).toBe('16.8');
  });

  test('as a CDC source: logical replication', () => {
    const { template } = synth({ engine: AuroraTargetEngine.POSTGRESQL, changeDataCaptureSource: true });
    expect(clusterParameterGroup(template)).toMatchObject({ 'rds.logical_replication': '1', 'rds.force_ssl': '1' });
  });

  test('a chosen PostgreSQL version sets the parameter-group family', () => {
    const { template } = synth({ engine: AuroraTargetEngine.POSTGRESQL, postgresEngineVersion: rds.AuroraPostgresEngineVersion.VER_17_5 });
    template.hasResourceProperties('AWS::RDS::DBCluster', { EngineVersion: '17.5' });
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Family: 'aurora-postgresql17' });
  });
});

describe('AuroraTargetCluster as the source of the reverse DMS task (MySQL)', () => {
  test('binary log: row format, full row images, no checksums', () => {
    const { template } = synth({ changeDataCaptureSource: true });
    expect(clusterParameterGroup(template)).toMatchObject({
      binlog_format: 'ROW',
      binlog_row_image: 'full',
      binlog_checksum: 'NONE',
      require_secure_transport: 'ON',
    });
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Description: Match.stringLikeRegexp('change data capture') });
  });
});

describe('AuroraTargetCluster options', () => {
  test('no readers: one writer, no replica-lag alarm, an acknowledgeable warning', () => {
    const { template, db, stack } = synth({ readers: 0 });
    template.resourceCountIs('AWS::RDS::DBInstance', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    expect(db.replicaLagAlarm).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Target/Db', Match.stringLikeRegexp('readers is 0'));
  });

  test('more readers than Availability Zones: instances go round the AZs', () => {
    const { template } = synth({ readers: 4 });
    const azs = instances(template).map((i) => i.AvailabilityZone).sort();
    expect(azs).toEqual(['eu-west-1a', 'eu-west-1a', 'eu-west-1b', 'eu-west-1b', 'eu-west-1c']);
  });

  test('deletion protection off and DESTROY: the cluster, its key and its log groups are deleted (tests only)', () => {
    const { template } = synth({ deletionProtection: false, removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Delete', Properties: { DeletionProtection: false } });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { Description: Match.stringLikeRegexp('Aurora target') } });
    const dbLogGroups = Object.values(template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: Match.stringLikeRegexp('^/aws/rds/cluster/') } }));
    expect(dbLogGroups.map((g) => g.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete']);
  });

  test('SNAPSHOT (the default) keeps the key and the log groups the snapshot and the audit need', () => {
    const { template } = synth();
    const dbLogGroups = Object.values(template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: Match.stringLikeRegexp('^/aws/rds/cluster/') } }));
    expect(dbLogGroups.map((g) => g.DeletionPolicy)).toEqual(['Retain', 'Retain', 'Retain']);
  });

  test('class, port, credentials, database, backups, monitoring, retention and identifier are honoured', () => {
    const { template } = synth({
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.XLARGE),
      port: 4406,
      masterUsername: 'migrator',
      defaultDatabaseName: 'payments',
      backupRetention: Duration.days(14),
      monitoringInterval: Duration.seconds(15),
      logRetention: logs.RetentionDays.TWO_YEARS,
      clusterIdentifier: 'payments-target',
    });
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: 'payments-target',
      Port: 4406,
      MasterUsername: 'migrator',
      DatabaseName: 'payments',
      BackupRetentionPeriod: 14,
    });
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r7g.xlarge', MonitoringInterval: 15 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/rds/cluster/payments-target/audit', RetentionInDays: 731 });
  });

  test('a given key is used everywhere and no key is created', () => {
    const { stack, network } = targetStack();
    const key = new kms.Key(stack, 'Mine', { enableKeyRotation: true });
    const db = new AuroraTargetCluster(stack, 'Db', { vpc: network.vpc, encryptionKey: key });
    const template = Template.fromStack(stack);
    const mine = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Mine'), 'Arn'] };
    template.resourceCountIs('AWS::KMS::Key', 2); // the network's and the given one
    template.hasResourceProperties('AWS::RDS::DBCluster', { KmsKeyId: mine, PerformanceInsightsKmsKeyId: mine, MasterUserSecret: { KmsKeyId: mine } });
    expect(db.key).toBe(key);
  });

  test('alarm actions and thresholds; the connections alarm when asked for', () => {
    const { template } = synth({
      alarmActions: [OPS],
      cpuAlarmThreshold: 70,
      replicaLagAlarmThreshold: Duration.millis(500),
      connectionsAlarmThreshold: 900,
    });
    const actions = ['arn:aws:sns:eu-west-1:111111111111:ops'];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: 70, AlarmActions: actions, OKActions: actions });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraReplicaLag', Threshold: 500, AlarmActions: actions });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DatabaseConnections',
      Statistic: 'Maximum',
      Threshold: 900,
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
      AlarmActions: actions,
    });
  });

  test('connections: DMS is allowed in on the database port, SG to SG', () => {
    const { stack, network, db } = build();
    expectIngressOnDatabasePort(stack, network.vpc, db, ['Dms', 'dms', 'DMS replication instance'], {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Dms'), 'GroupId'] },
    });
  });

  test('grantConnect: rds-db:connect for one database user of this cluster', () => {
    const { stack, db } = build();
    expectGrantConnect(stack, db, '^DbCluster');
  });

  test('createOutputs: false adds no output', () => {
    const { template } = synth({ createOutputs: false });
    expect(Object.keys(template.findOutputs('*')).filter((k) => k.startsWith('Db'))).toEqual([]);
  });

  test('an environment-agnostic stack: Availability Zones and a port known only at deploy time are let through', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const port = new CfnParameter(stack, 'Port', { type: 'Number' }).valueAsNumber;
    new AuroraTargetCluster(stack, 'Db', { vpc, port });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::RDS::DBInstance', 3);
    template.hasResourceProperties('AWS::RDS::DBCluster', { Port: { Ref: 'Port' } });
  });
});

describe('AuroraTargetCluster validation', () => {
  test.each<[string, Partial<AuroraTargetClusterProps>, RegExp]>([
    ['negative readers', { readers: -1 }, /`readers` must be an integer between 0 and 15, got: -1/],
    ['16 readers', { readers: 16 }, /`readers` must be an integer between 0 and 15, got: 16/],
    ['fractional readers', { readers: 1.5 }, /`readers` must be an integer between 0 and 15, got: 1.5/],
    ['readers unknown at synth time', { readers: Lazy.number({ produce: () => 2 }) }, /`readers` must be known at synth time: it sets how many instances are created, got: <token>/],
    ['burstable class', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM) }, /`instanceType` must not be a burstable class: a DMS full load exhausts its CPU credits.*got: "t4g.medium"/],
    ['general-purpose class', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE) }, /`instanceType` must be a memory-optimized class \(r\*, x\*\).*got: "m6g.large"/],
    ['MySQL default port', { port: 3306 }, /`port` must not be the default MySQL port 3306 \(AwsSolutions-RDS11: a non-default port\), got: 3306/],
    ['PostgreSQL default port', { engine: AuroraTargetEngine.POSTGRESQL, port: 5432 }, /`port` must not be the default PostgreSQL port 5432.*got: 5432/],
    ['port out of range', { port: 80 }, /`port` must be an integer between 1150 and 65535 \(the Aurora MySQL port range\), got: 80/],
    ['backup retention 0', { backupRetention: Duration.days(0) }, /`backupRetention` must be a whole number of days between 1 and 35, got: "0 days"/],
    ['backup retention 36', { backupRetention: Duration.days(36) }, /`backupRetention` must be a whole number of days between 1 and 35, got: "36 days"/],
    ['log retention 90 days', { logRetention: logs.RetentionDays.THREE_MONTHS }, /`logRetention` must keep database logs at least one year \(PCI DSS 10.5.1\), got: 90/],
    ['monitoring interval', { monitoringInterval: Duration.seconds(20) }, /`monitoringInterval` must be one of 1, 5, 10, 15, 30, 60 seconds, got: "20 seconds"/],
    ['cluster identifier', { clusterIdentifier: 'Payments_Target' }, /`clusterIdentifier` must be 1–63 lowercase letters.*got: "Payments_Target"/],
    ['reserved master user', { masterUsername: 'rdsadmin' }, /`masterUsername` must be 1–16 letters or digits.*not be a name RDS reserves.*got: "rdsadmin"/],
    ['master user with an underscore', { masterUsername: 'payments_admin' }, /`masterUsername` must be 1–16 letters or digits.*got: "payments_admin"/],
    ['master user too long for MySQL', { masterUsername: 'a'.repeat(17) }, /`masterUsername` must be 1–16 letters or digits.*got: "a{17}"/],
    ['database name', { defaultDatabaseName: 'pay-ments' }, /`defaultDatabaseName` must be 1–63 letters, digits or underscores, starting with a letter, got: "pay-ments"/],
    ['MySQL version on PostgreSQL', { engine: AuroraTargetEngine.POSTGRESQL, mysqlEngineVersion: rds.AuroraMysqlEngineVersion.VER_3_10_0 }, /`mysqlEngineVersion` applies to `engine: AuroraTargetEngine.MYSQL` only.*got: "8.0.mysql_aurora.3.10.0"/],
    ['PostgreSQL version on MySQL', { postgresEngineVersion: rds.AuroraPostgresEngineVersion.VER_16_8 }, /`postgresEngineVersion` applies to `engine: AuroraTargetEngine.POSTGRESQL` only.*got: "16.8"/],
    ['MySQL 5.7', { mysqlEngineVersion: rds.AuroraMysqlEngineVersion.of('5.7.mysql_aurora.2.12.0', '5.7') }, /`mysqlEngineVersion` must be an Aurora MySQL 8.0-compatible \(3.x\) version, got: "5.7.mysql_aurora.2.12.0"/],
    ['PostgreSQL 12', { engine: AuroraTargetEngine.POSTGRESQL, postgresEngineVersion: rds.AuroraPostgresEngineVersion.VER_12_7 }, /`postgresEngineVersion` must be Aurora PostgreSQL 13 or later, got: "12.7"/],
    ['one Availability Zone', { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED, availabilityZones: ['eu-west-1a'] } }, /`subnets` must span at least two Availability Zones.*got: \["eu-west-1a"\]/],
    ['CPU threshold above 100', { cpuAlarmThreshold: 120 }, /`cpuAlarmThreshold` must be a percentage above 0 and at most 100, got: 120/],
    ['replica lag threshold of an hour', { replicaLagAlarmThreshold: Duration.hours(1) }, /`replicaLagAlarmThreshold` must be at least 1 millisecond and at most 60 seconds.*got: "1 hour"/],
    ['connections threshold 0', { connectionsAlarmThreshold: 0 }, /`connectionsAlarmThreshold` must be a positive integer, got: 0/],
  ])('rejects %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('PostgreSQL allows 63-character master user names', () => {
    expect(() => build({ engine: AuroraTargetEngine.POSTGRESQL, masterUsername: `a${'b'.repeat(62)}` })).not.toThrow();
  });

  test('a key from another region is refused', () => {
    const { stack, network } = targetStack();
    const key = kms.Key.fromKeyArn(stack, 'UsKey', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => new AuroraTargetCluster(stack, 'Db', { vpc: network.vpc, encryptionKey: key })).toThrow(
      /`encryptionKey` must be a key in the stack's region eu-west-1: RDS, Secrets Manager and CloudWatch Logs use region-local keys only, got: "us-east-1"/,
    );
  });

  test('all failures at once, under the construct path, before any resource is created', () => {
    const { stack, network } = targetStack();
    expect(() => new AuroraTargetCluster(stack, 'Db', { vpc: network.vpc, readers: 20, port: 3306 })).toThrow(
      /^AuroraTargetCluster initialization failed at Target\/Db:\n- `readers`.*\n- `port`/,
    );
    expect(stack.node.tryFindChild('Db')?.node.children ?? []).toEqual([]);
  });
});

describe('AuroraTargetCluster under cdk-nag', () => {
  test('network + MySQL target, defaults: zero unacknowledged findings in the three packs', () => {
    // used alone, without alarmActions: only its alarms are findings (nothing pages anyone; PaymentMigration routes them)
    expect(expectOnlyUnroutedAlarmFindings(synth().stack)).toEqual(['Target/Db/CpuAlarm', 'Target/Db/ReplicaLagAlarm']);
  });

  test('MySQL as a CDC source with alarm actions and a connections alarm: zero unacknowledged findings', () => {
    expectNoNagFindings(synth({ changeDataCaptureSource: true, alarmActions: [OPS], connectionsAlarmThreshold: 900 }).stack);
  });

  test('PostgreSQL as a CDC source, no readers: zero unacknowledged findings', () => {
    // used alone, without alarmActions: only its alarms are findings (nothing pages anyone; PaymentMigration routes them)
    expect(expectOnlyUnroutedAlarmFindings(synth({ engine: AuroraTargetEngine.POSTGRESQL, changeDataCaptureSource: true, readers: 0 }).stack)).toEqual(['Target/Db/CpuAlarm']);
  });

  test('turning deletion protection off is a finding the construct does not hide', () => {
    const { stack } = synth({ deletionProtection: false });
    expect(nagFindings(stack).filter((f) => f.includes('Target/Db/')).map((f) => f.split(' ')[0])).toEqual(
      expect.arrayContaining(['AwsSolutions-RDS10']),
    );
  });
});
