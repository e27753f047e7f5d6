import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ConditionedCallAwsService, Permission } from '../weighted-cutover/shift-fragment';

/** The error a listener shift fails with when DescribeListeners does not show the new weights within its timeout. */
export const LISTENER_NOT_IN_EFFECT_ERROR = 'LoadBalancerCutover.NotInEffect';
/** The error a listener shift fails with when the split in its input is not two weights 0–999, not both 0. */
export const LISTENER_INVALID_SPLIT_ERROR = 'LoadBalancerCutover.InvalidSplit';

/**
 * Elastic Load Balancing errors as Step Functions' SDK integration names them. Throttling (`Throttling`) is not a
 * modeled exception of the ELBv2 API: it surfaces as the service's base exception, as Route 53's does.
 */
export const ELB_RETRYABLE_ERRORS = ['ElasticLoadBalancingV2.ElasticLoadBalancingV2Exception', 'ElasticLoadBalancingV2.ThrottlingException'];

/** @internal */
export interface ListenerShiftConfig {
  readonly listenerArn: string;
  readonly sourceTargetGroupArn: string;
  readonly targetTargetGroupArn: string;
  /** Stickiness of the weighted forward action, in seconds; undefined for none. */
  readonly stickinessSeconds?: number;
  readonly permissions: Permission[];
  readonly splitPath: string;
  readonly resultPath: string;
  readonly pollInterval: Duration;
  readonly timeout: Duration;
}

/** The listener's default action for a split: one weighted forward to both target groups (the CLI's and the task's). */
export function weightedForward(c: Pick<ListenerShiftConfig, 'sourceTargetGroupArn' | 'targetTargetGroupArn' | 'stickinessSeconds'>, source: unknown, target: unknown): any {
  return {
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: c.sourceTargetGroupArn, ...weight(source) },
        { TargetGroupArn: c.targetTargetGroupArn, ...weight(target) },
      ],
      TargetGroupStickinessConfig: c.stickinessSeconds === undefined
        ? { Enabled: false }
        : { Enabled: true, DurationSeconds: c.stickinessSeconds },
    },
  };
}

function weight(w: unknown): Record<string, unknown> {
  return typeof w === 'string' && w.startsWith('$') ? { 'Weight.$': w } : { Weight: w };
}

/**
 * The shift on a load balancer: one ModifyListener that replaces the listener's default action by a weighted forward
 * to the source and target target groups (the weights read from the state), then DescribeListeners read back —
 * polled until the listener shows exactly those two groups with exactly those weights, bounded by a timeout — as
 * Argo Rollouts verifies a weight before it analyses. A change that does not show fails the step.
 * @internal
 */
export class ListenerShiftFragment extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, c: ListenerShiftConfig) {
    super(scope, id);
    const rp = c.resultPath;
    const split = c.splitPath;
    const name = (state: string) => `${id} ${state}`;
    const maxPolls = Math.max(1, Math.ceil(c.timeout.toSeconds() / c.pollInterval.toSeconds()));
    const retry: sfn.RetryProps = { errors: ELB_RETRYABLE_ERRORS, interval: Duration.seconds(1), maxAttempts: 6, backoffRate: 2 };
    const modify = c.permissions.filter((p) => p.actions.includes('elasticloadbalancing:ModifyListener'));
    const describe = c.permissions.filter((p) => p.actions.includes('elasticloadbalancing:DescribeListeners'));

    const weightOk = (side: string) => sfn.Condition.and(
      sfn.Condition.isPresent(`${split}.${side}`),
      sfn.Condition.isNumeric(`${split}.${side}`),
      sfn.Condition.numberGreaterThanEquals(`${split}.${side}`, 0),
      sfn.Condition.numberLessThanEquals(`${split}.${side}`, 999),
    );
    const validate = sfn.Choice.jsonPath(this, 'ValidateSplit', { stateName: name('ValidateSplit') });
    const invalid = sfn.Fail.jsonPath(this, 'InvalidSplit', {
      stateName: name('InvalidSplit'),
      error: LISTENER_INVALID_SPLIT_ERROR,
      cause: `${split} must be { "sourceWeight": 0-999, "targetWeight": 0-999 } with at least one weight above 0`,
    });

