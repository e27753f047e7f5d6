import { Stack, Token } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import type { Shapes } from './assembly-types';
import { typesOf } from './assembly-types';
import { PaymentMigrationValidationError } from './validation-error';
import type { ValidationFailure } from '../validation-error';

/**
 * Collects every failure of one component (a construct's props, a method's or a factory's options) and throws them
 * together, once. A construct lists its rules at the top of its constructor, before creating any resource:
 *
 *   const v = new Validator('RegionalNetwork', this);
 *   v.check(isCidr(props.cidr), 'cidr', 'must be an IPv4 CIDR block', props.cidr);
 *   v.throwIfInvalid();
 *
 * The error names the component, the construct path, each bad prop, the rule and the value given:
 *
 *   RegionalNetwork initialization failed at Stack/Network:
 *   - `cidr` must be an IPv4 CIDR block, got: "10.0.0/16"
 *
 * A static factory has no construct: its errors name the factory (`CutoverGate.dmsReplication failed:`), or the path
 * of the construct it creates when it creates one. Values that are unresolved tokens cannot be judged at synth time;
 * use {@link known} (or `Token.isUnresolved`) so that rules let them through.
 */
export class Validator {
  private readonly found: ValidationFailure[] = [];
  private readonly aliases: Readonly<Record<string, string>> = {};
  private readonly path?: string;
  private readonly isConstruct: boolean;

  /**
   * @param component what is validated: a construct (`RegionalNetwork`), a method or a factory (`CutoverSteps.of`)
   * @param where the construct validated (its path, and its props as a composing parent names them), or the path of
   * the construct a factory creates
   */
  constructor(private readonly component: string, where?: IConstruct | string) {
    this.isConstruct = typeof where === 'object';
    if (typeof where === 'object') {
      this.path = where.node.path;
      const parent = where.node.scope as Partial<IComposingConstruct> | undefined;
      this.aliases = (typeof parent?._userPropNames === 'function' ? parent._userPropNames(where.node.id) : undefined) ?? {};
    } else {
      this.path = where;
    }
  }

  /**
   * Records a failure when `ok` is false.
   *
   * @param ok whether the rule holds
   * @param prop the prop path as the user wrote it, e.g. `peering.peerRegion`
   * @param rule the constraint, phrased to follow the prop name: "must be between 1 and 3"
   * @param value the value given, echoed back (omitted: the rule echoes none)
   */
  public check(ok: boolean, prop: string, rule: string, ...value: unknown[]): void {
    if (ok) return;
    const failure = { prop: this.name(prop), rule, value: value.length > 0 ? describe(value[0]) : undefined };
    // a prop passed to two inner props (one TTL for both record sets) is reported once
    if (!this.errors.includes(PaymentMigrationValidationError.line(failure))) this.found.push(failure);
  }

  /** Checks a value known at synth time (undefined and tokens pass): records a failure when `ok(value)` is false. */
  public checkKnown<T>(prop: string, value: T | undefined, ok: (value: T) => boolean, rule: string): void {
    if (known(value)) this.check(ok(value), prop, rule, value);
  }

  /** Records a failure unconditionally (for rules that relate several props). */
  public fail(prop: string, rule: string, ...value: unknown[]): void {
    this.check(false, prop, rule, ...value);
  }

  /** A prop as the user typed it, for a rule that names another prop: `` `${v.name('zoneName')}` ``. */
  public name(prop: string): string {
    return userProp(prop, this.aliases);
  }

  /** The failures so far, as the message prints them. */
  public get errors(): readonly string[] {
    return this.found.map(PaymentMigrationValidationError.line);
  }

  /**
   * Throws one {@link PaymentMigrationValidationError} listing every failure, if there is any:
   * `<component> initialization failed at <path>:` (a construct) or `<component> failed[ at <path>]:` (a method or a
   * factory: `Component.method`), then a line per failure.
   */
  public throwIfInvalid(): void {
    if (this.found.length > 0) throw this.error();
  }

