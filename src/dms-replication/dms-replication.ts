import { Annotations, CfnOutput, Duration, Fn, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dms from 'aws-cdk-lib/aws-dms';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DmsServiceRoles } from './service-roles';
import { buildTableMappings, buildTaskSettings, CONTROL_SCHEMA } from './task-settings';
import { validateDmsReplicationProps } from './validate-props';
import { createRegionalKey, foreignKeyRegion } from '../private/kms';
import { acknowledgeGateAlarm } from '../private/nag';
import { PropsValidator } from '../private/validation';

/** The engine of the on-premises source database. */
export enum DmsSourceEngine {
  /** MySQL (needs `binlog_format=ROW`, `binlog_row_image=FULL`, `binlog_checksum=NONE` for CDC). */
  MYSQL = 'mysql',
  /** PostgreSQL (needs logical replication: `wal_level=logical`). */
  POSTGRESQL = 'postgres',
}

/** How DMS protects the connection to an endpoint (`SslMode`). */
export enum DmsSslMode {
  /** No TLS. Refused at synth time: payment data never travels in clear. */
  NONE = 'none',
  /** TLS, without verifying the server's certificate. */
  REQUIRE = 'require',
  /** TLS, verifying the server's certificate against the given CA. */
  VERIFY_CA = 'verify-ca',
  /** TLS, verifying the server's certificate against the given CA and its host name. */
  VERIFY_FULL = 'verify-full',
}

/**
 * The on-premises source database, reached over the VPN.
 */
export interface DmsSourceDatabase {
  /**
   * The database server's host name or IPv4 address. An IPv4 address must lie inside `sourceCidrs`.
   *
   * > **N.B.:** DMS reads the connection details from the secret (`host`, `port`, `username`, `password`), and an
   * > endpoint that uses a secret takes no server name nor port (CloudFormation rejects both together): this value
   * > must equal the secret's `host`; it is checked against `sourceCidrs` and exposed, not sent to DMS.
   */
  readonly host: string;

  /**
   * The database port; the replication instance may reach the source CIDRs on this port only. Must equal the
   * secret's `port`.
   *
   * @default 3306 for MySQL, 5432 for PostgreSQL
   */
  readonly port?: number;

  /** The database to replicate (MySQL: the schema; PostgreSQL: the database, whose schemas are replicated). */
  readonly databaseName: string;

  /**
   * The engine.
   *
   * @default DmsSourceEngine.MYSQL
   */
  readonly engine?: DmsSourceEngine;

  /**
   * The existing secret with the replication user's credentials as JSON: `username`, `password`, `host`, `port`.
   * Referenced, never created: `secretsmanager.Secret.fromSecretCompleteArn(this, 'Source', 'arn:…:secret:name-AbCdEf')`.
   * It must be in the stack's region and given by its complete ARN.
   */
  readonly secret: secretsmanager.ISecret;

  /**
   * The customer-managed key that encrypts the secret; the access role may use it to decrypt through Secrets Manager.
   *
   * @default - the secret's own `encryptionKey` when known, else none (the `aws/secretsmanager` key)
   */
  readonly secretEncryptionKey?: kms.IKey;

  /**
   * TLS to the source. `NONE` is refused.
   *
   * @default DmsSslMode.VERIFY_FULL
   */
  readonly sslMode?: DmsSslMode;

  /**
   * An existing DMS certificate (`arn:aws:dms:<region>:<account>:cert:<id>`): the CA that signed the source's server
   * certificate. Required with `VERIFY_CA` and `VERIFY_FULL` unless `certificatePem` is given.
   *
   * @default - none
   */
  readonly certificateArn?: string;

  /**
   * The CA certificate (PEM) to import as an `AWS::DMS::Certificate` for `VERIFY_CA` / `VERIFY_FULL`.
   *
   * @default - none
   */
  readonly certificatePem?: string;
}

/**
 * The Aurora MySQL target (its writer).
 */
export interface DmsTargetDatabase {
  /**
   * The cluster's writer endpoint. Must equal the secret's `host` (DMS reads the connection details from the secret).
   */
  readonly host: string;

  /** The cluster's port: the replication instance may reach the target on this port only. */
  readonly port: number;

  /**
   * The existing secret of the DMS user on the target, as JSON: `username`, `password`, `host`, `port`.
   * Aurora's managed master secret does not work: it holds no host nor port.
   */
  readonly secret: secretsmanager.ISecret;

  /**
   * The customer-managed key that encrypts the secret.
   *
   * @default - the secret's own `encryptionKey` when known, else none
   */
  readonly secretEncryptionKey?: kms.IKey;

