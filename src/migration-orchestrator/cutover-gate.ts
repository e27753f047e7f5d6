import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DmsGateTarget, dmsPreCheck } from './dms-gate';
import { DmsGateOptions } from './dms-options';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { DmsReplication } from '../dms-replication/dms-replication';

/**
 * A pre-check: a chain of states that ends in `next` when the condition holds and in a Fail state naming the
 * gate when it does not. No traffic has moved when a pre-check runs.
 * @internal
 */
export type PreCheckBuilder = (scope: Construct, next: sfn.IChainable) => sfn.IChainable;

/** What a gate contributes to the orchestrator. @internal */
export interface GateConfig {
  /** Alarms polled before the first step and throughout every bake; an ALARM rolls back. */
  readonly alarms: cloudwatch.IAlarm[];
  /** Checks run once, before any traffic moves. */
  readonly preChecks: PreCheckBuilder[];
  /**
   * Alarms watched only until the database writer moves (a one-way replication, the VPN to the old database):
   * polled from the start until the move, never after (what they watch is stopped or no longer needed on purpose),
   * and not on the event path.
   */
  readonly replicationAlarms?: cloudwatch.IAlarm[];
  /** The DMS task this gate checks, for pairing with a DMS writer move. */
  readonly replicationTaskArn?: string;
  /** Worst-case history events of the pre-checks. */
  readonly historyEvents?: number;
}

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
    return new (class extends CutoverGate {
      public _bind(): GateConfig {
        return { alarms: [alarm], preChecks: [] };
      }
    })(`alarm ${alarm.alarmName}`);
  }

  /**
   * The alarm must be OK to start and stay OK during every bake **until the database writer moves**
   * ({@link DatabaseSwitchover.dmsWriterMove}); after the move it is no longer watched. For what only matters while
   * the old database is the writer — the VPN tunnels the fleet writes through, for example. Polled, not on the event
   * path.
   */
  public static alarmBeforeWriterMove(alarm: cloudwatch.IAlarm): CutoverGate {
    return new (class extends CutoverGate {
      public _bind(): GateConfig {
        return { alarms: [], preChecks: [], replicationAlarms: [alarm] };
      }
    })(`alarm ${alarm.alarmName} (until the writer moves)`);
  }

  /**
   * The target fleet has at least `minimum` registered targets, every one of them `healthy` (none initial,
   * unhealthy, unavailable or draining), before any traffic moves.
   */
  public static healthyTargets(targetGroup: elbv2.ITargetGroup, minimum: number): CutoverGate {
    if (!Number.isInteger(minimum) || minimum < 1) {
      throw new Error(`CutoverGate.healthyTargets: \`minimum\` must be a positive integer, got: ${minimum}`);
    }
    return new (class extends CutoverGate {
      public _bind(): GateConfig {
        const preCheck: PreCheckBuilder = (scope, next) => {
          const describe = new tasks.CallAwsService(scope, 'Pre-check: target health', {
            service: 'elasticloadbalancingv2',
            action: 'describeTargetHealth',
            iamAction: 'elasticloadbalancing:DescribeTargetHealth',
            iamResources: ['*'], // DescribeTargetHealth supports no resource-level permissions
            parameters: { TargetGroupArn: targetGroup.targetGroupArn },
            // JSONPath filters are not valid in ResultSelector: take every state, then count and look for bad ones.
            resultSelector: { 'states.$': '$.TargetHealthDescriptions[*].TargetHealth.State' },
            resultPath: '$.preCheck.targets',
          });
          const count = new sfn.Pass(scope, 'Pre-check: count healthy targets', {
            parameters: {
              'count.$': 'States.ArrayLength($.preCheck.targets.states)',
              'unique.$': 'States.ArrayUnique($.preCheck.targets.states)',
            },
            resultPath: '$.preCheck.targets',
          });
          const onlyHealthy = new sfn.Pass(scope, 'Pre-check: only healthy targets?', {
            parameters: {
              'count.$': '$.preCheck.targets.count',
              'distinct.$': 'States.ArrayLength($.preCheck.targets.unique)',
              'healthy.$': "States.ArrayContains($.preCheck.targets.unique, 'healthy')",
            },
            resultPath: '$.preCheck.targets',
          });
          const fail = new sfn.Fail(scope, 'Pre-check failed: too few healthy targets', {
            error: 'PreCheckFailed',
            cause: `The target fleet has fewer than ${minimum} targets, or not all of them healthy: no traffic was moved`,
          });
          return describe.next(count).next(onlyHealthy).next(
            new sfn.Choice(scope, `Pre-check: at least ${minimum} healthy targets?`)
              .when(
                sfn.Condition.and(
                  sfn.Condition.numberGreaterThanEquals('$.preCheck.targets.count', minimum),
                  sfn.Condition.numberEquals('$.preCheck.targets.distinct', 1),
                  sfn.Condition.booleanEquals('$.preCheck.targets.healthy', true),
                ),
                next,
              )
              .otherwise(fail),
          );
        };
        return { alarms: [], preChecks: [preCheck] };
      }
    })(`at least ${minimum} healthy targets`);
  }

  /**
   * The Aurora global secondary is available and a member of its global cluster before any traffic moves, and its
   * replication-lag alarm stays OK throughout.
   */
  public static auroraGlobalSecondary(database: AuroraGlobalSecondary): CutoverGate {
    return new (class extends CutoverGate {
      public _bind(): GateConfig {
        const preCheck: PreCheckBuilder = (scope, next) => {
          const stack = Stack.of(scope);
          const clusterArn = stack.formatArn({ service: 'rds', resource: 'cluster', resourceName: database.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
          const globalArn = stack.formatArn({ service: 'rds', region: '', resource: 'global-cluster', resourceName: database.globalClusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
          const cluster = new tasks.CallAwsService(scope, 'Pre-check: target database', {
            service: 'rds',
            action: 'describeDBClusters',
            iamResources: [clusterArn],
            parameters: { DbClusterIdentifier: database.clusterIdentifier },
            resultSelector: { 'status.$': '$.DbClusters[0].Status' },
            resultPath: '$.preCheck.database',
          });
          const global = new tasks.CallAwsService(scope, 'Pre-check: global cluster membership', {
            service: 'rds',
            action: 'describeGlobalClusters',
            iamResources: [globalArn],
            parameters: { GlobalClusterIdentifier: database.globalClusterIdentifier },
            resultSelector: {
              'status.$': '$.GlobalClusters[0].Status',
              'members.$': '$.GlobalClusters[0].GlobalClusterMembers[*].DbClusterArn',
            },
            resultPath: '$.preCheck.global',
          });
          const member = new sfn.Pass(scope, 'Pre-check: is the target a member?', {
            parameters: {
              'status.$': '$.preCheck.global.status',
              'member.$': `States.ArrayContains($.preCheck.global.members, '${clusterArn}')`,
            },
            resultPath: '$.preCheck.global',
          });
          const fail = new sfn.Fail(scope, 'Pre-check failed: target database not ready', {
            error: 'PreCheckFailed',
            cause: `The Aurora secondary ${database.clusterIdentifier} is not available or not a member of ${database.globalClusterIdentifier}: no traffic was moved`,
          });
          return cluster.next(global).next(member).next(
            new sfn.Choice(scope, 'Pre-check: target database ready?')
              .when(
                sfn.Condition.and(
                  sfn.Condition.stringEquals('$.preCheck.database.status', 'available'),
                  sfn.Condition.stringEquals('$.preCheck.global.status', 'available'),
                  sfn.Condition.booleanEquals('$.preCheck.global.member', true),
                ),
                next,
              )
              .otherwise(fail),
          );
        };
        return { alarms: [database.replicationLagAlarm], preChecks: [preCheck] };
      }
    })(`Aurora global secondary ${database.clusterIdentifier}`);
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
    const interval = options.pollInterval ?? Duration.minutes(2);
    const ms = interval.toMilliseconds();
    if (ms < 1000 || ms % 1000 !== 0 || ms > 3_600_000) {
      throw new Error(`CutoverGate.dmsReplication: \`pollInterval\` must be a whole number of seconds from 1 to 3600, got: ${interval.toHumanString()}`);
    }
    const alarms = [replication.cdcLatencySourceAlarm, replication.cdcLatencyTargetAlarm];
    if (replication.validationFailureAlarm) alarms.push(replication.validationFailureAlarm);
    const polls = Math.ceil((options.fullLoadTimeout ?? Duration.hours(2)).toSeconds() / interval.toSeconds()) +
      Math.ceil((options.syncTimeout ?? Duration.minutes(30)).toSeconds() / interval.toSeconds());
    return new (class extends CutoverGate {
      public _bind(): GateConfig {
        const target: DmsGateTarget = {
          task: {
            arn: replication.replicationTaskArn,
            instanceIdentifier: replication.replicationInstanceIdentifier,
            resourceId: replication.replicationTaskResourceId,
            label: replication.replicationTaskIdentifier,
          },
          alarms,
          validation: replication.validationFailureAlarm !== undefined,
        };
        return {
          alarms: [],
          replicationAlarms: alarms,
          preChecks: [(scope, next) => dmsPreCheck(scope, target, options, next)],
          historyEvents: 40 + polls * 19,
          replicationTaskArn: replication.replicationTaskArn,
        };
      }
    })(`DMS replication ${replication.replicationTaskIdentifier}`);
  }

  protected constructor(
    /** What the gate checks, for messages and the timeline. */
    public readonly description: string,
  ) {}

  /** @internal */
  public abstract _bind(): GateConfig;
}
