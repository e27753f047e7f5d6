import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dms from 'aws-cdk-lib/aws-dms';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { buildDashboardWidgets } from './dashboard';
import { createSecretsAccessRole, createDmsKey } from './dms-access';
import { createDmsAlarms } from './dms-alarms';
import { createEndpoint, datacenterEngine, endpointCertificate, EndpointSide, secretSettings, withoutMysqlDatabase } from './dms-endpoints';
import { cidrBlockOf, derivedIdentifier, taskResourceId } from './dms-identifiers';
import { createReplicationInstance } from './dms-instance';
import { createDmsOutputs } from './dms-outputs';
import { DmsReplicationBase, ERROR_LINE_TERM, LOG_METRICS_NAMESPACE } from './dms-replication-base';
import { DmsReplicationProps, DatabaseEngine, DmsSslMode } from './props';
import { DmsServiceRoles } from './service-roles';
import { buildReverseTaskSettings, buildTableMappings, buildTaskSettings, CONTROL_SCHEMA, REVERSE_CONTROL_SCHEMA } from './task-settings';
import { checkDmsRegions, validateDmsPlacement, validateDmsReplicationProps } from './validate-props';
import { propsValidator, Validator } from '../private/validation';

/** The detail type of the EventBridge events DMS sends when a replication task changes state. */
const TASK_STATE_CHANGE = 'DMS Replication Task State Change';

/**
 * The AWS DMS replication from the on-premises database (MySQL or PostgreSQL) into Aurora of the same engine family
 * (Aurora MySQL or Aurora PostgreSQL): a private, Multi-AZ, KMS-encrypted replication instance behind its own
 * security group (egress only to the source CIDRs on the source port, to the target on its port and to Secrets
 * Manager), source and target endpoints that read their credentials from existing secrets through a least-privilege
 * access role over TLS, and a `full-load-and-cdc` task with row-level validation, a recovery table and logging to an
 * encrypted log group kept a year. CDC latency and validation failures are alarmed for the cutover gate; error lines
 * of the task logs are counted and alarmed too, and so is the reverse task's CDC latency, when there is one.
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
 *   datacenter: {
 *     host: '192.168.10.20',
 *     databaseName: 'payments',
 *     secret: secretsmanager.Secret.fromSecretCompleteArn(this, 'SourceSecret', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dms/source-AbCdEf'),
 *     certificateArn: 'arn:aws:dms:eu-west-1:111111111111:cert:onprem-ca',
 *   },
 *   datacenterCidrs: ['192.168.10.0/24'],
 *   aurora: {
 *     host: 'payments.cluster-abc.eu-west-1.rds.amazonaws.com',
 *     port: 3307,
 *     secret: secretsmanager.Secret.fromSecretCompleteArn(this, 'TargetSecret', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dms/target-GhIjKl'),
 *     connections: db,
 *   },
 *   reverseReplication: true,
 * });
 */
