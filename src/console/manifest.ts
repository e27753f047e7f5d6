import {
  ConsoleManifest, CONSOLE_MANIFEST_OUTPUT, CONSOLE_MANIFEST_VERSION, DNS_SHIFTER, MANIFEST_DEFAULTS, REQUIRED_MANIFEST_KEYS,
  ShifterManifest, SideManifest,
} from '../private/console-manifest';
import { ConsoleError, EXIT } from '../private/exit-codes';

// The manifest's types, name, version and defaults are the library's (src/private/console-manifest.ts): one contract.
export { CONSOLE_MANIFEST_OUTPUT, CONSOLE_MANIFEST_VERSION, DNS_SHIFTER };
export type { ConsoleManifest, ShifterManifest, SideManifest };

/** The shifter's name in the console's JSON (`status --json`): the library's `TrafficShiftingKind` values. */
export type ShifterName = 'dns' | 'load-balancer' | 'global-accelerator';

const SHIFTER_NAMES: Record<ShifterManifest['k'], ShifterName> = { dns: 'dns', lb: 'load-balancer', ga: 'global-accelerator' };

/** The shifter of a manifest (DNS when it names none). */
export function shifterOf(manifest: Pick<ConsoleManifest, 'sh'>): ShifterManifest {
  return manifest.sh ?? MANIFEST_DEFAULTS.sh;
}

/** The shifter's name, as `status --json` gives it. */
export function shifterName(shifter: ShifterManifest): ShifterName {
  return SHIFTER_NAMES[shifter.k];
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
  const out = outputs.find((o) => o.OutputKey === CONSOLE_MANIFEST_OUTPUT || new RegExp(`${CONSOLE_MANIFEST_OUTPUT}([0-9A-F]{8})?$`).test(o.OutputKey ?? ''));
  if (!out?.OutputValue) {
    const runbook = outputs.some((o) => /Runbook/.test(o.OutputKey ?? ''));
    throw new ConsoleError(
      `Stack ${stackName} has no ${CONSOLE_MANIFEST_OUTPUT} output: it is not a migration target stack` +
        (runbook ? ' deployed with this version of cdk-payment-migration (it has runbook outputs: redeploy it with the current library)' : ' (pass the stack that holds the cutover, e.g. --stack PaymentTarget)') +
        (stack.StackStatus && !/COMPLETE$/.test(stack.StackStatus) ? `; its status is ${stack.StackStatus}` : ''),
      EXIT.AWS_ERROR,
    );
  }
  let parsed: any;
  try {
    parsed = JSON.parse(out.OutputValue);
  } catch {
    throw new ConsoleError(`The ${CONSOLE_MANIFEST_OUTPUT} output of ${stackName} is not JSON: redeploy the stack with the current library`, EXIT.AWS_ERROR);
  }
  return parseManifest(parsed, `The ${CONSOLE_MANIFEST_OUTPUT} of ${stackName}`);
}

/**
 * A parsed manifest document, checked against the contract: any version up to {@link CONSOLE_MANIFEST_VERSION}
 * (keys an older library did not write get {@link MANIFEST_DEFAULTS}); a newer version is refused with what to do.
 * `where` names the output in messages.
 */
export function parseManifest(parsed: any, where: string): ConsoleManifest {
  if (typeof parsed?.v !== 'number' || !Number.isInteger(parsed.v) || parsed.v < 1) {
    throw new ConsoleError(`${where} has no format version (v: ${JSON.stringify(parsed?.v)}): redeploy the stack with the current library`, EXIT.AWS_ERROR);
  }
  if (parsed.v > CONSOLE_MANIFEST_VERSION) {
    throw new ConsoleError(`${where} has version ${parsed.v}; this console reads up to ${CONSOLE_MANIFEST_VERSION}: upgrade cdk-payment-migration`, EXIT.AWS_ERROR);
  }
  const missing = REQUIRED_MANIFEST_KEYS.filter((k) => parsed[k] === undefined);
  if (missing.length > 0) {
    throw new ConsoleError(`${where} lacks ${missing.join(', ')}: redeploy the stack with the current library`, EXIT.AWS_ERROR);
  }
  return { ...parsed, alarms: parsed.alarms ?? [...MANIFEST_DEFAULTS.alarms], sh: parseShifter(parsed.sh, where) };
}

/**
 * The manifest's `sh`, checked: a kind this console does not know, or one without the ARNs it reads, would make the
 * live view misstate where traffic goes, so it is refused with what to do.
 */
function parseShifter(sh: any, where: string): ShifterManifest {
  if (sh === undefined) return MANIFEST_DEFAULTS.sh;
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
