import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { SideRecord } from './records';
import { ShiftFragmentBase, throttlingRetry } from '../private/shift-states';

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
export class ShiftFragment extends ShiftFragmentBase {
  constructor(scope: Construct, id: string, config: ShiftFragmentConfig) {
    super(scope, id, config);
    const { states, rp, split } = this;
    const retry = throttlingRetry(ROUTE53_RETRYABLE_ERRORS);

    const change = new ConditionedCallAwsService(
      this,
      'ChangeRecordSets',
      {
        stateName: states.name('ChangeRecordSets'),
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

    const wait = states.wait('WaitForInsync');
    const getChange = new ConditionedCallAwsService(
      this,
      'GetChange',
      {
        stateName: states.name('GetChange'),
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
    const countPoll = states.countPoll({
      'Id.$': `${rp}.Id`,
      'Status.$': `${rp}.Latest.Status`,
      'SubmittedAt.$': `${rp}.SubmittedAt`,
      'Polls.$': states.nextPoll,
    });
    const inSync = states.untilShown('InSync', sfn.Condition.stringEquals(`${rp}.Status`, 'INSYNC'), {
      id: 'InsyncTimeout',
      error: INSYNC_TIMEOUT_ERROR,
      cause: (polls, every) => `The Route 53 change was not INSYNC after ${polls} polls every ${every} s`,
    }, wait);

    states.validateSplit({ max: 255, error: INVALID_SPLIT_ERROR }, change);
    change.next(inSync);
    wait.next(getChange).next(countPoll).next(inSync);
  }
}