export class DmsReplication extends DmsReplicationBase implements ec2.IConnectable {
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
  /**
   * Fires when the forward task's `CDCLatencySource` stays above the threshold. No figure (the task not running, as
   * once the writer has moved) is INSUFFICIENT_DATA, never ALARM: it pages nobody and still closes the cutover gate.
   */
  public readonly cdcLatencySourceAlarm: cloudwatch.Alarm;
  /** Fires when the forward task's `CDCLatencyTarget` stays above the threshold; no figure is INSUFFICIENT_DATA. */
  public readonly cdcLatencyTargetAlarm: cloudwatch.Alarm;
  /**
   * The way back, with `reverseReplication`: fires when the reverse task's `CDCLatencySource` stays above the
   * threshold (`cdcLatencyThreshold`, `alarmEvaluationPeriods`), with the alarm actions. While the reverse task does
   * not run — before the writer moves, after it moves back — there is no figure and the alarm is INSUFFICIENT_DATA:
   * it cannot fire. Never a cutover gate (it would block every start).
   */
  public readonly reverseCdcLatencySourceAlarm?: cloudwatch.Alarm;
  /** The way back: the reverse task's `CDCLatencyTarget` above the threshold, with `reverseReplication`; see `reverseCdcLatencySourceAlarm`. */
  public readonly reverseCdcLatencyTargetAlarm?: cloudwatch.Alarm;
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
    propsValidator(this, 'DmsReplication', props);
    const stack = Stack.of(this);
    const stackRegion = Token.isUnresolved(stack.region) ? undefined : stack.region;
    const { engine, port: sourcePort } = datacenterEngine(props.datacenter);
    const targetEngine = props.aurora.engine ?? engine;
    const sourceSslMode = props.datacenter.sslMode ?? DmsSslMode.VERIFY_FULL;
    const targetSslMode = props.aurora.sslMode ?? DmsSslMode.REQUIRE;
    const vpcCidrBlock = cidrBlockOf(props.vpc);
    const vpcCidr = vpcCidrBlock === undefined || Token.isUnresolved(vpcCidrBlock) ? undefined : vpcCidrBlock;

    const v = new Validator('DmsReplication', this);
    validateDmsReplicationProps(v, props, { stackRegion, sourceEngine: engine, sourcePort, sourceSslMode, targetSslMode, vpcCidr });
    const subnets = validateDmsPlacement(v, this, props, vpcCidrBlock);
    checkDmsRegions(v, this, props);
    v.throwIfInvalid();

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.datacenterHost = props.datacenter.host;
    this.replicationInstanceIdentifier = props.replicationInstanceIdentifier?.toLowerCase() ?? derivedIdentifier(this, 'rep');
    this.replicationTaskIdentifier = props.replicationTaskIdentifier ?? derivedIdentifier(this, 'task');

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
    this.key = props.encryptionKey ?? createDmsKey(this, this.replicationInstanceIdentifier, removalPolicy);

    // --- Network: private subnets with the VPN routes, own security group, egress only where needed; never public
    const placed = createReplicationInstance(this, {
      props,
      identifier: this.replicationInstanceIdentifier,
      subnets,
      key: this.key,
      engine,
      sourcePort,
      vpcCidrBlock,
    });
    this.securityGroup = placed.securityGroup;
    this.connections = placed.connections;
    this.replicationInstance = placed.instance;
    this.replicationInstanceArn = this.replicationInstance.ref;
    const subnetGroup = placed.subnetGroup;

    // --- Credentials: the two existing secrets, read by DMS through a role that can do nothing else
    this.secretsAccessRole = createSecretsAccessRole(this, this.replicationInstanceIdentifier, props);

