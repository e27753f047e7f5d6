import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AlarmOptions, ConstructBaseOptions, LogRetentionOptions } from '../construct-options';

/**
 * What every Aurora cluster of this library takes: {@link AuroraGlobalSecondaryProps} (a secondary region of a global
 * database) and {@link AuroraTargetClusterProps} (a regional cluster, the target of a DMS migration).
 *
 * Here `encryptionKey` encrypts the storage, Performance Insights, the log groups and (on an `AuroraTargetCluster`) the
 * RDS-managed master secret (a key given must let RDS and CloudWatch Logs of this account use it; a key created here
 * serves RDS, EC2 (EBS) and CloudWatch Logs in this region); `logRetention` keeps the exported database logs (MySQL:
 * audit, error and slow-query; PostgreSQL: `postgresql`). `removalPolicy` governs the cluster: with
 * `RemovalPolicy.SNAPSHOT` its instances are deleted and a final snapshot of the cluster is kept; the key created here
 * and the log groups are retained unless it is `RemovalPolicy.DESTROY` (a snapshot needs its key), which (with
 * `deletionProtection: false`) is for test stacks that must be torn down completely. `createOutputs` adds, on an
 * `AuroraGlobalSecondary`, the cluster and reader endpoints and the KMS key id and ARN; on an `AuroraTargetCluster`,
 * the writer and reader endpoints, the port and the master secret's ARN (never its value).
 */
export interface AuroraClusterBaseProps extends ConstructBaseOptions, AlarmOptions, LogRetentionOptions {
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
   * The cluster identifier (also names the log groups, which must exist before the cluster): 1–63 lowercase
   * letters, digits or hyphens.
   *
   * @default - derived from the construct path
   */
  readonly clusterIdentifier?: string;
}
