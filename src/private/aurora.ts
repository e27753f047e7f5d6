import { ArnFormat, Aws, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct, IConstruct } from 'constructs';
import { createRegionalKey } from './kms';
import { acknowledge } from './nag';

/*
 * What every Aurora cluster of this library shares, whatever builds it (the L1 `AuroraGlobalSecondary`, the L2
 * `AuroraTargetCluster`): the customer-managed key, the isolated subnet group, the security group without egress,
 * the TLS/audit cluster parameters, the encrypted log groups created before the cluster, the enhanced-monitoring
 * role, the CloudWatch metrics, and the nag acknowledgements that no construct can fix.
 */

/** The Aurora engine families this library builds (internal: each construct maps its own public enum). */
export type AuroraFamily = 'mysql' | 'postgresql';

/** The CA that signs the instances' server certificates (RSA 2048, the RDS default since 2024). */
export const AURORA_CA_CERTIFICATE = 'rds-ca-rsa2048-g1';

/** Performance Insights retention in days (7 is the free tier; PI stores normalized SQL, never bind values). */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/** The Aurora MySQL version of a cluster given none, the same for a global secondary and a DMS target: 8.0-compatible, long-term support. */
export const DEFAULT_MYSQL_VERSION = rds.AuroraMysqlEngineVersion.VER_3_10_0;

/** The engines' standard ports, which AwsSolutions-RDS11 flags. */
export const STANDARD_PORTS: Record<AuroraFamily, number> = { mysql: 3306, postgresql: 5432 };

/** The library's ports: the standard port + 1 (AwsSolutions-RDS11), the same on every cluster of an engine. */
export const DEFAULT_PORTS: Record<AuroraFamily, number> = { mysql: 3307, postgresql: 5433 };

/** The log types each engine exports to CloudWatch Logs (never the MySQL general log: it records values). */
export const LOG_EXPORTS: Record<AuroraFamily, string[]> = {
  mysql: ['audit', 'error', 'slowquery'],
  postgresql: ['postgresql'],
};

/**
 * The cluster parameters for payment data.
 *
 * - TLS only (PCI DSS 4.2.1): MySQL `require_secure_transport`, PostgreSQL `rds.force_ssl`; TLS 1.2 at least.
 * - Audit of connections, privilege and schema changes, never of DML (PCI DSS 10.2 without card data in logs):
 *   MySQL Advanced Auditing `CONNECT,QUERY_DCL,QUERY_DDL`; PostgreSQL connection logging and pgAudit `ddl,role`
 *   (`pgaudit.log_parameter` stays off: no bind values).
 * - MySQL slow-query log (statements over 2 s). PostgreSQL keeps `log_min_duration_statement` off, as its slow
 *   statements carry their bind parameters; Performance Insights shows normalized slow SQL instead.
 * - `changeDataCaptureSource`: what AWS DMS needs to read changes from the cluster. MySQL: row-based binary log
 *   with full row images and no checksums; PostgreSQL: logical replication.
 *
 * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Source.MySQL.html
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Replication.Logical.Configure.html
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Appendix.PostgreSQL.CommonDBATasks.pgaudit.basic-setup.html
 */
export function clusterParameters(family: AuroraFamily, options: { readonly changeDataCaptureSource?: boolean } = {}): Record<string, string> {
  if (family === 'mysql') {
    return {
      require_secure_transport: 'ON',
      tls_version: 'TLSv1.2,TLSv1.3',
      server_audit_logging: '1',
      server_audit_events: 'CONNECT,QUERY_DCL,QUERY_DDL',
      slow_query_log: '1',
      long_query_time: '2',
      log_output: 'FILE',
      ...(options.changeDataCaptureSource ? { binlog_format: 'ROW', binlog_row_image: 'full', binlog_checksum: 'NONE' } : {}),
    };
  }
  return {
    'rds.force_ssl': '1',
    'ssl_min_protocol_version': 'TLSv1.2',
    'log_connections': '1',
    'log_disconnections': '1',
    'shared_preload_libraries': 'pg_stat_statements,pgaudit',
    'pgaudit.log': 'ddl,role',
    'pgaudit.log_parameter': '0',
    ...(options.changeDataCaptureSource ? { 'rds.logical_replication': '1' } : {}),
  };
}

/** The cluster parameter group (an L1, so that both the L1 and the L2 clusters use the same resource shape). */
export function createClusterParameterGroup(
  scope: Construct,
  props: { readonly family: string; readonly description: string; readonly parameters: Record<string, string> },
): rds.CfnDBClusterParameterGroup {
  return new rds.CfnDBClusterParameterGroup(scope, 'ParameterGroup', {
    description: props.description,
    family: props.family,
    parameters: props.parameters,
  });
}

/** A cluster identifier from the construct path: lowercase, at most 60 characters, no `--`. */
export function defaultClusterIdentifier(scope: Construct): string {
  return Names.uniqueResourceName(scope, { maxLength: 60, separator: '-' }).toLowerCase().replace(/--+/g, '-');
}

