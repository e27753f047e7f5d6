import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * What every Aurora cluster of this library takes: {@link AuroraGlobalSecondaryProps} (a secondary region of a global
 * database) and {@link AuroraTargetClusterProps} (a regional cluster, the target of a DMS migration).
 */
export interface AuroraClusterBaseProps {
  /** The VPC of the cluster, in this region (e.g. `RegionalNetwork.vpc`). */
  readonly vpc: ec2.IVpc;

  /**
   * Where the cluster's instances go: subnets in at least two Availability Zones.
   *
   * @default - the isolated subnets (`ec2.SubnetType.PRIVATE_ISOLATED`)
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The instance class of every instance of the cluster (a failover or a switchover promotes one of them: they must
   * match). A memory-optimized class: burstable classes exhaust their CPU credits under sustained load, such as a
   * DMS full load.
   *
   * @default r6g.large
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * The port. Not the engine's standard port (AwsSolutions-RDS11), so clients must set it explicitly.
   *
   * @default 3307 for MySQL, 5433 for PostgreSQL
   */
  readonly port?: number;

  /**
   * How long automated backups are kept, 1–35 days.
   *
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;

  /**
   * The customer-managed key, in this region, for storage, Performance Insights, the log groups and (on an
   * `AuroraTargetCluster`) the RDS-managed master secret. Its policy must let RDS and CloudWatch Logs of this account
   * use it.
   *
   * @default - a new key with rotation, whose policy serves RDS, EC2 (EBS) and CloudWatch Logs in this region
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long the exported database logs (MySQL: audit, error and slow-query; PostgreSQL: `postgresql`) are kept. At
   * least one year (PCI DSS 10.5.1).
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The enhanced-monitoring interval: 1, 5, 10, 15, 30 or 60 seconds.
   *
   * @default Duration.seconds(60)
   */
  readonly monitoringInterval?: Duration;

  /**
   * Protect the cluster from deletion. Turn off only for tests.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the cluster when it is removed from the stack (with `SNAPSHOT`, its instances are deleted and a
   * final snapshot of the cluster is kept). The key created here and the log groups are retained unless this is
   * `RemovalPolicy.DESTROY` (a snapshot needs its key). `DESTROY` (with `deletionProtection: false`) is for test
   * stacks that must be torn down completely.
   *
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The cluster identifier (also names the log groups, which must exist before the cluster): 1–63 lowercase
   * letters, digits or hyphens.
   *
   * @default - derived from the construct path
   */
  readonly clusterIdentifier?: string;

  /**
   * Actions for the alarms this construct creates, on ALARM and on OK.
   *
   * @default - none: no alarm notifies anyone (cdk-nag reports each one). An orchestrator polls those it is
   * given as gates; `PaymentMigration` sends every alarm to its topic
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * Add stack outputs: the cluster's endpoints and keys. `AuroraGlobalSecondary`: cluster and reader endpoints, KMS
   * key id and ARN. `AuroraTargetCluster`: writer and reader endpoints, port and the master secret's ARN (never its
   * value).
   *
   * @default true
   */
  readonly createOutputs?: boolean;
}
