import { SourceRegionOptions, TargetRegionOptions } from './cross-region-options';
import { DatacenterToAwsOptions } from './datacenter-options';

/** The three kinds of side a `PaymentMigration` builds. */
export enum MigrationSideKind {
  /** The existing region of a cross-region migration: where payments run today. */
  SOURCE_REGION = 'source-region',
  /** The new region of a cross-region migration: where payments move to. */
  TARGET_REGION = 'target-region',
  /** The AWS side of a migration out of a datacenter (the datacenter is the source; it has no stack). */
  DATACENTER_TO_AWS = 'datacenter-to-aws',
}

/**
 * Which side of the migration this stack builds. One `PaymentMigration` per region, with the same `name` on both.
 *
 * Words: the **source** is where payments run today (a region, or a datacenter), the **target** is where they move
 * to; a **side** is what one stack builds.
 *
 * @example
 * declare const image: PaymentProcessorImage;
 * declare const certificate: acm.ICertificate;
 *
 * MigrationSide.sourceRegion({ primaryClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:payments' });
 * MigrationSide.targetRegion({
 *   source: {
 *     region: 'us-east-1',
 *     vpcId: 'vpc-0a1b2c3d4e5f60718',
 *     cidr: '10.0.0.0/16',
 *     loadBalancerDnsName: 'payments-123456789.us-east-1.elb.amazonaws.com',
 *     loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K',
 *     globalWriterEndpoint: 'payments-global.global-abc123.global.rds.amazonaws.com',
 *   },
 *   network: { cidr: '10.1.0.0/16' },
 *   fleet: { image, certificate },
 *   dns: { zoneName: 'pay.example.com', recordNames: ['api', 'checkout'] },
 * });
 */
export abstract class MigrationSide {
  /**
   * The source region of a cross-region migration: its existing Aurora cluster becomes the primary of a new global
   * database. Deploy first. Read what it built with `PaymentMigration.sourceRegion()`.
   */
  public static sourceRegion(options: SourceRegionOptions): SourceRegionSide {
    return new SourceRegionSide(options);
  }

  /**
   * The target region of a cross-region migration: network, Aurora secondary, fleet, weighted records, orchestrator,
   * dashboard and runbook. Deploy after the source region. Read what it built with `PaymentMigration.targetRegion()`.
   */
  public static targetRegion(options: TargetRegionOptions): TargetRegionSide {
    return new TargetRegionSide(options);
  }

  /**
   * The AWS side of a migration out of a datacenter: network with the existing VPN, Aurora (one writer, two
   * readers), DMS (full load + CDC, validated, a prepared reverse task), fleet, weighted records (legacy 100 / AWS 0; with load-balancer shifting, 100 % to the load balancer, whose listener weights split),
   * the orchestrator with the DMS gate and the single-writer move, dashboard and runbook. The only stack of the
   * migration: deploy it after the account's DMS service roles exist. Read what it built with
   * `PaymentMigration.datacenterToAws()`.
   */
  public static datacenterToAws(options: DatacenterToAwsOptions): DatacenterToAwsSide {
    return new DatacenterToAwsSide(options);
  }

  /** Which side this is. */
  public readonly kind: MigrationSideKind;
  private readonly given: SideOptionsByKind;

  protected constructor(kind: MigrationSideKind, options: object) {
    this.kind = kind;
    this.given = { [OPTIONS_KEY[kind]]: options };
  }

  /** The options of this side, under its kind's name. @internal */
  public get _options(): SideOptionsByKind {
    return this.given;
  }
}

/** Where each kind's options sit in {@link SideOptionsByKind}. */
const OPTIONS_KEY: Record<MigrationSideKind, keyof SideOptionsByKind> = {
  [MigrationSideKind.SOURCE_REGION]: 'sourceRegion',
  [MigrationSideKind.TARGET_REGION]: 'targetRegion',
  [MigrationSideKind.DATACENTER_TO_AWS]: 'datacenterToAws',
};

/** The source region of a cross-region migration: made by `MigrationSide.sourceRegion`. */
export class SourceRegionSide extends MigrationSide {
  /** The options the side was made with. */
  public readonly options: SourceRegionOptions;

  public constructor(options: SourceRegionOptions) {
    super(MigrationSideKind.SOURCE_REGION, options);
    this.options = options;
  }
}

/** The target region of a cross-region migration: made by `MigrationSide.targetRegion`. */
export class TargetRegionSide extends MigrationSide {
  /** The options the side was made with. */
  public readonly options: TargetRegionOptions;

  public constructor(options: TargetRegionOptions) {
    super(MigrationSideKind.TARGET_REGION, options);
    this.options = options;
  }
}

/** The AWS side of a migration out of a datacenter: made by `MigrationSide.datacenterToAws`. */
export class DatacenterToAwsSide extends MigrationSide {
  /** The options the side was made with. */
  public readonly options: DatacenterToAwsOptions;

  public constructor(options: DatacenterToAwsOptions) {
    super(MigrationSideKind.DATACENTER_TO_AWS, options);
    this.options = options;
  }
}

/** The options of the one side given. @internal */
export interface SideOptionsByKind {
  readonly sourceRegion?: SourceRegionOptions;
  readonly targetRegion?: TargetRegionOptions;
  readonly datacenterToAws?: DatacenterToAwsOptions;
}
