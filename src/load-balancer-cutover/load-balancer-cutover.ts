import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ListenerShiftFragment, weightedForward } from './listener-shift';
import { CutoverSplit, ITrafficShifter, ShiftFragmentOptions } from '../migration-orchestrator/traffic-shifter';
import { grantPermissions, percentSplit, shiftFragmentShape } from '../private/shifter';
import { checkShapes, knownSeconds, Validator, typesOf } from '../private/validation';
import { Permission } from '../weighted-cutover/shift-fragment';
import { checkPercent } from '../weighted-cutover/validate-props';

/** Properties for {@link LoadBalancerCutover}. */
export interface LoadBalancerCutoverProps {
  /**
   * The HTTPS listener both sides are reached through (the payment fleet's). Its default action becomes one weighted
   * forward to `source` and `target`; this construct owns it.
   */
  readonly listener: elbv2.ApplicationListener;

  /** The source side's target group: the datacenter's servers, by IP address. */
  readonly source: elbv2.IApplicationTargetGroup;

  /** The target side's target group: the payment fleet's. */
  readonly target: elbv2.IApplicationTargetGroup;

  /**
   * The target's share (0–100) in the template. The orchestrator changes the live weights; CloudFormation sends the
   * template's weights again only when a deployment changes the listener's default action — so after a cutover,
   * deploy with 100 before changing anything else on the listener.
   *
   * @default 0
   */
  readonly initialTargetPercent?: number;

  /**
   * Target-group stickiness of the weighted forward: a client stays on the side it first reached for this long.
   * A split is then no longer per request, and a rollback does not move a stuck client until it expires.
   *
   * @default - no stickiness: every request is weighted on its own
   */
  readonly stickiness?: Duration;
}

/**
 * Request-level traffic shifting on an Application Load Balancer: the listener's default action is one weighted
 * forward to two target groups, the source's (a datacenter's servers by IP, reached over the VPN or Direct Connect)
 * and the target's (the payment fleet's). Every step and every rollback is one `ModifyListener`, read back with
 * `DescribeListeners` before the bake starts. No DNS answer moves during the cutover: clients that cache DNS, pooled
 * connections and resolvers that ignore TTLs are shifted as every other request is, at the load balancer.
 *
 * The DNS names must point at the load balancer before the cutover (while it still forwards 100 % to the source):
 * `PaymentMigration` does this when it creates its records.
 *
 * @example
 * declare const listener: elbv2.ApplicationListener;
 * declare const legacy: elbv2.IApplicationTargetGroup;
 * declare const fleet: elbv2.IApplicationTargetGroup;
 * const shifter = new LoadBalancerCutover(this, 'Shift', { listener, source: legacy, target: fleet });
 */
export class LoadBalancerCutover extends Construct implements ITrafficShifter {
  /** What moves traffic, for runbooks and the console. */
  public readonly description: string;
  /** The listener whose default action this construct owns. */
  public readonly listenerArn: string;
  /** The source side's target group ARN. */
  public readonly sourceTargetGroupArn: string;
  /** The target side's target group ARN. */
  public readonly targetTargetGroupArn: string;
  /** The split in the template. */
  public readonly initialSplit: CutoverSplit;
  private readonly stickinessSeconds?: number;

  constructor(scope: Construct, id: string, props: LoadBalancerCutoverProps) {
    super(scope, id);
    const v = new Validator('LoadBalancerCutover', this);
    if (!checkShapes(v, props, typesOf('LoadBalancerCutoverProps'))) v.throwIfInvalid();
    checkPercent(v, 'initialTargetPercent', props.initialTargetPercent ?? 0);
    const sticky = props.stickiness === undefined ? undefined : knownSeconds(props.stickiness);
    // ALB target-group stickiness: 1 second to 7 days.
    v.check(props.stickiness === undefined || (sticky !== undefined && Number.isInteger(sticky) && sticky >= 1 && sticky <= 604800),
      'stickiness', 'must be whole seconds from 1 second to 7 days (the load balancer\'s range)', props.stickiness);
    v.check(props.listener.protocol === elbv2.ApplicationProtocol.HTTPS, 'listener', 'must be an HTTPS listener (payment traffic is encrypted end to end)', props.listener.protocol);
    v.check(props.source !== props.target, 'target', 'must be another target group than `source`', props.target.targetGroupArn);
    v.throwIfInvalid();

    this.stickinessSeconds = sticky;
    this.listenerArn = props.listener.listenerArn;
    this.sourceTargetGroupArn = props.source.targetGroupArn;
    this.targetTargetGroupArn = props.target.targetGroupArn;
    this.description = 'load balancer (weighted target groups on one listener)';
    this.initialSplit = this.splitFor(props.initialTargetPercent ?? 0);

    // The listener's only default action: the weighted forward (it replaces the fleet's plain forward).
    Annotations.of(props.listener).acknowledgeWarning('@aws-cdk/aws-elbv2:listenerExistingDefaultActionReplaced',
      'LoadBalancerCutover replaces the plain forward by a weighted forward to the source and target groups');
    props.listener.addAction('Cutover', {
      action: elbv2.ListenerAction.weightedForward([
        { targetGroup: props.source, weight: this.initialSplit.sourceWeight },
        { targetGroup: props.target, weight: this.initialSplit.targetWeight },
      ], props.stickiness ? { stickinessDuration: props.stickiness } : {}),
    });
  }

