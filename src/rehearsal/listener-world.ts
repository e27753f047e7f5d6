import { awsError, round } from './aws-values';
import { LoadBalancerScenario, Workflow } from './scenario';

/** A listener's weighted forward as DescribeListeners shows it. */
interface Forward {
  readonly groups: ReadonlyArray<{ readonly TargetGroupArn: string; readonly Weight: number }>;
  readonly stickiness: unknown;
}

/**
 * The fleet's load balancer in a rehearsal (load-balancer shifting): ModifyListener replaces the listener's default
 * action; DescribeListeners shows it after `describeLag`; a change listed in `unappliedChanges` never shows (another
 * writer put the old action back); the first `throttles` calls, and `throttlesFrom.count` calls from
 * `throttlesFrom.at`, are throttled. The data plane follows `dataPlaneSeconds` after the change (AWS publishes no
 * figure: "rule updates do not take effect immediately … for a short time").
 */
export class ListenerWorld {
  private readonly changes: Array<{ at: number; forward: Forward; applied: boolean }> = [];
  private throttlesLeft: number;
  private lateThrottlesLeft: number;
  private sourceArn?: string;

  constructor(
    private readonly scenario: LoadBalancerScenario,
    private readonly now: () => number,
    private readonly log: (actor: Workflow, text: string) => void,
    private readonly onChange: (actor: Workflow, source: number, target: number, inEffectAt: number) => void,
  ) {
    this.throttlesLeft = scenario.throttles ?? 0;
    this.lateThrottlesLeft = scenario.throttlesFrom?.count ?? 0;
  }

  public modifyListener(actor: Workflow, params: any): any {
    const late = this.scenario.throttlesFrom !== undefined && this.now() >= this.scenario.throttlesFrom.at && this.lateThrottlesLeft > 0;
    if (this.throttlesLeft > 0 || late) {
      if (late) this.lateThrottlesLeft--;
      else this.throttlesLeft--;
      this.log(actor, 'the load balancer throttles ModifyListener (Rate exceeded)');
      // ELBv2's throttling is not a modeled exception of the SDK: Step Functions reports the service's base exception.
      throw awsError('ElasticLoadBalancingV2.ElasticLoadBalancingV2Exception', 'Rate exceeded');
    }
    const actions: any[] = params.DefaultActions ?? [];
    const forward = actions[0]?.ForwardConfig;
    if (actions.length !== 1 || actions[0].Type !== 'forward' || !Array.isArray(forward?.TargetGroups) || forward.TargetGroups.length !== 2) {
      throw awsError('ElasticLoadBalancingV2.InvalidConfigurationRequestException', 'expected one weighted forward to two target groups');
    }
    const groups = forward.TargetGroups.map((g: any) => ({ TargetGroupArn: String(g.TargetGroupArn), Weight: Number(g.Weight) }));
    if (groups.some((g: any) => !Number.isInteger(g.Weight) || g.Weight < 0 || g.Weight > 999)) {
      throw awsError('ElasticLoadBalancingV2.ValidationError', 'Weight must be an integer 0-999');
    }
    // The first group of the first change is the source's (the shift always lists source, then target).
    this.sourceArn ??= groups[0].TargetGroupArn;
    const source = groups.find((g: any) => g.TargetGroupArn === this.sourceArn)!.Weight;
    const target = groups.find((g: any) => g.TargetGroupArn !== this.sourceArn)!.Weight;
    const ordinal = this.changes.length + 1;
    const applied = !(this.scenario.unappliedChanges ?? []).includes(ordinal);
    this.changes.push({ at: this.now(), forward: { groups, stickiness: forward.TargetGroupStickinessConfig }, applied });
    this.log(actor, `ModifyListener: source ${source} / target ${target} (one weighted forward)${applied ? '' : ' — never takes effect in this scenario'}`);
    if (applied) this.onChange(actor, source, target, round(this.now() + (this.scenario.dataPlaneSeconds ?? DATA_PLANE_SECONDS)));
    return { Listeners: [{ ListenerArn: params.ListenerArn, DefaultActions: actions }] };
  }

  public describeListeners(params: any): any {
    const lag = this.scenario.describeLag ?? 0;
    const shown = [...this.changes].reverse().find((c) => c.applied && this.now() - c.at >= lag);
    const groups = shown?.forward.groups ?? this.initialGroups();
    return {
      Listeners: [{
        ListenerArn: params.ListenerArns?.[0],
        DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: groups, TargetGroupStickinessConfig: shown?.forward.stickiness ?? { Enabled: false } } }],
      }],
    };
  }

  /** Before any change: what the template set (source 100 / target 0), with the ARNs the first change named. */
  private initialGroups(): Forward['groups'] {
    const first = this.changes[0]?.forward.groups;
    if (!first) return [];
    return [{ TargetGroupArn: first[0].TargetGroupArn, Weight: 100 }, { TargetGroupArn: first[1].TargetGroupArn, Weight: 0 }];
  }
}

/**
 * Seconds a listener change takes to reach every load-balancer node in the rehearsal: an assumption (AWS: "rule
 * updates do not take effect immediately, so requests could be routed using the previous rule configuration for a
 * short time"), stated wherever a figure uses it.
 */
export const DATA_PLANE_SECONDS = 5;
