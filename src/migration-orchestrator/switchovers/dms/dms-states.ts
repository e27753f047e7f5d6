import { Duration } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DatabaseWriter } from './database-writer';
import { TRANSIENT_RETRY } from '../../state-machine/state-builders';

/** A DMS replication task as the states address it. @internal */
export interface DmsTaskRef {
  /** The task ARN (API calls). */
  readonly arn: string;
  /** The `ReplicationInstanceIdentifier` metric dimension. */
  readonly instanceIdentifier: string;
  /** The `ReplicationTaskIdentifier` metric dimension (the task's resource id, the last part of its ARN). */
  readonly resourceId: string;
  /** For state names and messages: `forward`, `reverse`. */
  readonly label: string;
}

/**
 * DescribeReplicationTasks for one task, then `{resultPath}.status` (the task's status, or `missing`) and
 * `{resultPath}.task` (the task without its settings). The list is taken whole: a path into an empty list fails.
 * @internal
 */
export function describeTask(scope: Construct, id: string, task: DmsTaskRef, resultPath: string): sfn.Chain {
  const call = describeTaskCall(scope, id, task, resultPath);
  const found = new sfn.Pass(scope, `${id}: found`, {
    parameters: { 'status.$': `${resultPath}.tasks[0].Status`, 'task.$': `${resultPath}.tasks[0]` },
    resultPath,
  });
  const missing = new sfn.Pass(scope, `${id}: missing`, { result: sfn.Result.fromObject({ status: 'missing' }), resultPath });
  const join = new sfn.Pass(scope, `${id}: read`);
  found.next(join);
  missing.next(join);
  call.addCatch(missing, { errors: DMS_NOT_FOUND, resultPath: `${resultPath}.error` });
  call.next(new sfn.Choice(scope, `${id}: exists?`).when(sfn.Condition.isPresent(`${resultPath}.tasks[0]`), found).otherwise(missing));
  return sfn.Chain.custom(call, [join], join);
}

/**
 * DescribeReplicationTasks for one task, the list into `{resultPath}.tasks`; transient errors retried, the not-found
 * fault ({@link DMS_NOT_FOUND}) not: the caller catches it. @internal
 */
export function describeTaskCall(scope: Construct, id: string, task: DmsTaskRef, resultPath: string): tasks.CallAwsService {
  const call = new tasks.CallAwsService(scope, id, {
    service: 'databasemigration',
    action: 'describeReplicationTasks',
    iamAction: 'dms:DescribeReplicationTasks',
    iamResources: ['*'], // an account-level list action; the request filters on the one task ARN
    parameters: { Filters: [{ Name: 'replication-task-arn', Values: [task.arn] }], WithoutSettings: true },
    resultSelector: { 'tasks.$': '$.ReplicationTasks' },
    resultPath,
  });
  // A filter that matches nothing is an error ("No Tasks found matching provided filters"), not an empty list.
  call.addRetry({ errors: DMS_NOT_FOUND, maxAttempts: 0 });
  call.addRetry(TRANSIENT_RETRY);
  return call;
}

/**
 * The not-found fault of DMS as Step Functions names it (service prefix `DatabaseMigration`, the AWS SDK for Java v2
 * exception class; the API calls it ResourceNotFoundFault — both names, as the mapping is not verified offline).
 * @internal
 */
export const DMS_NOT_FOUND = ['DatabaseMigration.ResourceNotFoundException', 'DatabaseMigration.ResourceNotFoundFault'];

/** Statuses a DMS task passes through on its way somewhere (DMS API `ReplicationTask.Status`). @internal */
export const TRANSITIONAL_STATUSES = ['creating', 'modifying', 'starting', 'stopping', 'moving', 'testing'];

/** A DMS task API call on this one task (IAM scoped to it), its result discarded, transient errors retried. @internal */
export function taskCall(
  scope: Construct,
  id: string,
  task: DmsTaskRef,
  action: string,
  parameters: { [key: string]: unknown } = {},
): tasks.CallAwsService {
  const call = new tasks.CallAwsService(scope, id, {
    service: 'databasemigration',
    action,
    iamAction: `dms:${action[0].toUpperCase()}${action.slice(1)}`,
    iamResources: [task.arn],
    parameters: { ReplicationTaskArn: task.arn, ...parameters },
    resultPath: sfn.JsonPath.DISCARD,
  });
  call.addRetry(TRANSIENT_RETRY);
  return call;
}

/** StartReplicationTask (`start-replication` for a task never run, `resume-processing` after a stop). @internal */
export function startTask(scope: Construct, id: string, task: DmsTaskRef, type: 'start-replication' | 'resume-processing'): tasks.CallAwsService {
  return taskCall(scope, id, task, 'startReplicationTask', { StartReplicationTaskType: type });
}