  /**
   * The weights for a target share in percent: the listener's weights are the percentages (the load balancer takes
   * 0–999 and routes each request by the weights' ratio).
   */
  public splitFor(targetPercent: number): CutoverSplit {
    return percentSplit(this, 'LoadBalancerCutover', targetPercent);
  }

  /**
   * A state-machine fragment that applies the split found in its input (`$.split`) in one ModifyListener, then reads
   * the listener back until it shows exactly that split. It fails with `LoadBalancerCutover.InvalidSplit` for a split
   * outside 0–999, and with `LoadBalancerCutover.NotInEffect` when the listener does not show it within `timeout`.
   */
  public shiftFragment(scope: Construct, id: string, options: ShiftFragmentOptions = {}): sfn.StateMachineFragment {
    // a listener takes a change at once: a 1-second poll, a 30-second timeout by default
    const shape = shiftFragmentShape(scope, 'LoadBalancerCutover', options, { pollInterval: Duration.seconds(1), timeout: Duration.seconds(30) });
    return new ListenerShiftFragment(scope, id, {
      listenerArn: this.listenerArn,
      sourceTargetGroupArn: this.sourceTargetGroupArn,
      targetTargetGroupArn: this.targetTargetGroupArn,
      stickinessSeconds: this.stickinessSeconds,
      permissions: this.shiftPermissions(),
      ...shape,
    });
  }

  /** Lets `grantee` shift traffic: `ModifyListener` on this listener only, and `DescribeListeners` (no resource-level permission). */
  public grantShift(grantee: iam.IGrantable): iam.Grant {
    return grantPermissions(grantee, this.shiftPermissions());
  }

  /**
   * The AWS CLI command that applies a split by hand (the break-glass path), then prints the listener's weights as
   * read back. Contains tokens (the ARNs): print it through a `CfnOutput`.
   *
   * @param targetPercent the share of traffic for the target side, an integer 0–100
   */
  public shiftCommand(targetPercent: number): string {
    const split = this.splitFor(targetPercent);
    const actions = [weightedForward({
      sourceTargetGroupArn: this.sourceTargetGroupArn,
      targetTargetGroupArn: this.targetTargetGroupArn,
      stickinessSeconds: this.stickinessSeconds,
    }, split.sourceWeight, split.targetWeight)];
    const plain = JSON.stringify(actions);
    const json = Token.isUnresolved(plain) ? Stack.of(this).toJsonString(actions) : plain;
    // The listener's own region: the CLI sends to its configured region whatever region the ARN names.
    const region = Stack.of(this).region;
    return `aws elbv2 modify-listener --region ${region} --listener-arn ${this.listenerArn} --default-actions '${json}' ` +
      "--query 'Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups' --output table && " +
      `aws elbv2 describe-listeners --region ${region} --listener-arns ${this.listenerArn} ` +
      "--query 'Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups' --output table";
  }

  /** The one definition of the shift permission, for `grantShift` and the fragment's tasks. */
  private shiftPermissions(): Permission[] {
    return [
      { actions: ['elasticloadbalancing:ModifyListener'], resources: [this.listenerArn] },
      // DescribeListeners supports no resource-level permission (Service Authorization Reference): `*`.
      { actions: ['elasticloadbalancing:DescribeListeners'], resources: ['*'] },
    ];
  }
}
