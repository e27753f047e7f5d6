import { Annotations, CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AuroraTargetClusterProps, AuroraTargetEngine } from './aurora-target-props';
import { validateAuroraTargetClusterProps } from './validate-props';
import {
  acknowledgeClusterFindings,
  addAlarmActions,
  AURORA_CA_CERTIFICATE,
  AuroraFamily,
  clusterMetric,
  clusterParameters,
  createClusterKey,
  createClusterSupport,
  createEnhancedMonitoringRole,
  DEFAULT_MYSQL_VERSION,
  DEFAULT_PORTS,
  defaultClusterIdentifier,
  grantRdsConnect,
  LOG_EXPORTS,
} from '../private/aurora';
import { foreignKeyRegion } from '../private/kms';
import { propsValidator, Validator } from '../private/validation';

const DEFAULT_MASTER_USERNAME = 'paymentsadmin';

/**
 * The Aurora cluster that the on-premises payment database migrates into: AWS DMS loads it and keeps it in sync
 * (Aurora MySQL or Aurora PostgreSQL, one writer and two readers across Availability Zones).
 *
 * Built on `rds.DatabaseCluster` with the library's secure defaults, shared with {@link AuroraGlobalSecondary}:
 * a region-local customer-managed key for storage, Performance Insights, the master secret and the logs; isolated
 * subnets and a security group without egress; TLS required; IAM database authentication; a non-default port;
 * audit logs exported to encrypted log groups kept a year; enhanced monitoring; a pinned engine version;
 * deletion protection and a snapshot on removal.
 *
 * The master password is managed by RDS (`ManageMasterUserPassword`: generated, kept in a secret RDS owns and
 * rotated by RDS; nothing in the template) or read from an existing secret (`masterSecret`). The master user is
 * break-glass: applications and DMS connect as their own users, whose existing secrets they are given.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * const target = new AuroraTargetCluster(this, 'Target', {
 *   vpc,
 *   engine: AuroraTargetEngine.MYSQL,
 *   readers: 2,
 *   changeDataCaptureSource: true,
 * });
 */
