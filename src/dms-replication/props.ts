import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmOptions, ConstructBaseOptions, LogRetentionOptions } from '../construct-options';

/**
 * A database engine family: of the datacenter's database and of the Aurora cluster it moves into (both ends use the
 * same one: the migration is homogeneous).
 */
export enum DatabaseEngine {
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
 * The datacenter's database, reached over the VPN.
 */
export interface DatacenterDatabase {
  /**
   * The database server's host name or IPv4 address. An IPv4 address must lie inside `datacenterCidrs`.
   *
   * > **N.B.:** DMS reads the connection details from the secret (`host`, `port`, `username`, `password`), and an
   * > endpoint that uses a secret takes no server name nor port (CloudFormation rejects both together): this value
   * > must equal the secret's `host`; it is checked against `datacenterCidrs` and exposed, not sent to DMS.
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
   * @default DatabaseEngine.MYSQL
   */
  readonly engine?: DatabaseEngine;

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
 * The Aurora end of the replication (its writer): Aurora MySQL for a MySQL datacenter database, Aurora PostgreSQL for a PostgreSQL source.
 */
export interface DmsAuroraDatabase {
  /**
   * The cluster's writer endpoint. Must equal the secret's `host` (DMS reads the connection details from the secret).
   */
  readonly host: string;

  /** The cluster's port: the replication instance may reach the target on this port only. */
  readonly port: number;

  /**
   * The Aurora engine family: `MYSQL` gives a DMS `aurora` endpoint with `MySqlSettings`, `POSTGRESQL` an
   * `aurora-postgresql` endpoint with `PostgreSqlSettings`. It must be the source engine: this library migrates
   * homogeneously (MySQL → Aurora MySQL, PostgreSQL → Aurora PostgreSQL); a heterogeneous pair is refused at synth
   * time (it needs schema conversion, which DMS replication alone does not do).
   *
   * @default - the source engine
   */
  readonly engine?: DatabaseEngine;

  /**
   * The database on the Aurora PostgreSQL target (PostgreSQL only: a DMS MySQL endpoint takes no database name, its
   * schemas come from the table mappings).
   *
   * @default - `datacenter.databaseName` for PostgreSQL; none for MySQL
   * @see https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateEndpoint.html
   */
  readonly databaseName?: string;

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
 *
 * Here `encryptionKey` encrypts the replication instance's storage, the endpoints' connection parameters and the
 * task log group (a key created here serves DMS and CloudWatch Logs of this account in this region); `logRetention`
 * keeps the task logs; `removalPolicy` governs the key and the task log group created here; `createOutputs` adds the
 * task ARN, the replication instance ARN, the commands that show and start the task, and, with `reverseReplication`,
 * the reverse task's ARN and status command.
 */
export interface DmsReplicationProps extends ConstructBaseOptions, AlarmOptions, LogRetentionOptions {
  /** The VPC of the replication instance (e.g. `RegionalNetwork.vpc`), with routes to the on-premises network. */
  readonly vpc: ec2.IVpc;

  /**
   * Where the replication instance goes: subnets in at least two AZs, with the routes to the on-premises network.
   *
   * @default - the private subnets (`ec2.SubnetType.PRIVATE_WITH_EGRESS`), where `RegionalNetwork` puts the VPN routes
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The datacenter's database: the forward task's source endpoint and the reverse task's target endpoint.
   */
  readonly datacenter: DatacenterDatabase;

  /**
   * The on-premises address space of the source database. The replication instance's security group allows egress
   * to these blocks on the source port only. None may overlap the VPC.
   */
  readonly datacenterCidrs: string[];

  /**
   * The Aurora cluster (same engine family as the datacenter's): the forward task's target endpoint and the reverse
   * task's source endpoint.
   */
  readonly aurora: DmsAuroraDatabase;

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
   * The CDC latency alarms (source and target, of the forward task and of the reverse task) fire above this.
   *
   * @default Duration.seconds(5)
   */
  readonly cdcLatencyThreshold?: Duration;

  /**
   * How many consecutive 60-second periods above the threshold fire the CDC latency alarms.
   *
   * @default 3
   */
  readonly alarmEvaluationPeriods?: number;

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
   * Prepare a reverse replication task, Aurora → on-premises, that CloudFormation creates but never starts.
   *
   * Why: in a single-writer cutover the database writer moves from the on-premises database to Aurora. From that
   * moment the on-premises copy falls behind, and rolling back would lose every payment written to Aurora. The
   * reverse task is started at the cutover, once the forward task has applied everything and is stopped (on MySQL
   * from a CDC start time before Aurora's first write, read from Aurora's binary log; on PostgreSQL before the
   * application writes to Aurora): it replicates each change written to Aurora back to the on-premises database, so
   * the writer can move back without losing anything.
   *
   * What: two more endpoints with the same secrets, TLS modes, certificates and access role — Aurora as `source`,
   * the on-premises database as `target` — and a CDC-only task (`migrationType: cdc`) with the same selection rules,
   * no table preparation (`DO_NOTHING`), the same logging and error policies, row-level validation when `validation`
   * is on, and its own control schema (`awsdms_control_reverse`, on the on-premises database) so its control tables
   * never mix with the forward task's (`awsdms_control`, on Aurora). Both control schemas are excluded from its
   * table mappings. Its CDC latency is alarmed (`reverseCdcLatencySourceAlarm`, `reverseCdcLatencyTargetAlarm`, with
   * the alarm actions): the way back is watched once it runs, and the alarms stay INSUFFICIENT_DATA — silent — while
   * it does not.
   *
   * > **N.B.:** prerequisites, checked by nobody at synth time:
   * > - the on-premises database user of `datacenter.secret` needs write privileges (INSERT, UPDATE, DELETE on the
   * >   replicated tables) and may create the `awsdms_control_reverse` schema (MySQL: database) and its tables;
   * > - the Aurora cluster must expose its changes: Aurora MySQL binary logging (`binlog_format=ROW`,
   * >   `binlog_row_image=FULL`, `binlog_checksum=NONE` in the cluster parameter group, automated backups on, binlog
   * >   retention set with `mysql.rds_set_configuration`), Aurora PostgreSQL logical replication
   * >   (`rds.logical_replication=1`) — `AuroraTargetCluster` sets these with `changeDataCaptureSource: true`;
   * >   enable it before the cutover (static parameters: they take effect at the writer's next reboot);
   * > - the DMS user of `aurora.secret` needs the privileges of a DMS source (MySQL: `REPLICATION CLIENT`,
   * >   `REPLICATION SLAVE` and `SELECT`; PostgreSQL: `rds_replication`);
   * > - the two tasks must never run at the same time: each would capture the other's writes and replicate them back.
   *
   * @default false
   * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Source.MySQL.html
   * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Source.PostgreSQL.html
   */
  readonly reverseReplication?: boolean;

  /**
   * An SNS topic told of every state change of the task(s) (started, stopped, failed…): an EventBridge rule on
   * `aws.dms` / `DMS Replication Task State Change` events whose `resources` hold the task ARNs.
   *
   * > **N.B.:** EventBridge must be allowed to publish: a topic created in the same stack gets the topic policy
   * > statement; an imported topic needs `sns:Publish` for `events.amazonaws.com` in its own policy, and a
   * > KMS-encrypted topic a key policy that lets EventBridge use the key. Delivery is best effort.
   *
   * @default - no rule: the orchestrator reads the task status itself
   * @see https://docs.aws.amazon.com/dms/latest/userguide/CHAP_EventBridge.html
   */
  readonly notificationTopic?: sns.ITopic;
}
