import { ConsoleError, EXIT } from './exit-codes';

/** The stack output the console reads (the same name as `CONSOLE_MANIFEST_OUTPUT` of the library). */
export const MANIFEST_OUTPUT = 'ConsoleManifest';
/** The newest manifest format this console reads. */
export const MANIFEST_VERSION = 1;

/** One side's load balancer. */
export interface SideManifest {
  readonly r: string;
  /** The load balancer's full name (`app/<name>/<id>`), the `LoadBalancer` dimension of its metrics. */
  readonly lb?: string;
  readonly dns?: string;
}

/**
 * What the cutover moves traffic with (`sh`): Route 53 weighted records; the fleet's load balancer listener with one
 * weighted forward to two target groups (`l` listener, `s` source and `t` target target-group ARNs); or Global
 * Accelerator's traffic dials (`a` accelerator, `s` source and `t` target endpoint-group ARNs).
 */
export type ShifterManifest =
  | { readonly k: 'dns' }
  | { readonly k: 'lb'; readonly l: string; readonly s: string; readonly t: string }
  | { readonly k: 'ga'; readonly a: string; readonly s: string; readonly t: string };

/** The shifter's name in the console's JSON (`status --json`): the library's `TrafficShiftingKind` values. */
export type ShifterName = 'dns' | 'load-balancer' | 'global-accelerator';

const SHIFTER_NAMES: Record<ShifterManifest['k'], ShifterName> = { dns: 'dns', lb: 'load-balancer', ga: 'global-accelerator' };

/** A manifest without `sh` (stacks deployed before the shifter was selectable) shifts by DNS. */
export const DNS_SHIFTER: ShifterManifest = { k: 'dns' };

/** The shifter of a manifest (DNS when it names none). */
export function shifterOf(manifest: Pick<ConsoleManifest, 'sh'>): ShifterManifest {
  return manifest.sh ?? DNS_SHIFTER;
}

/** The shifter's name, as `status --json` gives it. */
export function shifterName(shifter: ShifterManifest): ShifterName {
  return SHIFTER_NAMES[shifter.k];
}

/** The `ConsoleManifest` output of a migration stack (see src/payment-migration/console-outputs.ts). */
export interface ConsoleManifest {
  readonly v: number;
  readonly kind: 'aurora-global' | 'dms';
  readonly sm: string;
  readonly rb?: string;
  readonly rc?: string;
  readonly ctl: string;
  /**
   * The cutover record's DynamoDB table (phase, holder). Absent from the manifests of stacks deployed before the
   * record existed: `status` then shows no record, and `recover` says to redeploy.
   */
  readonly tbl?: string;
  readonly wr?: string;
  readonly topic?: string;
  readonly dash?: string;
  readonly zone?: string;
  readonly rec?: string[];
  readonly alarms: string[];
  readonly tgt: SideManifest;
  readonly src?: SideManifest;
  readonly gc?: string;
  readonly db?: string;
  readonly dms?: { readonly fwd?: string; readonly rev?: string };
  /** What moves traffic; {@link manifestOf} fills in DNS when the stack's manifest has none (older stacks). */
  readonly sh?: ShifterManifest;
}

/** A stack as DescribeStacks returns it (the parts the console reads). */
export interface StackDescription {
  readonly StackName?: string;
  readonly StackStatus?: string;
  readonly Outputs?: ReadonlyArray<{ readonly OutputKey?: string; readonly OutputValue?: string; readonly Description?: string }>;
}