    // --- Endpoints: the on-premises database and the Aurora writer, each with its secret, TLS mode and CA
    const onPremises: EndpointSide = {
      engineName: engine,
      databaseName: props.datacenter.databaseName, // the forward source keeps it, as deployed (see the reverse target)
      sslMode: sourceSslMode,
      certificateArn: endpointCertificate(this, 'SourceCertificate', props.datacenter),
      ...secretSettings(engine, props.datacenter.secret, this.secretsAccessRole),
    };
    const aurora: EndpointSide = {
      engineName: targetEngine === DatabaseEngine.POSTGRESQL ? 'aurora-postgresql' : 'aurora',
      databaseName: targetEngine === DatabaseEngine.POSTGRESQL ? props.aurora.databaseName ?? props.datacenter.databaseName : undefined,
      sslMode: targetSslMode,
      certificateArn: endpointCertificate(this, 'TargetCertificate', props.aurora),
      ...secretSettings(targetEngine, props.aurora.secret, this.secretsAccessRole),
    };
    this.datacenterEndpoint = createEndpoint(this, 'SourceEndpoint', 'source', `${this.replicationInstanceIdentifier}-source`, this.key, onPremises);
    this.auroraEndpoint = createEndpoint(this, 'TargetEndpoint', 'target', `${this.replicationInstanceIdentifier}-target`, this.key, aurora);
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
      this.reverseAuroraEndpoint = createEndpoint(this, 'ReverseSourceEndpoint', 'source', `${this.replicationInstanceIdentifier}-reverse-source`, this.key, aurora);
      this.reverseDatacenterEndpoint = createEndpoint(this, 'ReverseTargetEndpoint', 'target', `${this.replicationInstanceIdentifier}-reverse-target`, this.key, withoutMysqlDatabase(onPremises));
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
      metricName: this._taskErrorsMetricName(),
      metricValue: '1',
      defaultValue: 0,
    });

    // --- Gates: CDC latency on both sides, validation failures; task log errors; the reverse task's latency (no gate)
    const threshold = (props.cdcLatencyThreshold ?? Duration.seconds(5)).toSeconds({ integral: false });
    this.cdcLatencyThresholdSeconds = threshold;
    this.validationEnabled = validation;
    const alarms = createDmsAlarms(this, {
      taskIdentifier: this.replicationTaskIdentifier,
      instanceIdentifier: this.replicationInstanceIdentifier,
      thresholdSeconds: threshold,
      evaluationPeriods: props.alarmEvaluationPeriods ?? 3,
      latencySource: this.metricCdcLatencySource(),
      latencyTarget: this.metricCdcLatencyTarget(),
      validationFailures: validation ? this.metricValidationFailures() : undefined,
      taskErrors: this.metricTaskErrors(),
      reverse: this.reverseReplicationTaskIdentifier === undefined ? undefined : {
        taskIdentifier: this.reverseReplicationTaskIdentifier,
        latencySource: this.metricReverseTask('CDCLatencySource', { unit: cloudwatch.Unit.SECONDS }),
        latencyTarget: this.metricReverseTask('CDCLatencyTarget', { unit: cloudwatch.Unit.SECONDS }),
      },
      alarmActions: props.alarmActions,
    });
    this.cdcLatencySourceAlarm = alarms.cdcLatencySource;
    this.cdcLatencyTargetAlarm = alarms.cdcLatencyTarget;
    this.validationFailureAlarm = alarms.validationFailure;
    this.taskErrorAlarm = alarms.taskError;
    this.reverseCdcLatencySourceAlarm = alarms.reverseCdcLatencySource;
    this.reverseCdcLatencyTargetAlarm = alarms.reverseCdcLatencyTarget;

    // --- Task state changes to a topic (EventBridge event documented by DMS: source aws.dms, resources = task ARN)
    if (props.notificationTopic) {
      this.taskStateChangeRule = this.notifyTaskStateChanges(props.notificationTopic);
    }

    if (props.createOutputs ?? true) {
      createDmsOutputs(this, {
        replicationTaskArn: this.replicationTaskArn,
        replicationInstanceArn: this.replicationInstanceArn,
        reverseReplicationTaskArn: this.reverseReplicationTaskArn,
      });
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
   * The widgets of this replication for a migration dashboard: the gate alarms' states, CDC latency (source and
   * target, with the cutover threshold), incoming changes, throughput (full load and CDC), validation (failed,
   * suspended, pending, when validation is on), task log errors (the alarm), and the reverse task's latency and
   * incoming changes when it is prepared. Each call creates new widgets.
   */
  public dashboardWidgets(): cloudwatch.IWidget[] {
    return buildDashboardWidgets(this, {
      thresholdSeconds: this.cdcLatencyThresholdSeconds,
      validation: this.validationEnabled,
      alarms: {
        cdcLatencySource: this.cdcLatencySourceAlarm,
        cdcLatencyTarget: this.cdcLatencyTargetAlarm,
        validationFailure: this.validationFailureAlarm,
        taskError: this.taskErrorAlarm,
      },
      replicationTaskIdentifier: this.replicationTaskIdentifier,
      reverseReplicationTaskIdentifier: this.reverseReplicationTaskIdentifier,
    });
  }


}
