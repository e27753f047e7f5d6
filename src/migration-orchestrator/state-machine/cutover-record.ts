import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { CutoverPhase } from '../operator-command';

export { CutoverPhase };

/*
 * The cutover record: one DynamoDB item that says who decides. Every transition that moves traffic or the database
 * writer is *claimed* on it first with one conditional UpdateItem — DynamoDB applies a single write atomically, on the
 * newest version of the item, and refuses it with ConditionalCheckFailedException when its condition does not hold
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/BestPractices_ImplementingVersionControl.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html). Of two
 * workflows claiming the same transition exactly one wins; the other stands aside and says so. Step Functions'
 * DynamoDB integration reports the refusal as `DynamoDB.ConditionalCheckFailedException`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html).
 *
 * Every claim also holds when the claimant already made it (`owner = me AND phase = to`): a claim whose answer was
 * lost and is retried by Step Functions is idempotent.
 */

/** The record's partition key value: one cutover per orchestrator, one item. */
export const RECORD_KEY = 'cutover';

/** The error Step Functions' DynamoDB integration raises when a claim's condition does not hold. */
export const CLAIM_REFUSED = 'DynamoDB.ConditionalCheckFailedException';

/** Who claims: this execution (`$$.Execution.Id`). */
const ME = sfn.JsonPath.executionId;

/** Throttling and 5xx of DynamoDB: retried (a claim is idempotent for its claimant). */
const CLAIM_RETRY: sfn.RetryProps = {
  errors: [
    'DynamoDB.ProvisionedThroughputExceededException',
    'DynamoDB.RequestLimitExceeded',
    'DynamoDB.ThrottlingException',
    'DynamoDB.InternalServerErrorException',
    'DynamoDB.AmazonDynamoDBException',
    'DynamoDB.SdkClientException',
  ],
  interval: Duration.seconds(1),
  backoffRate: 2,
  maxAttempts: 6,
  jitterStrategy: sfn.JitterType.FULL,
};

/** What a claim moves from, and to. */
export interface ClaimOptions {
  /** Phases the record may be in for the claim to hold (`IDLE` also matches a missing item). */
  readonly from: CutoverPhase[];
  /** The phase the claim sets. */
  readonly to: CutoverPhase;
  /**
   * Who must hold the record for the claim to hold: `self` (this execution), a JSON path to an execution id in the
   * state (the recovery taking over from an ended execution), or `any`.
   */
  readonly holder: 'self' | 'any' | { readonly path: string };
  /** Also set `cutover` (the execution that started this attempt) to this execution: the start claim. */
  readonly start?: boolean;
  /** Where the record after the claim goes (`ALL_NEW`); discarded when undefined. */
  readonly resultPath?: string;
  /** Leave the `owner` attribute out (a release: the record then has no holder). */
  readonly release?: boolean;
  /** More string attributes to set with the claim: attribute name → JSON path of the value in the state. */
  readonly set?: Record<string, string>;
}

/** The record's table and how to build claims on it. @internal */
export class CutoverRecord {
  constructor(public readonly table: dynamodb.ITable) {}

  /**
   * A conditional UpdateItem that makes this execution the record's holder in phase `to`, only from `from`.
   * Refused: `DynamoDB.ConditionalCheckFailedException` (catch it). Retried on throttling and 5xx.
   */
  public claim(scope: Construct, id: string, options: ClaimOptions): tasks.DynamoUpdateItem {
    const names: Record<string, string> = { '#phase': 'phase', '#owner': 'owner', '#at': 'at', '#by': 'by', '#claims': 'claims' };
    const values: Record<string, tasks.DynamoAttributeValue> = {
      ':to': tasks.DynamoAttributeValue.fromString(options.to),
      ':me': tasks.DynamoAttributeValue.fromString(ME),
      ':at': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.State.EnteredTime')),
      ':by': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.StateMachine.Name')),
      ':one': tasks.DynamoAttributeValue.fromNumber(1),
    };
    const from = options.from.map((p, i) => {
      values[`:from${i}`] = tasks.DynamoAttributeValue.fromString(p);
      return p === CutoverPhase.IDLE ? `(attribute_not_exists(#phase) OR #phase = :from${i})` : `#phase = :from${i}`;
    });
    let holder = '';
    if (options.holder === 'self') {
      holder = ' AND #owner = :me';
    } else if (options.holder !== 'any') {
      values[':holder'] = tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt(options.holder.path));
      holder = ' AND #owner = :holder';
    }
    const set = ['#phase = :to', '#at = :at', '#by = :by', options.release ? '#last = :me' : '#owner = :me'];
    if (options.release) names['#last'] = 'lastOwner';
    for (const [i, [attribute, path]] of Object.entries(options.set ?? {}).entries()) {
      names[`#set${i}`] = attribute;
      values[`:set${i}`] = tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt(path));
      set.push(`#set${i} = :set${i}`);
    }
    if (options.start) {
      names['#cutover'] = 'cutover';
      set.push('#cutover = :me');
    }
    // Already made by this execution (a retried claim whose answer was lost): holds again, changes nothing new.
    const again = options.release ? '(attribute_not_exists(#owner) AND #phase = :to AND #last = :me)' : '(#owner = :me AND #phase = :to)';
    const update = `SET ${set.join(', ')} ADD #claims :one${options.release ? ' REMOVE #owner' : ''}`;
    const claim = new tasks.DynamoUpdateItem(scope, id, {
      table: this.table,
      key: { pk: tasks.DynamoAttributeValue.fromString(RECORD_KEY) },
      updateExpression: update,
      conditionExpression: `((${from.join(' OR ')})${holder}) OR ${again}`,
      expressionAttributeNames: names,
      expressionAttributeValues: values,
      returnValues: options.resultPath ? tasks.DynamoReturnValues.ALL_NEW : tasks.DynamoReturnValues.NONE,
      resultSelector: options.resultPath ? {
        'phase.$': '$.Attributes.phase.S',
        'cutover.$': '$.Attributes.cutover.S',
      } : undefined,
      resultPath: options.resultPath ?? sfn.JsonPath.DISCARD,
    });
    claim.addRetry(CLAIM_RETRY);
    return claim;
  }

  /** GetItem of the record (strongly consistent) into `resultPath`: `{ Item }` (no `Item` when never claimed). */
  public read(scope: Construct, id: string, resultPath: string): tasks.DynamoGetItem {
    const get = new tasks.DynamoGetItem(scope, id, {
      table: this.table,
      key: { pk: tasks.DynamoAttributeValue.fromString(RECORD_KEY) },
      consistentRead: true,
      resultPath,
    });
    get.addRetry(CLAIM_RETRY);
    return get;
  }
}
