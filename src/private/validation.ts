import { Token } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';

/**
 * Collects every prop failure of one construct and throws them together, once.
 *
 * A construct lists its rules at the top of its constructor, before creating any resource:
 *
 *   const v = new PropsValidator(this, 'RegionalNetwork');
 *   v.check(isCidr(props.cidr), 'cidr', 'must be an IPv4 CIDR block', props.cidr);
 *   v.throwIfInvalid();
 *
 * The error names the construct path, each bad prop, the rule and the value given:
 *
 *   RegionalNetwork initialization failed at Stack/Network:
 *   - `cidr` must be an IPv4 CIDR block, got: "10.0.0/16"
 *
 * Values that are unresolved tokens cannot be judged at synth time; use {@link PropsValidator.known}
 * (or `Token.isUnresolved`) so that rules let them through.
 */
export class PropsValidator {
  private readonly failures: string[] = [];
  private readonly aliases: Readonly<Record<string, string>>;

  constructor(private readonly scope: IConstruct, private readonly constructName: string) {
    const parent = scope.node.scope;
    this.aliases = (parent && CHILD_PROP_ALIASES.get(parent)?.get(scope.node.id)) ?? {};
  }

  /**
   * Records a failure when `ok` is false.
   *
   * @param ok whether the rule holds
   * @param prop the prop path as the user wrote it, e.g. `peering.peerRegion`
   * @param rule the constraint, phrased to follow the prop name: "must be between 1 and 3"
   * @param value the value given, echoed back
   */
  public check(ok: boolean, prop: string, rule: string, value: unknown): void {
    if (!ok) {
      const failure = `\`${userProp(prop, this.aliases)}\` ${rule}, got: ${describe(value)}`;
      // a prop passed to two inner props (one TTL for both record sets) is reported once
      if (!this.failures.includes(failure)) {
        this.failures.push(failure);
      }
    }
  }

  /** Records a failure unconditionally (for rules that relate several props). */
  public fail(prop: string, rule: string, value: unknown): void {
    this.check(false, prop, rule, value);
  }

  /** The failures so far. */
  public get errors(): readonly string[] {
    return this.failures;
  }

  /** Throws one error listing every failure, if there is any. */
  public throwIfInvalid(): void {
    if (this.failures.length > 0) {
      throw new Error(
        `${this.constructName} initialization failed at ${this.scope.node.path}:\n` +
          this.failures.map((f) => `- ${f}`).join('\n'),
      );
    }
  }
}

/** Per parent construct: child id → (the child's prop path → the prop as the parent's user typed it). */
const CHILD_PROP_ALIASES = new WeakMap<IConstruct, Map<string, Record<string, string>>>();

/**
 * A composing construct names the props it passes to its child `childId` as its own user typed them, so that the
 * child's validation errors speak the user's words: `{ 'peering.peerRouteTableIds': 'side.source.routeTableIds' }`
 * turns `peering.peerRouteTableIds[0]` into `side.source.routeTableIds[0]`. Call it before creating the child.
 */
export function aliasChildProps(parent: IConstruct, childId: string, aliases: Record<string, string>): void {
  const byChild = CHILD_PROP_ALIASES.get(parent) ?? new Map<string, Record<string, string>>();
  byChild.set(childId, aliases);
  CHILD_PROP_ALIASES.set(parent, byChild);
}

/** The prop path as the user typed it: the longest aliased prefix (a whole segment) replaced. */
function userProp(prop: string, aliases: Readonly<Record<string, string>>): string {
  const match = Object.keys(aliases)
    .filter((inner) => prop === inner || prop.startsWith(`${inner}.`) || prop.startsWith(`${inner}[`))
    .sort((a, b) => b.length - a.length)[0];
  return match === undefined ? prop : `${aliases[match]}${prop.slice(match.length)}`;
}

/** True when the value is known at synth time (not a token, not undefined). */
export function known<T>(value: T | undefined): value is T {
  if (value === undefined || value === null) {
    return false;
  }
  if (typeof value === 'string' || typeof value === 'number') {
    return !Token.isUnresolved(value);
  }
  if (Array.isArray(value)) {
    return !Token.isUnresolved(value) && value.every((v) => !Token.isUnresolved(v));
  }
  return !Token.isUnresolved(value);
}

/** Renders a value for an error message; tokens read as `<token>`. */
export function describe(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if ((typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value)) {
    return '<token>';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** `prefix-` followed by 8 or 17 lowercase hex digits: the shape of EC2 resource ids. */
export function isEc2Id(prefix: string, value: string): boolean {
  return new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(value);
}

/** A 12-digit AWS account id. */
export function isAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}

/** A region name such as `eu-west-1` or `us-gov-west-1`. */
export function isRegionName(value: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-\d$/.test(value);
}

/** Logs are kept at least a year (PCI DSS 10.5.1); an unset retention is the construct's default and passes. */
export function checkLogRetention(v: PropsValidator, prop: string, value: RetentionDays | undefined, what: string): void {
  if (value !== undefined) {
    v.check(value === RetentionDays.INFINITE || value >= RetentionDays.ONE_YEAR, prop, `must keep ${what} at least one year (PCI DSS 10.5.1)`, value);
  }
}
