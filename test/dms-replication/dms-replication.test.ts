import { App, Duration, Fn, Stack, Token, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { ACCOUNT, build, CDC_LATENCY_ALARM, CERT_ARN, endpoint, Fixture, fixture, only, PEM, REGION, SOURCE_SECRET_ARN, targetSecretAccess, TARGET_SECRET_ARN, taskSettings } from './fixture';
import { DmsReplication, DmsReplicationProps, DmsServiceRoles, DatabaseEngine, DmsSslMode } from '../../src/dms-replication';
import { expectNoNagFindings, expectOnlyUnroutedAlarmFindings } from '../support/nag';

describe('DmsReplication defaults', () => {
  const { template, dms, stack } = build();

  test('the replication instance is private, Multi-AZ, KMS-encrypted, dms.r6i.large with 100 GiB, minor upgrades on', () => {
    const instance = only(template, 'AWS::DMS::ReplicationInstance').Properties;
    expect(instance).toMatchObject({
      PubliclyAccessible: false,
      MultiAZ: true,
      ReplicationInstanceClass: 'dms.r6i.large',
      AllocatedStorage: 100,
      AutoMinorVersionUpgrade: true,
      AllowMajorVersionUpgrade: false,
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DmsKey/), 'Arn'] },
      ReplicationInstanceIdentifier: dms.replicationInstanceIdentifier,
    });
    expect(instance.EngineVersion).toBeUndefined();
    expect(dms.replicationInstanceIdentifier).toMatch(/^[a-z][a-z0-9-]*-rep$/);
    expect(dms.replicationInstanceIdentifier).not.toMatch(/--/);
  });

  test('the subnet group holds the private subnets (where the VPN routes are), one per AZ', () => {
    const privateSubnets = template.findResources('AWS::EC2::Subnet', {
      Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Private' }]) },
    });
    expect(Object.keys(privateSubnets)).toHaveLength(3);
    const group = only(template, 'AWS::DMS::ReplicationSubnetGroup').Properties;
    expect(group.SubnetIds).toEqual(Object.keys(privateSubnets).map((id) => ({ Ref: id })));
    const instance = only(template, 'AWS::DMS::ReplicationInstance').Properties;
    expect(instance.ReplicationSubnetGroupIdentifier).toEqual({ Ref: expect.stringMatching(/^DmsSubnetGroup/) });
  });

  test('its security group: egress only to the source CIDRs on 3306, the target SG on 3307 and HTTPS inside the VPC', () => {
    const sg = only(template, 'AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^DMS replication instance') } });
    expect(sg.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '192.168.10.0/24', IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306 }),
      expect.objectContaining({ CidrIp: '10.1.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    expect(JSON.stringify(sg.Properties.SecurityGroupEgress)).not.toContain('0.0.0.0/0');
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DmsSecurityGroup'), 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuroraSg'), 'GroupId'] },
      FromPort: 3307,
      ToPort: 3307,
    });
    // the target's connections let the replication instance in
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuroraSg'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DmsSecurityGroup'), 'GroupId'] },
      FromPort: 3307,
      ToPort: 3307,
    });
  });

  test('source endpoint: MySQL, verify-full with the given certificate, credentials from the secret through the access role', () => {
    const source = endpoint(template, 'source');
    expect(source).toMatchObject({
      EngineName: 'mysql',
      DatabaseName: 'payments',
      SslMode: 'verify-full',
      CertificateArn: CERT_ARN,
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DmsKey/), 'Arn'] },
      MySqlSettings: {
        SecretsManagerSecretId: SOURCE_SECRET_ARN,
        SecretsManagerAccessRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^DmsSecretsAccessRole/), 'Arn'] },
      },
    });
    // a secret-based endpoint carries no clear-text credentials nor server name (CloudFormation rejects both together)
    for (const key of ['Username', 'Password', 'ServerName', 'Port']) {
      expect(source[key]).toBeUndefined();
    }
  });

  test('target endpoint: Aurora MySQL, TLS required, credentials from the target secret through the same role', () => {
    const target = endpoint(template, 'target');
    expect(target).toMatchObject({
      EngineName: 'aurora',
      SslMode: 'require',
      MySqlSettings: targetSecretAccess(),
    });
    expect(target.Password).toBeUndefined();
    expect(target.CertificateArn).toBeUndefined();
  });

  test('the access role: assumable by dms.<region>.amazonaws.com of this account, allowed exactly GetSecretValue on the two secrets', () => {
    const role = only(template, 'AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('source and target credentials') } });
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: `dms.${REGION}.amazonaws.com` },
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
    ]);
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const policy = only(template, 'AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('read the two endpoint secrets') } });
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Sid: 'ReadTheTwoEndpointSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [SOURCE_SECRET_ARN, TARGET_SECRET_ARN] },
    ]);
    expect(policy.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^DmsSecretsAccessRole/) }]);
    // no other policy in the stack mentions the secrets
    const all = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(all).not.toContain('secretsmanager');
  });

  test('the task: full load and CDC, every table of the source database, between the two endpoints on the instance', () => {
    const task = only(template, 'AWS::DMS::ReplicationTask');
    expect(task.Properties).toMatchObject({
      MigrationType: 'full-load-and-cdc',
      ReplicationTaskIdentifier: dms.replicationTaskIdentifier,
      ReplicationInstanceArn: { Ref: expect.stringMatching(/^DmsInstance/) },
      SourceEndpointArn: { Ref: expect.stringMatching(/^DmsSourceEndpoint/) },
      TargetEndpointArn: { Ref: expect.stringMatching(/^DmsTargetEndpoint/) },
    });
    expect(JSON.parse(task.Properties.TableMappings)).toEqual({
      rules: [
        {
          'rule-type': 'selection',
          'rule-id': '1',
          'rule-name': 'include-1',
          'object-locator': { 'schema-name': 'payments', 'table-name': '%' },
          'rule-action': 'include',
        },
      ],
    });
  });

  test('task settings: validation on (row level), recovery table on, logging on, no table preparation, no before image', () => {
    const s = taskSettings(template);
    expect(s.ValidationSettings).toMatchObject({ EnableValidation: true, ValidationMode: 'ROW_LEVEL', ThreadCount: 5, FailureMaxCount: 10000 });
    expect(s.TargetMetadata).toMatchObject({ TaskRecoveryTableEnabled: true, FullLobMode: true, BatchApplyEnabled: false });
    expect(s.FullLoadSettings.TargetTablePrepMode).toBe('DO_NOTHING');
    expect(s.Logging.EnableLogging).toBe(true);
    expect(s.Logging.LogComponents.length).toBeGreaterThan(0);
    for (const c of s.Logging.LogComponents) {
      expect(c.Severity).toBe('LOGGER_SEVERITY_DEFAULT'); // never DEBUG: row values stay out of the logs
    }
    expect(s.Logging.LogComponents.map((c: any) => c.Id)).toEqual(expect.arrayContaining(['SOURCE_CAPTURE', 'TARGET_APPLY', 'VALIDATOR_EXT']));
    expect(s.Logging.CloudWatchLogGroup).toBeUndefined(); // DMS assigns it and rejects it on create
    expect(s.BeforeImageSettings).toBeNull();
    expect(s.ErrorBehavior).toMatchObject({ DataErrorPolicy: 'STOP_TASK', ApplyErrorUpdatePolicy: 'STOP_TASK', FailOnNoTablesCaptured: true });
    expect(s.ChangeProcessingTuning).toMatchObject({ BatchApplyPreserveTransaction: true });
  });

  test('the task log group dms-tasks-<instance identifier> exists before the task, encrypted, kept a year, retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: {
        LogGroupName: `dms-tasks-${dms.replicationInstanceIdentifier}`,
        RetentionInDays: 365,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DmsKey'), 'Arn'] },
      },
    });
    const task = only(template, 'AWS::DMS::ReplicationTask');
    expect(task.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DmsTaskLogs/)]));
    expect((dms.logGroup.node.defaultChild as logs.CfnLogGroup).logGroupName).toBe(`dms-tasks-${dms.replicationInstanceIdentifier}`);
  });

  test('the key rotates and serves DMS and CloudWatch Logs of this account in this region', () => {
    const key = only(template, 'AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('DMS replication') } });
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Sid: 'AllowDmsOfThisAccount',
          Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': `dms.${REGION}.amazonaws.com` } },
        }),
        expect.objectContaining({ Sid: 'AllowCloudWatchLogsOfThisAccount' }),
      ]),
    );
  });

  test('CDC latency alarms: AWS/DMS, instance + task resource-id dimensions, > 5 s, Maximum of 60 s, 3 of 3, missing data missing', () => {
    for (const metricName of ['CDCLatencySource', 'CDCLatencyTarget']) {
      const alarm = only(template, 'AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }).Properties;
      expect(alarm).toMatchObject({
        Namespace: 'AWS/DMS',
        ...CDC_LATENCY_ALARM,
        TreatMissingData: 'missing',
        Unit: 'Seconds',
      });
      expect(alarm.Dimensions).toEqual([
        { Name: 'ReplicationInstanceIdentifier', Value: dms.replicationInstanceIdentifier },
        // the task's resource id, the last field of its ARN — not the task identifier
        { Name: 'ReplicationTaskIdentifier', Value: { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: expect.stringMatching(/^DmsTask/) }] }] } },
      ]);
      expect(alarm.AlarmActions).toBeUndefined();
    }
    expect(dms.cdcLatencySourceAlarm).toBeDefined();
    expect(dms.cdcLatencyTargetAlarm).toBeDefined();
  });

  test('once the writer has moved the forward task is stopped and reports no latency: its alarms cannot go to ALARM on that (defect 2)', () => {
    // GIVEN the alarms routed as PaymentMigration routes them (ALARM and OK actions)
    const { template: routed } = build((f) => ({
      alarmActions: [new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(f.stack, 'OnCall', `arn:aws:sns:${REGION}:${ACCOUNT}:oncall`))],
    }));
    // THEN a stopped task's missing latency is INSUFFICIENT_DATA (no action, no ALARM event), never breaching; the gate
    // still refuses it: the pre-check waits for OK, and a bake under InsufficientDataPolicy.BLOCK rolls back on it
    for (const metricName of ['CDCLatencySource', 'CDCLatencyTarget']) {
      routed.hasResourceProperties('AWS::CloudWatch::Alarm', Match.objectLike({
        MetricName: metricName,
        Dimensions: Match.arrayWith([{ Name: 'ReplicationTaskIdentifier', Value: { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: Match.stringLikeRegexp('^DmsTask') }] }] } }]),
        TreatMissingData: 'missing',
        AlarmActions: [`arn:aws:sns:${REGION}:${ACCOUNT}:oncall`],
        OKActions: [`arn:aws:sns:${REGION}:${ACCOUNT}:oncall`],
        InsufficientDataActions: Match.absent(),
      }));
    }
  });

  test('validation failure alarm: ValidationFailedOverallCount > 0 on the task, one period, missing data not breaching', () => {
    const alarm = only(template, 'AWS::CloudWatch::Alarm', { Properties: { MetricName: 'ValidationFailedOverallCount' } }).Properties;
    expect(alarm).toMatchObject({
      Namespace: 'AWS/DMS',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      Period: 60,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.Dimensions.map((d: any) => d.Name)).toEqual(['ReplicationInstanceIdentifier', 'ReplicationTaskIdentifier']);
    expect(dms.validationFailureAlarm).toBeDefined();
  });

  test('metrics: names, dimensions and statistic', () => {
    expect(dms.metricCdcLatencySource().metricName).toBe('CDCLatencySource');
    expect(dms.metricCdcLatencyTarget().metricName).toBe('CDCLatencyTarget');
    expect(dms.metricValidationFailures().metricName).toBe('ValidationFailedOverallCount');
    expect(dms.metricValidationSuspended().metricName).toBe('ValidationSuspendedOverallCount');
    expect(dms.metricTask('FullLoadThroughputRowsTarget').statistic).toBe('Maximum');
    expect(Object.keys(dms.metricCdcLatencySource().dimensions!)).toEqual(['ReplicationInstanceIdentifier', 'ReplicationTaskIdentifier']);
    expect(dms.metricCdcLatencyTarget({ period: Duration.minutes(5) }).period.toMinutes()).toBe(5);
  });

  test('outputs: task ARN, instance ARN, the status command and the start command', () => {
    const outputs = template.findOutputs('*');
    const byPrefix = (prefix: string) => Object.entries(outputs).find(([k]) => k.startsWith(prefix))?.[1];
    expect(byPrefix('DmsReplicationTaskArn')?.Value).toEqual({ Ref: expect.stringMatching(/^DmsTask/) });
    expect(byPrefix('DmsReplicationInstanceArn')?.Value).toEqual({ Ref: expect.stringMatching(/^DmsInstance/) });
    const status = JSON.stringify(byPrefix('DmsTaskStatusCommand')?.Value);
    expect(status).toContain('aws dms describe-replication-tasks');
    expect(status).toContain('--filters Name=replication-task-arn,Values=');
    expect(status).toContain('--query');
    expect(status).toMatch(/"Ref":"DmsTask[0-9A-F]+"/);
    expect(JSON.stringify(byPrefix('DmsStartTaskCommand')?.Value)).toContain('aws dms start-replication-task');
  });

  test('no account-level service roles by default, and no AWS-managed policy anywhere', () => {
    template.resourcePropertiesCountIs('AWS::IAM::Role', { RoleName: 'dms-vpc-role' }, 0);
    template.resourcePropertiesCountIs('AWS::IAM::Role', { RoleName: 'dms-cloudwatch-logs-role' }, 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('arn:aws:iam::aws:policy');
  });

  test('the default stack has no unacknowledged nag findings either', () => {
    // used alone, without alarmActions: only its alarms are findings (nothing pages anyone; PaymentMigration routes them)
    expect(expectOnlyUnroutedAlarmFindings(stack)).toEqual(['Target/Dms/CdcLatencySourceAlarm', 'Target/Dms/CdcLatencyTargetAlarm', 'Target/Dms/TaskErrorAlarm', 'Target/Dms/ValidationFailureAlarm']);
  });
});