  /** The cluster's connections: the replication instance is allowed in on `port`. */
  readonly connections: ec2.IConnectable;

  /**
   * TLS to the target. `NONE` is refused. With `VERIFY_FULL`, give the RDS CA bundle of the region as
   * `certificatePem` (or import it once and give `certificateArn`).
   *
   * @default DmsSslMode.REQUIRE
   */
  readonly sslMode?: DmsSslMode;

  /**
   * An existing DMS certificate for `VERIFY_CA` / `VERIFY_FULL`.
   *
   * @default - none
   */
  readonly certificateArn?: string;

  /**
   * The CA certificate (PEM) to import for `VERIFY_CA` / `VERIFY_FULL`.
   *
   * @default - none
   */
  readonly certificatePem?: string;
}

/**
 * Properties for {@link DmsReplication}.
 */
export interface DmsReplicationProps {
  /** The VPC of the replication instance (e.g. `RegionalNetwork.vpc`), with routes to the on-premises network. */
  readonly vpc: ec2.IVpc;

  /**
   * Where the replication instance goes: subnets in at least two AZs, with the routes to the on-premises network.
   *
   * @default - the private subnets (`ec2.SubnetType.PRIVATE_WITH_EGRESS`), where `RegionalNetwork` puts the VPN routes
   */
  readonly subnets?: ec2.SubnetSelection;

  /** The on-premises source database. */
  readonly source: DmsSourceDatabase;

  /**
   * The on-premises address space of the source database. The replication instance's security group allows egress
   * to these blocks on the source port only. None may overlap the VPC.
   */
  readonly sourceCidrs: string[];

  /** The Aurora MySQL target. */
  readonly target: DmsTargetDatabase;

  /**
   * Where the replication instance reaches Secrets Manager (DMS 3.4.7 and later in a private network read secrets
   * through the Secrets Manager interface endpoint). HTTPS egress is allowed to it.
   *
   * @default - HTTPS egress to the VPC's CIDR block, where the interface endpoint lives (e.g.
   * `RegionalNetwork` with `interfaceEndpoints: [ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER]`)
   */
  readonly secretsManagerEndpoint?: ec2.IConnectable;

  /**
   * The replication instance class.
   *
   * @default 'dms.r6i.large'
   */
  readonly replicationInstanceClass?: string;

  /**
   * The replication instance's storage, in GiB (5–6144). It holds cached changes and task logs.
   *
   * @default 100
   */
  readonly allocatedStorage?: number;

  /**
   * A standby replication instance in another AZ.
   *
   * @default true
   */
  readonly multiAz?: boolean;

  /**
   * The DMS engine version, e.g. `3.5.4`.
   *
   * @default - the DMS default version of the region
   */
  readonly engineVersion?: string;

  /**
   * Apply minor DMS engine upgrades in the maintenance window.
   *
   * @default true
   */
  readonly autoMinorVersionUpgrade?: boolean;

  /**
   * The customer-managed key, in this region, for the replication instance's storage, the endpoints' connection
   * parameters and the task log group.
   *
   * @default - a new key with rotation, whose policy serves DMS and CloudWatch Logs of this account in this region
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The schemas to replicate, every table of each (DMS `%` patterns allowed).
   *
   * @default - the whole source database: `[source.databaseName]` for MySQL, every schema (`%`) for PostgreSQL
   */
  readonly includedSchemas?: string[];

  /**
   * Row-level validation of every migrated row against the source.
   *
   * @default true
   */
  readonly validation?: boolean;

  /**
   * The CDC latency alarms (source and target) fire above this.
   *
   * @default Duration.seconds(5) (seed S3)
   */
  readonly cdcLatencyThreshold?: Duration;

  /**
   * How many consecutive 60-second periods above the threshold fire the CDC latency alarms.
   *
   * @default 3
   */
  readonly alarmEvaluationPeriods?: number;

  /**
   * How long the task logs are kept. At least one year (PCI DSS 10.5.1).
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Create the account-level roles `dms-vpc-role` and `dms-cloudwatch-logs-role` in this construct.
   *
   * > **N.B.:** leave this off. Those roles must exist **before** any DMS resource: created in the same deployment,
   * > IAM propagation races the DMS API (aws/aws-cdk#7632) even though every DMS resource here depends on them.
   * > Create them once per account in an earlier stack with {@link DmsReplication.createServiceRoles}. They have
   * > fixed names: never create them where they already exist (the DMS console creates them too).
   *
   * @default false
   */
  readonly createDmsServiceRoles?: boolean;

