import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { CutoverOptions, FleetOptions } from './side-options';
import { TrafficShifting } from './traffic-shifting';
import { RegionalNetworkOptions } from '../regional-network/regional-network-props';
import { CutoverRecordsOptions } from '../weighted-cutover/weighted-cutover-props';

/**
 * The existing source region, as the target region's side sees it: its VPC, its load balancer, its database version
 * and global writer endpoint.
 */
export interface SourceRegionAttributes {
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
   * The source load balancer's full name (`app/<name>/<id>`, the part of its ARN after `loadbalancer/`), for its
   * request count and health on the dashboard.
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
   * The Aurora global writer endpoint, `<name>-global.global-<id>.global.rds.amazonaws.com`: what the target fleet
   * writes through (it follows the primary, so there is one writer at every moment). The source stack's
   * `GlobalWriterEndpointCommand` output prints it once the source region is deployed. Required: a target fleet
   * without it would take traffic with nowhere to write.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html
   */
  readonly globalWriterEndpoint: string;
}

/** The target region's Aurora global secondary. */
export interface GlobalSecondaryOptions {
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
   * @default - true; false with `PaymentMigration`'s `removalPolicy: RemovalPolicy.DESTROY`
   */
  readonly deletionProtection?: boolean;
}

/** The source region of a cross-region migration (`MigrationSide.sourceRegion`). */
export interface SourceRegionOptions {
  /**
   * The ARN of the existing Aurora MySQL cluster that becomes the global database's primary.
   */
  readonly primaryClusterArn: string;
}

/** The target region of a cross-region migration (`MigrationSide.targetRegion`). */
export interface TargetRegionOptions {
  /** The existing source region, as this side sees it. */
  readonly source: SourceRegionAttributes;
  /** The target region's network. */
  readonly network: RegionalNetworkOptions;
  /** The target region's payment fleet. */
  readonly fleet: FleetOptions;
  /** The weighted records that move traffic (or, with Global Accelerator shifting, point at the accelerator). */
  readonly dns: CutoverRecordsOptions;
  /**
   * How the cutover moves traffic: Route 53 weighted records, or Global Accelerator's traffic dials at the edge
   * (`TrafficShifting.globalAccelerator`): no DNS in the path, and an ingress in neither Region.
   *
   * @default TrafficShifting.dns()
   */
  readonly shifting?: TrafficShifting;
  /**
   * The Aurora global secondary.
   *
   * @default - the defaults of {@link GlobalSecondaryOptions}
   */
  readonly database?: GlobalSecondaryOptions;
  /**
   * The cutover.
   *
   * @default - the defaults of {@link CutoverOptions}
   */
  readonly cutover?: CutoverOptions;
}