describe('DmsReplication options', () => {
  test('PostgreSQL source: engine postgres, port 5432, PostgreSqlSettings, every schema of the database', () => {
    const { template } = build((f) => ({
      datacenter: {
        host: 'pg.dc1.example.internal',
        databaseName: 'payments',
        engine: DatabaseEngine.POSTGRESQL,
        secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'PgSecret', SOURCE_SECRET_ARN),
        certificateArn: CERT_ARN,
      },
    }));
    const source = endpoint(template, 'source');
    expect(source).toMatchObject({ EngineName: 'postgres', DatabaseName: 'payments', PostgreSqlSettings: { SecretsManagerSecretId: SOURCE_SECRET_ARN } });
    expect(source.MySqlSettings).toBeUndefined();
    const sg = only(template, 'AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^DMS replication instance') } });
    expect(sg.Properties.SecurityGroupEgress[0]).toMatchObject({ CidrIp: '192.168.10.0/24', FromPort: 5432, ToPort: 5432 });
    const mappings = JSON.parse(only(template, 'AWS::DMS::ReplicationTask').Properties.TableMappings);
    expect(mappings.rules.map((r: any) => r['object-locator']['schema-name'])).toEqual(['%']);
  });

  test('certificatePem imports an AWS::DMS::Certificate used by the endpoint; verify-full on the target', () => {
    const { template } = build((f) => ({
      datacenter: { ...fixture().props.datacenter, secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'S', SOURCE_SECRET_ARN), certificateArn: undefined, certificatePem: PEM },
      aurora: {
        host: 'payments.cluster-abc.eu-west-1.rds.amazonaws.com',
        port: 3307,
        secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'T', TARGET_SECRET_ARN),
        connections: f.targetSg,
        sslMode: DmsSslMode.VERIFY_FULL,
        certificateArn: `arn:aws:dms:${REGION}:${ACCOUNT}:cert:rds-ca-eu-west-1`,
      },
    }));
    template.resourceCountIs('AWS::DMS::Certificate', 1);
    template.hasResourceProperties('AWS::DMS::Certificate', { CertificatePem: PEM });
    expect(endpoint(template, 'source').CertificateArn).toEqual({ Ref: expect.stringMatching(/^DmsSourceCertificate/) });
    expect(endpoint(template, 'target')).toMatchObject({ SslMode: 'verify-full', CertificateArn: `arn:aws:dms:${REGION}:${ACCOUNT}:cert:rds-ca-eu-west-1` });
  });

  test('secret keys: kms:Decrypt on exactly those keys, only through Secrets Manager', () => {
    const { template } = build((f) => {
      const key = new kms.Key(f.stack, 'SecretKey', { enableKeyRotation: true });
      const p = fixture().props;
      return {
        datacenter: { ...p.datacenter, secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'S', SOURCE_SECRET_ARN), secretEncryptionKey: key },
        aurora: { ...p.aurora, secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'T', TARGET_SECRET_ARN), connections: f.targetSg, secretEncryptionKey: key },
      };
    });
    const policy = only(template, 'AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('read the two endpoint secrets') } });
    expect(policy.Properties.PolicyDocument.Statement[1]).toEqual({
      Sid: 'DecryptTheSecretsThroughSecretsManager',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SecretKey/), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` } },
    });
  });

  test('class, storage, single AZ, engine version, identifiers, schemas, threshold, periods, retention and a given key are honoured', () => {
    const { template, dms } = build((f) => ({
      replicationInstanceClass: 'dms.c5.xlarge',
      allocatedStorage: 250,
      multiAz: false,
      engineVersion: '3.5.4',
      autoMinorVersionUpgrade: false,
      replicationInstanceIdentifier: 'payments-dms',
      replicationTaskIdentifier: 'payments-full-load-cdc',
      includedSchemas: ['payments', 'ledger'],
      cdcLatencyThreshold: Duration.seconds(10),
      alarmEvaluationPeriods: 5,
      logRetention: logs.RetentionDays.TWO_YEARS,
      encryptionKey: new kms.Key(f.stack, 'Mine', { enableKeyRotation: true }),
    }));
    expect(only(template, 'AWS::DMS::ReplicationInstance').Properties).toMatchObject({
      ReplicationInstanceClass: 'dms.c5.xlarge',
      AllocatedStorage: 250,
      MultiAZ: false,
      EngineVersion: '3.5.4',
      AutoMinorVersionUpgrade: false,
      PubliclyAccessible: false,
      ReplicationInstanceIdentifier: 'payments-dms',
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^Mine/), 'Arn'] },
    });
    expect(only(template, 'AWS::DMS::ReplicationTask').Properties.ReplicationTaskIdentifier).toBe('payments-full-load-cdc');
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'dms-tasks-payments-dms', RetentionInDays: 731 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CDCLatencyTarget', Threshold: 10, EvaluationPeriods: 5 });
    const mappings = JSON.parse(only(template, 'AWS::DMS::ReplicationTask').Properties.TableMappings);
    expect(mappings.rules.map((r: any) => r['object-locator']['schema-name'])).toEqual(['payments', 'ledger']);
    expect(mappings.rules.map((r: any) => r['rule-id'])).toEqual(['1', '2']);
    template.resourcePropertiesCountIs('AWS::KMS::Key', { Description: Match.stringLikeRegexp('DMS replication') }, 0);
    expect(dms.replicationInstanceIdentifier).toBe('payments-dms');
  });

  test('validation off: EnableValidation false and no validation alarm', () => {
    const { template, dms } = build(() => ({ validation: false }));
    expect(taskSettings(template).ValidationSettings.EnableValidation).toBe(false);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'ValidationFailedOverallCount' }, 0);
    expect(dms.validationFailureAlarm).toBeUndefined();
  });

  test('alarm actions go on ALARM and OK of the three alarms', () => {
    const { template } = build((f) => ({
      alarmActions: [new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(f.stack, 'Ops', `arn:aws:sns:${REGION}:${ACCOUNT}:ops`))],
    }));
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: 'AWS/DMS' } }));
    expect(alarms).toHaveLength(3);
    for (const a of alarms) {
      expect(a.Properties.AlarmActions).toEqual([`arn:aws:sns:${REGION}:${ACCOUNT}:ops`]);
      expect(a.Properties.OKActions).toEqual([`arn:aws:sns:${REGION}:${ACCOUNT}:ops`]);
    }
  });

  test('a Secrets Manager endpoint given as IConnectable gets HTTPS egress instead of the VPC CIDR', () => {
    const { template } = build((f) => ({
      secretsManagerEndpoint: new ec2.SecurityGroup(f.stack, 'SmEndpointSg', { vpc: f.network.vpc, description: 'sm endpoint' }),
    }));
    const sg = only(template, 'AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^DMS replication instance') } });
    expect(JSON.stringify(sg.Properties.SecurityGroupEgress)).not.toContain('CidrBlock');
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SmEndpointSg'), 'GroupId'] },
      FromPort: 443,
    });
  });

  test('createOutputs: false adds no output', () => {
    const { template } = build(() => ({ createOutputs: false }));
    expect(Object.keys(template.findOutputs('*')).filter((k) => k.startsWith('Dms'))).toEqual([]);
  });

  test('createDmsServiceRoles: dms-vpc-role and dms-cloudwatch-logs-role, customer-managed, every DMS resource depends on them, with a warning', () => {
    const { template, stack } = build(() => ({ createDmsServiceRoles: true }));
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'dms-vpc-role',
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'dms.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'dms-cloudwatch-logs-role', ManagedPolicyArns: Match.absent() });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface']), Resource: '*' })] },
    });
    for (const type of ['AWS::DMS::ReplicationSubnetGroup', 'AWS::DMS::ReplicationInstance', 'AWS::DMS::Endpoint', 'AWS::DMS::ReplicationTask']) {
      for (const r of Object.values(template.findResources(type))) {
        expect(r.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DmsServiceRolesVpcRole/), expect.stringMatching(/^DmsServiceRolesCloudWatchLogsRole/)]));
      }
    }
    Annotations.fromStack(stack).hasWarning('/Target/Dms', Match.stringLikeRegexp('IAM propagation'));
  });

  test('DmsReplication.createServiceRoles(scope) builds the roles in a stack of their own', () => {
    const stack = new Stack(new App(), 'DmsAccountRoles', { env: { account: ACCOUNT, region: REGION } });
    const roles = DmsReplication.createServiceRoles(stack);
    expect(roles).toBeInstanceOf(DmsServiceRoles);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 2);
    const logsPolicy = only(template, 'AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('AmazonDMSCloudWatchLogsRole') } });
    const statements = logsPolicy.Properties.PolicyDocument.Statement;
    expect(statements.map((st: any) => st.Action)).toEqual([
      'logs:DescribeLogGroups',
      ['logs:DescribeLogStreams', 'logs:CreateLogGroup'],
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
    ]);
    expect(JSON.stringify(statements[2].Resource)).toContain(':log-group:dms-tasks-*:log-stream:dms-task-*');
    expect(JSON.stringify(statements[1].Resource)).toContain('{"Ref":"AWS::AccountId"}'); // this account only
    expectNoNagFindings(stack);
  });
});

describe('DmsReplication cdk-nag (AwsSolutions, PCI DSS 3.2.1, NIST 800-53 r5)', () => {
  test('network with the VPN + replication with every option on: no unacknowledged finding', () => {
    const { stack } = build((f) => {
      const p = fixture().props;
      const secretKey = new kms.Key(f.stack, 'SecretKey', { enableKeyRotation: true });
      return {
        datacenter: { ...p.datacenter, secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'S', SOURCE_SECRET_ARN), certificateArn: undefined, certificatePem: PEM, secretEncryptionKey: secretKey },
        aurora: {
          ...p.aurora,
          secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'T', TARGET_SECRET_ARN),
          connections: f.targetSg,
          sslMode: DmsSslMode.VERIFY_FULL,
          certificateArn: `arn:aws:dms:${REGION}:${ACCOUNT}:cert:rds-ca`,
          secretEncryptionKey: secretKey,
        },
        createDmsServiceRoles: true,
        includedSchemas: ['payments', 'ledger'],
        encryptionKey: f.network.key,
        alarmActions: [new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(f.stack, 'Ops', `arn:aws:sns:${REGION}:${ACCOUNT}:ops`))],
      };
    });
    expectNoNagFindings(stack);
  });

  test('the gate alarms are never acknowledged by DmsReplication itself (nothing reads them unless an orchestrator gates them): actions make the finding go', () => {
    const acknowledged = (alarm: IConstruct) =>
      alarm.node
        .findAll()
        .flatMap((c) => c.node.metadata)
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .some((m) => JSON.stringify(m.data).includes('NIST.800.53.R5-CloudWatchAlarmAction'));
    const gates = build().dms;
    for (const alarm of [gates.cdcLatencySourceAlarm, gates.cdcLatencyTargetAlarm, gates.validationFailureAlarm!]) {
      expect(acknowledged(alarm)).toBe(false);
    }
    const notified = build((f) => ({
      alarmActions: [new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(f.stack, 'Ops', `arn:aws:sns:${REGION}:${ACCOUNT}:ops`))],
    })).dms;
    for (const alarm of [notified.cdcLatencySourceAlarm, notified.cdcLatencyTargetAlarm, notified.validationFailureAlarm!]) {
      expect(acknowledged(alarm)).toBe(false);
    }
  });
});

describe('DmsReplication validation (synth time, every failure at once)', () => {
  const partial = (f: Omit<Fixture, 'props'>) => secretsmanager.Secret.fromSecretPartialArn(f.stack, 'Partial', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:dms/onprem`);
  const srcWith = (extra: Record<string, unknown>) => (f: Omit<Fixture, 'props'>) => ({
    datacenter: { ...fixture().props.datacenter, secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'S2', SOURCE_SECRET_ARN), ...extra },
  });
  const tgtWith = (extra: Record<string, unknown>) => (f: Omit<Fixture, 'props'>) => ({
    aurora: { ...fixture().props.aurora, secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'T2', TARGET_SECRET_ARN), connections: f.targetSg, ...extra },
  });

  test.each<[string, (f: Omit<Fixture, 'props'>) => Partial<DmsReplicationProps>, RegExp]>([
    ['source sslMode NONE', srcWith({ sslMode: DmsSslMode.NONE, certificateArn: undefined }), /`datacenter\.sslMode` must not be NONE.*got: "none"/],
    ['target sslMode NONE', tgtWith({ sslMode: DmsSslMode.NONE }), /`aurora\.sslMode` must not be NONE.*got: "none"/],
    ['verify-full without a certificate', srcWith({ certificateArn: undefined }), /`datacenter\.certificateArn` must be given .*verify-full.*got: undefined/],
    ['verify-ca on the target without a certificate', tgtWith({ sslMode: DmsSslMode.VERIFY_CA }), /`aurora\.certificateArn` must be given .*verify-ca.*got: undefined/],
    ['a certificate with sslMode REQUIRE', srcWith({ sslMode: DmsSslMode.REQUIRE }), /`datacenter\.certificateArn` applies only with sslMode VERIFY_CA or VERIFY_FULL, got: "arn:aws:dms/],
    ['both certificateArn and certificatePem', srcWith({ certificatePem: PEM }), /`datacenter\.certificatePem` must not be given together/],
    ['a malformed certificate ARN', srcWith({ certificateArn: 'onprem-ca' }), /`datacenter\.certificateArn` must be a DMS certificate ARN.*got: "onprem-ca"/],
    ['a certificate of another region', srcWith({ certificateArn: `arn:aws:dms:us-east-1:${ACCOUNT}:cert:ca` }), /`datacenter\.certificateArn` must be a DMS certificate in the stack's region eu-west-1, got: "arn:aws:dms:us-east-1/],
    ['a PEM that is not a certificate', srcWith({ certificateArn: undefined, certificatePem: 'hello' }), /`datacenter\.certificatePem` must be a PEM-encoded X\.509 certificate.*got: "hello…"/],
    ['a partial secret ARN', (f) => srcWith({ secret: partial(f) })(f), /`datacenter\.secret` must be referenced by its complete ARN.*got: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:dms\/onprem"/],
    [
      'a secret of another region',
      (f) => tgtWith({ secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'Far', `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:x-AbCdEf`) })(f),
      /`aurora\.secret` must be a secret in the stack's region eu-west-1.*got: "arn:aws:secretsmanager:us-east-1/,
    ],
    ['a malformed source CIDR', () => ({ datacenterCidrs: ['192.168.10.0/33'] }), /`datacenterCidrs\[0\]` must be an IPv4 CIDR block.*got: "192\.168\.10\.0\/33"/],
    ['a source CIDR with host bits', () => ({ datacenterCidrs: ['192.168.10.1/24'] }), /`datacenterCidrs\[0\]` must be an IPv4 CIDR block.*got: "192\.168\.10\.1\/24"/],
    ['a source CIDR overlapping the VPC', () => ({ datacenterCidrs: ['10.1.128.0/20'] }), /`datacenterCidrs\[0\]` must not overlap the VPC's CIDR 10\.1\.0\.0\/16.*got: "10\.1\.128\.0\/20"/],
    ['no source CIDR', () => ({ datacenterCidrs: [] }), /`datacenterCidrs` must list the on-premises address space.*got: \[\]/],
    ['0.0.0.0/0 as source', () => ({ datacenterCidrs: ['0.0.0.0/0'] }), /`datacenterCidrs\[0\]` must be \/8 or narrower.*got: "0\.0\.0\.0\/0"/],
    ['a source host outside the source CIDRs', srcWith({ host: '172.16.0.5' }), /`datacenter\.host` must lie inside `datacenterCidrs`.*got: "172\.16\.0\.5"/],
    ['source port 0', srcWith({ port: 0 }), /`datacenter\.port` must be an integer between 1 and 65535, got: 0/],
    ['target port 70000', tgtWith({ port: 70000 }), /`aurora\.port` must be an integer between 1 and 65535, got: 70000/],
    ['allocated storage 4', () => ({ allocatedStorage: 4 }), /`allocatedStorage` must be a whole number of GiB between 5 and 6144, got: 4/],
    ['allocated storage 6145', () => ({ allocatedStorage: 6145 }), /`allocatedStorage` must be .* got: 6145/],
    ['an RDS instance class', () => ({ replicationInstanceClass: 'db.r6g.large' }), /`replicationInstanceClass` must be a DMS instance class such as dms\.r6i\.large, got: "db\.r6g\.large"/],
    ['a CDC threshold of 0', () => ({ cdcLatencyThreshold: Duration.seconds(0) }), /`cdcLatencyThreshold` must be more than 0 seconds, got: "0 seconds"/],
    ['log retention of six months', () => ({ logRetention: logs.RetentionDays.SIX_MONTHS }), /`logRetention` must keep replication task logs at least one year.*got: 180/],
    ['a bad engine version', () => ({ engineVersion: '3.5' }), /`engineVersion` must be a DMS engine version.*got: "3\.5"/],
    ['a bad instance identifier', () => ({ replicationInstanceIdentifier: '1-dms--x' }), /`replicationInstanceIdentifier` must be 1–63 letters.*got: "1-dms--x"/],
    ['an empty schema list', () => ({ includedSchemas: [] }), /`includedSchemas` must list at least one schema.*got: \[\]/],
    ['zero evaluation periods', () => ({ alarmEvaluationPeriods: 0 }), /`alarmEvaluationPeriods` must be a positive integer, got: 0/],
    [
      'a key of another region',
      (f) => ({ encryptionKey: kms.Key.fromKeyArn(f.stack, 'FarKey', `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`) }),
      /`encryptionKey` must be a key in the stack's region eu-west-1.*got: "us-east-1"/,
    ],
  ])('refuses %s', (_name, overrides, expected) => {
    const f = fixture(overrides);
    expect(() => new DmsReplication(f.stack, 'Dms', f.props)).toThrow(expected);
  });

  test('every failure is reported at once, naming the construct path', () => {
    const f = fixture((b) => ({
      ...srcWith({ sslMode: DmsSslMode.NONE, certificateArn: undefined, port: 0 })(b),
      allocatedStorage: 1,
      datacenterCidrs: ['10.1.0.0/24'],
    }));
    let message = '';
    try {
      new DmsReplication(f.stack, 'Dms', f.props);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^DmsReplication initialization failed at Target\/Dms:/);
    const lines = message.split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toHaveLength(5);
    expect(lines.map((l) => /^- `([^`]+)`/.exec(l)![1])).toEqual(['datacenter.sslMode', 'datacenter.port', 'datacenterCidrs[0]', 'datacenter.host', 'allocatedStorage']);
  });

  test('unresolved tokens pass: an imported VPC with a token CIDR, a secret created in the stack, token ports', () => {
    const stack = new Stack(new App(), 'Tokens', { env: { account: ACCOUNT, region: REGION } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidrBlock: Fn.importValue('PaymentsVpcCidr'),
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
    const secret = new secretsmanager.Secret(stack, 'Created');
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, description: 'target' });
    const port = Token.asNumber(Fn.importValue('AuroraPort'));
    const dms = new DmsReplication(stack, 'Dms', {
      vpc,
      datacenter: { host: Fn.importValue('SourceHost'), port, databaseName: 'payments', secret, certificateArn: CERT_ARN },
      datacenterCidrs: ['10.0.0.0/16'], // would overlap a 10.0.0.0/16 VPC: unknown here, so not judged
      aurora: { host: 'h', port, secret, connections: sg },
    });
    expect(dms.replicationTaskArn).toBeDefined();
  });

  test('an imported VPC without a CIDR block needs secretsManagerEndpoint', () => {
    const stack = new Stack(new App(), 'NoCidr', { env: { account: ACCOUNT, region: REGION } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, description: 'target' });
    const props: DmsReplicationProps = {
      vpc,
      datacenter: { host: 'db.dc1', databaseName: 'payments', secret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'S', SOURCE_SECRET_ARN), certificateArn: CERT_ARN },
      datacenterCidrs: ['192.168.10.0/24'],
      aurora: { host: 'h', port: 3307, secret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'T', TARGET_SECRET_ARN), connections: sg },
    };
    expect(() => new DmsReplication(stack, 'Dms', props)).toThrow(/`secretsManagerEndpoint` must be given when the VPC's CIDR block is unknown/);
    expect(() => new DmsReplication(stack, 'Dms2', { ...props, secretsManagerEndpoint: sg })).not.toThrow();
  });
});
