import { Duration } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { CLAIM_REFUSED, CutoverRecord } from '../../state-machine/cutover-record';
import { TRANSIENT_RETRY } from '../../state-machine/state-builders';

/** The record item each fleet writes the writer value it enforces to (attribute = the fleet's name). */
export const FENCE_ACK_KEY = 'fences';

/**
 * After a write of the writer parameter: read its version, then wait until **every fleet acknowledged** enforcing that
 * value — each fleet writes `<VALUE>@<version>` to its own attribute of the record item `pk = fences` once it
 * refuses (FENCED) or routes (SOURCE/TARGET) by that version. One conditional UpdateItem per second holds only when all
 * attributes equal the expected value (missing attributes fail the condition), so the wait ends as soon as the last
 * fleet acknowledged, and at `timeout` the move fails with `error` — before anything else moved.
 * @internal
 */
export function fenceAcknowledged(
  scope: Construct,
  prefix: string,
  record: CutoverRecord,
  options: { parameter: ssm.IStringParameter; value: string; fleets: string[]; timeout: Duration; error: string; next: sfn.IChainable },
): sfn.IChainable {
  const version = new tasks.CallAwsService(scope, `${prefix}: writer version`, {
    service: 'ssm',
    action: 'getParameter',
    iamResources: [options.parameter.parameterArn],
    parameters: { Name: options.parameter.parameterName },
    resultSelector: { 'expect.$': `States.Format('${options.value}@{}', $.Parameter.Version)` },
    resultPath: '$.fence',
  });
  version.addRetry(TRANSIENT_RETRY);
  const names: Record<string, string> = { '#checked': 'checkedAt' };
  const condition = options.fleets.map((fleet, i) => {
    names[`#f${i}`] = fleet;
    return `#f${i} = :expect`;
  }).join(' AND ');
  const check = new tasks.DynamoUpdateItem(scope, `${prefix}: every fleet acknowledged`, {
    table: record.table,
    key: { pk: tasks.DynamoAttributeValue.fromString(FENCE_ACK_KEY) },
    updateExpression: 'SET #checked = :now',
    conditionExpression: condition,
    expressionAttributeNames: names,
    expressionAttributeValues: {
      ':expect': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.fence.expect')),
      ':now': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.State.EnteredTime')),
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  // Not yet: asked again (a refused condition changes nothing) after 1 s, then 30 % longer each time, until the waits
  // add up to the timeout — a few events of history, and the pause ends within a third of a wait of the last ack.
  check.addRetry({ errors: [CLAIM_REFUSED], interval: Duration.seconds(1), backoffRate: ACK_BACKOFF, maxAttempts: ackAttempts(options.timeout) });
  check.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 4 });
  check.addCatch(new sfn.Fail(scope, `${prefix}: not acknowledged`, {
    error: options.error,
    cause: `Not every fleet (${options.fleets.join(', ')}) acknowledged the writer value ${options.value} within ${options.timeout.toHumanString()}: ` +
      'a fleet that does not enforce it could accept a write the move would lose',
  }), { resultPath: '$.fenceError' });
  return sfn.Chain.start(version).next(check).next(options.next);
}

const ACK_BACKOFF = 1.3;

/** Retries whose waits (1 s, ×1.3 each) add up to at least `timeout`. */
function ackAttempts(timeout: Duration): number {
  let attempts = 0;
  for (let total = 0, wait = 1; total < timeout.toSeconds(); wait *= ACK_BACKOFF) {
    total += wait;
    attempts++;
  }
  return Math.max(1, attempts);
}

/** Worst-case history events of one acknowledgement wait (a retry is three events). @internal */
export function fenceAcknowledgementEvents(timeout: Duration): number {
  return 12 + ackAttempts(timeout) * 3;
}
