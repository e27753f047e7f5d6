import { Duration } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraClusterBaseProps } from '../private/aurora-props';

export * from '../private/aurora-props';

/**
 * Properties for {@link AuroraGlobalSecondary}.
 */
export interface AuroraGlobalSecondaryProps extends AuroraClusterBaseProps {
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
   * @default 2 (after a switchover, one writer and one reader)
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
   * The replication-lag alarm fires above this.
   *
   * @default Duration.millis(1000)
   */
  readonly replicationLagThreshold?: Duration;

  /**
   * How many consecutive 60-second periods above the threshold fire the replication-lag alarm.
   *
   * @default 2
   */
  readonly replicationLagEvaluationPeriods?: number;
}