export class AuroraTargetCluster extends Construct implements ec2.IConnectable {
  /** The engine. */
  public readonly engine: AuroraTargetEngine;
  /** The engine version as RDS reports it (`8.0.mysql_aurora.3.10.0`, `16.8`): e.g. for `AuroraGlobalSecondary.primaryEngineVersion`. */
  public readonly engineVersion: string;
  /** The cluster identifier. */
  public readonly clusterIdentifier: string;
  /** The cluster ARN (e.g. the `sourceClusterArn` of an `AuroraGlobalCluster`). */
  public readonly clusterArn: string;
  /** The writer endpoint's host name: what DMS and the applications write to. */
  public readonly clusterEndpoint: string;
  /** The reader endpoint's host name (load-balanced over the readers). */
  public readonly clusterReadEndpoint: string;
  /** The port. */
  public readonly port: number;
  /**
   * The master credentials (`username`, `password`): the RDS-managed secret (encrypted with `key`) or the given
   * `masterSecret`. Break-glass only: never grant it to an application or a replication task.
   */
  public readonly secret: secretsmanager.ISecret;
  /** The key that encrypts storage, Performance Insights, the secret and the logs. */
  public readonly key: kms.IKey;
  /** The cluster's security group (no egress). */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Allow traffic to the database: `target.connections.allowDefaultPortFrom(dmsInstance)`. */
  public readonly connections: ec2.Connections;
  /** The cluster. */
  public readonly cluster: rds.DatabaseCluster;
  /** The exported log groups (MySQL: `audit`, `error`, `slowquery`; PostgreSQL: `postgresql`). */
  public readonly logGroups: logs.LogGroup[];
  /**
   * Fires when the busiest instance's CPU stays above the threshold (default > 80 % for 5 × 60 s). Missing data is
   * not breaching: an absent instance shows in failing connections and RDS events, not as load.
   */
  public readonly cpuAlarm: cloudwatch.Alarm;
  /**
   * Fires when a reader stays behind the writer (default > 1 s for 3 × 60 s). Missing data is breaching: with
   * readers, RDS reports their lag every minute, so silence means no reader replicates (it also reads ALARM while the
   * cluster is first created). Undefined without readers.
   */
  public readonly replicaLagAlarm?: cloudwatch.Alarm;
  /** Fires when an instance holds more connections than `connectionsAlarmThreshold`; undefined without it. */
  public readonly connectionsAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AuroraTargetClusterProps) {
    super(scope, id);
    propsValidator(this, 'AuroraTargetCluster', props);
    const stack = Stack.of(this);
    this.engine = props.engine ?? AuroraTargetEngine.MYSQL;
    const family: AuroraFamily = this.engine === AuroraTargetEngine.POSTGRESQL ? 'postgresql' : 'mysql';
    const mysqlVersion = props.mysqlEngineVersion ?? DEFAULT_MYSQL_VERSION;
    const postgresVersion = props.postgresEngineVersion ?? rds.AuroraPostgresEngineVersion.VER_16_8;
    this.engineVersion = family === 'mysql' ? mysqlVersion.auroraMysqlFullVersion : postgresVersion.auroraPostgresFullVersion;
    const subnetSelection = props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const subnets = props.vpc.selectSubnets(subnetSelection);

    const v = new Validator('AuroraTargetCluster', this);
    v.check(
      props.masterSecret === undefined || props.masterUsername === undefined,
      'masterUsername',
      'must not be set with masterSecret: the master user name is the secret\'s `username`',
      props.masterUsername,
    );
    validateAuroraTargetClusterProps(v, props, {
      family,
      engineFullVersion: this.engineVersion,
      postgresMajorVersion: family === 'postgresql' ? postgresVersion.auroraPostgresMajorVersion : undefined,
      subnets,
      foreignKeyRegion: foreignKeyRegion(this, props.encryptionKey),
      stackRegion: Token.isUnresolved(stack.region) ? undefined : stack.region,
    });
    v.throwIfInvalid();

    const readers = props.readers ?? 2;
    if (readers === 0) {
      Annotations.of(this).addWarningV2(
        'cdk-payment-migration:auroraTargetWithoutReaders',
        'readers is 0: a failover must wait for a new writer instance (minutes of downtime) instead of promoting a reader',
      );
    }
    const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);
    const backupDays = (props.backupRetention ?? Duration.days(7)).toDays();
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    this.port = props.port ?? DEFAULT_PORTS[family];
    this.clusterIdentifier = props.clusterIdentifier ?? defaultClusterIdentifier(this);
    // A snapshot or a retained cluster still needs its key and keeps its logs: only DESTROY removes them.
    const keepsData = removalPolicy !== RemovalPolicy.DESTROY;
    const createdKey = props.encryptionKey
      ? undefined
      : createClusterKey(this, `Encrypts the Aurora target ${this.clusterIdentifier}: storage, Performance Insights, master secret, logs`);
    if (createdKey && !keepsData) createdKey.applyRemovalPolicy(RemovalPolicy.DESTROY);
    this.key = props.encryptionKey ?? createdKey!;

    // --- Network: isolated subnets, its own security group with no egress. TLS required, audit without DML, and
    // (for a reverse DMS task) change data capture. Log groups before the cluster: encrypted, kept a year, no
    // LogRetention Lambda.
    const engine =
      family === 'mysql'
        ? rds.DatabaseClusterEngine.auroraMysql({ version: mysqlVersion })
        : rds.DatabaseClusterEngine.auroraPostgres({ version: postgresVersion });
    const support = createClusterSupport(this, {
      kind: 'Aurora target',
      clusterIdentifier: this.clusterIdentifier,
      vpc: props.vpc,
      subnets,
      port: this.port,
      parameterGroup: {
        description: `Payment database (Aurora target): TLS required, audit logs${props.changeDataCaptureSource ? ', DMS change data capture source' : ''}`,
        family: engine.parameterGroupFamily!,
        parameters: clusterParameters(family, { changeDataCaptureSource: props.changeDataCaptureSource }),
      },
      logTypes: LOG_EXPORTS[family],
      key: this.key,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    });
    const { subnetGroup, parameterGroup } = support;
    ({ securityGroup: this.securityGroup, connections: this.connections, logGroups: this.logGroups } = support);
    if (!keepsData) this.logGroups.forEach((g) => g.applyRemovalPolicy(RemovalPolicy.DESTROY));

    // --- The cluster: the writer in the first AZ, each reader in the next
    const PERFORMANCE_INSIGHTS = rds.PerformanceInsightRetention.DEFAULT;
    const azs = subnets.availabilityZones;
    const monitoringRole = createEnhancedMonitoringRole(this);
    const instance = (name: string, index: number) =>
      rds.ClusterInstance.provisioned(name, {
        instanceType,
        availabilityZone: azs.length > 0 ? azs[index % azs.length] : undefined,
        promotionTier: index === 0 ? 0 : 1,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: false,
        caCertificate: rds.CaCertificate.of(AURORA_CA_CERTIFICATE),
        // The same Performance Insights as the cluster, said per instance: left unset, aws-cdk-lib warns that the
        // cluster level overrides it (true, and nothing a user could act on).
        enablePerformanceInsights: true,
        performanceInsightEncryptionKey: this.key,
        performanceInsightRetention: PERFORMANCE_INSIGHTS,
      });
    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine,
      clusterIdentifier: this.clusterIdentifier,
      credentials: masterCredentials(props),
      defaultDatabaseName: props.defaultDatabaseName,
      writer: instance('Writer', 0),
      readers: Array.from({ length: readers }, (_, i) => instance(`Reader${i + 1}`, i + 1)),
      vpc: props.vpc,
      vpcSubnets: subnetSelection,
      subnetGroup,
      securityGroups: [this.securityGroup],
      port: this.port,
      parameterGroup: rds.ParameterGroup.fromParameterGroupName(this, 'ParameterGroupRef', parameterGroup.ref),
      storageEncrypted: true,
      storageEncryptionKey: this.key,
      iamAuthentication: true,
      cloudwatchLogsExports: LOG_EXPORTS[family],
      monitoringInterval: props.monitoringInterval ?? Duration.seconds(60),
      monitoringRole,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: this.key,
      performanceInsightRetention: PERFORMANCE_INSIGHTS,
      backup: { retention: Duration.days(backupDays) },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy,
      copyTagsToSnapshot: true,
    });
    const cfnCluster = this.cluster.node.defaultChild as rds.CfnDBCluster;
    this.logGroups.forEach((g) => cfnCluster.node.addDependency(g));
    if (props.masterSecret) {
      this.secret = props.masterSecret;
    } else {
      // No L2 support for RDS-managed master passwords in aws-cdk-lib 2.257: set it on the L1, drop the placeholder.
      cfnCluster.masterUserPassword = undefined;
      cfnCluster.manageMasterUserPassword = true;
      cfnCluster.masterUserSecret = { kmsKeyId: this.key.keyArn };
      this.secret = secretsmanager.Secret.fromSecretAttributes(this, 'MasterSecret', {
        secretCompleteArn: cfnCluster.attrMasterUserSecretSecretArn,
        encryptionKey: this.key,
      });
    }
    this.clusterArn = this.cluster.clusterArn;
    this.clusterEndpoint = this.cluster.clusterEndpoint.hostname;
    this.clusterReadEndpoint = this.cluster.clusterReadEndpoint.hostname;

    // --- Alarms
    this.cpuAlarm = this.metricCpuUtilization({ statistic: cloudwatch.Stats.MAXIMUM }).createAlarm(this, 'CpuAlarm', {
      alarmDescription: `CPU of the busiest instance of the Aurora target ${this.clusterIdentifier} above threshold: throttle the DMS load or scale up`,
      threshold: props.cpuAlarmThreshold ?? 80,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      // No datapoint is no evidence of load: a missing writer shows in failing connections and RDS events, and a
      // capacity alarm must not page for it.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (readers > 0) {
      this.replicaLagAlarm = this.metricReplicaLag().createAlarm(this, 'ReplicaLagAlarm', {
        alarmDescription: `A reader of the Aurora target ${this.clusterIdentifier} trails the writer: reads are stale`,
        threshold: (props.replicaLagAlarmThreshold ?? Duration.seconds(1)).toMilliseconds({ integral: false }),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        // With readers, RDS reports their lag every minute: silence means no reader is replicating (all of them
        // failed or are being replaced). It also reads as ALARM while the cluster is first created.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }
    if (props.connectionsAlarmThreshold !== undefined) {
      this.connectionsAlarm = this.metricDatabaseConnections().createAlarm(this, 'ConnectionsAlarm', {
        alarmDescription: `Connections to an instance of the Aurora target ${this.clusterIdentifier} above threshold: near max_connections`,
        threshold: props.connectionsAlarmThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    for (const alarm of [this.cpuAlarm, this.replicaLagAlarm, this.connectionsAlarm]) {
      if (alarm) addAlarmActions(alarm, props.alarmActions);
    }

    this.acknowledgeNagFindings(family, backupDays);
    if (props.createOutputs ?? true) {
      this.createOutputs();
    }
  }

  /**
   * CPU utilization of the cluster's instances, in percent.
   *
   * @default - Average over 1 minute
   */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return clusterMetric(this.clusterIdentifier, 'CPUUtilization', cloudwatch.Stats.AVERAGE, props);
  }

  /**
   * Connections to the cluster's instances (the most connected instance).
   *
   * @default - Maximum over 1 minute
   */
  public metricDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return clusterMetric(this.clusterIdentifier, 'DatabaseConnections', cloudwatch.Stats.MAXIMUM, props);
  }

  /**
   * `AuroraReplicaLag` of the readers (`Role: READER`): how far the furthest reader trails the writer, in
   * milliseconds.
   *
   * @default - Maximum over 1 minute
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/creating_alarms.html
   */
  public metricReplicaLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return clusterMetric(
      this.clusterIdentifier,
      'AuroraReplicaLag',
      cloudwatch.Stats.MAXIMUM,
      { unit: cloudwatch.Unit.MILLISECONDS, ...props },
      { Role: 'READER' },
    );
  }

  /**
   * Lets a principal connect as `dbUser` with IAM database authentication (`rds-db:connect`). The user must exist
   * in the database with the engine's IAM plugin (`AWSAuthenticationPlugin` / `rds_iam`).
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    return grantRdsConnect(this, grantee, this.cluster.clusterResourceIdentifier, dbUser);
  }

  private acknowledgeNagFindings(family: AuroraFamily, backupDays: number): void {
    const cfnCluster = this.cluster.node.defaultChild as rds.CfnDBCluster;
    const instances = [this.cluster.node.findChild('Writer'), ...this.cluster.node.children.filter((c) => c.node.id.startsWith('Reader'))];
    acknowledgeClusterFindings(family === 'mysql' ? cfnCluster : undefined, instances, {
      noBacktrack:
        'Backtrack is off: it is not supported with binary-log replication (a backtrack writes no binlog entries, so ' +
        'the reverse DMS task would silently diverge from this cluster) nor on an Aurora Global Database, both ' +
        'planned for this target. Point-in-time recovery from automated backups is the compensating control.',
      pinnedEngineVersion:
        'The engine version is pinned (a long-term support release) and upgraded deliberately, in a change window: ' +
        'an automatic minor upgrade would restart instances during a migration and could break the version match a ' +
        'global database needs.',
      backupDays,
    });
  }

  private createOutputs(): void {
    new CfnOutput(this, 'ClusterEndpoint', { value: this.clusterEndpoint, description: 'Aurora target writer endpoint (DMS target host)' });
    new CfnOutput(this, 'ReaderEndpoint', { value: this.clusterReadEndpoint, description: 'Aurora target reader endpoint' });
    new CfnOutput(this, 'Port', { value: String(this.port), description: 'Aurora target port' });
    new CfnOutput(this, 'SecretArn', { value: this.secret.secretArn, description: 'ARN of the Aurora target master secret, break-glass only (the value stays in Secrets Manager)' });
  }
}

/**
 * The cluster's master credentials for the L2: the existing secret's `username` and `password` as dynamic
 * references, or the user name with a placeholder password that the constructor replaces with
 * `ManageMasterUserPassword` (the L2 would otherwise generate a secret into the template).
 */
function masterCredentials(props: AuroraTargetClusterProps): rds.Credentials {
  if (props.masterSecret) {
    return rds.Credentials.fromPassword(
      props.masterSecret.secretValueFromJson('username').unsafeUnwrap(),
      props.masterSecret.secretValueFromJson('password'),
    );
  }
  return rds.Credentials.fromPassword(props.masterUsername ?? DEFAULT_MASTER_USERNAME, SecretValue.unsafePlainText('managed-by-rds'));
}
