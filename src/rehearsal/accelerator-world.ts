import { awsError, round } from './aws-values';

/** What the simulated Global Accelerator does in a rehearsal. */
export interface AcceleratorScenario {
  /**
   * Seconds from an UpdateEndpointGroup call until its dial is in effect at the edge and the accelerator reads
   * DEPLOYED again.
   *
   * An assumption: AWS documents no propagation time for a dial change (nor that the accelerator goes IN_PROGRESS
   * for one); the only figure it gives is "about 30 seconds" for routing to resume after endpoints recover.
   *
   * @default 30
   */
  readonly deploySeconds?: number;

  /** How many Global Accelerator calls (any action, the first ones) are throttled. @default 0 */
  readonly throttles?: number;

  /**
   * Ordinals (1 = the first) of UpdateEndpointGroup calls that never deploy: their dial never takes effect and the
   * accelerator stays IN_PROGRESS until a later update of the same endpoint group replaces them.
   *
   * @default - every update deploys after `deploySeconds`
   */
  readonly stuckUpdates?: number[];

  /** The fraction (0–1) of clients whose nearest endpoint group is the source Region's. @default 0.6 */
  readonly sourceNearShare?: number;
}

/** The accelerator's two endpoint groups, as the AcceleratorCutover names them. */
export interface AcceleratorEndpointGroups {
  readonly sourceEndpointGroupArn: string;
  readonly targetEndpointGroupArn: string;
  /** When given, DescribeAccelerator refuses any other ARN. */
  readonly acceleratorArn?: string;
}

/** Traffic dials in percent. */
export interface Dials {
  readonly source: number;
  readonly target: number;
}

/** One UpdateEndpointGroup, as the simulated accelerator recorded it. */
export interface DialUpdate {
  /** Virtual seconds of the call. */
  readonly t: number;
  /** 1 for the first update of the rehearsal. */
  readonly ordinal: number;
  readonly side: 'source' | 'target';
  readonly dial: number;
  /** When it is in effect; undefined: never (a stuck update). */
  readonly deployAt?: number;
}

/** The error names as Step Functions reports them through CallAwsServiceCrossRegion (the SDK error's `name`). */
const THROTTLED = 'ThrottlingException';

/** The request members the model accepts: SDK v3 (API) names; anything else is a bug the real SDK would hide. */
const MEMBERS: Record<string, string[]> = {
  updateEndpointGroup: ['EndpointGroupArn', 'TrafficDialPercentage'],
  describeEndpointGroup: ['EndpointGroupArn'],
  describeAccelerator: ['AcceleratorArn'],
};

/**
 * The share of NEW connections that reach the target, given the dials in effect and where the clients are.
 *
 * Global Accelerator sends each connection to the endpoint group nearest the client; that group's dial is the
 * percentage it keeps, and "the accelerator directs the remaining ... requests to endpoint groups in other Regions"
 * (Global Accelerator Developer Guide, traffic dials). Where the other group's dial is 0 — a Region "cut off" from
 * normal routing — the guide does not say where the turned-away traffic goes: the model keeps it on the nearest group
 * (an assumption; the cutover's order of changes never creates such a state, see the shift fragment).
 *
 * With dials source = 100 − p and target = p this is p / 100 whatever `sourceNearShare`; with the target dial left at
 * 100 and only the source dial lowered it is not.
 */
export function targetShareOf(dials: Dials, sourceNearShare: number): number {
  const s = dials.source / 100;
  const t = dials.target / 100;
  const fromSourceNear = t > 0 ? 1 - s : 0;
  const fromTargetNear = s > 0 ? t : 1;
  return sourceNearShare * fromSourceNear + (1 - sourceNearShare) * fromTargetNear;
}

/**
 * A model of a standard accelerator with two endpoint groups for the offline rehearsal: the three API actions an
 * AcceleratorCutover calls (SDK v3 names and members), the dials each group is configured with and the dials in
 * effect at the edge, on a virtual clock. No AWS.
 *
 * DescribeEndpointGroup returns the configured dial at once (an assumption; AWS does not say otherwise), while the
 * dial takes effect, and the accelerator reads DEPLOYED, only `deploySeconds` after the update.
 */
export class AcceleratorWorld {
  /** Every UpdateEndpointGroup, in order. */
  public readonly updates: DialUpdate[] = [];
  /** Every call, as `action` (throttled ones included). */
  public readonly calls: string[] = [];
  /** Requests a real SDK would send wrongly or drop (unknown members, another Region or service), refused. */
  public readonly parameterErrors: string[] = [];
  private throttlesLeft: number;
  private readonly initial: Dials = { source: 100, target: 0 };

  constructor(
    private readonly scenario: AcceleratorScenario,
    private readonly now: () => number,
    private readonly log: (actor: string, text: string) => void,
    private readonly groups: AcceleratorEndpointGroups,
  ) {
    this.throttlesLeft = scenario.throttles ?? 0;
    const share = scenario.sourceNearShare ?? 0.6;
    // a precondition of this internal model, not a rule on the library's input: the console bundles this file, and the
    // Validator would bring aws-cdk-lib into it
    if (!(share >= 0 && share <= 1)) throw new RangeError(`AcceleratorScenario.sourceNearShare must be between 0 and 1, got: ${share}`);
    if ((scenario.deploySeconds ?? 30) < 0) throw new RangeError(`AcceleratorScenario.deploySeconds must not be negative, got: ${scenario.deploySeconds}`);
  }

