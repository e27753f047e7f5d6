import { Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { ACCOUNT, build, CDC_LATENCY_ALARM, CERT_ARN, endpointById, Fixture, fixture, only, PEM, REGION, SOURCE_SECRET_ARN, targetSecretAccess, TARGET_SECRET_ARN, taskById } from './fixture';
import { DmsReplication, DmsReplicationProps, DatabaseEngine, DmsSslMode } from '../../src/dms-replication';
import { expectOnlyUnroutedAlarmFindings } from '../support/nag';

type Overrides = (f: Omit<Fixture, 'props'>) => Partial<DmsReplicationProps>;

const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:dms-task-states`;
const RDS_CA_ARN = `arn:aws:dms:${REGION}:${ACCOUNT}:cert:rds-ca`;

/** A PostgreSQL source (and so, by default, an Aurora PostgreSQL target). */
const postgres = (extraTarget: Record<string, unknown> = {}): Overrides => (f) => {
  const p = fixture().props;
  return {
    datacenter: {
      host: '192.168.10.21',
      databaseName: 'payments',
      engine: DatabaseEngine.POSTGRESQL,
      secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'PgSource', SOURCE_SECRET_ARN),
      certificateArn: CERT_ARN,
    },
    aurora: { ...p.aurora, secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'PgTarget', TARGET_SECRET_ARN), connections: f.targetSg, ...extraTarget },
  };
};

const taskRef = (id: 'Task' | 'ReverseTask') => ({ Ref: expect.stringMatching(new RegExp(`^Dms${id}[0-9A-F]{8}$`)) });
const resourceIdOf = (id: 'Task' | 'ReverseTask') => ({ 'Fn::Select': [6, { 'Fn::Split': [':', taskRef(id)] }] });

describe('DmsReplication target engine', () => {
  test('MySQL source: the target is Aurora MySQL (`aurora`) with MySqlSettings and no database name', () => {
    const { template } = build();
    const target = endpointById(template, 'TargetEndpoint');
    expect(target).toMatchObject({ EngineName: 'aurora', MySqlSettings: { SecretsManagerSecretId: TARGET_SECRET_ARN } });
    expect(target.PostgreSqlSettings).toBeUndefined();
    expect(target.DatabaseName).toBeUndefined();
  });

  test('PostgreSQL source: the target defaults to Aurora PostgreSQL with PostgreSqlSettings and the source database name', () => {
    const { template } = build(postgres());
    const target = endpointById(template, 'TargetEndpoint');
    expect(target).toMatchObject({
      EndpointType: 'target',
      EngineName: 'aurora-postgresql',
      DatabaseName: 'payments',
      SslMode: 'require',
      PostgreSqlSettings: targetSecretAccess(),
    });
    expect(target.MySqlSettings).toBeUndefined();
  });

  test('an explicit matching target engine and a target database name are honoured', () => {
    const { template } = build(postgres({ engine: DatabaseEngine.POSTGRESQL, databaseName: 'payments_v2' }));
    expect(endpointById(template, 'TargetEndpoint')).toMatchObject({ EngineName: 'aurora-postgresql', DatabaseName: 'payments_v2' });
  });

  test.each<[string, Overrides, RegExp]>([
    [
      'a MySQL source with an Aurora PostgreSQL target',
      (f) => ({ aurora: { ...fixture().props.aurora, engine: DatabaseEngine.POSTGRESQL, connections: f.targetSg } }),
      /`aurora\.engine` must be the source engine \(mysql\): this library migrates homogeneously .*got: "postgres"/,
    ],
    [
      'a PostgreSQL source with an Aurora MySQL target',
      postgres({ engine: DatabaseEngine.MYSQL }),
      /`aurora\.engine` must be the source engine \(postgres\).*heterogeneous pair needs schema conversion.*got: "mysql"/,
    ],
    [
      'a target database name with MySQL',
      (f) => ({ aurora: { ...fixture().props.aurora, databaseName: 'payments', connections: f.targetSg } }),
      /`aurora\.databaseName` applies only to a PostgreSQL target.*got: "payments"/,
    ],
    ['a malformed PostgreSQL target database name', postgres({ databaseName: 'pay ments' }), /`aurora\.databaseName` must be a database name.*got: "pay ments"/],
  ])('refuses %s at synth time, naming the construct', (_name, overrides, expected) => {
    const f = fixture(overrides);
    expect(() => new DmsReplication(f.stack, 'Dms', f.props)).toThrow(/^DmsReplication initialization failed at Target\/Dms:/);
    expect(() => new DmsReplication(f.stack, 'Dms2', f.props)).toThrow(expected);
  });
});

describe('DmsReplication reverse task (Aurora → on-premises)', () => {
  test('not requested: two endpoints, one task, no reverse attribute, no reverse output, metricReverseTask refuses', () => {
    const { template, dms } = build();
    template.resourceCountIs('AWS::DMS::Endpoint', 2);
    template.resourceCountIs('AWS::DMS::ReplicationTask', 1);
    expect(dms.reverseReplicationTask).toBeUndefined();
    expect(dms.reverseReplicationTaskArn).toBeUndefined();
    expect(dms.reverseReplicationTaskIdentifier).toBeUndefined();
    expect(dms.reverseReplicationTaskResourceId).toBeUndefined();
    expect(dms.reverseAuroraEndpoint).toBeUndefined();
    expect(dms.reverseDatacenterEndpoint).toBeUndefined();
    expect(dms.reverseCdcLatencySourceAlarm).toBeUndefined();
    expect(dms.reverseCdcLatencyTargetAlarm).toBeUndefined();
    expect(Object.keys(template.findOutputs('*')).filter((k) => k.includes('Reverse'))).toEqual([]);
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('DmsReverseTask');
    expect(() => dms.metricReverseTask('CDCLatencySource')).toThrow(/`reverseReplication` must be true for metricReverseTask\('CDCLatencySource'\): no reverse task was prepared, got: false$/);
  });

  describe('requested (MySQL, verify-full on both sides)', () => {
    const { template, dms, stack } = build((f) => ({
      reverseReplication: true,
      aurora: { ...fixture().props.aurora, connections: f.targetSg, sslMode: DmsSslMode.VERIFY_FULL, certificateArn: RDS_CA_ARN },
    }));

    test('a CDC-only task on the same instance, between the reverse endpoints, named after the forward task', () => {
      template.resourceCountIs('AWS::DMS::Endpoint', 4);
      template.resourceCountIs('AWS::DMS::ReplicationTask', 2);
      const reverse = taskById(template, 'ReverseTask');
      expect(reverse.Properties).toMatchObject({
        MigrationType: 'cdc',
        ReplicationTaskIdentifier: `${dms.replicationTaskIdentifier}-reverse`,
        ReplicationInstanceArn: { Ref: expect.stringMatching(/^DmsInstance/) },
        SourceEndpointArn: { Ref: expect.stringMatching(/^DmsReverseSourceEndpoint/) },
        TargetEndpointArn: { Ref: expect.stringMatching(/^DmsReverseTargetEndpoint/) },
      });
      expect(reverse.Properties.CdcStartPosition).toBeUndefined(); // started by the orchestrator at the cutover
      expect(reverse.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DmsTaskLogs/)]));
      expect(taskById(template, 'Task').Properties.MigrationType).toBe('full-load-and-cdc');
      expect(dms.reverseReplicationTaskIdentifier).toBe(`${dms.replicationTaskIdentifier}-reverse`);
      expect(stack.resolve(dms.reverseReplicationTaskArn)).toEqual(taskRef('ReverseTask'));
      expect(stack.resolve(dms.reverseReplicationTaskResourceId)).toEqual(resourceIdOf('ReverseTask'));
    });

    test('endpoints swapped: Aurora is the source with the target secret, TLS mode and CA; on-premises the target with the source ones', () => {
      const role = { 'Fn::GetAtt': [expect.stringMatching(/^DmsSecretsAccessRole/), 'Arn'] };
      const forwardSource = endpointById(template, 'SourceEndpoint');
      const forwardTarget = endpointById(template, 'TargetEndpoint');
      const reverseSource = endpointById(template, 'ReverseSourceEndpoint');
      const reverseTarget = endpointById(template, 'ReverseTargetEndpoint');
      expect(reverseSource).toMatchObject({
        EndpointType: 'source',
        EndpointIdentifier: `${dms.replicationInstanceIdentifier}-reverse-source`,
        EngineName: forwardTarget.EngineName,
        SslMode: 'verify-full',
        CertificateArn: RDS_CA_ARN,
        KmsKeyId: forwardTarget.KmsKeyId,
        MySqlSettings: { SecretsManagerSecretId: TARGET_SECRET_ARN, SecretsManagerAccessRoleArn: role },
      });
      expect(reverseTarget).toMatchObject({
        EndpointType: 'target',
        EndpointIdentifier: `${dms.replicationInstanceIdentifier}-reverse-target`,
        EngineName: 'mysql',
        SslMode: forwardSource.SslMode,
        CertificateArn: CERT_ARN,
        MySqlSettings: { SecretsManagerSecretId: SOURCE_SECRET_ARN, SecretsManagerAccessRoleArn: role },
      });
      expect(reverseSource.MySqlSettings).toEqual(forwardTarget.MySqlSettings);
      expect(reverseTarget.MySqlSettings).toEqual(forwardSource.MySqlSettings);
      // a DMS MySQL endpoint takes no database name: all task tables would go to that one database
      expect(reverseSource.DatabaseName).toBeUndefined();
      expect(reverseTarget.DatabaseName).toBeUndefined();
      expect(stack.resolve(dms.reverseAuroraEndpointArn)).toEqual({ Ref: expect.stringMatching(/^DmsReverseSourceEndpoint/) });
      expect(stack.resolve(dms.reverseDatacenterEndpointArn)).toEqual({ Ref: expect.stringMatching(/^DmsReverseTargetEndpoint/) });
    });

    test('no new network path nor permission: same egress rules, the access role still reads exactly the two secrets', () => {
      const sg = only(template, 'AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^DMS replication instance') } });
      expect(sg.Properties.SecurityGroupEgress).toHaveLength(2);
      const policy = only(template, 'AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('read the two endpoint secrets') } });
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        { Sid: 'ReadTheTwoEndpointSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [SOURCE_SECRET_ARN, TARGET_SECRET_ARN] },
      ]);
    });

    test('its own control schema, and both control schemas excluded from the same selection rules', () => {
      const forward = taskById(template, 'Task').Properties;
      const reverse = taskById(template, 'ReverseTask').Properties;
      expect(JSON.parse(forward.ReplicationTaskSettings).ControlTablesSettings.ControlSchema).toBe('awsdms_control');
      expect(JSON.parse(reverse.ReplicationTaskSettings).ControlTablesSettings).toMatchObject({
        ControlSchema: 'awsdms_control_reverse',
        StatusTableEnabled: true,
        HistoryTableEnabled: true,
      });
      const forwardRules = JSON.parse(forward.TableMappings).rules;
      const reverseRules = JSON.parse(reverse.TableMappings).rules;
      expect(forwardRules).toHaveLength(1); // the forward task is unchanged
      expect(reverseRules.slice(0, forwardRules.length)).toEqual(forwardRules);
      expect(reverseRules.slice(forwardRules.length)).toEqual([
        { 'rule-type': 'selection', 'rule-id': '2', 'rule-name': 'exclude-1', 'object-locator': { 'schema-name': 'awsdms_control', 'table-name': '%' }, 'rule-action': 'exclude' },
        { 'rule-type': 'selection', 'rule-id': '3', 'rule-name': 'exclude-2', 'object-locator': { 'schema-name': 'awsdms_control_reverse', 'table-name': '%' }, 'rule-action': 'exclude' },
      ]);
    });

    test('settings for a CDC-only reverse: no table preparation, logging without DEBUG, transactional apply, stop on error, validation on', () => {
      const s = JSON.parse(taskById(template, 'ReverseTask').Properties.ReplicationTaskSettings);
      expect(s.FullLoadSettings.TargetTablePrepMode).toBe('DO_NOTHING');
      expect(s.Logging.EnableLogging).toBe(true);
      expect(new Set(s.Logging.LogComponents.map((c: any) => c.Severity))).toEqual(new Set(['LOGGER_SEVERITY_DEFAULT']));
      expect(s.Logging.LogComponents.map((c: any) => c.Id)).toEqual(expect.arrayContaining(['SOURCE_CAPTURE', 'TARGET_APPLY']));
      expect(s.TargetMetadata).toMatchObject({ BatchApplyEnabled: false, TaskRecoveryTableEnabled: true, FullLobMode: true });
      expect(s.ErrorBehavior).toMatchObject({ ApplyErrorInsertPolicy: 'STOP_TASK', ApplyErrorUpdatePolicy: 'STOP_TASK', ApplyErrorDeletePolicy: 'STOP_TASK' });
      expect(s.ValidationSettings).toMatchObject({ EnableValidation: true, ValidationMode: 'ROW_LEVEL' });
    });

    test('outputs: the reverse task ARN and its status command', () => {
      const outputs = template.findOutputs('*');
      const byPrefix = (prefix: string) => Object.entries(outputs).find(([k]) => k.startsWith(prefix))?.[1];
      expect(byPrefix('DmsReverseReplicationTaskArn')?.Value).toEqual(taskRef('ReverseTask'));
      const status = JSON.stringify(byPrefix('DmsReverseTaskStatusCommand')?.Value);
      expect(status).toContain(`aws dms describe-replication-tasks --region ${REGION} --filters Name=replication-task-arn,Values=`);
      expect(status).toMatch(/"Ref":"DmsReverseTask[0-9A-F]{8}"/);
      expect(status).not.toMatch(/"Ref":"DmsTask[0-9A-F]{8}"/);
    });

    test('the prerequisites are a warning the user can acknowledge', () => {
      Annotations.fromStack(stack).hasWarning('/Target/Dms', Match.stringLikeRegexp('write privileges.*binary logging'));
    });

    test('metricReverseTask: AWS/DMS with the reverse task resource id', () => {
      const metric = dms.metricReverseTask('CDCLatencyTarget');
      expect(metric).toMatchObject({ namespace: 'AWS/DMS', metricName: 'CDCLatencyTarget', statistic: 'Maximum' });
      expect(metric.period.toSeconds()).toBe(60);
      expect(stack.resolve(metric.dimensions)).toEqual({
        ReplicationInstanceIdentifier: dms.replicationInstanceIdentifier,
        ReplicationTaskIdentifier: resourceIdOf('ReverseTask'),
      });
    });

    test('the way back is watched: CDC latency alarms on the reverse task, silent while it does not run (defect 3)', () => {
      for (const [metricName, alarm] of [['CDCLatencySource', dms.reverseCdcLatencySourceAlarm], ['CDCLatencyTarget', dms.reverseCdcLatencyTargetAlarm]] as const) {
        expect(alarm).toBeDefined();
        template.hasResourceProperties('AWS::CloudWatch::Alarm', Match.objectLike({
          Namespace: 'AWS/DMS',
          MetricName: metricName,
          // the reverse task's dimensions: the same instance, the reverse task's resource id
          Dimensions: [
            { Name: 'ReplicationInstanceIdentifier', Value: dms.replicationInstanceIdentifier },
            { Name: 'ReplicationTaskIdentifier', Value: { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: Match.stringLikeRegexp('^DmsReverseTask[0-9A-F]{8}$') }] }] } },
          ],
          ...CDC_LATENCY_ALARM,
          // no figure before the writer moves (the task is created stopped) nor after a move back: INSUFFICIENT_DATA,
          // which pages nobody — never ALARM, never a misleading OK
          TreatMissingData: 'missing',
          InsufficientDataActions: Match.absent(),
        }));
        expect(stack.resolve(alarm!.alarmArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DmsReverseCdcLatency(Source|Target)Alarm/), 'Arn'] });
      }
      // one alarm per metric for each task: the forward task's and the reverse task's
      for (const metricName of ['CDCLatencySource', 'CDCLatencyTarget']) {
        template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: metricName }, 2);
      }
    });

    test('the reverse alarms take the alarm actions on ALARM and OK, like the others', () => {
      const { template: routed } = build((f) => ({
        reverseReplication: true,
        alarmActions: [new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(f.stack, 'OnCall', TOPIC_ARN))],
      }));
      const reverse = Object.entries(routed.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => id.startsWith('DmsReverseCdcLatency'));
      expect(reverse).toHaveLength(2);
      for (const [, a] of reverse) {
        expect(a.Properties.AlarmActions).toEqual([TOPIC_ARN]);
        expect(a.Properties.OKActions).toEqual([TOPIC_ARN]);
        expect(a.Properties.InsufficientDataActions).toBeUndefined();
      }
    });
  });

  test('PostgreSQL: aurora-postgresql source and postgres target, each with its database name and the swapped secrets', () => {
    const { template } = build((f) => ({ ...postgres({ databaseName: 'payments_aurora' })(f), reverseReplication: true }));
    expect(endpointById(template, 'ReverseSourceEndpoint')).toMatchObject({
      EngineName: 'aurora-postgresql',
      DatabaseName: 'payments_aurora',
      PostgreSqlSettings: { SecretsManagerSecretId: TARGET_SECRET_ARN },
    });
    expect(endpointById(template, 'ReverseTargetEndpoint')).toMatchObject({
      EngineName: 'postgres',
      DatabaseName: 'payments',
      PostgreSqlSettings: { SecretsManagerSecretId: SOURCE_SECRET_ARN },
    });
    const rules = JSON.parse(taskById(template, 'ReverseTask').Properties.TableMappings).rules;
    expect(rules.map((r: any) => [r['object-locator']['schema-name'], r['rule-action']])).toEqual([
      ['%', 'include'],
      ['awsdms_control', 'exclude'],
      ['awsdms_control_reverse', 'exclude'],
    ]);
  });

  test('a certificate imported from PEM is imported once and used by both endpoints of that database', () => {
    const { template } = build((f) => ({
      reverseReplication: true,
      datacenter: { ...fixture().props.datacenter, secret: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'S', SOURCE_SECRET_ARN), certificateArn: undefined, certificatePem: PEM },
    }));
    template.resourceCountIs('AWS::DMS::Certificate', 1);
    const cert = { Ref: expect.stringMatching(/^DmsSourceCertificate/) };
    expect(endpointById(template, 'SourceEndpoint').CertificateArn).toEqual(cert);
    expect(endpointById(template, 'ReverseTargetEndpoint').CertificateArn).toEqual(cert);
  });

  test('validation off turns it off in both tasks; the service roles precede the reverse resources too', () => {
    const { template } = build(() => ({ reverseReplication: true, validation: false, createDmsServiceRoles: true }));
    for (const id of ['Task', 'ReverseTask'] as const) {
      expect(JSON.parse(taskById(template, id).Properties.ReplicationTaskSettings).ValidationSettings.EnableValidation).toBe(false);
      expect(taskById(template, id).DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DmsServiceRolesVpcRole/)]));
    }
    const endpoints = Object.entries(template.findResources('AWS::DMS::Endpoint')).filter(([k]) => k.startsWith('DmsReverse'));
    expect(endpoints).toHaveLength(2);
    for (const [, e] of endpoints) {
      expect(e.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DmsServiceRolesCloudWatchLogsRole/)]));
    }
  });
});

describe('DmsReplication metrics, task errors and notifications', () => {
  const { template, dms, stack } = build();

  test('new task metrics: names, statistics, periods and the forward task dimensions', () => {
    const dims = { ReplicationInstanceIdentifier: dms.replicationInstanceIdentifier, ReplicationTaskIdentifier: resourceIdOf('Task') };
    const cases: Array<[string, ReturnType<DmsReplication['metricTask']>, string]> = [
      ['CDCIncomingChanges', dms.metricCdcIncomingChanges(), 'Maximum'],
      ['FullLoadThroughputRowsTarget', dms.metricFullLoadThroughputRowsTarget(), 'Average'],
      ['CDCThroughputRowsTarget', dms.metricCdcThroughputRowsTarget(), 'Average'],
      ['ValidationPendingOverallCount', dms.metricValidationPending(), 'Maximum'],
      ['ValidationSuspendedOverallCount', dms.metricValidationSuspended(), 'Maximum'],
    ];
    for (const [name, metric, statistic] of cases) {
      expect({ name: metric.metricName, namespace: metric.namespace, statistic: metric.statistic, period: metric.period.toSeconds() }).toEqual({
        name,
        namespace: 'AWS/DMS',
        statistic,
        period: 60,
      });
      expect(stack.resolve(metric.dimensions)).toEqual(dims);
    }
    expect(dms.metricCdcThroughputRowsTarget({ statistic: 'p90' }).statistic).toBe('p90');
  });

  test('the metric filter counts the error lines of the task log group into PaymentMigration/DMS', () => {
    const filter = only(template, 'AWS::Logs::MetricFilter').Properties;
    expect(filter).toEqual({
      LogGroupName: { Ref: expect.stringMatching(/^DmsTaskLogs/) },
      FilterPattern: '"]E:"',
      MetricTransformations: [
        { MetricNamespace: 'PaymentMigration/DMS', MetricName: `TaskLogErrors-${dms.replicationInstanceIdentifier}`, MetricValue: '1', DefaultValue: 0 },
      ],
    });
    // DMS log lines as the DMS troubleshooting guide prints them: only the error line holds the term
    const term = JSON.parse(filter.FilterPattern);
    expect('2017-09-19T03:00:49 [TARGET_APPLY    ]E:  RetCode: SQL_ERROR  SqlState: 22P02'.includes(term)).toBe(true);
    expect('2021-11-10T23:58:14 [AT_GLOBAL       ]I:  Closing log file'.includes(term)).toBe(false);
    expect('2021-11-10T23:58:14 [SOURCE_CAPTURE  ]W:  Binary log retention is short'.includes(term)).toBe(false);
  });

  test('metricTaskErrors and taskErrorAlarm: Sum over 5 minutes, > 0 once, missing data not breaching, not acknowledged (nothing reads it: it needs an action)', () => {
    const metric = dms.metricTaskErrors();
    expect({ ns: metric.namespace, name: metric.metricName, stat: metric.statistic, period: metric.period.toSeconds() }).toEqual({
      ns: 'PaymentMigration/DMS',
      name: `TaskLogErrors-${dms.replicationInstanceIdentifier}`,
      stat: 'Sum',
      period: 300,
    });
    const alarm = only(template, 'AWS::CloudWatch::Alarm', { Properties: { Namespace: 'PaymentMigration/DMS' } }).Properties;
    expect(alarm).toMatchObject({
      MetricName: `TaskLogErrors-${dms.replicationInstanceIdentifier}`,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.Dimensions).toBeUndefined();
    expect(alarm.AlarmActions).toBeUndefined();
    const acknowledged = (c: IConstruct) =>
      c.node.findAll().flatMap((n) => n.node.metadata).some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && JSON.stringify(m.data).includes('CloudWatchAlarmAction'));
    expect(acknowledged(dms.taskErrorAlarm)).toBe(false);
  });

  test('alarm actions reach the task error alarm too', () => {
    const { template: t } = build((f) => ({
      alarmActions: [new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(f.stack, 'Ops', `arn:aws:sns:${REGION}:${ACCOUNT}:ops`))],
    }));
    const alarm = only(t, 'AWS::CloudWatch::Alarm', { Properties: { Namespace: 'PaymentMigration/DMS' } }).Properties;
    expect(alarm.AlarmActions).toEqual([`arn:aws:sns:${REGION}:${ACCOUNT}:ops`]);
    expect(alarm.OKActions).toEqual([`arn:aws:sns:${REGION}:${ACCOUNT}:ops`]);
  });

  test('no notification topic, no EventBridge rule', () => {
    template.resourceCountIs('AWS::Events::Rule', 0);
    expect(dms.taskStateChangeRule).toBeUndefined();
  });

  test('notificationTopic: a rule on the documented DMS task state-change events of both tasks, to the topic', () => {
    const { template: t, dms: d } = build((f) => ({ reverseReplication: true, notificationTopic: sns.Topic.fromTopicArn(f.stack, 'States', TOPIC_ARN) }));
    const rule = only(t, 'AWS::Events::Rule').Properties;
    expect(rule.EventPattern).toEqual({
      'source': ['aws.dms'],
      'detail-type': ['DMS Replication Task State Change'],
      'resources': [taskRef('Task'), taskRef('ReverseTask')],
    });
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets).toEqual([expect.objectContaining({ Arn: TOPIC_ARN })]);
    expect(d.taskStateChangeRule).toBeDefined();
  });
});

describe('DmsReplication dashboardWidgets', () => {
  /** Every metric line of the widgets, resolved: [namespace, metricName, dimension name, value, …, options?]. */
  function metricLines(stack: Stack, widgets: ReturnType<DmsReplication['dashboardWidgets']>): any[][] {
    const json = stack.resolve(widgets.flatMap((w) => w.toJson()));
    return json.flatMap((w: any) => (w.properties.metrics ?? []) as any[][]);
  }
  const named = (lines: any[][], name: string) => lines.filter((l) => l[1] === name);

  test('graphs the forward task metrics with its dimensions, the threshold, the gates and the task error alarm', () => {
    const { dms, stack } = build();
    const widgets = dms.dashboardWidgets();
    const json = stack.resolve(widgets.flatMap((w) => w.toJson()));
    const lines = metricLines(stack, widgets);
    for (const name of ['CDCLatencySource', 'CDCLatencyTarget', 'CDCIncomingChanges', 'FullLoadThroughputRowsTarget', 'CDCThroughputRowsTarget',
      'ValidationFailedOverallCount', 'ValidationSuspendedOverallCount', 'ValidationPendingOverallCount']) {
      const [line] = named(lines, name);
      expect(line?.slice(0, 6)).toEqual(['AWS/DMS', name, 'ReplicationInstanceIdentifier', dms.replicationInstanceIdentifier, 'ReplicationTaskIdentifier', resourceIdOf('Task')]);
    }
    const latency = json.find((w: any) => w.properties.title?.includes('CDC latency'));
    expect(latency.properties.annotations.horizontal).toEqual([expect.objectContaining({ value: 5 })]);
    const gates = json.find((w: any) => w.type === 'alarm');
    expect(gates.properties.alarms).toHaveLength(4);
    const errors = json.find((w: any) => w.properties.annotations?.alarms);
    expect(errors.properties.annotations.alarms).toEqual([stack.resolve(dms.taskErrorAlarm.alarmArn)]);
    expect(JSON.stringify(json)).not.toContain('DmsReverseTask');
  });

  test('with the reverse task: its latency and backlog, with its own resource id; without validation: no validation graph', () => {
    const { dms, stack } = build(() => ({ reverseReplication: true, validation: false }));
    const lines = metricLines(stack, dms.dashboardWidgets());
    const reverseLines = lines.filter((l) => JSON.stringify(l).includes('DmsReverseTask'));
    expect(reverseLines.map((l) => l[1])).toEqual(['CDCLatencySource', 'CDCLatencyTarget', 'CDCIncomingChanges']);
    expect(reverseLines[0][5]).toEqual(resourceIdOf('ReverseTask'));
    expect(named(lines, 'ValidationFailedOverallCount')).toEqual([]);
  });
});

describe('DmsReplication cdk-nag with the reverse task and the notification rule', () => {
  test('no unacknowledged finding (AwsSolutions, PCI DSS 3.2.1, NIST 800-53 r5)', () => {
    const { stack, template } = build((f) => ({
      reverseReplication: true,
      notificationTopic: sns.Topic.fromTopicArn(f.stack, 'States', TOPIC_ARN),
      aurora: { ...fixture().props.aurora, connections: f.targetSg, sslMode: DmsSslMode.VERIFY_FULL, certificateArn: RDS_CA_ARN },
    }));
    template.resourceCountIs('AWS::DMS::ReplicationTask', 2);
    // used alone, without alarmActions: only its alarms are findings (nothing pages anyone; PaymentMigration routes them)
    // the reverse task's two latency alarms are findings like the others (PaymentMigration routes them to its topic)
    expect(expectOnlyUnroutedAlarmFindings(stack)).toEqual([
      'Target/Dms/CdcLatencySourceAlarm', 'Target/Dms/CdcLatencyTargetAlarm',
      'Target/Dms/ReverseCdcLatencySourceAlarm', 'Target/Dms/ReverseCdcLatencyTargetAlarm',
      'Target/Dms/TaskErrorAlarm', 'Target/Dms/ValidationFailureAlarm',
    ]);
  });
});
