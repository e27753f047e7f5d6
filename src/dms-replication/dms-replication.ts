import { Annotations, CfnOutput, Duration, Fn, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dms from 'aws-cdk-lib/aws-dms';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { buildDashboardWidgets } from './dashboard';
import { DmsReplicationProps, DatabaseEngine, DmsSslMode } from './props';
import { DmsServiceRoles } from './service-roles';
import { buildReverseTaskSettings, buildTableMappings, buildTaskSettings, CONTROL_SCHEMA, REVERSE_CONTROL_SCHEMA } from './task-settings';
import { validateDmsReplicationProps } from './validate-props';
import { createRegionalKey, foreignKeyRegion } from '../private/kms';
import { acknowledgeGateAlarm } from '../private/nag';
import { PropsValidator } from '../private/validation';

/** The CloudWatch namespace of the metrics this library derives from the DMS task logs. */
const LOG_METRICS_NAMESPACE = 'PaymentMigration/DMS';
/**
 * DMS task log lines read `<timestamp> [<COMPONENT>      ]<severity>:  <message>`, the severity `E` for errors, `W`
 * for warnings, `I` for information (e.g. `[SOURCE_CAPTURE  ]E:  RetCode: SQL_ERROR …`): an error line holds `]E:`.
 * A quoted term matches it wherever it occurs; check with
 * `aws logs test-metric-filter --filter-pattern '"]E:"' --log-event-messages '…'`.
 */
const ERROR_LINE_TERM = ']E:';
/** The detail type of the EventBridge events DMS sends when a replication task changes state. */
const TASK_STATE_CHANGE = 'DMS Replication Task State Change';

/**
 * The AWS DMS replication from the on-premises database (MySQL or PostgreSQL) into Aurora of the same engine family
 * (Aurora MySQL or Aurora PostgreSQL): a private, Multi-AZ, KMS-encrypted replication instance behind its own
 * security group (egress only to the source CIDRs on the source port, to the target on its port and to Secrets
 * Manager), source and target endpoints that read their credentials from existing secrets through a least-privilege
 * access role over TLS, and a `full-load-and-cdc` task with row-level validation, a recovery table and logging to an
 * encrypted log group kept a year. CDC latency and validation failures are alarmed for the cutover gate; error lines
 * of the task logs are counted and alarmed too.
 *
 * For a single-writer cutover, `reverseReplication` prepares a CDC-only task Aurora → on-premises, created stopped,
 * which keeps the on-premises database current once the writer has moved to Aurora, so that a rollback loses nothing.
 *
 * CloudFormation creates the tasks but does not start them: start the forward task with the command in the
 * `StartTaskCommand` output (or from the orchestrator), after the target schema exists (the task never creates nor
 * drops tables).
 *
 * > **N.B.:** DMS requires the account-level roles `dms-vpc-role` and `dms-cloudwatch-logs-role`. Create them in an
 * > earlier stack with {@link DmsReplication.createServiceRoles}.
 *
 * @example
 * declare const network: RegionalNetwork;
 * declare const db: ec2.IConnectable;
 * new DmsReplication(this, 'Replication', {
 *   vpc: network.vpc,
 *   source: {
 *     host: '192.168.10.20',
 *     databaseName: 'payments',
 *     secret: secretsmanager.Secret.fromSecretCompleteArn(this, 'SourceSecret', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dms/source-AbCdEf'),
 *     certificateArn: 'arn:aws:dms:eu-west-1:111111111111:cert:onprem-ca',
 *   },
 *   datacenterCidrs: ['192.168.10.0/24'],
 *   target: {
 *     host: 'payments.cluster-abc.eu-west-1.rds.amazonaws.com',
 *     port: 3307,
 *     secret: secretsmanager.Secret.fromSecretCompleteArn(this, 'TargetSecret', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dms/target-GhIjKl'),
 *     connections: db,
 *   },
 *   reverseReplication: true,
 * });
 */
export class DmsReplication extends Construct implements ec2.IConnectable {
  /**
   * Creates the account-level roles `dms-vpc-role` and `dms-cloudwatch-logs-role`, with customer-managed policies
   * equivalent to `AmazonDMSVPCManagementRole` and `AmazonDMSCloudWatchLogsRole`. Call it in a stack deployed
   * **before** the stacks holding DMS resources, once per account.
   */
  public static createServiceRoles(scope: Construct, id: string = 'DmsServiceRoles'): DmsServiceRoles {
    return new DmsServiceRoles(scope, id);
  }

  /** The replication instance identifier (the `ReplicationInstanceIdentifier` metric dimension). */
  public readonly replicationInstanceIdentifier: string;
  /** The replication instance ARN. */
  public readonly replicationInstanceArn: string;
  /** The replication task identifier (its name). */
  public readonly replicationTaskIdentifier: string;
  /** The replication task ARN. */
  public readonly replicationTaskArn: string;
  /**
   * The task's resource id, the last part of its ARN. CloudWatch's `ReplicationTaskIdentifier` dimension and the log
   * stream (`dms-task-<id>`) use this, not the task identifier.
   */
  public readonly replicationTaskResourceId: string;
  /** The source endpoint. */
  public readonly datacenterEndpoint: dms.CfnEndpoint;
  /** The target endpoint. */
  public readonly auroraEndpoint: dms.CfnEndpoint;
  /** The source endpoint ARN. */
  public readonly datacenterEndpointArn: string;
  /** The target endpoint ARN. */
  public readonly auroraEndpointArn: string;
  /** The source host, as given. */
  public readonly datacenterHost: string;
  /** The replication instance. */
  public readonly replicationInstance: dms.CfnReplicationInstance;
  /** The replication task. */
  public readonly replicationTask: dms.CfnReplicationTask;
  /** The replication instance's security group. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The replication instance's connections. */
  public readonly connections: ec2.Connections;
  /** The key of the instance storage, the endpoints and the task logs. */
  public readonly key: kms.IKey;
  /** The task log group, `dms-tasks-<replication instance identifier>`. */
  public readonly logGroup: logs.LogGroup;
  /** The role DMS assumes to read the two secrets. */
  public readonly secretsAccessRole: iam.Role;
  /** The account-level service roles, when `createDmsServiceRoles` is set. */
  public readonly serviceRoles?: DmsServiceRoles;
  /** Fires when `CDCLatencySource` stays above the threshold. */
  public readonly cdcLatencySourceAlarm: cloudwatch.Alarm;
  /** Fires when `CDCLatencyTarget` stays above the threshold. */
  public readonly cdcLatencyTargetAlarm: cloudwatch.Alarm;
  /** Fires when any row fails validation (`ValidationFailedOverallCount` > 0), when validation is on. */
  public readonly validationFailureAlarm?: cloudwatch.Alarm;
  /**
   * Counts the error lines (`]E:`) of the task logs into {@link DmsReplication.metricTaskErrors}. DMS writes the logs
   * of every task of the replication instance to one group, so the count covers the forward and the reverse task.
   */
  public readonly taskErrorsFilter: logs.MetricFilter;
  /** Fires when the task logs hold any error line within 5 minutes (missing data is not breaching: no logs, no errors). */
  public readonly taskErrorAlarm: cloudwatch.Alarm;
  /** The reverse task (Aurora → on-premises, CDC only, never started by CloudFormation), with `reverseReplication`. */
  public readonly reverseReplicationTask?: dms.CfnReplicationTask;
  /** The reverse task's ARN, with `reverseReplication`. */
  public readonly reverseReplicationTaskArn?: string;
  /** The reverse task's identifier (its name), with `reverseReplication`. */
  public readonly reverseReplicationTaskIdentifier?: string;
  /**
   * The reverse task's resource id, the last part of its ARN: its `ReplicationTaskIdentifier` metric dimension, with
   * `reverseReplication`.
   */
  public readonly reverseReplicationTaskResourceId?: string;
  /** The reverse task's source endpoint: the Aurora writer, with the target's secret, TLS mode and certificate. */
  public readonly reverseAuroraEndpoint?: dms.CfnEndpoint;
  /** The reverse task's target endpoint: the on-premises database, with the source's secret, TLS mode and certificate. */
  public readonly reverseDatacenterEndpoint?: dms.CfnEndpoint;
  /** The reverse source endpoint's ARN, with `reverseReplication`. */
  public readonly reverseAuroraEndpointArn?: string;
  /** The reverse target endpoint's ARN, with `reverseReplication`. */
  public readonly reverseDatacenterEndpointArn?: string;
  /** The EventBridge rule that tells `notificationTopic` of the tasks' state changes, when a topic is given. */
  public readonly taskStateChangeRule?: events.Rule;

  private readonly cdcLatencyThresholdSeconds: number;
  private readonly validationEnabled: boolean;

  constructor(scope: Construct, id: string, props: DmsReplicationProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const stackRegion = Token.isUnresolved(stack.region) ? undefined : stack.region;
    const engine = props.datacenter.engine ?? DatabaseEngine.MYSQL;
    const targetEngine = props.aurora.engine ?? engine;
    const sourcePort = props.datacenter.port ?? (engine === DatabaseEngine.POSTGRESQL ? 5432 : 3306);
    const sourceSslMode = props.datacenter.sslMode ?? DmsSslMode.VERIFY_FULL;
    const targetSslMode = props.aurora.sslMode ?? DmsSslMode.REQUIRE;
    const vpcCidrBlock = cidrBlockOf(props.vpc);
    const vpcCidr = vpcCidrBlock === undefined || Token.isUnresolved(vpcCidrBlock) ? undefined : vpcCidrBlock;

    const v = new PropsValidator(this, 'DmsReplication');
    validateDmsReplicationProps(v, props, { stackRegion, sourceEngine: engine, sourcePort, sourceSslMode, targetSslMode, vpcCidr });
    const keyRegion = foreignKeyRegion(this, props.encryptionKey);
    v.check(keyRegion === undefined, 'encryptionKey', `must be a key in the stack's region ${stackRegion} (KMS keys are regional)`, keyRegion);
    const subnets = props.vpc.selectSubnets(props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    const azs = new Set(subnets.subnets.map((s) => s.availabilityZone).filter((az) => !Token.isUnresolved(az)));
    v.check(
      subnets.subnetIds.length === 0 || azs.size === 0 || azs.size >= 2,
      'subnets',
      'must span at least two AZs (a DMS subnet group needs two; Multi-AZ needs them)',
      [...azs],
    );
    v.check(
      props.secretsManagerEndpoint !== undefined || vpcCidrBlock !== undefined,
      'secretsManagerEndpoint',
      "must be given when the VPC's CIDR block is unknown (an imported VPC without `vpcCidrBlock`): HTTPS egress to Secrets Manager goes to it",
      props.secretsManagerEndpoint,
    );
    v.check(subnets.subnetIds.length > 0, 'subnets', 'must select at least one subnet of the VPC', props.subnets ?? 'PRIVATE_WITH_EGRESS');
    v.throwIfInvalid();

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.datacenterHost = props.datacenter.host;
    this.replicationInstanceIdentifier = props.replicationInstanceIdentifier?.toLowerCase() ?? this.derivedIdentifier('rep');
    this.replicationTaskIdentifier = props.replicationTaskIdentifier ?? this.derivedIdentifier('task');

    // --- Account-level roles (only on request: see createDmsServiceRoles)
    if (props.createDmsServiceRoles) {
      this.serviceRoles = new DmsServiceRoles(this, 'ServiceRoles');
      Annotations.of(this).addWarningV2(
        'cdk-payment-migration:dmsServiceRolesSameDeploy',
        'createDmsServiceRoles creates dms-vpc-role and dms-cloudwatch-logs-role in the same deployment as the DMS ' +
          'resources: IAM propagation can race the DMS API (aws/aws-cdk#7632). Prefer DmsReplication.createServiceRoles() in an earlier stack.',
      );
    }

    // --- Key: instance storage, endpoint connection parameters, task logs
    this.key = props.encryptionKey ?? this.createKey(removalPolicy);

    // --- Network: private subnets with the VPN routes, own security group, egress only where needed
    const subnetGroup = new dms.CfnReplicationSubnetGroup(this, 'SubnetGroup', {
      replicationSubnetGroupDescription: `Subnets of the DMS replication instance ${this.replicationInstanceIdentifier}`,
      subnetIds: subnets.subnetIds,
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `DMS replication instance ${this.replicationInstanceIdentifier}: egress to the source, the target and Secrets Manager only`,
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [this.securityGroup] });
    for (const cidr of props.datacenterCidrs) {
      this.securityGroup.addEgressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(sourcePort), `On-premises source database (${engine}) over the VPN`);
    }
    this.connections.allowTo(props.aurora.connections, ec2.Port.tcp(props.aurora.port), 'DMS replication instance to the Aurora target');
    if (props.secretsManagerEndpoint) {
      this.connections.allowTo(props.secretsManagerEndpoint, ec2.Port.tcp(443), 'DMS replication instance to the Secrets Manager endpoint');
    } else {
      this.securityGroup.addEgressRule(ec2.Peer.ipv4(vpcCidrBlock!), ec2.Port.tcp(443), 'Secrets Manager interface endpoint in this VPC');
    }

    // --- The replication instance: never public
    this.replicationInstance = new dms.CfnReplicationInstance(this, 'Instance', {
      replicationInstanceIdentifier: this.replicationInstanceIdentifier,
      replicationInstanceClass: props.replicationInstanceClass ?? 'dms.r6i.large',
      allocatedStorage: props.allocatedStorage ?? 100,
      multiAz: props.multiAz ?? true,
      publiclyAccessible: false,
      kmsKeyId: this.key.keyArn,
      engineVersion: props.engineVersion,
      autoMinorVersionUpgrade: props.autoMinorVersionUpgrade ?? true,
      allowMajorVersionUpgrade: false,
      replicationSubnetGroupIdentifier: subnetGroup.ref,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
    });
    this.replicationInstanceArn = this.replicationInstance.ref;

    // --- Credentials: the two existing secrets, read by DMS through a role that can do nothing else
    this.secretsAccessRole = this.createSecretsAccessRole(props);

    // --- Endpoints: the on-premises database and the Aurora writer, each with its secret, TLS mode and CA
    const onPremises: EndpointSide = {
      engineName: engine,
      databaseName: props.datacenter.databaseName, // the forward source keeps it, as deployed (see the reverse target)
      sslMode: sourceSslMode,
      certificateArn: this.certificate('SourceCertificate', props.datacenter),
      ...this.secretSettings(engine, props.datacenter.secret),
    };
    const aurora: EndpointSide = {
      engineName: targetEngine === DatabaseEngine.POSTGRESQL ? 'aurora-postgresql' : 'aurora',
      databaseName: targetEngine === DatabaseEngine.POSTGRESQL ? props.aurora.databaseName ?? props.datacenter.databaseName : undefined,
      sslMode: targetSslMode,
      certificateArn: this.certificate('TargetCertificate', props.aurora),
      ...this.secretSettings(targetEngine, props.aurora.secret),
    };
    this.datacenterEndpoint = this.endpoint('SourceEndpoint', 'source', 'source', onPremises);
    this.auroraEndpoint = this.endpoint('TargetEndpoint', 'target', 'target', aurora);
    this.datacenterEndpointArn = this.datacenterEndpoint.ref;
    this.auroraEndpointArn = this.auroraEndpoint.ref;

    // --- The task log group DMS writes to, created first: encrypted, kept a year
    this.logGroup = new logs.LogGroup(this, 'TaskLogs', {
      logGroupName: `dms-tasks-${this.replicationInstanceIdentifier}`,
      encryptionKey: this.key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });

    // --- The task: full load, then CDC, validated, recoverable, logged
    const schemas = props.includedSchemas ?? (engine === DatabaseEngine.POSTGRESQL ? ['%'] : [props.datacenter.databaseName]);
    const validation = props.validation ?? true;
    this.replicationTask = new dms.CfnReplicationTask(this, 'Task', {
      replicationTaskIdentifier: this.replicationTaskIdentifier,
      migrationType: 'full-load-and-cdc',
      replicationInstanceArn: this.replicationInstanceArn,
      sourceEndpointArn: this.datacenterEndpointArn,
      targetEndpointArn: this.auroraEndpointArn,
      tableMappings: JSON.stringify(buildTableMappings(schemas)),
      replicationTaskSettings: JSON.stringify(buildTaskSettings({ validation })),
    });
    this.replicationTask.node.addDependency(this.logGroup);
    this.replicationTaskArn = this.replicationTask.ref;
    this.replicationTaskResourceId = taskResourceId(this.replicationTaskArn);

    // --- The prepared reverse task: Aurora → on-premises, CDC only, created stopped
    if (props.reverseReplication) {
      // The source's MySQL endpoint carries a database name (kept as deployed); the reverse endpoints follow the DMS
      // rule for MySQL endpoints (none: the schemas come from the table mappings).
      const mysqlWithoutDatabase = (side: EndpointSide): EndpointSide =>
        side.engineName === DatabaseEngine.MYSQL ? { ...side, databaseName: undefined } : side;
      this.reverseAuroraEndpoint = this.endpoint('ReverseSourceEndpoint', 'source', 'reverse-source', aurora);
      this.reverseDatacenterEndpoint = this.endpoint('ReverseTargetEndpoint', 'target', 'reverse-target', mysqlWithoutDatabase(onPremises));
      this.reverseAuroraEndpointArn = this.reverseAuroraEndpoint.ref;
      this.reverseDatacenterEndpointArn = this.reverseDatacenterEndpoint.ref;
      this.reverseReplicationTaskIdentifier = `${this.replicationTaskIdentifier}-reverse`;
      this.reverseReplicationTask = new dms.CfnReplicationTask(this, 'ReverseTask', {
        replicationTaskIdentifier: this.reverseReplicationTaskIdentifier,
        migrationType: 'cdc',
        replicationInstanceArn: this.replicationInstanceArn,
        sourceEndpointArn: this.reverseAuroraEndpointArn,
        targetEndpointArn: this.reverseDatacenterEndpointArn,
        tableMappings: JSON.stringify(buildTableMappings(schemas, [CONTROL_SCHEMA, REVERSE_CONTROL_SCHEMA])),
        replicationTaskSettings: JSON.stringify(buildReverseTaskSettings({ validation })),
      });
      this.reverseReplicationTask.node.addDependency(this.logGroup);
      this.reverseReplicationTaskArn = this.reverseReplicationTask.ref;
      this.reverseReplicationTaskResourceId = taskResourceId(this.reverseReplicationTaskArn);
      Annotations.of(this).addWarningV2(
        'cdk-payment-migration:dmsReverseReplicationPrerequisites',
        'reverseReplication: the datacenter user of datacenter.secret needs write privileges for the reverse task (the ' +
          'forward task reads with the same credentials), and the Aurora cluster needs binary logging (MySQL) or logical ' +
          'replication (PostgreSQL) before the cutover. Never run the forward and reverse tasks at the same time.',
      );
    }

    if (this.serviceRoles) {
      const roles = this.serviceRoles;
      const resources = [subnetGroup, this.replicationInstance, this.datacenterEndpoint, this.auroraEndpoint, this.replicationTask];
      for (const resource of [...resources, this.reverseAuroraEndpoint, this.reverseDatacenterEndpoint, this.reverseReplicationTask]) {
        resource?.node.addDependency(roles);
      }
    }

    // --- Task errors: the error lines of the task logs, counted
    this.taskErrorsFilter = new logs.MetricFilter(this, 'TaskErrorsFilter', {
      logGroup: this.logGroup,
      filterPattern: logs.FilterPattern.anyTerm(ERROR_LINE_TERM),
      metricNamespace: LOG_METRICS_NAMESPACE,
      metricName: this.taskErrorsMetricName(),
      metricValue: '1',
      defaultValue: 0,
    });

    // --- Gates: CDC latency on both sides, validation failures
    const threshold = (props.cdcLatencyThreshold ?? Duration.seconds(5)).toSeconds({ integral: false });
    this.cdcLatencyThresholdSeconds = threshold;
    this.validationEnabled = validation;
    const periods = props.alarmEvaluationPeriods ?? 3;
    const latencyAlarm = (alarmId: string, metric: cloudwatch.Metric, side: string) =>
      metric.createAlarm(this, alarmId, {
        alarmDescription:
          `DMS task ${this.replicationTaskIdentifier}: CDC latency (${side}) above ${threshold} s, or no figure ` +
          '(task stopped or failed): the target is not in sync, do not cut over',
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING, // no latency figure is no proof of sync
      });
    this.cdcLatencySourceAlarm = latencyAlarm('CdcLatencySourceAlarm', this.metricCdcLatencySource(), 'source');
    this.cdcLatencyTargetAlarm = latencyAlarm('CdcLatencyTargetAlarm', this.metricCdcLatencyTarget(), 'target');
    if (validation) {
      this.validationFailureAlarm = this.metricValidationFailures().createAlarm(this, 'ValidationFailureAlarm', {
        alarmDescription:
          `DMS task ${this.replicationTaskIdentifier}: rows failed validation (see ${CONTROL_SCHEMA}.awsdms_validation_failures_v1 on the target)`,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, // reported only while validation runs; the latency alarms catch a stopped task
      });
    }
    this.taskErrorAlarm = this.metricTaskErrors().createAlarm(this, 'TaskErrorAlarm', {
      alarmDescription:
        `DMS replication instance ${this.replicationInstanceIdentifier}: error lines in the task logs (dms-tasks-${this.replicationInstanceIdentifier}, ` +
        'forward and reverse task alike) within 5 minutes: read the log streams dms-task-<task resource id>',
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, // no log line, no error; the latency alarms catch a silent task
    });
    for (const alarm of [this.cdcLatencySourceAlarm, this.cdcLatencyTargetAlarm, this.validationFailureAlarm, this.taskErrorAlarm]) {
      if (!alarm) continue;
      if (props.alarmActions && props.alarmActions.length > 0) {
        alarm.addAlarmAction(...props.alarmActions);
        alarm.addOkAction(...props.alarmActions);
      } else {
        acknowledgeGateAlarm(alarm);
      }
    }

    // --- Task state changes to a topic (EventBridge event documented by DMS: source aws.dms, resources = task ARN)
    if (props.notificationTopic) {
      this.taskStateChangeRule = this.notifyTaskStateChanges(props.notificationTopic);
    }

    if (props.createOutputs ?? true) {
      this.createOutputs();
    }
  }

  /**
   * Tells `topic` of the tasks' state changes (started, stopped, failed…) through an EventBridge rule: what
   * `notificationTopic` does, for a topic made after this construct (the migration's). A KMS-encrypted topic needs
   * its key to let `events.amazonaws.com` use it.
   */
  public notifyTaskStateChanges(topic: sns.ITopic): events.Rule {
    return new events.Rule(this, 'TaskStateChangeRule', {
      description: `State changes of the DMS tasks of ${this.replicationInstanceIdentifier} (started, stopped, failed...)`,
      eventPattern: {
        source: ['aws.dms'],
        detailType: [TASK_STATE_CHANGE],
        resources: [this.replicationTaskArn, ...(this.reverseReplicationTaskArn ? [this.reverseReplicationTaskArn] : [])],
      },
      targets: [new targets.SnsTopic(topic)],
    });
  }

  /**
   * `CDCLatencySource`: the gap, in seconds, between the last event captured from the source and now.
   *
   * @default - Maximum over 1 minute
   */
  public metricCdcLatencySource(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.taskMetric('CDCLatencySource', cloudwatch.Unit.SECONDS, props);
  }

  /**
   * `CDCLatencyTarget`: the gap, in seconds, between the oldest event not yet committed on the target and now.
   * Replication lag is source + target latency.
   *
   * @default - Maximum over 1 minute
   */
  public metricCdcLatencyTarget(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.taskMetric('CDCLatencyTarget', cloudwatch.Unit.SECONDS, props);
  }

  /**
   * `ValidationFailedOverallCount`: rows where validation failed.
   *
   * @default - Maximum over 1 minute
   */
  public metricValidationFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.taskMetric('ValidationFailedOverallCount', cloudwatch.Unit.COUNT, props);
  }

  /**
   * `ValidationSuspendedOverallCount`: rows whose validation was suspended (e.g. rows changing too often).
   *
   * @default - Maximum over 1 minute
   */
  public metricValidationSuspended(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.taskMetric('ValidationSuspendedOverallCount', cloudwatch.Unit.COUNT, props);
  }

  /**
   * `ValidationPendingOverallCount`: rows whose validation is still pending.
   *
   * @default - Maximum over 1 minute
   */
  public metricValidationPending(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.taskMetric('ValidationPendingOverallCount', cloudwatch.Unit.COUNT, props);
  }

  /**
   * `CDCIncomingChanges`: change events captured and waiting to be applied to the target, at a point in time. It
   * must come down to 0 (after writes stop on the source) before the writer moves.
   *
   * @default - Maximum over 1 minute
   */
  public metricCdcIncomingChanges(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.taskMetric('CDCIncomingChanges', cloudwatch.Unit.COUNT, props);
  }

  /**
   * `FullLoadThroughputRowsTarget`: rows per second written to the target by the full load.
   *
   * @default - Average over 1 minute
   */
  public metricFullLoadThroughputRowsTarget(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.taskMetric('FullLoadThroughputRowsTarget', undefined, { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /**
   * `CDCThroughputRowsTarget`: changes per second applied to the target during CDC.
   *
   * @default - Average over 1 minute
   */
  public metricCdcThroughputRowsTarget(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.taskMetric('CDCThroughputRowsTarget', undefined, { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /**
   * The error lines (`]E:`) of the task logs, counted by a metric filter on the task log group into the
   * `PaymentMigration/DMS` namespace. DMS writes the logs of every task of the replication instance to that one
   * group and a metric filter cannot tell the log streams apart (nor take a dimension that is not a field of the log
   * line), so the metric is named after the replication instance and counts the forward and the reverse task alike.
   *
   * @default - Sum over 5 minutes
   */
  public metricTaskErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: LOG_METRICS_NAMESPACE,
      metricName: this.taskErrorsMetricName(),
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...props,
    });
  }

  /**
   * Any task metric of AWS/DMS, with the task's dimensions: `ReplicationInstanceIdentifier` (the instance
   * identifier) and `ReplicationTaskIdentifier` (the task's resource id, from its ARN — not the task identifier).
   *
   * @default - Maximum over 1 minute
   */
  public metricTask(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.taskMetric(metricName, undefined, props);
  }

  /**
   * Any task metric of AWS/DMS for the reverse task (e.g. `CDCLatencySource`, `CDCLatencyTarget`,
   * `CDCIncomingChanges`), with its dimensions. Throws unless `reverseReplication` is on.
   *
   * @default - Maximum over 1 minute
   */
  public metricReverseTask(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (this.reverseReplicationTaskResourceId === undefined) {
      throw new Error(`DmsReplication at ${this.node.path}: metricReverseTask('${metricName}') needs \`reverseReplication: true\` (no reverse task was prepared)`);
    }
    return this.taskMetric(metricName, undefined, props, this.reverseReplicationTaskResourceId);
  }

  /**
   * The widgets of this replication for a migration dashboard: the gate alarms' states, CDC latency (source and
   * target, with the cutover threshold), incoming changes, throughput (full load and CDC), validation (failed,
   * suspended, pending, when validation is on), task log errors (the alarm), and the reverse task's latency and
   * incoming changes when it is prepared. Each call creates new widgets.
   */
  public dashboardWidgets(): cloudwatch.IWidget[] {
    return buildDashboardWidgets(this, { thresholdSeconds: this.cdcLatencyThresholdSeconds, validation: this.validationEnabled });
  }

  private taskMetric(
    metricName: string,
    unit: cloudwatch.Unit | undefined,
    props?: cloudwatch.MetricOptions,
    resourceId: string = this.replicationTaskResourceId,
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/DMS',
      metricName,
      dimensionsMap: {
        ReplicationInstanceIdentifier: this.replicationInstanceIdentifier,
        ReplicationTaskIdentifier: resourceId,
      },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
      unit,
      ...props,
    });
  }

  private taskErrorsMetricName(): string {
    return `TaskLogErrors-${this.replicationInstanceIdentifier}`;
  }

  private endpoint(id: string, endpointType: 'source' | 'target', suffix: string, side: EndpointSide): dms.CfnEndpoint {
    return new dms.CfnEndpoint(this, id, {
      endpointIdentifier: `${this.replicationInstanceIdentifier}-${suffix}`,
      endpointType,
      kmsKeyId: this.key.keyArn,
      ...side,
    });
  }

  private derivedIdentifier(suffix: string): string {
    const base = Names.uniqueResourceName(this, { maxLength: 56, separator: '-' })
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '');
    const id = `${base}-${suffix}`;
    return /^[a-z]/.test(id) ? id : `dms-${id}`;
  }

  private createKey(removalPolicy: RemovalPolicy): kms.Key {
    const key = createRegionalKey(this, 'Key', {
      description: `Encrypts the DMS replication ${this.replicationInstanceIdentifier}: instance storage, endpoint settings, task logs`,
      services: ['logs'],
      removalPolicy,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowDmsOfThisAccount',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:CallerAccount': Stack.of(this).account, 'kms:ViaService': `dms.${Stack.of(this).region}.amazonaws.com` },
        },
      }),
    );
    return key;
  }

  private createSecretsAccessRole(props: DmsReplicationProps): iam.Role {
    const role = new iam.Role(this, 'SecretsAccessRole', {
      description: `AWS DMS reads the source and target credentials of ${this.replicationInstanceIdentifier} (nothing else)`,
      assumedBy: new iam.ServicePrincipal(`dms.${Stack.of(this).region}.amazonaws.com`, {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadTheTwoEndpointSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.datacenter.secret.secretFullArn!, props.aurora.secret.secretFullArn!],
      }),
    ];
    const keys = [
      props.datacenter.secretEncryptionKey ?? props.datacenter.secret.encryptionKey,
      props.aurora.secretEncryptionKey ?? props.aurora.secret.encryptionKey,
    ]
      .filter((k): k is kms.IKey => k !== undefined)
      .map((k) => k.keyArn);
    const uniqueKeys = [...new Set(keys)];
    if (uniqueKeys.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'DecryptTheSecretsThroughSecretsManager',
          actions: ['kms:Decrypt'],
          resources: uniqueKeys,
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
    // A customer-managed policy rather than an inline one (PCI DSS / NIST IAMNoInlinePolicy).
    new iam.ManagedPolicy(this, 'SecretsAccessPolicy', {
      description: `AWS DMS: read the two endpoint secrets of ${this.replicationInstanceIdentifier}`,
      roles: [role],
      statements,
    });
    return role;
  }

  private secretSettings(engine: DatabaseEngine, secret: secretsmanager.ISecret): Pick<EndpointSide, 'mySqlSettings' | 'postgreSqlSettings'> {
    const settings = { secretsManagerSecretId: secret.secretFullArn!, secretsManagerAccessRoleArn: this.secretsAccessRole.roleArn };
    return engine === DatabaseEngine.POSTGRESQL ? { postgreSqlSettings: settings } : { mySqlSettings: settings };
  }

  /** The DMS certificate of one side: the ARN given, or one `AWS::DMS::Certificate` imported from the PEM. */
  private certificate(id: string, db: { certificateArn?: string; certificatePem?: string }): string | undefined {
    if (db.certificateArn) {
      return db.certificateArn;
    }
    if (db.certificatePem) {
      return new dms.CfnCertificate(this, id, { certificatePem: db.certificatePem }).ref;
    }
    return undefined;
  }

  private createOutputs(): void {
    const arn = this.replicationTaskArn;
    new CfnOutput(this, 'ReplicationTaskArn', { value: arn, description: 'DMS replication task ARN' });
    new CfnOutput(this, 'ReplicationInstanceArn', { value: this.replicationInstanceArn, description: 'DMS replication instance ARN' });
    new CfnOutput(this, 'TaskStatusCommand', {
      description: 'Shows the DMS task status, full-load progress and validation state',
      value: this.statusCommand(arn),
    });
    if (this.reverseReplicationTaskArn) {
      new CfnOutput(this, 'ReverseReplicationTaskArn', {
        value: this.reverseReplicationTaskArn,
        description: 'DMS reverse task ARN (Aurora to on-premises, CDC only): start it at the cutover, after the forward task has stopped',
      });
      new CfnOutput(this, 'ReverseTaskStatusCommand', {
        description: 'Shows the DMS reverse task status (never started by CloudFormation) and its CDC checkpoint',
        value: this.statusCommand(this.reverseReplicationTaskArn),
      });
    }
    new CfnOutput(this, 'StartTaskCommand', {
      description: 'Starts the DMS task (CloudFormation creates it stopped): full load, then CDC',
      value: Fn.join('', [
        `aws dms start-replication-task --region ${Stack.of(this).region} --start-replication-task-type start-replication --replication-task-arn `,
        arn,
      ]),
    });
  }

  private statusCommand(arn: string): string {
    return Fn.join('', [
      `aws dms describe-replication-tasks --region ${Stack.of(this).region} --filters Name=replication-task-arn,Values=`,
      arn,
      ' --query "ReplicationTasks[0].{Status:Status,StopReason:StopReason,FullLoadPercent:ReplicationTaskStats.FullLoadProgressPercent,TablesErrored:ReplicationTaskStats.TablesErrored,Checkpoint:RecoveryCheckpoint}" --output table',
    ]);
  }
}

