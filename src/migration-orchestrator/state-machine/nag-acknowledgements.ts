import { ArnFormat, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { executionsOf } from './definition';
import { acknowledge, acknowledgeInPacks, NagPackPrefix } from '../../private/nag';

/** What else a state machine's role may act on, for {@link acknowledgeStateMachine}. @internal */
export interface StateMachineReach {
  /** A state machine whose executions this one stops (StopExecution, DescribeExecution on `execution:<name>:*`). */
  readonly stoppableStateMachineArn?: string;
  /**
   * The name of the state machine this one starts children of with `startExecution.sync:2` (aws-cdk-lib grants
   * DescribeExecution and StopExecution on `execution:<name>*`).
   */
  readonly childStateMachineName?: string;
  /** State machines whose executions this one describes (the recovery: every workflow that can hold the record). */
  readonly readableStateMachineArns?: string[];
}

/**
 * Findings on a state machine's role that cannot be fixed in the construct, each with its own id. @internal
 */
export function acknowledgeStateMachine(stateMachine: sfn.StateMachine, checkpoints: s3.IBucket, reach: StateMachineReach = {}): void {
  const readable = [...(reach.stoppableStateMachineArn ? [reach.stoppableStateMachineArn] : []), ...(reach.readableStateMachineArns ?? [])];
  const policy = stateMachine.role.node.tryFindChild('DefaultPolicy');
  if (!policy) return;
  const stack = Stack.of(stateMachine);
  const bucketId = stack.getLogicalId(checkpoints.node.defaultChild as CfnResource);
  acknowledge(
    policy,
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray (PutTraceSegments, PutTelemetryRecords, GetSampling*), CloudWatch Logs delivery (CreateLogDelivery …), ' +
        'DescribeTargetHealth, DescribeListeners (the load-balancer shift\'s read-back), CloudWatch GetMetricData/PutMetricData ' +
        'and DMS DescribeReplicationTasks (filtered on one task ARN in the request) have no resource-level permissions; every ' +
        'other statement names its resources.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/cutovers/*]`,
      reason: 'Checkpoint object keys carry the execution name, known only at run time; writes are limited to the cutovers/ prefix of the one audit bucket.',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:route53:::change/*]',
      reason: 'Route 53 names each change when it is submitted; route53:GetChange only reads the status of a change.',
    },
  );
  // The Aurora switch-back, unless given the source cluster's ARN (see AuroraSwitchoverOptions.sourceClusterArn).
  const document = JSON.stringify(stack.resolve((policy as iam.Policy).document.toJSON()));
  if (/rds:switchoverGlobalCluster/i.test(document) && document.includes(':rds:*:')) {
    const clusters = stack.resolve(stack.formatArn({ service: 'rds', region: '*', resource: 'cluster', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }));
    acknowledge(policy, {
      id: `AwsSolutions-IAM5[Resource::${flatten(clusters)}]`,
      reason: 'The switch-back targets the source region\'s cluster, which this stack does not know (give sourceClusterArn to scope it); ' +
        'SwitchoverGlobalCluster also needs the one global cluster, and the request names the member read from it.',
    });
  }
  for (const arn of readable) {
    const executions = stack.resolve(executionsOf(arn));
    acknowledge(policy, {
      id: `AwsSolutions-IAM5[Resource::${flatten(executions)}]`,
      reason: 'Execution names are chosen when a workflow starts; StopExecution and DescribeExecution are limited to executions of this orchestrator\'s own state machines.',
    });
  }
  if (reach.childStateMachineName) {
    const children = stack.resolve(stack.formatArn({
      service: 'states', resource: 'execution', resourceName: `${reach.childStateMachineName}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }));
    acknowledge(policy, {
      id: `AwsSolutions-IAM5[Resource::${flatten(children)}]`,
      reason: 'Step Functions names each child execution a startExecution.sync:2 task starts; DescribeExecution (waiting for it) and ' +
        'StopExecution (stopping it with its parent) are limited to executions of the one Bake state machine, which only reads.',
    });
  }
  acknowledgeInPacks(
    policy,
    [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5],
    'IAMNoInlinePolicy',
    'aws-cdk-lib derives this policy from the task definitions of this one state machine and attaches it to its ' +
      'role only; it changes with the definition and is scoped statement by statement (PCI DSS 7.2 least privilege).',
  );
}

/** How cdk-nag prints a resource in a finding (its `flattenCfnReference`): references as `<Name>`. */
function flatten(value: any): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (value['Fn::Join']) {
    const [sep, parts] = value['Fn::Join'];
    return (parts as any[]).map(flatten).join(sep);
  }
  if (value['Fn::Sub']) return flatten(value['Fn::Sub']);
  if (value['Fn::GetAtt']) return `<${flatten(value['Fn::GetAtt'][0])}.${flatten(value['Fn::GetAtt'][1])}>`;
  if (value['Fn::ImportValue']) return flatten(value['Fn::ImportValue']);
  if (value.Ref) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(value);
}