  /**
   * The replication instance identifier (lowercase). Also names the task log group `dms-tasks-<identifier>`.
   *
   * @default - derived from the construct path
   */
  readonly replicationInstanceIdentifier?: string;

  /**
   * The replication task identifier.
   *
   * @default - derived from the construct path
   */
  readonly replicationTaskIdentifier?: string;

  /**
   * Actions for the alarms this construct creates, on ALARM and on OK.
   *
   * @default - none: the alarms are gates read by the orchestrator
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * What happens to the key and the task log group created here when they are removed from the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Add stack outputs: task ARN, replication instance ARN, the commands that show and start the task.
   *
   * @default true
   */
  readonly createOutputs?: boolean;
}

/**
 * The AWS DMS replication from the on-premises database (MySQL, or PostgreSQL) into the Aurora MySQL target:
 * a private, Multi-AZ, KMS-encrypted replication instance behind its own security group (egress only to the source
 * CIDRs on the source port, to the target on its port and to Secrets Manager), source and target endpoints that read
 * their credentials from existing secrets through a least-privilege access role over TLS, and a
 * `full-load-and-cdc` task with row-level validation, a recovery table and logging to an encrypted log group kept a
 * year. CDC latency and validation failures are alarmed for the cutover gate.
 *
 * CloudFormation creates the task but does not start it: start it with the command in the `StartTaskCommand` output
 * (or from the orchestrator), after the target schema exists (the task never creates nor drops tables).
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
 *   sourceCidrs: ['192.168.10.0/24'],
 *   target: {
 *     host: 'payments.cluster-abc.eu-west-1.rds.amazonaws.com',
 *     port: 3307,
 *     secret: secretsmanager.Secret.fromSecretCompleteArn(this, 'TargetSecret', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dms/target-GhIjKl'),
 *     connections: db,
 *   },
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
  public readonly sourceEndpoint: dms.CfnEndpoint;
  /** The target endpoint. */
  public readonly targetEndpoint: dms.CfnEndpoint;
  /** The source endpoint ARN. */
  public readonly sourceEndpointArn: string;
  /** The target endpoint ARN. */
  public readonly targetEndpointArn: string;
  /** The source host, as given. */
  public readonly sourceHost: string;
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

  constructor(scope: Construct, id: string, props: DmsReplicationProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const stackRegion = Token.isUnresolved(stack.region) ? undefined : stack.region;
    const engine = props.source.engine ?? DmsSourceEngine.MYSQL;
    const sourcePort = props.source.port ?? (engine === DmsSourceEngine.POSTGRESQL ? 5432 : 3306);
    const sourceSslMode = props.source.sslMode ?? DmsSslMode.VERIFY_FULL;
    const targetSslMode = props.target.sslMode ?? DmsSslMode.REQUIRE;
    const vpcCidrBlock = cidrBlockOf(props.vpc);
    const vpcCidr = vpcCidrBlock === undefined || Token.isUnresolved(vpcCidrBlock) ? undefined : vpcCidrBlock;

    const v = new PropsValidator(this, 'DmsReplication');
    validateDmsReplicationProps(v, props, { stackRegion, sourcePort, sourceSslMode, targetSslMode, vpcCidr });
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
    this.sourceHost = props.source.host;
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
    for (const cidr of props.sourceCidrs) {
      this.securityGroup.addEgressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(sourcePort), `On-premises source database (${engine}) over the VPN`);
    }
    this.connections.allowTo(props.target.connections, ec2.Port.tcp(props.target.port), 'DMS replication instance to the Aurora target');
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

    // --- Endpoints
    this.sourceEndpoint = new dms.CfnEndpoint(this, 'SourceEndpoint', {
      endpointIdentifier: `${this.replicationInstanceIdentifier}-source`,
      endpointType: 'source',
      engineName: engine,
      databaseName: props.source.databaseName,
      sslMode: sourceSslMode,
      certificateArn: this.certificate('SourceCertificate', props.source),
      kmsKeyId: this.key.keyArn,
      ...this.secretSettings(engine, props.source.secret),
    });
    this.targetEndpoint = new dms.CfnEndpoint(this, 'TargetEndpoint', {
      endpointIdentifier: `${this.replicationInstanceIdentifier}-target`,
      endpointType: 'target',
      engineName: 'aurora',
      sslMode: targetSslMode,
      certificateArn: this.certificate('TargetCertificate', props.target),
      kmsKeyId: this.key.keyArn,
      ...this.secretSettings(DmsSourceEngine.MYSQL, props.target.secret),
    });
    this.sourceEndpointArn = this.sourceEndpoint.ref;
    this.targetEndpointArn = this.targetEndpoint.ref;

    // --- The task log group DMS writes to, created first: encrypted, kept a year
    this.logGroup = new logs.LogGroup(this, 'TaskLogs', {
      logGroupName: `dms-tasks-${this.replicationInstanceIdentifier}`,
      encryptionKey: this.key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });

    // --- The task: full load, then CDC, validated, recoverable, logged
    const schemas = props.includedSchemas ?? (engine === DmsSourceEngine.POSTGRESQL ? ['%'] : [props.source.databaseName]);
    const validation = props.validation ?? true;
    this.replicationTask = new dms.CfnReplicationTask(this, 'Task', {
      replicationTaskIdentifier: this.replicationTaskIdentifier,
      migrationType: 'full-load-and-cdc',
      replicationInstanceArn: this.replicationInstanceArn,
      sourceEndpointArn: this.sourceEndpointArn,
      targetEndpointArn: this.targetEndpointArn,
      tableMappings: JSON.stringify(buildTableMappings(schemas)),
      replicationTaskSettings: JSON.stringify(buildTaskSettings({ validation })),
    });
    this.replicationTask.node.addDependency(this.logGroup);
    this.replicationTaskArn = this.replicationTask.ref;
    this.replicationTaskResourceId = Fn.select(6, Fn.split(':', this.replicationTaskArn));

    if (this.serviceRoles) {
      const roles = this.serviceRoles;
      for (const resource of [subnetGroup, this.replicationInstance, this.sourceEndpoint, this.targetEndpoint, this.replicationTask]) {
        resource.node.addDependency(roles);
      }
    }

    // --- Gates: CDC latency on both sides, validation failures
    const threshold = (props.cdcLatencyThreshold ?? Duration.seconds(5)).toSeconds({ integral: false });
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
    for (const alarm of [this.cdcLatencySourceAlarm, this.cdcLatencyTargetAlarm, this.validationFailureAlarm]) {
      if (!alarm) continue;
      if (props.alarmActions && props.alarmActions.length > 0) {
        alarm.addAlarmAction(...props.alarmActions);
        alarm.addOkAction(...props.alarmActions);
      } else {
        acknowledgeGateAlarm(alarm);
      }
    }

    if (props.createOutputs ?? true) {
      this.createOutputs();
    }
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
   * Any task metric of AWS/DMS, with the task's dimensions: `ReplicationInstanceIdentifier` (the instance
   * identifier) and `ReplicationTaskIdentifier` (the task's resource id, from its ARN — not the task identifier).
   *
   * @default - Maximum over 1 minute
   */
  public metricTask(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.taskMetric(metricName, undefined, props);
  }

  private taskMetric(metricName: string, unit: cloudwatch.Unit | undefined, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/DMS',
      metricName,
      dimensionsMap: {
        ReplicationInstanceIdentifier: this.replicationInstanceIdentifier,
        ReplicationTaskIdentifier: this.replicationTaskResourceId,
      },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
      unit,
      ...props,
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
        resources: [props.source.secret.secretFullArn!, props.target.secret.secretFullArn!],
      }),
    ];
    const keys = [
      props.source.secretEncryptionKey ?? props.source.secret.encryptionKey,
      props.target.secretEncryptionKey ?? props.target.secret.encryptionKey,
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

  private secretSettings(engine: DmsSourceEngine, secret: secretsmanager.ISecret): Partial<dms.CfnEndpointProps> {
    const settings = { secretsManagerSecretId: secret.secretFullArn!, secretsManagerAccessRoleArn: this.secretsAccessRole.roleArn };
    return engine === DmsSourceEngine.POSTGRESQL ? { postgreSqlSettings: settings } : { mySqlSettings: settings };
  }

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
      value: Fn.join('', [
        `aws dms describe-replication-tasks --region ${Stack.of(this).region} --filters Name=replication-task-arn,Values=`,
        arn,
        ' --query "ReplicationTasks[0].{Status:Status,StopReason:StopReason,FullLoadPercent:ReplicationTaskStats.FullLoadProgressPercent,TablesErrored:ReplicationTaskStats.TablesErrored,Checkpoint:RecoveryCheckpoint}" --output table',
      ]),
    });
    new CfnOutput(this, 'StartTaskCommand', {
      description: 'Starts the DMS task (CloudFormation creates it stopped): full load, then CDC',
      value: Fn.join('', [
        `aws dms start-replication-task --region ${Stack.of(this).region} --start-replication-task-type start-replication --replication-task-arn `,
        arn,
      ]),
    });
  }
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