/** What differs between the on-premises and the Aurora side of an endpoint; the direction is chosen per endpoint. */
interface EndpointSide {
  readonly engineName: string;
  readonly databaseName?: string;
  readonly sslMode: string;
  readonly certificateArn?: string;
  readonly mySqlSettings?: dms.CfnEndpoint.MySqlSettingsProperty;
  readonly postgreSqlSettings?: dms.CfnEndpoint.PostgreSqlSettingsProperty;
}

/** The task's resource id, the last field of its ARN (`arn:aws:dms:<region>:<account>:task:<resource id>`). */
function taskResourceId(taskArn: string): string {
  return Fn.select(6, Fn.split(':', taskArn));
}

/**
 * The VPC's CIDR block: the literal block of a VPC defined in this app (its `CidrBlock` attribute is a token, the
 * `AWS::EC2::VPC` property is not), else the attribute (a token, or what an imported VPC was given), else undefined
 * for an imported VPC that was given none (reading it would throw).
 */
function cidrBlockOf(vpc: ec2.IVpc): string | undefined {
  const cfn = vpc.node.defaultChild;
  if (cfn instanceof ec2.CfnVPC && typeof cfn.cidrBlock === 'string' && !Token.isUnresolved(cfn.cidrBlock)) {
    return cfn.cidrBlock;
  }
  try {
    return vpc.vpcCidrBlock;
  } catch {
    return undefined;
  }
}

