import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { BuildContext } from './contracts';
import { InsufficientDataPolicy } from '../operator-command';
import { CutoverSplit } from '../traffic-shifter';

/** The namespace of the intended-split metric the cutover publishes after every shift. */
export const SPLIT_METRIC_NAMESPACE = 'PaymentMigration';
/** The metric: the target's weight after a shift (in percent when weights sum to 100). */
export const SPLIT_METRIC_NAME = 'TargetWeight';

/** Retry for read-only SDK calls and checkpoints: throttling and transient errors. @internal */
export const TRANSIENT_RETRY: sfn.RetryProps = {
  errors: ['States.TaskFailed'],
  interval: Duration.seconds(1),
  backoffRate: 2,
  maxAttempts: 4,
  jitterStrategy: sfn.JitterType.FULL,
};

/**
 * DescribeAlarms on every gating alarm, then `$.gates = { count, alarm, insufficient }`.
 * A missing alarm shrinks `count` (DescribeAlarms omits unknown names): callers compare it with the alarms given.
 * @internal
 */
export function readGates(ctx: BuildContext, prefix: string): { start: sfn.IChainable; end: sfn.INextable & sfn.IChainable } {
  const describe = new tasks.CallAwsService(ctx.scope, `${prefix}: read gating alarms`, {
    service: 'cloudwatch',
    action: 'describeAlarms',
    iamResources: ctx.alarms.map((a) => a.alarmArn),
    parameters: { AlarmNames: ctx.alarms.map((a) => a.alarmName), AlarmTypes: ['MetricAlarm'] },
    resultSelector: { 'states.$': '$.MetricAlarms[*].StateValue' },
    resultPath: '$.gates',
  });
  describe.addRetry(TRANSIENT_RETRY);
  const evaluate = new sfn.Pass(ctx.scope, `${prefix}: evaluate gates`, {
    parameters: {
      'count.$': 'States.ArrayLength($.gates.states)',
      'alarm.$': "States.ArrayContains($.gates.states, 'ALARM')",
      'insufficient.$': "States.ArrayContains($.gates.states, 'INSUFFICIENT_DATA')",
    },
    resultPath: '$.gates',
  });
  describe.next(evaluate);
  return { start: describe, end: evaluate };
}

/**
 * The conditions under which gates stop a cutover, each with its Fail state.
 * @internal
 */
export function gateFailures(ctx: BuildContext, prefix: string, atStart: boolean): Array<{ condition: sfn.Condition; fail: sfn.Fail }> {
  const failures = [
    {
      condition: sfn.Condition.not(sfn.Condition.numberEquals('$.gates.count', ctx.alarms.length)),
      fail: new sfn.Fail(ctx.scope, `${prefix}: a gating alarm is missing`, {
        error: 'GateAlarmMissing',
        cause: `DescribeAlarms did not return all ${ctx.alarms.length} gating alarms: one was deleted or renamed`,
      }),
    },
    {
      condition: sfn.Condition.booleanEquals('$.gates.alarm', true),
      fail: new sfn.Fail(ctx.scope, `${prefix}: a gating alarm is in ALARM`, {
        error: 'GateAlarm',
        cause: `A gating alarm is in ALARM (${prefix})`,
      }),
    },
  ];
  const policy = ctx.insufficientData;
  const blocks = policy === InsufficientDataPolicy.BLOCK || (atStart && policy === InsufficientDataPolicy.BLOCK_START_ONLY);
  if (blocks) {
    failures.push({
      condition: sfn.Condition.booleanEquals('$.gates.insufficient', true),
      fail: new sfn.Fail(ctx.scope, `${prefix}: a gating alarm has insufficient data`, {
        error: 'GateInsufficientData',
        cause: `A gating alarm is in INSUFFICIENT_DATA (${prefix}): no data is no proof of health`,
      }),
    });
  }
  return failures;
}

/**
 * A task whose failure (after retries) is recorded at `errorPath` and ignored: both paths meet in one Pass.
 */
export function tolerant(ctx: BuildContext, task: sfn.TaskStateBase, errorPath: string): sfn.Chain {
  const join = new sfn.Pass(ctx.scope, `${task.stateId} done`);
  task.addCatch(new sfn.Pass(ctx.scope, `${task.stateId} failed (ignored)`).next(join), { resultPath: errorPath });
  task.next(join);
  return sfn.Chain.custom(task, [join], join);
}