/** The manifest of a described stack, or an error that says why this is not a migration stack. */
export function manifestOf(stack: StackDescription, stackName: string): ConsoleManifest {
  const outputs = stack.Outputs ?? [];
  // CDK prefixes output ids with the construct path (`MigrationConsoleManifest1A2B3C4D`): match the id's ending.
  const out = outputs.find((o) => o.OutputKey === MANIFEST_OUTPUT || new RegExp(`${MANIFEST_OUTPUT}([0-9A-F]{8})?$`).test(o.OutputKey ?? ''));
  if (!out?.OutputValue) {
    const runbook = outputs.some((o) => /Runbook/.test(o.OutputKey ?? ''));
    throw new ConsoleError(
      `Stack ${stackName} has no ${MANIFEST_OUTPUT} output: it is not a migration target stack` +
        (runbook ? ' deployed with this version of cdk-payment-migration (it has runbook outputs: redeploy it with the current library)' : ' (pass the stack that holds the cutover, e.g. --stack PaymentTarget)') +
        (stack.StackStatus && !/COMPLETE$/.test(stack.StackStatus) ? `; its status is ${stack.StackStatus}` : ''),
      EXIT.AWS_ERROR,
    );
  }
  let parsed: any;
  try {
    parsed = JSON.parse(out.OutputValue);
  } catch {
    throw new ConsoleError(`The ${MANIFEST_OUTPUT} output of ${stackName} is not JSON: redeploy the stack with the current library`, EXIT.AWS_ERROR);
  }
  if (typeof parsed?.v !== 'number' || parsed.v > MANIFEST_VERSION) {
    throw new ConsoleError(`The ${MANIFEST_OUTPUT} of ${stackName} has version ${parsed?.v}; this console reads up to ${MANIFEST_VERSION}: upgrade cdk-payment-migration`, EXIT.AWS_ERROR);
  }
  const missing = ['sm', 'ctl', 'tgt'].filter((k) => parsed[k] === undefined);
  if (missing.length > 0) {
    throw new ConsoleError(`The ${MANIFEST_OUTPUT} of ${stackName} lacks ${missing.join(', ')}: redeploy the stack with the current library`, EXIT.AWS_ERROR);
  }
  return { alarms: [], ...parsed, sh: parseShifter(parsed.sh, stackName) };
}

/**
 * The manifest's `sh`, checked: a kind this console does not know, or one without the ARNs it reads, would make the
 * live view misstate where traffic goes, so it is refused with what to do.
 */
function parseShifter(sh: any, stackName: string): ShifterManifest {
  if (sh === undefined) return DNS_SHIFTER;
  const where = `The ${MANIFEST_OUTPUT} of ${stackName}`;
  if (typeof sh?.k !== 'string' || !(sh.k in SHIFTER_NAMES)) {
    throw new ConsoleError(`${where} names a traffic shifter this console does not know (sh: ${JSON.stringify(sh)}): upgrade cdk-payment-migration`, EXIT.AWS_ERROR);
  }
  const required = sh.k === 'lb' ? ['l', 's', 't'] : sh.k === 'ga' ? ['a', 's', 't'] : [];
  const missing = required.filter((key) => typeof sh[key] !== 'string' || sh[key] === '');
  if (missing.length > 0) {
    throw new ConsoleError(`${where} lacks ${missing.map((key) => `sh.${key}`).join(', ')} of its ${SHIFTER_NAMES[sh.k as ShifterManifest['k']]} shifter: redeploy the stack with the current library`, EXIT.AWS_ERROR);
  }
  return sh.k === 'lb' ? { k: 'lb', l: sh.l, s: sh.s, t: sh.t } : sh.k === 'ga' ? { k: 'ga', a: sh.a, s: sh.s, t: sh.t } : DNS_SHIFTER;
}

/**
 * A target group's `TargetGroup` metric dimension (`targetgroup/<name>/<id>`) from its ARN
 * (`arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>`); undefined for anything else.
 */
export function targetGroupDimension(arn: string): string | undefined {
  const m = /:(targetgroup\/[^/:]+\/[^/:]+)$/.exec(arn);
  return m?.[1];
}

/**
 * A load balancer's `LoadBalancer` metric dimension (`app/<name>/<id>`) from the ARN of one of its listeners
 * (`arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<listener id>`).
 */
export function loadBalancerOfListener(arn: string): string | undefined {
  const m = /:listener\/(app\/[^/:]+\/[^/:]+)\/[^/:]+$/.exec(arn);
  return m?.[1];
}

/** The runbook outputs of a stack, in the order the stack lists them. */
export function runbookOutputs(stack: StackDescription): Array<{ key: string; value: string; description?: string }> {
  return (stack.Outputs ?? [])
    .filter((o) => /Runbook|Command$|WriterParameterName|DashboardName|StateMachineArn|ControlParameterName/.test(o.OutputKey ?? ''))
    .map((o) => ({ key: o.OutputKey!, value: o.OutputValue ?? '', description: o.Description }));
}
