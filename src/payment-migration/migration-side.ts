import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DmsSourceDatabase } from '../dms-replication/props';
import { CutoverSteps } from '../migration-orchestrator/cutover-steps';
import { DmsWriterMoveTimings } from '../migration-orchestrator/plugins/dms/dms-options';
import { PaymentProcessorImage } from '../payment-fleet/container-image';
import { OnPremisesConnectivity } from '../regional-network/connectivity';
import { CutoverEndpoint } from '../weighted-cutover/cutover-endpoint';

/**
 * The existing source region, as the target side sees it: its VPC, its load balancer and its database version.
 */
export interface ExistingSourceRegion {
  /** The source region, e.g. `us-east-1`. */
  readonly region: string;
  /** The source VPC (`vpc-…`), peered with the target's. */
  readonly vpcId: string;
  /** The source VPC's CIDR block. */
  readonly cidr: string;
  /**
   * The source VPC's route tables that must reach the target VPC (its private and database ones). Routed from the
   * target stack through the peering (same account only).
   *
   * @default - none: add `PeeringRoutes` in the source stack (a third deploy)
   */
  readonly routeTableIds?: string[];
  /** The DNS name of the source's load balancer (the weighted records' source side). */
  readonly loadBalancerDnsName: string;
  /** The canonical hosted zone id of the source's load balancer (per region: us-east-1 ALBs use `Z35SXDOTRQ7X7K`). */
  readonly loadBalancerHostedZoneId: string;
  /**
   * The source load balancer's full name (`app/<name>/<id>`), for its request count and health on the dashboard.
   *
   * @default - the dashboard shows the target side only
   */
  readonly loadBalancerFullName?: string;
  /**
   * The primary's Aurora engine version as RDS reports it (`8.0.mysql_aurora.3.10.0`), checked against the secondary's.
   *
   * @default - not checked
   */
  readonly engineVersion?: string;
  /**
   * The global writer endpoint (the source stack's `GlobalWriterEndpoint` output): what the target fleet writes through.
   *
   * @default - the fleet gets only the reader endpoint; give it for writes
   */
  readonly globalWriterEndpoint?: string;
}

/** The target region's network. */
export interface TargetNetworkOptions {
  /** The target VPC's CIDR block; must not overlap the source's. */
  readonly cidr: string;
  /**
   * The AZs.
   *
   * @default - the first three of the stack's region
   */
  readonly availabilityZones?: string[];
  /**
   * NAT gateways.
   *
   * @default - one per AZ
   */
  readonly natGateways?: number;
}