/**
 * A notification that never fails the cutover. `{}` placeholders in `message` are filled, in order, from the
 * JSON paths in `args` (strings in the state).
 * @internal
 */
export function notify(ctx: BuildContext, id: string, subject: string, message: string, args: string[] = []): sfn.Chain {
  const publish = new tasks.SnsPublish(ctx.scope, id, {
    topic: ctx.topic,
    subject,
    message: sfn.TaskInput.fromText(sfn.JsonPath.format(`${message} (execution {})`, ...args.map((a) => sfn.JsonPath.stringAt(a)), sfn.JsonPath.executionName)),
    resultPath: sfn.JsonPath.DISCARD,
  });
  publish.addRetry(TRANSIENT_RETRY);
  return tolerant(ctx, publish, '$.notifyError');
}

/**
 * A checkpoint object in the bucket: `cutovers/<execution>/<name>.json` with the split, the state's time and the
 * error if any, so an auditor can reconstruct who moved what when.
 * @internal
 */
export function checkpoint(ctx: BuildContext, id: string, name: string, failSafe: boolean, extra: { [field: string]: string } = {}): sfn.Chain {
  const record = new sfn.Pass(ctx.scope, `${id}: record`, {
    parameters: {
      'execution.$': '$$.Execution.Id',
      'startedBy.$': '$$.Execution.RoleArn',
      'enteredAt.$': '$$.State.EnteredTime',
      'checkpoint': name,
      'split.$': '$.split',
      ...Object.fromEntries(Object.entries(extra).map(([field, path]) => [`${field}.$`, path])),
    },
    resultPath: '$.record',
  });
  const put = new tasks.CallAwsService(ctx.scope, id, {
    service: 's3',
    action: 'putObject',
    iamResources: [ctx.bucket.arnForObjects('cutovers/*')],
    parameters: {
      'Bucket': ctx.bucket.bucketName,
      'Key.$': `States.Format('cutovers/{}/${name}.json', $$.Execution.Name)`,
      'Body.$': 'States.JsonToString($.record)',
      'ContentType': 'application/json',
      // the checkpoint bucket has an Object Lock default retention: S3 refuses an upload without a checksum header
      'ChecksumAlgorithm': 'SHA256',
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  put.addRetry(TRANSIENT_RETRY);
  return sfn.Chain.start(record).next(failSafe ? tolerant(ctx, put, '$.checkpointError') : put);
}

/** Reads the control parameter into `$.control` (`value`, and `version`: SSM counts every write). @internal */
export function readControl(ctx: BuildContext, id: string): sfn.TaskStateBase {
  const get = new tasks.CallAwsService(ctx.scope, id, {
    service: 'ssm',
    action: 'getParameter',
    iamResources: [ctx.control.parameterArn],
    parameters: { Name: ctx.control.parameterName },
    resultSelector: { 'value.$': '$.Parameter.Value', 'version.$': '$.Parameter.Version' },
    resultPath: '$.control',
  });
  get.addRetry(TRANSIENT_RETRY);
  return get;
}

/**
 * Publishes the split just made (the *intended* split, next to the observed one on the dashboard). Never fails the
 * cutover. PutMetricData has no resource-level permissions and the grant has no condition: it is `*` (acknowledged).
 * @internal
 */
export function publishSplit(ctx: BuildContext, id: string): sfn.Chain {
  const put = new tasks.CallAwsService(ctx.scope, id, {
    service: 'cloudwatch',
    action: 'putMetricData',
    iamResources: ['*'],
    parameters: {
      Namespace: SPLIT_METRIC_NAMESPACE,
      MetricData: [{ 'MetricName': SPLIT_METRIC_NAME, 'Dimensions': [{ Name: 'Cutover', Value: ctx.cutoverName }], 'Value.$': '$.split.targetWeight', 'Unit': 'None' }],
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  put.addRetry(TRANSIENT_RETRY);
  return tolerant(ctx, put, '$.metricError');
}

/** `Pass` that puts a split at `$.split`. @internal */
export function setSplit(ctx: BuildContext, id: string, split: CutoverSplit): sfn.Pass {
  return new sfn.Pass(ctx.scope, id, {
    result: sfn.Result.fromObject({ sourceWeight: split.sourceWeight, targetWeight: split.targetWeight }),
    resultPath: '$.split',
  });
}
