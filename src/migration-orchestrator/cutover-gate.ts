import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { GateConfig, GatePlugin } from './engine/contracts';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { DmsReplication } from '../dms-replication/dms-replication';
import { auroraGlobalSecondaryGate } from './plugins/aurora-global/aurora-global-gate';
import { dmsReplicationGate } from './plugins/dms/dms-gate';
import { DmsGateOptions } from './plugins/dms/dms-options';
import { healthyTargetsGate } from './plugins/load-balancer/healthy-targets-gate';
import { checkDmsGateOptions, checkGateAlarm, checkHealthyTargets } from './validate-options';

/**
 * A condition a cutover needs to start and to keep going. Replication-agnostic: Aurora Global Database, DMS and
 * plain alarms are all gates.
 *
 * @example
 * declare const lagAlarm: cloudwatch.IAlarm;
 * const gates = [CutoverGate.alarm(lagAlarm)];
 */
export abstract class CutoverGate {
  /**
   * The alarm must be OK to start and stay OK during every bake. ALARM rolls back; INSUFFICIENT_DATA blocks the
   * start (unless the orchestrator allows it) and is tolerated during bakes only when allowed.
   */
  public static alarm(alarm: cloudwatch.IAlarm): CutoverGate {
    checkGateAlarm('CutoverGate.alarm', alarm);
    return new PluginGate({ description: `alarm ${alarm.alarmName}`, bind: () => ({ alarms: [alarm], preChecks: [] }) });
  }

  /**
   * The alarm must be OK to start and stay OK during every bake **until the database writer moves**
   * ({@link DatabaseSwitchover.dmsWriterMove}); after the move it is no longer watched. For what only matters while
   * the old database is the writer — the VPN tunnels the fleet writes through, for example. Polled, not on the event
   * path.
   */
  public static alarmBeforeWriterMove(alarm: cloudwatch.IAlarm): CutoverGate {
    checkGateAlarm('CutoverGate.alarmBeforeWriterMove', alarm);
    return new PluginGate({
      description: `alarm ${alarm.alarmName} (until the writer moves)`,
      bind: () => ({ alarms: [], preChecks: [], replicationAlarms: [alarm] }),
    });
  }

  /**
   * The target fleet has at least `minimum` registered targets, every one of them `healthy` (none initial,
   * unhealthy, unavailable or draining), before any traffic moves.
   */
  public static healthyTargets(targetGroup: elbv2.ITargetGroup, minimum: number): CutoverGate {
    checkHealthyTargets(targetGroup, minimum);
    return new PluginGate(healthyTargetsGate(targetGroup, minimum));
  }

  /**
   * The Aurora global secondary is available and a member of its global cluster before any traffic moves, and its
   * replication-lag alarm stays OK throughout.
   */
  public static auroraGlobalSecondary(database: AuroraGlobalSecondary): CutoverGate {
    return new PluginGate(auroraGlobalSecondaryGate(database));
  }

  /**
   * The DMS replication is ready before any traffic moves — the task runs (started if it never ran), its full load
   * is complete, CDC latency is within the threshold on both sides (waited for), and no table failed validation —
   * and its latency and validation alarms stay OK until the writer moves.
   *
   * @example
   * declare const replication: DmsReplication;
   * const gate = CutoverGate.dmsReplication(replication, { fullLoadTimeout: Duration.hours(12) });
   */
  public static dmsReplication(replication: DmsReplication, options: DmsGateOptions = {}): CutoverGate {
    checkDmsGateOptions(options);
    return new PluginGate(dmsReplicationGate(replication, options));
  }

  protected constructor(
    /** What the gate checks, for messages and the timeline. */
    public readonly description: string,
  ) {}

  /** @internal */
  public abstract _bind(): GateConfig;
}

/** A gate made by a plug-in (plugins/<kind>/). */
class PluginGate extends CutoverGate {
  constructor(private readonly plugin: GatePlugin) {
    super(plugin.description);
  }

  /** @internal */
  public _bind(): GateConfig {
    return this.plugin.bind();
  }
}
