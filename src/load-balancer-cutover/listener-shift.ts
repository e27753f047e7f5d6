import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ShiftFragmentBase, throttlingRetry } from '../private/shift-states';
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
export class ListenerShiftFragment extends ShiftFragmentBase {
  constructor(scope: Construct, id: string, c: ListenerShiftConfig) {
    super(scope, id, c);
    const { states, rp, split } = this;
    const retry = throttlingRetry(ELB_RETRYABLE_ERRORS);
    // One ELBv2 call (`ModifyListener`, `DescribeListeners`) with only the grantShift permissions of its action.
    const call = (action: string, props: Pick<tasks.CallAwsServiceJsonPathProps, 'parameters' | 'resultSelector' | 'resultPath'>) => {
      const iamAction = `elasticloadbalancing:${action}`;
      const permissions = c.permissions.filter((p) => p.actions.includes(iamAction));
      const task = new ConditionedCallAwsService(this, action, {
        stateName: states.name(action),
        service: 'elasticloadbalancingv2',
        action: action.charAt(0).toLowerCase() + action.slice(1),
        iamAction,
        iamResources: permissions[0].resources,
        ...props,
      }, permissions);
      return task.addRetry(retry);
    };

    const change = call('ModifyListener', {
      parameters: {
        ListenerArn: c.listenerArn,
        DefaultActions: [weightedForward(c, `${split}.sourceWeight`, `${split}.targetWeight`)],
      },
      resultSelector: { Polls: 0 },
      resultPath: rp,
    });
    const wait = states.wait('WaitForListener');
    const read = call('DescribeListeners', {
      parameters: { ListenerArns: [c.listenerArn] },
      resultSelector: { 'Actions.$': '$.Listeners[0].DefaultActions' },
      resultPath: `${rp}.Latest`,
    });
    const countPoll = states.countPoll({ 'Polls.$': states.nextPoll, 'Latest.$': `${rp}.Latest` });

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
    const shown = sfn.Condition.and(sfn.Condition.isPresent(groups), sfn.Condition.or(shows('source', 'target'), shows('target', 'source')));
    const inEffect = states.untilShown('InEffect', shown, {
      id: 'NotInEffect',
      error: LISTENER_NOT_IN_EFFECT_ERROR,
      cause: (polls, every) => `The listener did not show the new weights after ${polls} reads every ${every} s`,
    }, wait);

    states.validateSplit({ max: 999, error: LISTENER_INVALID_SPLIT_ERROR }, change);
    // Read back at once: ModifyListener's answer is not the proof, the listener's own description is.
    change.next(read).next(countPoll).next(inEffect);
    wait.next(read);
  }
}
