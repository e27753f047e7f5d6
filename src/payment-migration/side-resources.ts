import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AuroraGlobalCluster } from '../aurora-global-secondary/aurora-global-cluster';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { AuroraTargetCluster } from '../aurora-target/aurora-target-cluster';
import { DmsReplication } from '../dms-replication/dms-replication';
import { DatabaseWriterParameter } from '../migration-orchestrator/database-writer-parameter';
import { MigrationOrchestrator } from '../migration-orchestrator/migration-orchestrator';
import { ITrafficShifter } from '../migration-orchestrator/traffic-shifter';
import { PaymentFleet } from '../payment-fleet/payment-fleet';
import { RegionalNetwork } from '../regional-network/regional-network';
import { WeightedCutover } from '../weighted-cutover/weighted-cutover';

/** What `MigrationSide.sourceRegion` builds: read it with `PaymentMigration.sourceRegion()`. */
export interface SourceRegionResources {
  /** The global database whose primary is the existing cluster. */
  readonly globalDatabase: AuroraGlobalCluster;
  /** The global cluster's identifier, `<name>-global`. */
  readonly globalClusterIdentifier: string;
}

/** What every side that receives traffic builds (the target region, the AWS side of a datacenter migration). */
export interface TrafficSideResources {
  /** The side's network. */
  readonly network: RegionalNetwork;
  /** The payment fleet behind its HTTPS load balancer. */
  readonly fleet: PaymentFleet;
  /** The weighted DNS records (source and target), which the cutover moves when it shifts by DNS. */
  readonly dns: WeightedCutover;
  /** What the cutover moves traffic with: `dns`, or the load balancer's or Global Accelerator's shifter. */
  readonly shifter: ITrafficShifter;
  /** The cutover workflow: gated steps, bakes, the database phase, automatic rollback. */
  readonly orchestrator: MigrationOrchestrator;
  /** The migration dashboard: intended and observed split, gates, replication, fleet. */
  readonly dashboard: cloudwatch.Dashboard;
  /** The migration's notification topic: approvals, rollbacks, and the alarms' actions. */
  readonly alarmTopic: sns.ITopic;
}

/** What `MigrationSide.targetRegion` builds: read it with `PaymentMigration.targetRegion()`. */
export interface TargetRegionResources extends TrafficSideResources {
  /** The Aurora global secondary (the writer after the switchover). */
  readonly database: AuroraGlobalSecondary;
  /** The global cluster's identifier, `<name>-global`. */
  readonly globalClusterIdentifier: string;
}

/** What `MigrationSide.datacenterToAws` builds: read it with `PaymentMigration.datacenterToAws()`. */
export interface DatacenterToAwsResources extends TrafficSideResources {
  /** The Aurora cluster DMS replicates into. */
  readonly database: AuroraTargetCluster;
  /** The DMS replication, with its prepared reverse task. */
  readonly replication: DmsReplication;
  /**
   * Where the fleet writes: `SOURCE`, `FENCED` or `TARGET`. The fleet gets its name as `DB_WRITER_PARAMETER` and
   * may read it; the cutover writes it.
   */
  readonly writerParameter: DatabaseWriterParameter;
}
