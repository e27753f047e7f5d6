import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { AuroraSwitchoverOptions } from './aurora-switchover-options';
import type { AuroraGlobalSecondary } from '../../../aurora-global-secondary/aurora-global-secondary';
import { BuildContext } from '../../state-machine/contracts';

/** The ARNs the states name: the target cluster and the global cluster. @internal */
export interface GlobalClusterRef {
  readonly database: AuroraGlobalSecondary;
  readonly clusterArn: string;
  readonly globalArn: string;
}

/** The ARNs of the secondary (the switchover's target) and of its global cluster. @internal */
export function globalClusterRef(scope: Construct, database: AuroraGlobalSecondary): GlobalClusterRef {
  const stack = Stack.of(scope);
  return {
    database,
    clusterArn: stack.formatArn({ service: 'rds', resource: 'cluster', resourceName: database.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    globalArn: stack.formatArn({ service: 'rds', region: '', resource: 'global-cluster', resourceName: database.globalClusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
  };
}

/**
 * DescribeGlobalClusters, then `{resultPath} = { status, targetIsWriter, members }`: the global cluster's status and
 * whether the target cluster is its writer (one flag per member, without JSONPath filters).
 * @internal
 */
export function readGlobalCluster(scope: Construct, prefix: string, ref: GlobalClusterRef, resultPath: string): sfn.Chain {
  const status = new tasks.CallAwsService(scope, `${prefix}: status`, {
    service: 'rds',
    action: 'describeGlobalClusters',
    iamResources: [ref.globalArn],
    parameters: { GlobalClusterIdentifier: ref.database.globalClusterIdentifier },
    resultSelector: { 'status.$': '$.GlobalClusters[0].Status', 'members.$': '$.GlobalClusters[0].GlobalClusterMembers' },
    resultPath,
  });
  status.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 4 });
  const members = new sfn.Map(scope, `${prefix}: find the writer`, {
    itemsPath: `${resultPath}.members`,
    itemSelector: { 'arn.$': '$$.Map.Item.Value.DbClusterArn', 'writer.$': '$$.Map.Item.Value.IsWriter' },
    maxConcurrency: 1,
    resultPath: `${resultPath}.flags`,
  });
  members.itemProcessor(
    new sfn.Choice(scope, `${prefix}: is this the target, writing?`)
      .when(
        sfn.Condition.and(sfn.Condition.stringEquals('$.arn', ref.clusterArn), sfn.Condition.booleanEquals('$.writer', true)),
        new sfn.Pass(scope, `${prefix}: the target writes`, { result: sfn.Result.fromBoolean(true) }),
      )
      .otherwise(new sfn.Pass(scope, `${prefix}: not the target writing`, { result: sfn.Result.fromBoolean(false) })),
  );
  const evaluate = new sfn.Pass(scope, `${prefix}: evaluate`, {
    parameters: {
      'status.$': `${resultPath}.status`,
      'members.$': `${resultPath}.members`,
      'targetIsWriter.$': `States.ArrayContains(${resultPath}.flags, true)`,
    },
    resultPath,
  });
  return sfn.Chain.start(status).next(members).next(evaluate);
}

/**
 * SwitchoverGlobalCluster to `targetPath`'s cluster (or the target, when undefined), retried on the
 * not-yet-available errors RDS answers while the global cluster settles. @internal
 */
export function startSwitchover(
  scope: Construct, id: string, ref: GlobalClusterRef, iamClusters: string[], targetPath?: string,
): tasks.CallAwsService {
  const start = new tasks.CallAwsService(scope, id, {
    service: 'rds',
    action: 'switchoverGlobalCluster',
    iamResources: [ref.globalArn, ...iamClusters],
    parameters: {
      GlobalClusterIdentifier: ref.database.globalClusterIdentifier,
      ...(targetPath ? { 'TargetDbClusterIdentifier.$': targetPath } : { TargetDbClusterIdentifier: ref.clusterArn }),
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  start.addRetry({ errors: ['Rds.RdsException'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 3 });
  return start;
}

/** The resolved timings of an Aurora switchover. @internal */
export interface AuroraSwitchoverPlan {
  readonly poll: Duration;
  readonly timeout: Duration;
  readonly postSwitchoverBake: Duration;
  readonly sourceClusterArn?: string;
}

/** The options with their defaults (checked by `DatabaseSwitchover.auroraGlobal`). @internal */
export function auroraSwitchoverPlan(options: AuroraSwitchoverOptions): AuroraSwitchoverPlan {
  return {
    poll: options.pollInterval ?? Duration.seconds(30),
    timeout: options.timeout ?? Duration.minutes(30),
    postSwitchoverBake: options.postSwitchoverBake ?? Duration.minutes(10),
    sourceClusterArn: options.sourceClusterArn,
  };
}

/**
 * Waits until the global cluster is `available` with `writerIsTarget` true (or false): then `next`; `timeout` when
 * its polls are spent. @internal
 */
export function waitForWriter(
  ctx: BuildContext,
  prefix: string,
  database: AuroraGlobalSecondary,
  plan: AuroraSwitchoverPlan,
  wantTarget: boolean,
  next: sfn.IChainable,
  timeout: sfn.IChainable,
): sfn.IChainable {
  const scope = ctx.scope;
  const ref = globalClusterRef(scope, database);
  const polls = Math.ceil(plan.timeout.toSeconds() / plan.poll.toSeconds());
  const budget = new sfn.Pass(scope, `${prefix}: budget`, { result: sfn.Result.fromObject({ polls }), resultPath: '$.switchover' });
  const wait = new sfn.Wait(scope, `${prefix}: wait`, { time: sfn.WaitTime.duration(plan.poll) });
  const count = new sfn.Pass(scope, `${prefix}: count`, { parameters: { 'polls.$': 'States.MathAdd($.switchover.polls, -1)' }, resultPath: '$.switchover' });
  const done = new sfn.Choice(scope, `${prefix}: ${wantTarget ? 'target' : 'source'} is the writer?`)
    .when(
      sfn.Condition.and(
        sfn.Condition.booleanEquals('$.switchoverStatus.targetIsWriter', wantTarget),
        sfn.Condition.stringEquals('$.switchoverStatus.status', 'available'),
      ),
      next,
    )
    .when(sfn.Condition.numberLessThanEquals('$.switchover.polls', 0), timeout)
    .otherwise(wait);
  budget.next(wait).next(count).next(readGlobalCluster(scope, prefix, ref, '$.switchoverStatus')).next(done);
  return budget;
}

