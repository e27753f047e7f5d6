import { CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** What the outputs name. @internal */
export interface DmsOutputParts {
  readonly replicationTaskArn: string;
  readonly replicationInstanceArn: string;
  readonly reverseReplicationTaskArn?: string;
}

/** The task ARNs and the commands that start and show the tasks. @internal */
export function createDmsOutputs(scope: Construct, parts: DmsOutputParts): void {
  const arn = parts.replicationTaskArn;
  new CfnOutput(scope, 'ReplicationTaskArn', { value: arn, description: 'DMS replication task ARN' });
  new CfnOutput(scope, 'ReplicationInstanceArn', { value: parts.replicationInstanceArn, description: 'DMS replication instance ARN' });
  new CfnOutput(scope, 'TaskStatusCommand', {
    description: 'Shows the DMS task status, full-load progress and validation state',
    value: statusCommand(scope, arn),
  });
  if (parts.reverseReplicationTaskArn) {
    new CfnOutput(scope, 'ReverseReplicationTaskArn', {
      value: parts.reverseReplicationTaskArn,
      description: 'DMS reverse task ARN (Aurora to on-premises, CDC only): start it at the cutover, after the forward task has stopped',
    });
    new CfnOutput(scope, 'ReverseTaskStatusCommand', {
      description: 'Shows the DMS reverse task status (never started by CloudFormation) and its CDC checkpoint',
      value: statusCommand(scope, parts.reverseReplicationTaskArn),
    });
  }
  new CfnOutput(scope, 'StartTaskCommand', {
    description: 'Starts the DMS task (CloudFormation creates it stopped): full load, then CDC',
    value: Fn.join('', [
      `aws dms start-replication-task --region ${Stack.of(scope).region} --start-replication-task-type start-replication --replication-task-arn `,
      arn,
    ]),
  });
}

function statusCommand(scope: Construct, arn: string): string {
  return Fn.join('', [
    `aws dms describe-replication-tasks --region ${Stack.of(scope).region} --filters Name=replication-task-arn,Values=`,
    arn,
    ' --query "ReplicationTasks[0].{Status:Status,StopReason:StopReason,FullLoadPercent:ReplicationTaskStats.FullLoadProgressPercent,TablesErrored:ReplicationTaskStats.TablesErrored,Checkpoint:RecoveryCheckpoint}" --output table',
  ]);
}
