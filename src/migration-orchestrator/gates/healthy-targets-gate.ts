import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { GatePlugin, PreCheckBuilder } from '../state-machine/contracts';

/**
 * The healthy-targets gate (CutoverGate.healthyTargets): at least `minimum` registered targets, every one of them
 * healthy, before any traffic moves (`minimum` is checked by the factory).
 * @internal
 */
export function healthyTargetsGate(targetGroup: elbv2.ITargetGroup, minimum: number): GatePlugin {
  return {
    description: `at least ${minimum} healthy targets`,
    bind: () => {
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
    },
  };
}
