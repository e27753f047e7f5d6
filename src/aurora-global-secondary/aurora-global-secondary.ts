import { Annotations, ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { AuroraGlobalSecondaryProps } from './aurora-global-secondary-props';
import { validateAuroraGlobalSecondaryProps } from './validate-props';
import {
  acknowledgeClusterFindings,
  addAlarmActions,
  AURORA_CA_CERTIFICATE,
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
  PERFORMANCE_INSIGHTS_RETENTION_DAYS,
} from '../private/aurora';
import { isBurstableMedium } from '../private/aurora-validation';
import { foreignKeyRegion } from '../private/kms';
import { checkAlarmActionsRegion, propsValidator, Validator } from '../private/validation';

/**
 * The target region's copy of the payment database, kept in sync by Aurora Global Database.
 *
 * A secondary cluster takes no master credentials and no database name (AWS rejects them); `rds.DatabaseCluster`
 * always generates credentials, so the cluster is built from the CloudFormation resources directly, with the
 * secure defaults of the L2 and more: a region-local customer-managed key, isolated subnets, TLS required, IAM
 * database authentication, a non-default port, audit/error/slow-query logs kept a year, enhanced monitoring,
 * encrypted Performance Insights, deletion protection.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * const db = new AuroraGlobalSecondary(this, 'Database', {
 *   vpc,
 *   globalClusterIdentifier: 'payments-global',
 *   primaryRegion: 'us-east-1',
 *   primaryEngineVersion: '8.0.mysql_aurora.3.10.0',
 * });
 */
export class AuroraGlobalSecondary extends Construct implements ec2.IConnectable {
  /** The cluster identifier. */
  public readonly clusterIdentifier: string;
  /** The global cluster this secondary belongs to. */
  public readonly globalClusterIdentifier: string;
  /** The cluster ARN. */
  public readonly clusterArn: string;
  /** The cluster's writer endpoint (serves writes only once this cluster is the primary). */
  public readonly clusterEndpoint: string;
  /** The cluster's reader endpoint. */
  public readonly clusterReadEndpoint: string;
  /** The global writer endpoint, when given: what apps should write through. */
  public readonly globalWriterEndpoint?: string;
  /** The port. */
  public readonly port: number;
  /** The key that encrypts storage, Performance Insights and the logs. */
  public readonly key: kms.IKey;
  /** The cluster's security group. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Allow traffic to the database: `db.connections.allowDefaultPortFrom(fleet)`. */
  public readonly connections: ec2.Connections;
  /** The cluster as an `rds.IDatabaseCluster`. */
  public readonly cluster: rds.IDatabaseCluster;
  /** The instances (none when headless). */
  public readonly instances: rds.CfnDBInstance[];
  /** The exported log groups, by log type (`audit`, `error`, `slowquery`). */
  public readonly logGroups: logs.LogGroup[];
  /**
   * Fires when the global replication lag stays above the threshold (default > 1000 ms for 2 × 60 s).
   *
   * Missing data is `missing`: with no lag figure in the evaluation range the alarm goes to INSUFFICIENT_DATA, never
   * to ALARM. After a switchover this cluster is the primary and publishes no `AuroraGlobalDBReplicationLag`, so the
   * alarm cannot page nor start the alarm rollback on a finished cutover. A missing figure still stops a cutover: the
   * orchestrator's default `InsufficientDataPolicy.BLOCK` refuses a start on INSUFFICIENT_DATA and rolls a bake back
   * on it (at the next poll: INSUFFICIENT_DATA is not on the event path) — with a laxer policy a replication that
   * stops reporting during the traffic steps goes unnoticed by this gate.
   *
   * After a switchover the way back — replication from this cluster to the old primary's, now the secondary — is
   * measured in the source region (the old primary's `AuroraGlobalDBReplicationLag`, `SourceRegion` = this region),
   * which an alarm in this stack cannot read: see {@link AuroraGlobalCluster}.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
   */
  public readonly replicationLagAlarm: cloudwatch.Alarm;

  private readonly primaryRegion: string;
  private readonly resource: rds.CfnDBCluster;

  constructor(scope: Construct, id: string, props: AuroraGlobalSecondaryProps) {
    super(scope, id);
    propsValidator(this, 'AuroraGlobalSecondary', props);
    const stack = Stack.of(this);
    const stackRegion = Token.isUnresolved(stack.region) ? undefined : stack.region;
    const engineVersion = props.engineVersion ?? DEFAULT_MYSQL_VERSION;

    const v = new Validator('AuroraGlobalSecondary', this);
    validateAuroraGlobalSecondaryProps(v, props, stackRegion, engineVersion.auroraMysqlFullVersion);
    const keyRegion = foreignKeyRegion(this, props.encryptionKey);
    v.check(keyRegion === undefined, 'encryptionKey', `must be a key in the stack's region ${stackRegion}: a secondary needs a region-local key`, keyRegion);
    checkAlarmActionsRegion(v, 'alarmActions', props.alarmActions, stackRegion);
    v.throwIfInvalid();

    const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);
    if (isBurstableMedium(instanceType.toString())) {
      Annotations.of(this).addWarningV2(
        'cdk-payment-migration:burstableGlobalDatabase',
        `instanceType ${instanceType} is a burstable class: fine for tests, not for a payment database's replication`,
      );
    }
    this.primaryRegion = props.primaryRegion;
    this.globalClusterIdentifier = props.globalClusterIdentifier;
    this.port = props.port ?? DEFAULT_PORTS.mysql;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    this.clusterIdentifier = props.clusterIdentifier ?? defaultClusterIdentifier(this);

    this.key =
      props.encryptionKey ??
      createClusterKey(this, `Encrypts the Aurora global secondary ${this.clusterIdentifier}: storage, Performance Insights, logs`);

    // --- Network: isolated subnets, its own security group with no egress. TLS required, audit of connections and
    // privilege/schema changes (never of DML: no card data in logs). Log groups before the cluster, so RDS writes
    // into encrypted groups with a retention.
    const support = createClusterSupport(this, {
      kind: 'Aurora global secondary',
      clusterIdentifier: this.clusterIdentifier,
      vpc: props.vpc,
      subnets: props.vpc.selectSubnets(props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }),
      port: this.port,
      parameterGroup: {
        description: 'Payment database: TLS required, audit and slow-query logs',
        family: `aurora-mysql${engineVersion.auroraMysqlMajorVersion}`,
        parameters: clusterParameters('mysql'),
      },
      logTypes: LOG_EXPORTS.mysql,
      key: this.key,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    });
    const { subnetGroup, parameterGroup } = support;
    ({ securityGroup: this.securityGroup, connections: this.connections, logGroups: this.logGroups } = support);
    // DESTROY (a teardown) also removes the log groups and the key created here, which are kept otherwise
    if (removalPolicy === RemovalPolicy.DESTROY) {
      [...this.logGroups, ...(props.encryptionKey ? [] : [this.key as kms.Key])].forEach((r) => r.applyRemovalPolicy(RemovalPolicy.DESTROY));
    }

    // --- The secondary cluster: joins the global cluster, no credentials, no database name
    this.resource = new rds.CfnDBCluster(this, 'Resource', {
      dbClusterIdentifier: this.clusterIdentifier,
      globalClusterIdentifier: props.globalClusterIdentifier,
      engine: 'aurora-mysql',
      engineVersion: engineVersion.auroraMysqlFullVersion,
      dbSubnetGroupName: subnetGroup.ref,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      port: this.port,
      storageEncrypted: true,
      kmsKeyId: this.key.keyArn,
      dbClusterParameterGroupName: parameterGroup.ref,
      enableIamDatabaseAuthentication: true,
      enableCloudwatchLogsExports: LOG_EXPORTS.mysql,
      backupRetentionPeriod: (props.backupRetention ?? Duration.days(7)).toDays(),
      deletionProtection: props.deletionProtection ?? true,
      copyTagsToSnapshot: true,
      enableGlobalWriteForwarding: props.enableGlobalWriteForwarding ? true : undefined,
    });
    this.resource.applyRemovalPolicy(removalPolicy);
    this.logGroups.forEach((g) => this.resource.node.addDependency(g));

    this.clusterArn = stack.formatArn({ service: 'rds', resource: 'cluster', resourceName: this.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.clusterEndpoint = this.resource.attrEndpointAddress;
    this.clusterReadEndpoint = this.resource.attrReadEndpointAddress;
    this.globalWriterEndpoint = props.globalWriterEndpoint;

    // --- Instances: every one reads until a switchover promotes one
    const monitoringRole = props.headless ? undefined : createEnhancedMonitoringRole(this);
    const count = props.headless ? 0 : props.instances ?? 2;
    this.instances = [];
    for (let i = 0; i < count; i++) {
      const instance = new rds.CfnDBInstance(this, `Instance${i + 1}`, {
        dbClusterIdentifier: this.resource.ref,
        engine: 'aurora-mysql',
        dbInstanceClass: `db.${instanceType}`,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: false, // the engine must match the primary's exactly
        promotionTier: i === 0 ? 0 : 1,
        monitoringInterval: (props.monitoringInterval ?? Duration.seconds(60)).toSeconds(),
        monitoringRoleArn: monitoringRole!.roleArn,
        enablePerformanceInsights: true,
        performanceInsightsKmsKeyId: this.key.keyArn,
        performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
        caCertificateIdentifier: AURORA_CA_CERTIFICATE,
      });
      instance.applyRemovalPolicy(removalPolicy === RemovalPolicy.SNAPSHOT ? RemovalPolicy.DESTROY : removalPolicy);
      this.instances.push(instance);
    }

    this.cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(this, 'Imported', {
      clusterIdentifier: this.resource.ref,
      clusterEndpointAddress: this.clusterEndpoint,
      readerEndpointAddress: this.clusterReadEndpoint,
      port: this.port,
      securityGroups: [this.securityGroup],
      engine: rds.DatabaseClusterEngine.auroraMysql({ version: engineVersion }),
      clusterResourceIdentifier: this.resource.attrDbClusterResourceId,
    });

    // --- The gate the orchestrator relies on: global replication lag
    this.replicationLagAlarm = this.metricReplicationLag().createAlarm(this, 'ReplicationLagAlarm', {
      alarmDescription:
        `Aurora global replication lag of ${this.clusterIdentifier} above threshold: do not shift traffic. ` +
        'No figure (INSUFFICIENT_DATA) is normal once this cluster is the primary (after a switchover)',
      threshold: (props.replicationLagThreshold ?? Duration.millis(1000)).toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: props.replicationLagEvaluationPeriods ?? 2,
      // No lag figure is no proof of sync, and no fault either: once this cluster is the primary it publishes none.
      // `missing` turns an evaluation range without data into INSUFFICIENT_DATA (CloudWatch user guide, "Configuring
      // how CloudWatch alarms treat missing data"), which the cutover's gates refuse (InsufficientDataPolicy.BLOCK)
      // and which pages nobody (alarm actions go on ALARM and OK only). Breaching would page for good after every
      // switchover and start the alarm rollback.
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
    addAlarmActions(this.replicationLagAlarm, props.alarmActions);

    this.acknowledgeNagFindings((props.backupRetention ?? Duration.days(7)).toDays());
    if (props.createOutputs ?? true) {
      this.createOutputs();
    }
  }

  /**
   * `AuroraGlobalDBReplicationLag`: how far this secondary trails the primary, in milliseconds.
   *
   * @default - Maximum over 1 minute
   */
  public metricReplicationLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.globalMetric('AuroraGlobalDBReplicationLag', props);
  }

  /**
   * `AuroraGlobalDBRPOLag`: the recovery point objective lag, in milliseconds — what an unplanned failover would lose.
   *
   * @default - Maximum over 1 minute
   */
  public metricRpoLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.globalMetric('AuroraGlobalDBRPOLag', props);
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
   * Connections to the cluster's instances.
   *
   * @default - Maximum over 1 minute
   */
  public metricDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return clusterMetric(this.clusterIdentifier, 'DatabaseConnections', cloudwatch.Stats.MAXIMUM, props);
  }

  /**
   * Lets a principal connect as `dbUser` with IAM database authentication (`rds-db:connect`).
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    return grantRdsConnect(this, grantee, this.resource.attrDbClusterResourceId, dbUser);
  }

  private globalMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return clusterMetric(
      this.clusterIdentifier,
      metricName,
      cloudwatch.Stats.MAXIMUM,
      { unit: cloudwatch.Unit.MILLISECONDS, ...props },
      { SourceRegion: this.primaryRegion },
    );
  }

  private acknowledgeNagFindings(backupDays: number): void {
    acknowledgeClusterFindings(this.resource, this.instances, {
      noBacktrack:
        'Backtrack cannot be enabled on an Aurora Global Database cluster (AWS limitation). Point-in-time recovery ' +
        'from automated backups and the global replica itself are the compensating controls.',
      pinnedEngineVersion:
        'A global database secondary must run exactly the primary\'s engine version for switchover; minor upgrades ' +
        'are applied to the whole global cluster at once, in a maintenance change, not per instance automatically.',
      backupDays,
      backupCompensatingControl: ', plus the primary region\'s copy of every committed transaction',
    });
  }

  private createOutputs(): void {
    new CfnOutput(this, 'ClusterEndpoint', { value: this.clusterEndpoint, description: 'Aurora secondary cluster (writer after switchover) endpoint' });
    new CfnOutput(this, 'ReaderEndpoint', { value: this.clusterReadEndpoint, description: 'Aurora secondary reader endpoint' });
    new CfnOutput(this, 'KmsKeyId', { value: this.key.keyId, description: 'KMS key of the secondary cluster' });
    new CfnOutput(this, 'KmsKeyArn', { value: this.key.keyArn, description: 'KMS key ARN of the secondary cluster' });
  }
}
