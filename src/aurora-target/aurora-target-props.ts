import { Duration } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AuroraClusterBaseProps } from '../private/aurora-props';

/** The engine of an {@link AuroraTargetCluster}. */
export enum AuroraTargetEngine {
  /**
   * Aurora MySQL 3 (MySQL 8.0-compatible). TLS is required (`require_secure_transport=ON`, TLS 1.2+); Advanced
   * Auditing records connections, DCL and DDL; audit, error and slow-query logs are exported.
   */
  MYSQL = 'mysql',
  /**
   * Aurora PostgreSQL. TLS is required (`rds.force_ssl=1`, TLS 1.2+); connections, disconnections and pgAudit
   * `ddl,role` are logged and the `postgresql` log is exported.
   *
   * > **N.B.:** pgAudit is preloaded by the parameter group, but its DDL audit needs `CREATE EXTENSION pgaudit;` in
   * > each database (as the master user), which CloudFormation cannot run.
   */
  POSTGRESQL = 'postgresql',
}

/**
 * Properties for {@link AuroraTargetCluster}.
 */
export interface AuroraTargetClusterProps extends AuroraClusterBaseProps {
  /**
   * The database engine.
   *
   * @default AuroraTargetEngine.MYSQL
   */
  readonly engine?: AuroraTargetEngine;

  /**
   * The Aurora MySQL version (with `engine: AuroraTargetEngine.MYSQL` only). Pinned: minor versions are upgraded
   * deliberately, never automatically.
   *
   * @default rds.AuroraMysqlEngineVersion.VER_3_10_0 (MySQL 8.0-compatible, long-term support; the version
   * `AuroraGlobalSecondary` defaults to, so that this cluster can become the primary of a global database)
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Update.SpecialVersions.html
   */
  readonly mysqlEngineVersion?: rds.AuroraMysqlEngineVersion;

  /**
   * The Aurora PostgreSQL version (with `engine: AuroraTargetEngine.POSTGRESQL` only), 13 or later. Pinned: minor
   * versions are upgraded deliberately, never automatically.
   *
   * @default rds.AuroraPostgresEngineVersion.VER_16_8 (a long-term support minor version)
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Updates.LTS.html
   */
  readonly postgresEngineVersion?: rds.AuroraPostgresEngineVersion;

  /**
   * The number of reader instances besides the writer, 0–15. Each instance goes to the next Availability Zone of
   * `subnets`, the writer to the first: with the default two readers and three AZs, one instance per AZ. A reader is
   * the failover target: with none, a failover waits for a new instance.
   *
   * @default 2 (one writer and two readers)
   */
  readonly readers?: number;

  /**
   * The master user's name, with the RDS-managed password (not with `masterSecret`, whose `username` is used): 1–16
   * letters or digits (MySQL), 1–63 (PostgreSQL), starting with a letter.
   *
   * @default 'paymentsadmin'
   */
  readonly masterUsername?: string;

  /**
   * An **existing** Secrets Manager secret holding the master credentials as JSON (`username`, `password`), read by
   * CloudFormation through dynamic references when the cluster is created; nothing is written back to it. Import
   * it with `Secret.fromSecretAttributes(this, 'Master', { secretCompleteArn, encryptionKey })`.
   *
   * The master user is a bootstrap and break-glass credential: it creates the application and replication users
   * (see docs/datacenter-path.md, "Credentials: who reads which secret (on-premises path)") and no application or replication task should hold it.
   *
   * @default - RDS manages the master password (`ManageMasterUserPassword`): RDS generates it, keeps it in a secret
   * RDS owns (encrypted with `encryptionKey`) and rotates it every 7 days; the template holds no secret resource and
   * no password
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html
   */
  readonly masterSecret?: secretsmanager.ISecret;

  /**
   * A database to create with the cluster: 1–63 letters, digits or underscores, starting with a letter.
   *
   * @default - none (DMS creates the MySQL schemas it loads; for PostgreSQL, create the target database before the
   * DMS task, or name it here)
   */
  readonly defaultDatabaseName?: string;

  /**
   * Prepare the cluster to be the **source** of an AWS DMS change-data-capture task (the reverse path, Aurora →
   * on-premises, kept ready for a rollback). MySQL: `binlog_format=ROW`, `binlog_row_image=full`,
   * `binlog_checksum=NONE` in the cluster parameter group. PostgreSQL: `rds.logical_replication=1`.
   *
   * > **N.B.:** what CloudFormation cannot do, to run once on the writer as the master user:
   * > - MySQL: keep the binary logs long enough for DMS to read them, e.g.
   * >   `CALL mysql.rds_set_configuration('binlog retention hours', 24);` (at most 2160 on Aurora MySQL 3), and give
   * >   the DMS user `REPLICATION CLIENT`, `REPLICATION SLAVE` and `SELECT`. DMS reads the binary log of the writer
   * >   (the cluster endpoint), never of a reader. Row-based binary logging adds write I/O and storage: watch
   * >   `BinLogDiskUsage`.
   * > - PostgreSQL: grant `rds_replication` to the DMS user; each DMS task holds a replication slot, and a slot
   * >   left behind keeps WAL and blocks vacuum: drop it when the task is deleted.
   * >
   * > Turning this on for an existing cluster changes static parameters, which take effect at the writer's next reboot.
   *
   * @default false
   * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Source.MySQL.html#CHAP_Source.MySQL.AmazonManaged
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/mysql-stored-proc-configuring.html
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Replication.Logical.Configure.html
   */
  readonly changeDataCaptureSource?: boolean;

  /**
   * The CPU alarm fires when the busiest instance stays above this percentage for 5 minutes.
   *
   * @default 80
   */
  readonly cpuAlarmThreshold?: number;

  /**
   * The replica-lag alarm fires when a reader stays behind the writer by more than this for 3 minutes (Aurora
   * replicas usually trail by well under 100 ms). No alarm without readers.
   *
   * @default Duration.seconds(1)
   */
  readonly replicaLagAlarmThreshold?: Duration;

  /**
   * Create a connections alarm that fires when an instance holds more connections than this for 3 minutes.
   * `max_connections` depends on the instance class and the engine: set this below it.
   *
   * @default - no connections alarm
   */
  readonly connectionsAlarmThreshold?: number;
}
