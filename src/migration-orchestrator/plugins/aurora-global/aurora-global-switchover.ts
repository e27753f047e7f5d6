import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { AuroraSwitchoverOptions } from './aurora-switchover-options';
import type { AuroraGlobalSecondary } from '../../../aurora-global-secondary/aurora-global-secondary';
import { SwitchoverPlugin } from '../../engine/contracts';

/**
 * Aurora Global Database switchover (`SwitchoverGlobalCluster`, RPO 0) as the engine's switchover plug-in
 * (DatabaseSwitchover.auroraGlobal). Nothing to undo automatically: the rollback moves traffic only.
 * @internal
 */
export function auroraGlobalSwitchover(database: AuroraGlobalSecondary, options: AuroraSwitchoverOptions): SwitchoverPlugin {
  return {
    description: `Aurora global switchover to ${database.clusterIdentifier}`,
    historyEvents: () => 60 * 11, // 30 minutes of polls at 30 s
    bind: (ctx, next) => {
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
    },
  };
}
