import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { DmsWriterMoveOptions } from './dms-options';
import { writerEventGuardStates, writerMoveEvents, writerPreCheckStates, writerMovePlan, writerMoveStates, writerRollbackStates } from './dms-writer-move';
import type { BuildContext } from './state-builders';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { DmsReplication } from '../dms-replication/dms-replication';

/** Options for {@link DatabaseSwitchover.auroraGlobal}. */
export interface AuroraSwitchoverOptions {
  /**
   * How long the switchover may take before the cutover rolls back.
   *
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;
  /**
   * How often the global cluster is polled.
   *
   * @default Duration.seconds(30)
   */
  readonly pollInterval?: Duration;
}

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
    return new (class extends DatabaseSwitchover {
      public _bind(ctx: BuildContext, next: sfn.IChainable): sfn.IChainable {
        const scope = ctx.scope;
        const stack = Stack.of(scope);
        const clusterArn = stack.formatArn({ service: 'rds', resource: 'cluster', resourceName: database.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
        const globalArn = stack.formatArn({ service: 'rds', region: '', resource: 'global-cluster', resourceName: database.globalClusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
        const poll = options.pollInterval ?? Duration.seconds(30);
        const polls = Math.ceil((options.timeout ?? Duration.minutes(30)).toSeconds() / poll.toSeconds());

        const start = new tasks.CallAwsService(scope, 'Switchover: start', {
          service: 'rds',
          action: 'switchoverGlobalCluster',
          iamResources: [globalArn, clusterArn],
          parameters: { GlobalClusterIdentifier: database.globalClusterIdentifier, TargetDbClusterIdentifier: clusterArn },
          resultPath: sfn.JsonPath.DISCARD,
        });
        start.addRetry({ errors: ['Rds.RdsException'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 3 });
        const budget = new sfn.Pass(scope, 'Switchover: budget', { result: sfn.Result.fromObject({ polls }), resultPath: '$.switchover' });
        const wait = new sfn.Wait(scope, 'Switchover: wait', { time: sfn.WaitTime.duration(poll) });
        const status = new tasks.CallAwsService(scope, 'Switchover: status', {
          service: 'rds',
          action: 'describeGlobalClusters',
          iamResources: [globalArn],
          parameters: { GlobalClusterIdentifier: database.globalClusterIdentifier },
          resultSelector: { 'status.$': '$.GlobalClusters[0].Status', 'members.$': '$.GlobalClusters[0].GlobalClusterMembers' },
          resultPath: '$.switchoverStatus',
        });
        status.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 4 });
        // Which member is the writer, without JSONPath filters (not portable in ResultSelector): one flag per member.
        const members = new sfn.Map(scope, 'Switchover: find the writer', {
          itemsPath: '$.switchoverStatus.members',
          itemSelector: { 'arn.$': '$$.Map.Item.Value.DbClusterArn', 'writer.$': '$$.Map.Item.Value.IsWriter' },
          maxConcurrency: 1,
          resultPath: '$.switchoverStatus.flags',
        });
        members.itemProcessor(
          new sfn.Choice(scope, 'Switchover: is this the target, writing?')
            .when(
              sfn.Condition.and(sfn.Condition.stringEquals('$.arn', clusterArn), sfn.Condition.booleanEquals('$.writer', true)),
              new sfn.Pass(scope, 'Switchover: the target writes', { result: sfn.Result.fromBoolean(true) }),
            )
            .otherwise(new sfn.Pass(scope, 'Switchover: not the target writing', { result: sfn.Result.fromBoolean(false) })),
        );
        const evaluate = new sfn.Pass(scope, 'Switchover: evaluate', {
          parameters: {
            'polls.$': 'States.MathAdd($.switchover.polls, -1)',
            'status.$': '$.switchoverStatus.status',
            'targetIsWriter.$': 'States.ArrayContains($.switchoverStatus.flags, true)',
          },
          resultPath: '$.switchover',
        });
        const timeout = new sfn.Fail(scope, 'Switchover: timed out', {
          error: 'SwitchoverTimeout',
          cause: `The target ${database.clusterIdentifier} did not become the writer in time`,
        });
        const done = new sfn.Choice(scope, 'Switchover: target is the writer?')
          .when(
            sfn.Condition.and(
              sfn.Condition.booleanEquals('$.switchover.targetIsWriter', true),
              sfn.Condition.stringEquals('$.switchover.status', 'available'),
            ),
            next,
          )
          .when(sfn.Condition.numberLessThanEquals('$.switchover.polls', 0), timeout)
          .otherwise(wait);
        return start.next(budget).next(wait).next(status).next(members).next(evaluate).next(done);
      }
    })(`Aurora global switchover to ${database.clusterIdentifier}`);
  }

  /**
   * Single-writer move for the on-premises path (DMS): fence the writes, wait until the forward task has applied
   * everything, stop it, start the prepared reverse task (Aurora → on premises), then point the writer parameter at
   * the target; then a bake with the new writer. Rolling back after the writer moved is the same in reverse: fence,
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
    const plan = writerMovePlan(replication, options);
    return new (class extends DatabaseSwitchover {
      public _bind(ctx: BuildContext, next: sfn.IChainable): sfn.IChainable {
        return writerMoveStates(ctx, plan, next);
      }
      public _bindRollback(ctx: BuildContext, next: sfn.IChainable): sfn.IChainable {
        return writerRollbackStates(ctx, plan, next);
      }
      public _bindPreCheck(ctx: BuildContext, next: sfn.IChainable): sfn.IChainable {
        return writerPreCheckStates(ctx, plan, next);
      }
      public _bindEventGuard(ctx: BuildContext, act: sfn.IChainable, leave: sfn.IChainable): sfn.IChainable {
        return writerEventGuardStates(ctx, plan, act, leave);
      }
      public _replicationTaskArn(): string {
        return replication.replicationTaskArn;
      }
      public _historyEvents(pollInterval: Duration): number {
        return writerMoveEvents(plan, pollInterval);
      }
    })(`DMS single-writer move (${replication.replicationTaskIdentifier})`);
  }

  protected constructor(
    /** What the switchover does, for messages. */
    public readonly description: string,
  ) {}

  /** @internal */
  public abstract _bind(ctx: BuildContext, next: sfn.IChainable): sfn.IChainable;

  /**
   * States that put the writer back on the source, run by every rollback before traffic moves back; undefined when
   * the switchover has nothing to undo automatically.
   * @internal
   */
  public _bindRollback(_ctx: BuildContext, _next: sfn.IChainable): sfn.IChainable | undefined {
    return undefined;
  }

  /** A pre-check before any traffic moves, or undefined. @internal */
  public _bindPreCheck(_ctx: BuildContext, next: sfn.IChainable): sfn.IChainable {
    return next;
  }

  /**
   * In the alarm-rollback workflow: `act` (stop the cutover and roll traffic back) when that is safe for the
   * database, else `leave` (the cutover's own rollback moves the writer back first). @internal
   */
  public _bindEventGuard(_ctx: BuildContext, act: sfn.IChainable, _leave: sfn.IChainable): sfn.IChainable {
    return act;
  }

  /** The DMS task this switchover moves the writer off, when it is a DMS one (its gate must be there too). @internal */
  public _replicationTaskArn(): string | undefined {
    return undefined;
  }

  /** Worst-case history events of the switchover, for the execution-history budget. @internal */
  public _historyEvents(_pollInterval: Duration): number {
    return 60 * 11; // 30 minutes of polls at 30 s
  }
}
