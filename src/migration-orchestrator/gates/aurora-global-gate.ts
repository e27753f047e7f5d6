import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { AuroraGlobalSecondary } from '../../aurora-global-secondary/aurora-global-secondary';
import { GatePlugin, PreCheckBuilder } from '../state-machine/contracts';

/**
 * The Aurora global secondary gate (CutoverGate.auroraGlobalSecondary): available and a member of its global
 * cluster before any traffic moves; its replication-lag alarm stays OK throughout.
 * @internal
 */
export function auroraGlobalSecondaryGate(database: AuroraGlobalSecondary): GatePlugin {
  return {
    description: `Aurora global secondary ${database.clusterIdentifier}`,
    bind: () => {
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
    },
  };
}
