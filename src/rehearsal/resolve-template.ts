/**
 * Turns the CloudFormation value of a state machine's `DefinitionString` (an `Fn::Join` of JSON fragments and
 * references) into a plain Amazon States Language document, with placeholders for what only a deployment knows:
 * `Ref` of a resource gives its logical id (alarm names, topic and parameter names become recognisable), `Fn::GetAtt`
 * gives `arn:<partition>:rehearsal:<region>:<account>:<logicalId>/<attribute>`, pseudo parameters get the given
 * region and account.
 */

import { WORKFLOW_METADATA_KEY, WorkflowKind } from '../private/workflow-metadata';

/** A synthesized CloudFormation template, as JSON. */
export interface CfnTemplate {
  readonly Resources: Record<string, {
    readonly Type: string;
    readonly Properties?: Record<string, unknown>;
    readonly Metadata?: Record<string, unknown>;
  }>;
}

/** Where the placeholders pretend to be. */
export interface ResolveOptions {
  readonly region?: string;
  readonly account?: string;
}

/** Resolves the CloudFormation intrinsics found in synthesized state machine definitions. */
export function resolveIntrinsics(value: unknown, options: ResolveOptions = {}): unknown {
  const region = options.region ?? 'eu-west-1';
  const account = options.account ?? '111111111111';
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': region,
    'AWS::AccountId': account,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'RehearsalStack',
    'AWS::NoValue': '',
  };
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = obj[k];
      switch (k) {
        case 'Ref':
          return pseudo[arg as string] ?? (arg as string);
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
          return `arn:aws:rehearsal:${region}:${account}:${id}/${attr}`;
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (resolve(parts) as unknown[]).map(String).join(sep);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return (resolve(list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [sep, source] = arg as [string, unknown];
          return String(resolve(source)).split(sep);
        }
        case 'Fn::Sub': {
          const template = Array.isArray(arg) ? (arg[0] as string) : (arg as string);
          const vars = Array.isArray(arg) ? (resolve(arg[1]) as Record<string, string>) : {};
          return template.replace(/\$\{([^}]+)\}/g, (_m, name: string) => vars[name] ?? pseudo[name] ?? name);
        }
        default:
          break;
      }
    }
    return Object.fromEntries(keys.map((key) => [key, resolve(obj[key])]));
  };
  return resolve(value);
}

/** The state machines of a template, by logical id, as parsed ASL documents. */
export function stateMachinesOf(template: CfnTemplate, options: ResolveOptions = {}): Record<string, any> {
  const machines: Record<string, any> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const definition = resource.Properties?.DefinitionString;
    if (definition === undefined) continue;
    machines[id] = JSON.parse(String(resolveIntrinsics(definition, options)));
  }
  return machines;
}

/** One workflow of a MigrationOrchestrator in a template: its logical id and its parsed definition. */
export interface WorkflowMachine {
  readonly logicalId: string;
  readonly asl: any;
}

/**
 * Templates synthesized before the state machines carried {@link WORKFLOW_METADATA_KEY} (e.g.
 * test/simulation/before/*.json) are recognised by the start of their `Comment`, as the rehearsal did then. Only for
 * those: a template with the metadata is read by it alone.
 */
const COMMENT_FALLBACK: Record<WorkflowKind, RegExp> = {
  'cutover': /^Payment migration cutover/,
  'alarm-rollback': /^Rolls a running cutover back/,
  'recovery': /^Recovers a cutover execution/,
  'bake': /^Payment migration bake/,
};

/**
 * The MigrationOrchestrator workflows of a template, found by the CloudFormation metadata the orchestrator puts on
 * each state machine (`cdk-payment-migration:workflow`), or by their `Comment` in templates synthesized before it.
 * The first of each kind (a template holds one orchestrator).
 */
export function workflowMachinesOf(template: CfnTemplate, options: ResolveOptions = {}): Partial<Record<WorkflowKind, WorkflowMachine>> {
  const machines = stateMachinesOf(template, options);
  const marked = (id: string) => template.Resources[id]?.Metadata?.[WORKFLOW_METADATA_KEY] as WorkflowKind | undefined;
  const anyMarked = Object.keys(machines).some((id) => marked(id) !== undefined);
  const found: Partial<Record<WorkflowKind, WorkflowMachine>> = {};
  for (const [logicalId, asl] of Object.entries(machines)) {
    const kind = anyMarked
      ? marked(logicalId)
      : (Object.keys(COMMENT_FALLBACK) as WorkflowKind[]).find((k) => COMMENT_FALLBACK[k].test(asl.Comment ?? ''));
    if (kind && !found[kind]) found[kind] = { logicalId, asl };
  }
  return found;
}
