import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CutoverOptions, FleetOptions } from './side-options';
import { TrafficShifting } from './traffic-shifting';
import { DatacenterDatabase } from '../dms-replication/props';
import { DmsWriterMoveTimings } from '../migration-orchestrator/switchovers/dms/dms-options';
import { OnPremisesConnectivity } from '../regional-network/connectivity';
import { RegionalNetworkOptions } from '../regional-network/regional-network-props';
import { CutoverEndpoint } from '../weighted-cutover/cutover-endpoint';
import { CutoverRecordsOptions } from '../weighted-cutover/weighted-cutover-props';

/** The datacenter the payment system leaves, as the AWS side sees it. */
export interface DatacenterSource {
  /**
   * The datacenter's network and the existing VPN it is reached through (referenced, never created): its CIDRs,
   * the virtual private gateway (`vgw-…`) and, for the tunnel alarm that gates the cutover, the VPN connection.
   */
  readonly connectivity: OnPremisesConnectivity;

  /**
   * The legacy entry point, the weighted records' source side: `CutoverEndpoint.fromIpAddresses([...])` or
   * `CutoverEndpoint.fromDnsName('legacy.example.com')`.
   */
  readonly legacyEndpoint: CutoverEndpoint;

  /**
   * The on-premises database: host (reached over the VPN), port, name, engine (MySQL by default, PostgreSQL
   * optional), TLS, and `secret`: the **existing** Secrets Manager secret of the **replication** user (`username`,
   * `password`, `host`, `port`), which only DMS reads (the forward task's source, the reverse task's target).
   * Its binary log must be ready for CDC: see docs/datacenter-path.md (binlog_format=ROW, binlog_row_image=FULL, retention).
   */
  readonly database: DatacenterDatabase;

  /**
   * The **existing** Secrets Manager secret of the **application** user on the on-premises database (`username`,
   * `password`), which only the payment fleet reads (`DB_SOURCE_SECRET_ARN`), while the writer is on premises.
   * Referenced, never created. A secret encrypted with a customer-managed key is imported with its key
   * (`Secret.fromSecretAttributes(this, 'App', { secretCompleteArn, encryptionKey })`): the fleet may decrypt with
   * that key through Secrets Manager only.
   */
  readonly applicationSecret: secretsmanager.ISecret;
}

/**
 * The Aurora cluster the datacenter's database moves into, and who connects to it with what. Each credential is an
 * **existing** Secrets Manager entry ("fetched, not created"; the users are created with the SQL of
 * docs/datacenter-path.md, "Credentials: who reads which secret (on-premises path)"): the fleet reads only the application user's, DMS only the replication user's, and nobody
 * the master's. Every secret of the side (these, and the datacenter's), and the key that encrypts it, is in this
 * stack's region; each user has a secret of its own (told apart by name, whether given by complete ARN, partial ARN or
 * name), except that the two application users (on premises and on Aurora) may share one.
 */
export interface DatacenterAuroraOptions {
  /**
   * The **existing** secret of the **application** user on Aurora (`username`, `password`), which only the payment
   * fleet reads (`DB_SECRET_ARN`), once the writer has moved. Import a secret encrypted with a customer-managed key
   * with its key (`Secret.fromSecretAttributes`).
   */
  readonly applicationSecret: secretsmanager.ISecret;

  /**
   * The **existing** secret of the **replication** user on Aurora, which only DMS reads (the forward task's target,
   * the reverse task's source), by its complete ARN, in this region: JSON `username`, `password`, `host` (the
   * cluster's writer endpoint: the `ClusterEndpoint` output, written into the secret after the first deploy and
   * before the task starts) and `port`.
   */
  readonly replicationSecret: secretsmanager.ISecret;

  /**
   * An **existing** secret with the master credentials (`username`, `password`), read by CloudFormation when the
   * cluster is created.
   *
   * @default - RDS manages the master password (`ManageMasterUserPassword`: generated, rotated by RDS, kept in a
   * secret RDS owns; no secret resource in the template)
   */
  readonly masterSecret?: secretsmanager.ISecret;

  /**
   * Readers next to the writer, across AZs.
   *
   * @default 2 (one writer, two readers)
   */
  readonly readers?: number;
  /**
   * Instance class of the writer and the readers.
   *
   * @default r6g.large
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * Deletion protection. Turn off only for tests.
   *
   * @default - true; false with `PaymentMigration`'s `removalPolicy: RemovalPolicy.DESTROY`
   */
  readonly deletionProtection?: boolean;
}

/** The DMS replication between the datacenter and Aurora. */
export interface ReplicationOptions {
  /**
   * Replication instance class.
   *
   * @default 'dms.r6i.large'
   */
  readonly instanceClass?: string;
  /**
   * Replication instance storage, in GiB.
   *
   * @default 100
   */
  readonly allocatedStorage?: number;
  /**
   * Schemas replicated.
   *
   * @default - the source database (MySQL) or every schema (PostgreSQL)
   */
  readonly includedSchemas?: string[];
  /**
   * CDC latency above which the replication gates stop or roll back a cutover.
   *
   * @default Duration.seconds(5)
   */
  readonly cdcLatencyThreshold?: Duration;
  /**
   * How long the cutover's pre-check waits for the full load (start the task ahead for longer loads).
   *
   * @default Duration.hours(2)
   */
  readonly fullLoadTimeout?: Duration;
}

/** The AWS side of a migration out of a datacenter (`MigrationSide.datacenterToAws`): everything is in this region. */
export interface DatacenterToAwsOptions {
  /** The datacenter. */
  readonly source: DatacenterSource;
  /** This region's network (its private subnets route to the datacenter through the VPN). */
  readonly network: RegionalNetworkOptions;
  /** This region's payment fleet. */
  readonly fleet: FleetOptions;
  /** The weighted records that move traffic from the legacy entry point to the fleet (or, with load-balancer shifting, point at it). */
  readonly dns: CutoverRecordsOptions;
  /**
   * How the cutover moves traffic: Route 53 weighted records, or weighted target groups on the fleet's load balancer
   * (`TrafficShifting.loadBalancer`): per request, a rollback in seconds, no straggler on the legacy side after 100 %.
   *
   * @default TrafficShifting.dns()
   */
  readonly shifting?: TrafficShifting;
  /** The Aurora cluster and the secrets of its application and replication users. */
  readonly database: DatacenterAuroraOptions;
  /**
   * The DMS replication.
   *
   * @default - the defaults of {@link ReplicationOptions}
   */
  readonly replication?: ReplicationOptions;
  /**
   * The cutover. `switchover` is the single-writer move to Aurora; `approveBeforeSwitchover` defaults to **true**
   * here: an operator confirms the legacy side takes no more traffic before writes move to Aurora (the legacy
   * database stays writable: the fleet writes there until the fence, and a rollback writes there again).
   *
   * @default - the defaults of {@link CutoverOptions} for this side (an approval before the writer moves)
   */
  readonly cutover?: CutoverOptions;
  /**
   * How the writer moves: the fleet's parameter refresh (the application contract), drain and task timeouts, the
   * bake on the new writer.
   *
   * @default - the defaults of {@link DmsWriterMoveTimings}
   */
  readonly writerMove?: DmsWriterMoveTimings;
}
