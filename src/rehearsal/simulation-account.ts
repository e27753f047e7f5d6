import { unknownMembers } from './api-shapes';
import { childInput, isNamed } from './child-execution';
import { isoAt } from './dms-world';
import { Actor, PreparedWorkflows, workflowOf } from './simulation-support';
import { awsError, PRIMARY_CLUSTER_ARN, World } from './world';

/** What the simulated account's calls need from the simulation. */
export interface AccountContext {
  readonly world: World;
  readonly dmsRefs: { writer?: string; forward?: string; reverse?: string };
  readonly prepared: PreparedWorkflows;
  /** The target cluster's ARN, as the states name it. */
  readonly targetCluster: { arn: string };
  log(text: string): void;
  /** Every execution started so far. */
  executions(): ReadonlyArray<ExecutionView>;
  /** StopExecution: `by` stops the execution `arn`. */
  stop(arn: string, by: Actor, error?: string): void;
  /** An SNS notification is published (checked against the world when sent). */
  notification(actor: Actor, subject: string): void;
  /** Starts a bake (a child execution of the cutover) and returns it. */
  startChild(input: unknown): unknown;
  /** The gating alarms' state now. */
  alarm(): string;
}

/** What the account sees of an execution. */
interface ExecutionView {
  readonly id: string;
  readonly actor: Actor;
  readonly status: string;
  readonly startedAt: number;
  readonly error?: string;
}

/** One AWS call of a workflow, against the simulated account: the member names checked, the world read or changed. */
export function accountCall(ctx: AccountContext, actor: Actor, resource: string, params: any, state: string): any {
  const { world, dmsRefs, log } = ctx;
  const api = resource.replace(/^arn:aws:states:::(aws-sdk:)?/, '');
  const unknown = unknownMembers(api, params);
  if (unknown.length > 0) throw awsError('States.Runtime', `${api} does not accept ${unknown.join(', ')}`);
  switch (api) {
    case 'cloudwatch:describeAlarms':
      return { MetricAlarms: (params.AlarmNames as string[]).map((AlarmName) => ({ AlarmName, StateValue: ctx.alarm() })), CompositeAlarms: [] };
    case 'cloudwatch:putMetricData':
      return {};
    case 'ssm:getParameter':
      return params.Name === dmsRefs.writer
        ? { Parameter: { Name: params.Name, Value: world.dms.writer, Version: world.dms.writerVersion } }
        : { Parameter: { Name: params.Name, Value: world.control, Version: world.controlVersion } };
    case 'ssm:putParameter':
      if (params.Name === dmsRefs.writer) {
        world.dms.putWriter(workflowOf(actor), params.Value);
        log(`${actor}: writer parameter ← ${params.Value}`);
      } else {
        world.control = params.Value;
        world.controlVersion++;
        log(`${actor}: control ← ${params.Value}`);
      }
      return { Version: 2 };
    case 'dynamodb:updateItem': {
      world.record.setStrings('fences', world.dms.fenceAcknowledgements());
      const before = world.record.item()?.phase?.S ?? 'IDLE';
      try {
        const answer = world.record.updateItem(params);
        log(`${actor}: ${state}: record ${before} → ${world.record.item()?.phase?.S}`);
        return answer;
      } catch (e) {
        log(`${actor}: ${state}: refused (record ${before})`);
        throw e;
      }
    }
    case 'dynamodb:getItem':
      return world.record.getItem(params);
    case 'route53:changeResourceRecordSets': {
      const answer = world.changeRecordSets(workflowOf(actor), params);
      log(`${actor}: weights ${world.weights.source}/${world.weights.target}`);
      return answer;
    }
    case 'route53:getChange':
      return world.getChange(params);
    case 'elasticloadbalancingv2:modifyListener': {
      const answer = world.listener.modifyListener(workflowOf(actor), params);
      log(`${actor}: weights ${world.weights.source}/${world.weights.target}`);
      return answer;
    }
    case 'elasticloadbalancingv2:describeListeners':
      return world.listener.describeListeners(params);
    case 'sfn:listExecutions':
      // Eventually consistent (the AWS API reference says so): an execution shows after about a second.
      return {
        Executions: ctx.executions()
          .filter((e) => e.actor === 'cutover' && e.status === 'RUNNING' && world.now - e.startedAt >= 1)
          .map((e) => ({ ExecutionArn: e.id, Status: 'RUNNING' })),
      };
    case 'sfn:describeExecution': {
      const e = ctx.executions().find((x) => x.id === params.ExecutionArn);
      return { ExecutionArn: params.ExecutionArn, Status: e?.status ?? 'RUNNING', ...(e?.error ? { Error: e.error } : {}) };
    }
    case 'states:startExecution.sync:2': {
      if (!ctx.prepared.bake || !isNamed(ctx.prepared.bake, params.StateMachineArn)) throw awsError('StepFunctions.StateMachineDoesNotExistException', `no state machine ${params.StateMachineArn}`);
      return ctx.startChild(childInput(params.Input));
    }
    case 'sfn:stopExecution': {
      ctx.stop(params.ExecutionArn, actor, params.Error);
      return { StopDate: isoAt(world.now) };
    }
    case 'sns:publish':
      ctx.notification(actor, params.Subject ?? '');
      return { MessageId: `m${world.now}` };
    case 's3:putObject':
      return { ETag: '"simulation"' };
    case 'rds:describeDBClusters':
      return { DbClusters: [{ Status: 'available' }] };
    case 'rds:describeGlobalClusters':
      return world.globalCluster(ctx.targetCluster.arn);
    case 'rds:switchoverGlobalCluster': {
      const to = params.TargetDbClusterIdentifier === PRIMARY_CLUSTER_ARN ? 'source' : 'target';
      if (to === 'target') ctx.targetCluster.arn = params.TargetDbClusterIdentifier;
      log(`${actor}: SwitchoverGlobalCluster → ${to}`);
      return world.switchoverStart(to);
    }
    case 'databasemigration:describeReplicationTasks':
      return world.dms.describe(params.Filters[0].Values[0] === dmsRefs.reverse ? 'reverse' : 'forward');
    case 'databasemigration:startReplicationTask':
      return world.dms.start(params.ReplicationTaskArn === dmsRefs.reverse ? 'reverse' : 'forward', params.StartReplicationTaskType, workflowOf(actor), params.CdcStartTime);
    case 'databasemigration:stopReplicationTask':
      return world.dms.stop(params.ReplicationTaskArn === dmsRefs.reverse ? 'reverse' : 'forward', workflowOf(actor));
    case 'databasemigration:describeTableStatistics':
      return world.dms.tableStatistics(params.ReplicationTaskArn === dmsRefs.reverse ? 'reverse' : 'forward');
    case 'cloudwatch:getMetricData':
      return world.dms.backlog(/reverse/.test(state) ? 'reverse' : 'forward', params.StartTime, params.EndTime);
    default:
      throw awsError('States.TaskFailed', `The simulation does not model ${api}`);
  }
}
