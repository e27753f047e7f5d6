import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { SideRecord } from './records';

/** The error a shift fragment fails with when the change is not INSYNC within its timeout. */
export const INSYNC_TIMEOUT_ERROR = 'WeightedCutover.InsyncTimeout';
/** The error a shift fragment fails with when the split in its input is not two weights 0–255, not both 0. */
export const INVALID_SPLIT_ERROR = 'WeightedCutover.InvalidSplit';

/**
 * Route 53 errors as Step Functions' SDK integration names them (`Route53.<Name>Exception`). The throttling error
 * of ChangeResourceRecordSets (`Throttling`) is not a modeled exception: it surfaces as the service's base
 * exception, `Route53.Route53Exception`.
 */
export const ROUTE53_RETRYABLE_ERRORS = ['Route53.ThrottlingException', 'Route53.PriorRequestNotCompleteException', 'Route53.Route53Exception'];

/** One IAM permission (actions, resources, conditions), built once for `grantShift` and the fragment's tasks. */
export interface Permission {
  readonly actions: string[];
  readonly resources: string[];
  readonly conditions?: Record<string, Record<string, unknown>>;
}

/** @internal */
export interface ShiftFragmentConfig {
  readonly hostedZoneId: string;
  readonly records: SideRecord[];
  readonly permissions: Permission[];
  readonly changeArn: string;
  readonly splitPath: string;
  readonly resultPath: string;
  readonly pollInterval: Duration;
  readonly timeout: Duration;
  readonly comment: string;
}

/**
 * Step Functions' AWS SDK integrations name members as the AWS SDK for Java v2 does, which differs from the API
 * reference where an acronym is involved: `TTL` is `Ttl`, `DNSName` is `DnsName` (as RDS `DBClusterIdentifier` is
 * `DbClusterIdentifier`). The record bodies use API casing (the handler's SDK and the CLI take it); the fragment
 * renames them.
 */
const SFN_MEMBER_NAMES: Record<string, string> = { TTL: 'Ttl', DNSName: 'DnsName' };

/** A record body with Step Functions SDK-integration member names. */
export function toStepFunctionsCasing(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toStepFunctionsCasing);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [SFN_MEMBER_NAMES[k] ?? k, toStepFunctionsCasing(v)]));
}

/**
 * CallAwsService grants `service:action` on `iamResources` without conditions; the shift must hold only the
 * conditioned permissions of `grantShift`. This task replaces its policy statements with them.
 * @internal
 */
export class ConditionedCallAwsService extends tasks.CallAwsService {
  constructor(scope: Construct, id: string, props: tasks.CallAwsServiceJsonPathProps, permissions: Permission[]) {
    super(scope, id, props);
    this.taskPolicies?.splice(0, this.taskPolicies.length, ...permissions.map((p) => new iam.PolicyStatement(p)));
  }
}

/**
 * The shift: one ChangeResourceRecordSets UPSERT of every weighted record with the weights read from the state,
 * then GetChange polled (Wait + Choice) until INSYNC, bounded by a timeout.
 * @internal
 */
export class ShiftFragment extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, config: ShiftFragmentConfig) {
    super(scope, id);
    const rp = config.resultPath;
    const split = config.splitPath;
    const name = (state: string) => `${id} ${state}`;
    const maxPolls = Math.max(1, Math.ceil(config.timeout.toSeconds() / config.pollInterval.toSeconds()));
    const retry: sfn.RetryProps = { errors: ROUTE53_RETRYABLE_ERRORS, interval: Duration.seconds(1), maxAttempts: 6, backoffRate: 2 };