  /**
   * Throws at once for one failure: a method called on a construct that lacks what it reads
   * (`metricVpnTunnelState()` without a VPN connection).
   */
  public refuse(prop: string, rule: string, ...value: unknown[]): never {
    this.fail(prop, rule, ...value);
    throw this.error();
  }

  private error(): PaymentMigrationValidationError {
    const failures = [...this.found];
    const verb = this.isConstruct && !this.component.includes('.') ? 'initialization failed' : 'failed';
    const header = `${this.component} ${verb}${this.path !== undefined ? ` at ${this.path}` : ''}`;
    return PaymentMigrationValidationError.listed(this.component, header, failures, this.path);
  }
}

/**
 * A construct that composes others (`PaymentMigration`) names the props it passes to its child `childId` as its own
 * user typed them, so that the child's validation errors speak the user's words:
 * `{ 'peering.peerRouteTableIds': 'side.source.routeTableIds' }` names `peering.peerRouteTableIds[0]`
 * `side.source.routeTableIds[0]`.
 */
export interface IComposingConstruct {
  /** The child's prop path → the prop as the composing construct's user typed it. */
  _userPropNames(childId: string): Readonly<Record<string, string>> | undefined;
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
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return !Token.isUnresolved(value) && value.every((v) => !Token.isUnresolved(v));
  return !Token.isUnresolved(value);
}

/** Renders a value for an error message; tokens read as `<token>`, a Duration as `5 minutes`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (isDuration(value)) return describeDuration(value);
  if ((typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value)) return '<token>';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const path = (value as { node?: { path?: unknown } } | null)?.node?.path;
  if (typeof path === 'string') return `<${(value as object).constructor?.name ?? 'construct'} ${path || '(root)'}>`;
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

/**
 * RDS and DMS identifiers: 1–63 letters (`lowercase`: lowercase letters, as RDS names clusters), digits or hyphens,
 * starting with a letter, no `--`, no trailing `-`.
 */
export function checkIdentifier(v: Validator, prop: string, value: string | undefined, lowercase = false): void {
  const letters = lowercase ? 'a-z' : 'a-zA-Z';
  v.checkKnown(prop, value, (x) => new RegExp(`^[${letters}](?!.*--)[${letters}0-9-]{0,62}$`).test(x) && !x.endsWith('-'),
    `must be 1–63 ${lowercase ? 'lowercase ' : ''}letters, digits or hyphens, start with a letter, and contain no "--" nor end with "-"`);
}

/** A region name such as `eu-west-1` or `us-gov-west-1`. */
export function isRegionName(value: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-\d$/.test(value);
}

/** Logs are kept at least a year (PCI DSS 10.5.1); an unset retention is the construct's default and passes. */
export function checkLogRetention(v: Validator, prop: string, value: RetentionDays | undefined, what: string): void {
  if (value !== undefined) {
    v.check(value === RetentionDays.INFINITE || value >= RetentionDays.ONE_YEAR, prop, `must keep ${what} at least one year (PCI DSS 10.5.1)`, value);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Shapes: what a plain JavaScript caller (or a jsii caller in Python, Java, …) can get wrong that TypeScript cannot.
// The shapes are the types of the public API, read from the jsii assembly: `typesOf('PaymentFleetProps')`.
// ---------------------------------------------------------------------------------------------------------------

export { typesOf } from './assembly-types';
export type { Shape, Shapes } from './assembly-types';

const SHAPE_WORDS: Record<string, string> = {
  'string': 'a string',
  'number': 'a number',
  'boolean': 'a boolean (true or false)',
  'array': 'a list (array)',
  'string[]': 'a list (array) of strings',
  'number[]': 'a list (array) of numbers',
  'duration': 'a Duration (e.g. Duration.seconds(30)), not a bare number or string',
  'object': 'an object',
  'record': 'an object of string values (a map)',
};

/** True when the value is a Duration (duck-typed: a Duration from another copy of aws-cdk-lib passes too). */
export function isDuration(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as any).toSeconds === 'function' &&
    typeof (value as any).toMilliseconds === 'function' && typeof (value as any).toHumanString === 'function';
}

function hasShape(value: unknown, shape: string): boolean {
  // An unresolved token stands for a value of the right type: a string, number or list token is judged at deploy time.
  if ((typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value)) return true;
  if (Array.isArray(value) && Token.isUnresolved(value)) return true;
  switch (shape) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && !Number.isNaN(value);
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'string[]': return Array.isArray(value) && value.every((e) => typeof e === 'string');
    case 'number[]': return Array.isArray(value) && value.every((e) => typeof e === 'number' && !Number.isNaN(e));
    case 'duration': return isDuration(value);
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'record': return hasShape(value, 'object') && Object.values(value as object).every((e) => typeof e === 'string');
    default: return true;
  }
}