/** The target region's payment fleet. */
export interface TargetFleetOptions {
  /** The payment processor image. */
  readonly image: PaymentProcessorImage;
  /** The listener certificate, in the target region. */
  readonly certificate: acm.ICertificate;
  /**
   * The port the container serves HTTPS on.
   *
   * @default 8443
   */
  readonly containerPort?: number;
  /**
   * Instance type.
   *
   * @default t3.medium
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * Minimum instances.
   *
   * @default 2
   */
  readonly minCapacity?: number;
  /**
   * Maximum instances.
   *
   * @default 6
   */
  readonly maxCapacity?: number;
  /**
   * Environment of the container (the database endpoints are added).
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };
}

/** The target region's Aurora global secondary. */
export interface TargetDatabaseOptions {
  /**
   * Engine version; must equal the primary's.
   *
   * @default rds.AuroraMysqlEngineVersion.VER_3_10_0
   */
  readonly engineVersion?: rds.AuroraMysqlEngineVersion;
  /**
   * Instances (every one reads until the switchover).
   *
   * @default 2
   */
  readonly instances?: number;
  /**
   * Instance class.
   *
   * @default r6g.large
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * Deletion protection. Turn off only for tests.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** The weighted records. */
export interface TargetDnsOptions {
  /**
   * An existing hosted zone. Exclusive with `zoneName`.
   *
   * @default - a public zone named `zoneName` is created
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * The zone to create. Exclusive with `hostedZone`.
   *
   * @default - `hostedZone` is used
   */
  readonly zoneName?: string;
  /** The record names moved together (`api`, `checkout`, …). */
  readonly recordNames: string[];
}

/** The cutover. */
export interface TargetCutoverOptions {
  /**
   * Steps.
   *
   * @default CutoverSteps.linear(4)
   */
  readonly steps?: CutoverSteps;
  /**
   * Bake of each step.
   *
   * @default Duration.minutes(5)
   */
  readonly bakeTime?: Duration;
  /**
   * Gate and control polling.
   *
   * @default Duration.seconds(10)
   */
  readonly pollInterval?: Duration;
  /**
   * End with the database phase: the Aurora switchover (planned, RPO 0) on the cross-region path, the single-writer
   * move to Aurora on the on-premises path.
   *
   * @default true
   */
  readonly switchover?: boolean;
  /**
   * Approval before the first step.
   *
   * @default false
   */
  readonly approveBeforeFirstStep?: boolean;
  /**
   * Approval before the switchover.
   *
   * @default false
   */
  readonly approveBeforeSwitchover?: boolean;
}

/** The source side of a cross-region migration. */
export interface SourceSideOptions {
  /**
   * The ARN of the existing Aurora MySQL cluster that becomes the global database's primary.
   */
  readonly primaryClusterArn: string;
}

/** The target side of a cross-region migration. */
export interface TargetSideOptions {
  /** The existing source region, as this side sees it. */
  readonly source: ExistingSourceRegion;
  /** The target region's network. */
  readonly network: TargetNetworkOptions;
  /** The target region's payment fleet. */
  readonly fleet: TargetFleetOptions;
  /** The weighted records that move traffic. */
  readonly dns: TargetDnsOptions;
  /**
   * The Aurora global secondary.
   *
   * @default - the defaults of {@link TargetDatabaseOptions}
   */
  readonly database?: TargetDatabaseOptions;
  /**
   * The cutover.
   *
   * @default - the defaults of {@link TargetCutoverOptions}
   */
  readonly cutover?: TargetCutoverOptions;
}

/** The datacenter the payment system leaves, as the AWS side sees it. */
export interface OnPremisesSource {
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
  readonly database: DmsSourceDatabase;
}

/** The Aurora cluster the on-premises database moves into. */
export interface OnPremisesTargetDatabaseOptions {
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
export interface OnPremisesReplicationOptions {
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

/** The AWS side of a migration out of a datacenter: everything is in this region. */
export interface OnPremisesSideOptions {
  /** The datacenter. */
  readonly source: OnPremisesSource;
  /** This region's network (its private subnets route to the datacenter through the VPN). */
  readonly network: TargetNetworkOptions;
  /** This region's payment fleet. */
  readonly fleet: TargetFleetOptions;
  /** The weighted records that move traffic from the legacy entry point to the fleet. */
  readonly dns: TargetDnsOptions;
  /**
   * The Aurora cluster.
   *
   * @default - the defaults of {@link OnPremisesTargetDatabaseOptions}
   */
  readonly database?: OnPremisesTargetDatabaseOptions;
  /**
   * The DMS replication.
   *
   * @default - the defaults of {@link OnPremisesReplicationOptions}
   */
  readonly replication?: OnPremisesReplicationOptions;
  /**
   * The cutover. `switchover` is the single-writer move to Aurora; `approveBeforeSwitchover` defaults to **true**
   * here: an operator confirms the legacy side takes no more traffic (and, ideally, makes the legacy database
   * read-only for the application) before writes move to Aurora.
   *
   * @default - the defaults of {@link TargetCutoverOptions}, with an approval before the writer moves
   */
  readonly cutover?: TargetCutoverOptions;
  /**
   * How the writer moves: the fleet's parameter refresh (the application contract), drain and task timeouts, the
   * bake on the new writer.
   *
   * @default - the defaults of {@link DmsWriterMoveTimings}
   */
  readonly writerMove?: DmsWriterMoveTimings;
}

/**
 * Which side of the migration this region is. One `PaymentMigration` per region, with the same `name` on both.
 *
 * @example
 * declare const image: PaymentProcessorImage;
 * declare const certificate: acm.ICertificate;
 *
 * MigrationSide.source({ primaryClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:payments' });
 * MigrationSide.target({
 *   source: {
 *     region: 'us-east-1',
 *     vpcId: 'vpc-0a1b2c3d4e5f60718',
 *     cidr: '10.0.0.0/16',
 *     loadBalancerDnsName: 'payments-123456789.us-east-1.elb.amazonaws.com',
 *     loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K',
 *   },
 *   network: { cidr: '10.1.0.0/16' },
 *   fleet: { image, certificate },
 *   dns: { zoneName: 'pay.example.com', recordNames: ['api', 'checkout'] },
 * });
 */
export abstract class MigrationSide {
  /**
   * The existing source region: its Aurora cluster becomes the primary of a new global database. Deploy first.
   */
  public static source(options: SourceSideOptions): MigrationSide {
    return new (class extends MigrationSide {})('source', options, undefined);
  }

  /**
   * The target region: network, Aurora secondary, fleet, weighted records, orchestrator, dashboard and runbook.
   * Deploy after the source side.
   */
  public static target(options: TargetSideOptions): MigrationSide {
    return new (class extends MigrationSide {})('target', undefined, options);
  }

  /**
   * The AWS side of a migration out of a datacenter (seeds S2, S3): network with the existing VPN, Aurora (one
   * writer, two readers), DMS (full load + CDC, validated, a prepared reverse task), fleet, weighted records
   * (legacy 100 / AWS 0), the orchestrator with the DMS gate and the single-writer move, dashboard and runbook.
   * The only stack of the migration: deploy it after the account's DMS service roles exist.
   */
  public static onPremises(options: OnPremisesSideOptions): MigrationSide {
    return new (class extends MigrationSide {})('on-premises', undefined, undefined, options);
  }

  /** @internal */
  public readonly _kind: 'source' | 'target' | 'on-premises';
  /** @internal */
  public readonly _source?: SourceSideOptions;
  /** @internal */
  public readonly _target?: TargetSideOptions;
  /** @internal */
  public readonly _onPremises?: OnPremisesSideOptions;

  protected constructor(
    kind: 'source' | 'target' | 'on-premises',
    source: SourceSideOptions | undefined,
    target: TargetSideOptions | undefined,
    onPremises?: OnPremisesSideOptions,
  ) {
    this._kind = kind;
    this._source = source;
    this._target = target;
    this._onPremises = onPremises;
  }
}
