import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';

/**
 * Properties for {@link AuroraGlobalSecondary}.
 */
export interface AuroraGlobalSecondaryProps {
  /** The VPC of this region (e.g. `RegionalNetwork.vpc`). */
  readonly vpc: ec2.IVpc;

  /**
   * Where the cluster's instances go.
   *
   * @default - the isolated subnets (`ec2.SubnetType.PRIVATE_ISOLATED`)
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The global cluster to join: created in the primary's region by {@link AuroraGlobalCluster}, or one that exists.
   */
  readonly globalClusterIdentifier: string;

  /** The primary cluster's region (the `SourceRegion` of the replication-lag metrics). */
  readonly primaryRegion: string;

  /**
   * The Aurora MySQL engine version. It must equal the primary's (major.minor.patch) for a switchover.
   *
   * @default rds.AuroraMysqlEngineVersion.VER_3_10_0 (MySQL 8.0-compatible, long-term support)
   */
  readonly engineVersion?: rds.AuroraMysqlEngineVersion;

  /**
   * The primary's engine version as RDS reports it (`8.0.mysql_aurora.3.10.0`), checked against `engineVersion`.
   *
   * @default - not checked
   */
  readonly primaryEngineVersion?: string;

  /**
   * The global writer endpoint (printed by the `GlobalWriterEndpointCommand` output of {@link AuroraGlobalCluster}), exposed as
   * `globalWriterEndpoint` for the fleet to write through.
   *
   * @default - not known in this stack
   */
  readonly globalWriterEndpoint?: string;

  /**
   * The number of instances. In a secondary every instance reads; a switchover promotes one to writer.
   *
   * @default 2 (the seed's "one writer, one reader")
   */
  readonly instances?: number;

  /**
   * A headless secondary: storage replicates, no instance runs (a cheaper standby). Add instances before a
   * cutover: a headless cluster cannot serve reads or become a usable writer.
   *
   * @default false
   */
  readonly headless?: boolean;

  /**
   * The instance class.
   *
   * @default r6g.large
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * The port. Not the MySQL default 3306.
   *
   * @default 3307
   */
  readonly port?: number;

  /**
   * How long automated backups are kept, 1–35 days.
   *
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;

  /**
   * The customer-managed key, in this region, for storage, Performance Insights and the log groups.
   *
   * @default - a new key with rotation, whose policy serves RDS, EC2 (EBS) and CloudWatch Logs in this region
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long the exported audit, error and slow-query logs are kept. At least one year (PCI DSS 10.5.1).
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
   * Forward writes sent to this secondary to the primary (Aurora MySQL write forwarding).
   *
   * > **N.B.:** forwarded writes cannot run DDL or `SELECT … FOR UPDATE`, each session must set
   * > `aurora_replica_read_consistency`, and every forwarded write pays the cross-region round trip. Writing through
   * > the global writer endpoint is usually the better way to keep a single writer.
   *
   * @default false
   */
  readonly enableGlobalWriteForwarding?: boolean;

  /**
   * Protect the cluster from deletion. Turn off only for tests.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the cluster when it is removed from the stack.
   *
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The cluster identifier (also names the log groups, which must exist before the cluster).
   *
   * @default - derived from the construct path
   */
  readonly clusterIdentifier?: string;

  /**
   * The replication-lag alarm fires above this.
   *
   * @default Duration.millis(1000) (seed S1 §6)
   */
  readonly replicationLagThreshold?: Duration;

  /**
   * How many consecutive 60-second periods above the threshold fire the replication-lag alarm.
   *
   * @default 2
   */
  readonly replicationLagEvaluationPeriods?: number;

  /**
   * Actions for the alarms this construct creates, on ALARM and on OK.
   *
   * @default - none: no alarm notifies anyone (cdk-nag reports each one). An orchestrator polls those it is
   * given as gates; `PaymentMigration` sends every alarm to its topic
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * Add stack outputs: cluster and reader endpoints, KMS key id and ARN.
   *
   * @default true
   */
  readonly createOutputs?: boolean;
}