function valueAt(props: unknown, path: string): { value: unknown; reachable: boolean } {
  let value: unknown = props;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object') return { value: undefined, reachable: false };
    value = (value as Record<string, unknown>)[segment];
  }
  return { value, reachable: true };
}

/**
 * Records a failure for every prop whose value does not have its shape (required props missing included), so that a
 * plain JavaScript caller reads "`recordNames` must be a list (array) of strings, got: "api"" instead of
 * `TypeError: props.recordNames.entries is not a function`. A nested prop is checked only when its parent struct is
 * given (the parent's own shape says whether it is required). Returns false when any shape is wrong.
 */
export function checkShapes(v: Validator, props: unknown, shapes: Shapes, prefix = ''): boolean {
  const before = v.errors.length;
  if (typeof props !== 'object' || props === null) {
    v.fail(prefix ? prefix.replace(/\.$/, '') : 'props', 'must be an object of properties', props);
    return false;
  }
  for (const [path, spec] of Object.entries(shapes)) {
    const optional = spec.endsWith('?');
    const shape = optional ? spec.slice(0, -1) : spec;
    const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : undefined;
    if (parent !== undefined) {
      const p = valueAt(props, parent);
      if (!p.reachable || p.value === undefined || p.value === null || typeof p.value !== 'object') continue;
    }
    const { value } = valueAt(props, path);
    if (value === undefined || value === null) {
      if (!optional) v.fail(`${prefix}${path}`, `is required: it must be ${SHAPE_WORDS[shape]}`, value);
      continue;
    }
    if (!hasShape(value, shape)) {
      v.fail(`${prefix}${path}`, `must be ${SHAPE_WORDS[shape]}`, value);
    }
  }
  return v.errors.length === before;
}

/**
 * The first statement of a constructor: checks the shapes of `props` and throws at once when any is wrong, before
 * any code reads them (a `.map` on a string, a `.toSeconds()` on a number). Errors name the construct path.
 */
export function requireShapes(scope: IConstruct, constructName: string, props: unknown, shapes: Shapes): void {
  const v = new Validator(constructName, scope);
  checkShapes(v, props, shapes);
  v.throwIfInvalid();
}

/**
 * The first statement of a construct's constructor: checks `props` against the types of `<constructName>Props` in the
 * jsii assembly (see {@link requireShapes}), then returns the validator for the construct's own rules.
 */
export function propsValidator(scope: IConstruct, constructName: string, props: unknown, walk: readonly string[] = []): Validator {
  requireShapes(scope, constructName, props, typesOf(`${constructName}Props`, walk));
  return new Validator(constructName, scope);
}

/**
 * The shapes of a factory's options object, recorded on `v`: the object itself named `options` (missing when
 * `required`, or not an object), then its members by their own names. Returns false when any shape is wrong.
 */
export function checkFactoryShapes(v: Validator, options: unknown, shapes: Shapes, required = false): boolean {
  if (options === undefined || options === null) {
    if (required) {
      v.fail('options', 'is required: it must be an object of options', options);
      return false;
    }
    return checkShapes(v, {}, shapes);
  }
  if (typeof options !== 'object' || Array.isArray(options)) {
    v.fail('options', 'must be an object of options', options);
    return false;
  }
  return checkShapes(v, options, shapes);
}

/**
 * A positional argument of a factory that must be an object of a kind (a construct of the library, an alarm, a
 * target group): `isKind` tells it by the members the factory reads. Records `<name> must be <what>` otherwise.
 */