    const change = new ConditionedCallAwsService(this, 'ModifyListener', {
      stateName: name('ModifyListener'),
      service: 'elasticloadbalancingv2',
      action: 'modifyListener',
      iamAction: 'elasticloadbalancing:ModifyListener',
      iamResources: modify[0].resources,
      parameters: {
        ListenerArn: c.listenerArn,
        DefaultActions: [weightedForward(c, `${split}.sourceWeight`, `${split}.targetWeight`)],
      },
      resultSelector: { Polls: 0 },
      resultPath: rp,
    }, modify);
    change.addRetry(retry);

    const wait = sfn.Wait.jsonPath(this, 'WaitForListener', { stateName: name('WaitForListener'), time: sfn.WaitTime.duration(c.pollInterval) });
    const read = new ConditionedCallAwsService(this, 'DescribeListeners', {
      stateName: name('DescribeListeners'),
      service: 'elasticloadbalancingv2',
      action: 'describeListeners',
      iamAction: 'elasticloadbalancing:DescribeListeners',
      iamResources: describe[0].resources,
      parameters: { ListenerArns: [c.listenerArn] },
      resultSelector: { 'Actions.$': '$.Listeners[0].DefaultActions' },
      resultPath: `${rp}.Latest`,
    }, describe);
    read.addRetry(retry);
    const countPoll = sfn.Pass.jsonPath(this, 'CountPoll', {
      stateName: name('CountPoll'),
      parameters: { 'Polls.$': `States.MathAdd(${rp}.Polls, 1)`, 'Latest.$': `${rp}.Latest` },
      resultPath: rp,
    });

    // The listener shows exactly the two groups (in either order) with exactly the weights of the split.
    const groups = `${rp}.Latest.Actions[0].ForwardConfig.TargetGroups`;
    const shows = (first: string, second: string) => sfn.Condition.and(
      sfn.Condition.isPresent(`${groups}[1].Weight`),
      sfn.Condition.not(sfn.Condition.isPresent(`${groups}[2]`)),
      sfn.Condition.not(sfn.Condition.isPresent(`${rp}.Latest.Actions[1]`)),
      sfn.Condition.stringEquals(`${groups}[0].TargetGroupArn`, first === 'source' ? c.sourceTargetGroupArn : c.targetTargetGroupArn),
      sfn.Condition.stringEquals(`${groups}[1].TargetGroupArn`, second === 'source' ? c.sourceTargetGroupArn : c.targetTargetGroupArn),
      sfn.Condition.numberEqualsJsonPath(`${groups}[0].Weight`, `${split}.${first}Weight`),
      sfn.Condition.numberEqualsJsonPath(`${groups}[1].Weight`, `${split}.${second}Weight`),
    );
    const inEffect = sfn.Choice.jsonPath(this, 'InEffect', { stateName: name('InEffect?') });
    const done = sfn.Pass.jsonPath(this, 'Shifted', { stateName: name('Shifted') });
    const timedOut = sfn.Fail.jsonPath(this, 'NotInEffect', {
      stateName: name('NotInEffect'),
      error: LISTENER_NOT_IN_EFFECT_ERROR,
      cause: `The listener did not show the new weights after ${maxPolls} reads every ${c.pollInterval.toSeconds()} s`,
    });

    validate
      .when(sfn.Condition.and(weightOk('sourceWeight'), weightOk('targetWeight'), sfn.Condition.or(
        sfn.Condition.numberGreaterThan(`${split}.sourceWeight`, 0),
        sfn.Condition.numberGreaterThan(`${split}.targetWeight`, 0),
      )), change)
      .otherwise(invalid);
    // Read back at once: ModifyListener's answer is not the proof, the listener's own description is.
    change.next(read).next(countPoll).next(inEffect);
    inEffect
      .when(sfn.Condition.and(sfn.Condition.isPresent(`${rp}.Latest.Actions[0].ForwardConfig.TargetGroups`), sfn.Condition.or(shows('source', 'target'), shows('target', 'source'))), done)
      .when(sfn.Condition.numberGreaterThanEquals(`${rp}.Polls`, maxPolls), timedOut)
      .otherwise(wait);
    wait.next(read);

    this.startState = validate;
    this.endStates = done.endStates;
  }
}