/** The cluster's own key, retained on deletion (snapshots and retained logs stay readable). */
export function createClusterKey(scope: Construct, description: string): kms.Key {
  return createRegionalKey(scope, 'Key', {
    description,
    services: ['rds', 'ec2', 'logs'],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/** The DB subnet group over the given subnets (an L1: the L2 cluster accepts it as `subnetGroup`). */
export function createSubnetGroup(scope: Construct, description: string, subnets: ec2.SelectedSubnets): rds.CfnDBSubnetGroup {
  return new rds.CfnDBSubnetGroup(scope, 'SubnetGroup', {
    dbSubnetGroupDescription: description,
    subnetIds: subnets.subnetIds,
  });
}

/** The cluster's security group: no egress (a database answers, it never calls out), clients added SG to SG. */
export function createClusterSecurityGroup(
  scope: Construct,
  props: { readonly vpc: ec2.IVpc; readonly description: string; readonly port: number },
): { securityGroup: ec2.SecurityGroup; connections: ec2.Connections } {
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: props.vpc,
    description: props.description,
    allowAllOutbound: false,
  });
  const connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(props.port) });
  return { securityGroup, connections };
}

/**
 * The log groups RDS exports into, created before the cluster so that they are encrypted with the cluster's key
 * and keep a retention (RDS would otherwise create them unencrypted and kept forever, and the L2's
 * `cloudwatchLogsRetention` would add the LogRetention Lambda). Retained on deletion: audit logs outlive the cluster.
 */