/**
 * StartReplicationTask (`start-replication`) of a CDC task from a commit time read at `cdcStartTimePath` (an ISO
 * timestamp, as Step Functions passes timestamps to SDK integrations). DMS reads the source's log from that time:
 * on Aurora MySQL the binary log, kept for `binlog retention hours`; a PostgreSQL source needs a logical replication
 * slot created ahead and named on the endpoint (`slotName`).
 * @see https://docs.aws.amazon.com/dms/latest/APIReference/API_StartReplicationTask.html
 * @internal
 */
export function startTaskFrom(scope: Construct, id: string, task: DmsTaskRef, cdcStartTimePath: string): tasks.CallAwsService {
  return taskCall(scope, id, task, 'startReplicationTask', { 'StartReplicationTaskType': 'start-replication', 'CdcStartTime.$': cdcStartTimePath });
}

/** StopReplicationTask. @internal */
export function stopTask(scope: Construct, id: string, task: DmsTaskRef): tasks.CallAwsService {
  return taskCall(scope, id, task, 'stopReplicationTask');
}

/**
 * Polls the task every `interval` until its status is `wanted` (then `next`). Any status other than `wanted` or a
 * transitional one fails at once with `error` (a stopped or failed task will not get there by waiting), and so does
 * running out of `timeout`. @internal
 */
export function waitForStatus(
  scope: Construct,
  prefix: string,
  task: DmsTaskRef,
  wanted: string,
  options: { interval: Duration; timeout: Duration; error: string; next: sfn.IChainable },
): sfn.IChainable {
  const polls = Math.max(1, Math.ceil(options.timeout.toSeconds() / options.interval.toSeconds()));
  const budget = new sfn.Pass(scope, `${prefix}: budget`, { result: sfn.Result.fromObject({ polls }), resultPath: '$.taskWait' });
  const wait = new sfn.Wait(scope, `${prefix}: wait`, { time: sfn.WaitTime.duration(options.interval) });
  const count = new sfn.Pass(scope, `${prefix}: count`, { parameters: { 'polls.$': 'States.MathAdd($.taskWait.polls, -1)' }, resultPath: '$.taskWait' });
  const fail = new sfn.Fail(scope, `${prefix}: failed`, {
    error: options.error,
    cause: `The DMS ${task.label} task did not reach "${wanted}" within ${options.timeout.toHumanString()}, or failed`,
  });
  const describe = describeTask(scope, `${prefix}: describe`, task, '$.taskWait.task');
  budget.next(wait).next(count).next(describe).next(
    new sfn.Choice(scope, `${prefix}: ${wanted}?`)
      .when(sfn.Condition.stringEquals('$.taskWait.task.status', wanted), options.next)
      .when(
        sfn.Condition.and(
          sfn.Condition.or(...TRANSITIONAL_STATUSES.map((t) => sfn.Condition.stringEquals('$.taskWait.task.status', t))),
          sfn.Condition.numberGreaterThan('$.taskWait.polls', 0),
        ),
        wait,
      )
      .otherwise(fail),
  );
  return budget;
}

/** Writes the writer parameter. @internal */
export function writeWriter(scope: Construct, id: string, parameter: ssm.IStringParameter, value: DatabaseWriter): tasks.CallAwsService {
  return writerParameterCall(scope, id, parameter, 'putParameter', {
    parameters: { Value: value, Overwrite: true, Type: 'String' },
    resultPath: sfn.JsonPath.DISCARD,
  });
}

/** Reads the writer parameter into `{resultPath}.value`. @internal */
export function readWriter(scope: Construct, id: string, parameter: ssm.IStringParameter, resultPath: string): tasks.CallAwsService {
  return writerParameterCall(scope, id, parameter, 'getParameter', { resultSelector: { 'value.$': '$.Parameter.Value' }, resultPath });
}

/** An SSM call on the writer parameter (`Name` and the given parameters), with the transient errors retried. */
function writerParameterCall(
  scope: Construct,
  id: string,
  parameter: ssm.IStringParameter,
  action: 'putParameter' | 'getParameter',
  call: { readonly parameters?: Record<string, unknown>; readonly resultSelector?: Record<string, string>; readonly resultPath: string },
): tasks.CallAwsService {
  const task = new tasks.CallAwsService(scope, id, {
    service: 'ssm',
    action,
    iamResources: [parameter.parameterArn],
    parameters: { Name: parameter.parameterName, ...call.parameters },
    resultSelector: call.resultSelector,
    resultPath: call.resultPath,
  });
  task.addRetry(TRANSIENT_RETRY);
  return task;
}