  /**
   * The CallAwsServiceCrossRegion handler's event (`{ region, service, action, parameters }`): refused unless it
   * addresses Global Accelerator's SDK package in us-west-2, as the real handler would fail.
   */
  public invoke(payload: any): any {
    if (payload?.service !== 'global-accelerator') {
      this.parameterErrors.push(`service ${payload?.service}: the handler loads @aws-sdk/client-${payload?.service}`);
      throw awsError('Error', `Cannot find module '@aws-sdk/client-${payload?.service}'`);
    }
    if (payload.region !== 'us-west-2') {
      this.parameterErrors.push(`region ${payload.region}: Global Accelerator's API is in us-west-2 only`);
      throw awsError('Error', `getaddrinfo ENOTFOUND globalaccelerator.${payload.region}.amazonaws.com`);
    }
    return { ...this.call(String(payload.action), payload.parameters ?? {}), $metadata: { httpStatusCode: 200 } };
  }

  /** One API call: `updateEndpointGroup`, `describeEndpointGroup` or `describeAccelerator` (SDK v3 command names). */
  public call(action: string, parameters: any): any {
    this.calls.push(action);
    const members = MEMBERS[action];
    if (!members) throw awsError('Error', `Unable to find command named: ${action} in the Global Accelerator model`);
    const unknown = Object.keys(parameters ?? {}).filter((m) => !members.includes(m));
    if (unknown.length > 0) {
      this.parameterErrors.push(`${action} does not accept ${unknown.join(', ')}`);
      throw awsError('InvalidArgumentException', `${action}: unknown member(s) ${unknown.join(', ')}`);
    }
    if (this.throttlesLeft > 0) {
      this.throttlesLeft--;
      this.log('accelerator', `Global Accelerator throttles ${action} (Rate exceeded)`);
      throw awsError(THROTTLED, 'Rate exceeded');
    }
    switch (action) {
      case 'updateEndpointGroup': return this.update(parameters);
      case 'describeEndpointGroup': {
        const side = this.sideOf(parameters.EndpointGroupArn);
        return { EndpointGroup: { EndpointGroupArn: parameters.EndpointGroupArn, TrafficDialPercentage: this.configuredDials()[side] } };
      }
      default: {
        const arn = parameters.AcceleratorArn;
        if (typeof arn !== 'string' || (this.groups.acceleratorArn !== undefined && arn !== this.groups.acceleratorArn)) {
          throw awsError('AcceleratorNotFoundException', `accelerator ${arn} not found`);
        }
        return { Accelerator: { AcceleratorArn: arn, Enabled: true, Status: this.status() } };
      }
    }
  }

  /** The dials each group is configured with (what DescribeEndpointGroup returns). */
  public configuredDials(): Dials {
    const last = (side: 'source' | 'target') => [...this.updates].reverse().find((u) => u.side === side)?.dial ?? this.initial[side];
    return { source: last('source'), target: last('target') };
  }

  /** The dials in effect at the edge now: per group, the latest update that has deployed. */
  public inEffectDials(): Dials {
    const t = this.now();
    const applied = (side: 'source' | 'target') =>
      [...this.updates].reverse().find((u) => u.side === side && u.deployAt !== undefined && u.deployAt <= t)?.dial ?? this.initial[side];
    return { source: applied('source'), target: applied('target') };
  }

  /** DEPLOYED unless an update is still deploying, or stuck and not yet replaced by a later update of its group. */
  public status(): 'DEPLOYED' | 'IN_PROGRESS' {
    const t = this.now();
    const pending = this.updates.some((u, i) => {
      const replaced = this.updates.slice(i + 1).some((later) => later.side === u.side);
      return u.deployAt === undefined ? !replaced : u.deployAt > t;
    });
    return pending ? 'IN_PROGRESS' : 'DEPLOYED';
  }

  /** The share (0–1) of new connections reaching the target now: {@link targetShareOf} of the dials in effect. */
  public observedTargetShare(): number {
    return targetShareOf(this.inEffectDials(), this.scenario.sourceNearShare ?? 0.6);
  }

  private update(parameters: any): any {
    const side = this.sideOf(parameters.EndpointGroupArn);
    const dial = parameters.TrafficDialPercentage;
    if (typeof dial !== 'number' || !(dial >= 0 && dial <= 100)) {
      throw awsError('InvalidArgumentException', `TrafficDialPercentage must be a number from 0 to 100, got: ${JSON.stringify(dial)}`);
    }
    const t = this.now();
    const ordinal = this.updates.length + 1;
    const stuck = (this.scenario.stuckUpdates ?? []).includes(ordinal);
    const deployAt = stuck ? undefined : t + (this.scenario.deploySeconds ?? 30);
    this.updates.push({ t: round(t), ordinal, side, dial, deployAt });
    this.log('accelerator', `UpdateEndpointGroup #${ordinal}: ${side} dial ${dial}${stuck ? ' (never deploys)' : ''}`);
    return { EndpointGroup: { EndpointGroupArn: parameters.EndpointGroupArn, TrafficDialPercentage: dial } };
  }

  private sideOf(arn: unknown): 'source' | 'target' {
    if (arn === this.groups.sourceEndpointGroupArn) return 'source';
    if (arn === this.groups.targetEndpointGroupArn) return 'target';
    throw awsError('EndpointGroupNotFoundException', `endpoint group ${String(arn)} not found`);
  }
}