export function createClusterLogGroups(
  scope: Construct,
  props: { readonly clusterIdentifier: string; readonly logTypes: string[]; readonly key: kms.IKey; readonly retention: logs.RetentionDays },
): logs.LogGroup[] {
  return props.logTypes.map(
    (type) =>
      new logs.LogGroup(scope, `Logs-${type}`, {
        logGroupName: `/aws/rds/cluster/${props.clusterIdentifier}/${type}`,
        encryptionKey: props.key,
        retention: props.retention,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
  );
}

/** What a cluster stands on, as {@link createClusterSupport} creates it. */
export interface ClusterSupport {
  readonly subnetGroup: rds.CfnDBSubnetGroup;
  readonly securityGroup: ec2.SecurityGroup;
  readonly connections: ec2.Connections;
  readonly parameterGroup: rds.CfnDBClusterParameterGroup;
  readonly logGroups: logs.LogGroup[];
}

/**
 * What every cluster here stands on, before the cluster: its subnet group, its own security group with no egress, its
 * parameter group and the log groups RDS exports into (see {@link createClusterLogGroups}). `kind` names the cluster
 * in the descriptions (`Aurora target`).
 */
export function createClusterSupport(scope: Construct, props: {
  readonly kind: string;
  readonly clusterIdentifier: string;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SelectedSubnets;
  readonly port: number;
  readonly parameterGroup: { readonly family: string; readonly description: string; readonly parameters: Record<string, string> };
  readonly logTypes: string[];
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
}): ClusterSupport {
  const subnetGroup = createSubnetGroup(scope, `Subnets of the ${props.kind} ${props.clusterIdentifier}`, props.subnets);
  const { securityGroup, connections } = createClusterSecurityGroup(scope, {
    vpc: props.vpc,
    description: `${props.kind} ${props.clusterIdentifier}: clients on port ${props.port} only`,
    port: props.port,
  });
  const parameterGroup = createClusterParameterGroup(scope, props.parameterGroup);
  const logGroups = createClusterLogGroups(scope, {
    clusterIdentifier: props.clusterIdentifier,
    logTypes: props.logTypes,
    key: props.key,
    retention: props.logRetention,
  });
  return { subnetGroup, securityGroup, connections, parameterGroup, logGroups };
}

/**
 * The role RDS enhanced monitoring assumes to publish OS metrics to the `RDSOSMetrics` log group.
 *
 * The same permissions as the AWS-managed `AmazonRDSEnhancedMonitoringRole`, as a customer-managed policy scoped to
 * this account and region (PCI DSS 7.2: no AWS-managed policies).
 */
export function createEnhancedMonitoringRole(scope: Construct): iam.Role {
  const role = new iam.Role(scope, 'MonitoringRole', {
    description: 'RDS enhanced monitoring: publish OS metrics to the RDSOSMetrics log group',
    assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  });
  const logGroupArn = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:RDSOSMetrics`;
  const policy = new iam.ManagedPolicy(scope, 'MonitoringPolicy', {
    description: 'RDS enhanced monitoring (same actions as AmazonRDSEnhancedMonitoringRole, scoped to this region)',
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        sid: 'EnableCreationAndManagementOfRDSCloudwatchLogGroups',
        actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
        resources: [logGroupArn],
      }),
      new iam.PolicyStatement({
        sid: 'EnableCreationAndManagementOfRDSCloudwatchLogStreams',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
        resources: [`${logGroupArn}:log-stream:*`],
      }),
    ],
  });
  acknowledge(policy, {
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:RDSOSMetrics:log-stream:*]',
    reason:
      'RDS names one log stream per DB instance resource id, unknown until the instances exist; the wildcard is ' +
      'limited to the RDSOSMetrics log group of this account and region.',
  });
  return role;
}

/** `rds-db:connect` for one database user of a cluster (IAM database authentication). */
export function grantRdsConnect(scope: IConstruct, grantee: iam.IGrantable, clusterResourceId: string, dbUser: string): iam.Grant {
  return iam.Grant.addToPrincipal({
    grantee,
    actions: ['rds-db:connect'],
    resourceArns: [
      Stack.of(scope).formatArn({
        service: 'rds-db',
        resource: 'dbuser',
        resourceName: `${clusterResourceId}/${dbUser}`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    ],
  });
}

/**
 * An `AWS/RDS` metric of one cluster, aggregated over its instances (or over one role: `{ Role: 'READER' }`),
 * per minute by default.
 */
export function clusterMetric(
  clusterIdentifier: string,
  metricName: string,
  statistic: string,
  props?: cloudwatch.MetricOptions,
  dimensions: Record<string, string> = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/RDS',
    metricName,
    dimensionsMap: { DBClusterIdentifier: clusterIdentifier, ...dimensions },
    statistic,
    period: Duration.minutes(1),
    ...props,
  });
}

/**
 * Adds the actions to the alarm on ALARM and on OK; without actions, `withoutActions` acknowledges the NIST
 * `CloudWatchAlarmAction` finding with the reason that fits the alarm.
 */
export function addAlarmActions(alarm: cloudwatch.Alarm, actions: cloudwatch.IAlarmAction[] | undefined): void {
  if (actions && actions.length > 0) {
    alarm.addAlarmAction(...actions);
    alarm.addOkAction(...actions);
  }
}

/** The MySQL general log is not exported, by design (PCI DSS 3.4). */
export function acknowledgeGeneralLogNotExported(cluster: IConstruct): void {
  const reason =
    'The general query log records every statement with its values, payment data included (PCI DSS 3.4: no ' +
    'cardholder data in logs). The audit log (connections, DCL, DDL), the error log and the slow-query log are exported.';
  acknowledge(
    cluster,
    { id: 'PCI.DSS.321-RDSLoggingEnabled[LogExport::general]', reason },
    { id: 'NIST.800.53.R5-RDSLoggingEnabled[LogExport::general]', reason },
  );
}

/** NIST `RDSInBackupPlan` looks for AWS Backup on each instance; Aurora backs up the cluster. */
export function acknowledgeClusterBackups(instance: IConstruct, backupDays: number, compensatingControl = ''): void {
  acknowledge(instance, {
    id: 'NIST.800.53.R5-RDSInBackupPlan',
    reason:
      `Aurora backs up the cluster, not its instances: continuous automated backups with ${backupDays}-day ` +
      `point-in-time recovery${compensatingControl}.`,
  });
}

/** PCI `RDSAutomaticMinorVersionUpgradeEnabled`: the engine version is pinned on purpose, for the reason given. */
export function acknowledgePinnedEngineVersion(instance: IConstruct, reason: string): void {
  acknowledge(instance, { id: 'PCI.DSS.321-RDSAutomaticMinorVersionUpgradeEnabled', reason });
}

/** AwsSolutions-RDS14 (Backtrack, Aurora MySQL only) cannot be met, for the reason given. */
export function acknowledgeNoBacktrack(cluster: IConstruct, reason: string): void {
  acknowledge(cluster, { id: 'AwsSolutions-RDS14', reason });
}

/**
 * The findings every cluster here acknowledges, each with the cluster's own reasons: on an Aurora MySQL cluster
 * (`mysqlCluster`; undefined for PostgreSQL) Backtrack off and the general log not exported, and on every instance
 * the pinned engine version and the cluster-level backups.
 */
export function acknowledgeClusterFindings(
  mysqlCluster: IConstruct | undefined,
  instances: IConstruct[],
  reasons: {
    readonly noBacktrack: string;
    readonly pinnedEngineVersion: string;
    readonly backupDays: number;
    readonly backupCompensatingControl?: string;
  },
): void {
  if (mysqlCluster) {
    acknowledgeNoBacktrack(mysqlCluster, reasons.noBacktrack);
    acknowledgeGeneralLogNotExported(mysqlCluster);
  }
  for (const instance of instances) {
    acknowledgePinnedEngineVersion(instance, reasons.pinnedEngineVersion);
    acknowledgeClusterBackups(instance, reasons.backupDays, reasons.backupCompensatingControl);
  }
}
