import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CutoverOptions, DnsOptions, FleetOptions, NetworkOptions } from './side-options';
import { DatacenterDatabase } from '../dms-replication/props';
import { DmsWriterMoveTimings } from '../migration-orchestrator/plugins/dms/dms-options';
import { OnPremisesConnectivity } from '../regional-network/connectivity';
import { CutoverEndpoint } from '../weighted-cutover/cutover-endpoint';

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
   * optional), TLS, and the **existing** Secrets Manager secret with its credentials (never created here).
   * Its binary log must be ready for CDC: see the README (binlog_format=ROW, binlog_row_image=FULL, retention).
   */
  readonly database: DatacenterDatabase;
}

/** The Aurora cluster the datacenter's database moves into. */
export interface DatacenterAuroraOptions {
  /**
   * Readers next to the writer, across AZs.
   *
   * @default 2 (seed S2: one writer, two readers)
   */
  readonly readers?: number;
  /**
   * Instance class of the writer and the readers.
   *
   * @default db.r6g.large
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * Deletion protection. Turn off only for tests.
   *
   * @default true
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
   * @default Duration.seconds(5) (seed S3)
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
  readonly network: NetworkOptions;
  /** This region's payment fleet. */
  readonly fleet: FleetOptions;
  /** The weighted records that move traffic from the legacy entry point to the fleet. */
  readonly dns: DnsOptions;
  /**
   * The Aurora cluster.
   *
   * @default - the defaults of {@link DatacenterAuroraOptions}
   */
  readonly database?: DatacenterAuroraOptions;
  /**
   * The DMS replication.
   *
   * @default - the defaults of {@link ReplicationOptions}
   */
  readonly replication?: ReplicationOptions;
  /**
   * The cutover. `switchover` is the single-writer move to Aurora; `approveBeforeSwitchover` defaults to **true**
   * here: an operator confirms the legacy side takes no more traffic (and, ideally, makes the legacy database
   * read-only for the application) before writes move to Aurora.
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
