import { SwitchoverConfig } from './state-machine/contracts';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { DmsReplication } from '../dms-replication/dms-replication';
import { auroraGlobalSwitchover } from './switchovers/aurora-global/aurora-global-switchover';
import { AuroraSwitchoverOptions } from './switchovers/aurora-global/aurora-switchover-options';
import { DmsWriterMoveOptions } from './switchovers/dms/dms-options';
import { dmsWriterMoveSwitchover } from './switchovers/dms/dms-writer-move';
import { checkAuroraSwitchoverOptions, checkDmsWriterMoveShapes } from './validate-options';

/**
 * The final, gated phase of a cutover: move the database writer to the target. Planned and lossless only — the
 * data-losing failover is never automated (it is in the runbook, marked as the disaster path).
 */
export abstract class DatabaseSwitchover {
  /**
   * Aurora Global Database switchover (`SwitchoverGlobalCluster`, RPO 0) to the given secondary, then wait until it
   * is the writer and the global cluster is available again.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
   */
  public static auroraGlobal(database: AuroraGlobalSecondary, options: AuroraSwitchoverOptions = {}): DatabaseSwitchover {
    checkAuroraSwitchoverOptions(database, options);
    return new PluginSwitchover(auroraGlobalSwitchover(database, options));
  }

  /**
   * Single-writer move for the on-premises path (DMS): fence the writes and wait until the forward task has applied
   * everything. Then, on MySQL (the default engine), point the writer parameter at the target at once, stop the
   * forward task and start the prepared reverse task (Aurora → on premises) from a time before Aurora's first write,
   * so that it replicates every write from there; on PostgreSQL, stop the forward task, start the reverse task and
   * wait until it runs, then point the writer parameter at the target. The two tasks never run at once. Then a bake
   * with the new writer. Rolling back after the writer moved is the same in reverse: fence,
   * drain the reverse task, writer back to the source — before any traffic moves back. See {@link DatabaseWriter}.
   *
   * Needs a `DmsReplication` with `reverseReplication: true`, and gate it with {@link CutoverGate.dmsReplication}.
   *
   * @example
   * declare const replication: DmsReplication;
   * declare const writer: ssm.IStringParameter;
   * const switchover = DatabaseSwitchover.dmsWriterMove(replication, { writerParameter: writer });
   */
  public static dmsWriterMove(replication: DmsReplication, options: DmsWriterMoveOptions): DatabaseSwitchover {
    checkDmsWriterMoveShapes(replication, options);
    return new PluginSwitchover(dmsWriterMoveSwitchover(replication, options));
  }

  protected constructor(
    /** What the switchover does, for messages. */
    public readonly description: string,
  ) {}

  /** What the orchestrator's state machine needs of the switchover: its states and what rollbacks do for it. @internal */
  public abstract _bind(): SwitchoverConfig;
}

/** A switchover made by one of switchovers/<kind>/. */
class PluginSwitchover extends DatabaseSwitchover {
  constructor(private readonly config: SwitchoverConfig) {
    super(config.description);
  }

  /** @internal */
  public _bind(): SwitchoverConfig {
    return this.config;
  }
}