export function checkArgument(v: Validator, name: string, value: unknown, isKind: (o: Record<string, unknown>) => boolean, what: string): boolean {
  const ok = typeof value === 'object' && value !== null && !Array.isArray(value) && isKind(value as Record<string, unknown>);
  v.check(ok, name, `must be ${what}`, value);
  return ok;
}

// ---------------------------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------------------------

/** Seconds (fractional) of a Duration known at synth time; undefined when absent, a token or not a Duration. */
export function knownSeconds(d: unknown): number | undefined {
  if (!isDuration(d)) return undefined;
  const duration = d as { isUnresolved(): boolean; toMilliseconds(o?: unknown): number };
  if (duration.isUnresolved()) return undefined;
  return duration.toMilliseconds({ integral: false }) / 1000;
}

/** A duration for messages: `30 seconds`, `2 minutes`, `<token>`. */
export function describeDuration(d: unknown): string {
  if (!isDuration(d)) return describe(d);
  const duration = d as { isUnresolved(): boolean; toHumanString(): string };
  return duration.isUnresolved() ? '<token>' : duration.toHumanString();
}

/** A Duration known at synth time (unset and tokens pass) whose seconds break `ok` is refused, echoed as `shown` renders it (`5 minutes`). */
export function checkKnownSeconds(v: Validator, prop: string, d: unknown, ok: (s: number) => boolean, rule: string,
  shown: (s: number) => string = () => describeDuration(d)): void {
  const s = knownSeconds(d);
  if (s !== undefined) v.check(ok(s), prop, rule, shown(s));
}

// ---------------------------------------------------------------------------------------------------------------
// Regions: a regional resource used by a construct must be in the construct's region
// ---------------------------------------------------------------------------------------------------------------

/** The stack's region when literal. */
export function literalRegion(scope: IConstruct): string | undefined {
  const region = Stack.of(scope).region;
  return Token.isUnresolved(region) ? undefined : region;
}

/**
 * The region a resource lives in, when known at synth time: from its ARN (`arn:<partition>:<service>:<region>:…`, when
 * given, literal and with a region), else its `env.region`.
 */
export function regionOfResource(resource: { readonly env?: { readonly region: string } } | undefined, arn?: string): string | undefined {
  const fromArn = typeof arn === 'string' && !Token.isUnresolved(arn) ? /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]*):/.exec(arn)?.[1] : undefined;
  if (fromArn) return fromArn;
  const region = resource?.env?.region;
  return region === undefined || Token.isUnresolved(region) || region === '' ? undefined : region;
}

/**
 * Records a failure when a regional resource (a KMS key, a secret, a certificate, a topic, a web ACL, …) is known
 * to be in another region than `expected` (the stack's by default). `why` says why it must be local.
 */
export function checkSameRegion(
  v: Validator,
  scope: IConstruct,
  prop: string,
  resource: { readonly env?: { readonly region: string } } | undefined,
  arn: string | undefined,
  why: string,
  expected: string | undefined = literalRegion(scope),
): void {
  const region = regionOfResource(resource, arn);
  if (region === undefined || expected === undefined) return;
  v.check(region === expected, prop, `must be in the stack's region ${expected} (${why}), not ${region}`, arn !== undefined && known(arn) ? arn : region);
}

/** Alarm actions notify SNS topics of the alarm's own region (an `SnsAction` keeps its topic). */
export function checkAlarmActionsRegion(v: Validator, prop: string, actions: unknown, expected: string | undefined): void {
  if (!Array.isArray(actions) || expected === undefined) return;
  actions.forEach((action, i) => {
    const topic = (action as { topic?: { env?: { region: string }; topicArn?: string } } | undefined)?.topic;
    const region = topic ? regionOfResource(topic, topic.topicArn) : undefined;
    if (region !== undefined && region !== expected) {
      v.fail(`${prop}[${i}]`, `must notify a topic in the stack's region ${expected} (CloudWatch alarm actions publish to SNS topics of the alarm's own region), not ${region}`, topic?.topicArn);
    }
  });
}