    const weightOk = (side: string) =>
      sfn.Condition.and(
        sfn.Condition.isPresent(`${split}.${side}`),
        sfn.Condition.isNumeric(`${split}.${side}`),
        sfn.Condition.numberGreaterThanEquals(`${split}.${side}`, 0),
        sfn.Condition.numberLessThanEquals(`${split}.${side}`, 255),
      );
    const validate = sfn.Choice.jsonPath(this, 'ValidateSplit', { stateName: name('ValidateSplit') });
    const invalid = sfn.Fail.jsonPath(this, 'InvalidSplit', {
      stateName: name('InvalidSplit'),
      error: INVALID_SPLIT_ERROR,
      cause: `${split} must be { "sourceWeight": 0-255, "targetWeight": 0-255 } with at least one weight above 0`,
    });

    const change = new ConditionedCallAwsService(
      this,
      'ChangeRecordSets',
      {
        stateName: name('ChangeRecordSets'),
        service: 'route53',
        action: 'changeResourceRecordSets',
        iamResources: config.permissions[0].resources,
        parameters: {
          HostedZoneId: config.hostedZoneId,
          ChangeBatch: {
            Comment: config.comment,
            Changes: config.records.map((r) => ({
              Action: 'UPSERT',
              ResourceRecordSet: { ...(toStepFunctionsCasing(r.body) as object), 'Weight.$': `${split}.${r.side}Weight` },
            })),
          },
        },
        resultSelector: {
          'Id.$': '$.ChangeInfo.Id',
          'Status.$': '$.ChangeInfo.Status',
          'SubmittedAt.$': '$.ChangeInfo.SubmittedAt',
          'Polls': 0,
        },
        resultPath: rp,
      },
      config.permissions,
    );
    change.addRetry(retry);

    const inSync = sfn.Choice.jsonPath(this, 'InSync', { stateName: name('InSync?') });
    const done = sfn.Pass.jsonPath(this, 'Shifted', { stateName: name('Shifted') });
    const timedOut = sfn.Fail.jsonPath(this, 'InsyncTimeout', {
      stateName: name('InsyncTimeout'),
      error: INSYNC_TIMEOUT_ERROR,
      cause: `The Route 53 change was not INSYNC after ${maxPolls} polls every ${config.pollInterval.toSeconds()} s`,
    });
    const wait = sfn.Wait.jsonPath(this, 'WaitForInsync', {
      stateName: name('WaitForInsync'),
      time: sfn.WaitTime.duration(config.pollInterval),
    });
    const getChange = new ConditionedCallAwsService(
      this,
      'GetChange',
      {
        stateName: name('GetChange'),
        service: 'route53',
        action: 'getChange',
        iamResources: [config.changeArn],
        parameters: { 'Id.$': `${rp}.Id` },
        resultSelector: { 'Status.$': '$.ChangeInfo.Status' },
        resultPath: `${rp}.Latest`,
      },
      config.permissions.filter((p) => p.actions.includes('route53:GetChange')),
    );
    getChange.addRetry(retry);
    const countPoll = sfn.Pass.jsonPath(this, 'CountPoll', {
      stateName: name('CountPoll'),
      parameters: {
        'Id.$': `${rp}.Id`,
        'Status.$': `${rp}.Latest.Status`,
        'SubmittedAt.$': `${rp}.SubmittedAt`,
        'Polls.$': `States.MathAdd(${rp}.Polls, 1)`,
      },
      resultPath: rp,
    });

    validate
      .when(sfn.Condition.and(weightOk('sourceWeight'), weightOk('targetWeight'), sfn.Condition.or(
        sfn.Condition.numberGreaterThan(`${split}.sourceWeight`, 0),
        sfn.Condition.numberGreaterThan(`${split}.targetWeight`, 0),
      )), change)
      .otherwise(invalid);
    change.next(inSync);
    inSync
      .when(sfn.Condition.stringEquals(`${rp}.Status`, 'INSYNC'), done)
      .when(sfn.Condition.numberGreaterThanEquals(`${rp}.Polls`, maxPolls), timedOut)
      .otherwise(wait);
    wait.next(getChange).next(countPoll).next(inSync);

    this.startState = validate;
    this.endStates = done.endStates;
  }
}
