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
  return { alarms: [], ...parsed };
}

/** The runbook outputs of a stack, in the order the stack lists them. */
export function runbookOutputs(stack: StackDescription): Array<{ key: string; value: string; description?: string }> {
  return (stack.Outputs ?? [])
    .filter((o) => /Runbook|Command$|WriterParameterName|DashboardName|StateMachineArn|ControlParameterName/.test(o.OutputKey ?? ''))
    .map((o) => ({ key: o.OutputKey!, value: o.OutputValue ?? '', description: o.Description }));
}
