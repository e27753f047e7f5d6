/**
 * Turns the CloudFormation value of a state machine's `DefinitionString` (an `Fn::Join` of JSON fragments and
 * references) into a plain Amazon States Language document, with placeholders for what only a deployment knows:
 * `Ref` of a resource gives its logical id (alarm names, topic and parameter names become recognisable), `Fn::GetAtt`
 * gives `arn:<partition>:rehearsal:<region>:<account>:<logicalId>/<attribute>`, pseudo parameters get the given
 * region and account.
 */

/** A synthesized CloudFormation template, as JSON. */
export interface CfnTemplate {
  readonly Resources: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
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
