/**
 * A deploy-time pre-flight: what CloudFormation checks before it creates any resource of a stack, applied to
 * synthesized templates.
 *
 * (a) SSM-typed template parameters (`AWS::SSM::Parameter::Value<…>`) are resolved before any resource is created:
 *     each must have a default naming a parameter that exists before the stack — never one that the same stack, or
 *     another stack of the same app, creates (an `AWS::SSM::Parameter` `Name`, or the `putParameter` call of an
 *     `AwsCustomResource`, as the create-only writer parameter does).
 * (b) Every `Fn::GetAtt` names a resource of the template and an attribute its type has: the `readOnlyProperties`
 *     of the resource schemas bundled with cfn-lint, plus the top-level properties of the older types whose GetAtt
 *     also returns properties (e.g. `AWS::EC2::VPC.CidrBlock`; cfn-lint lists them in `cfnlint/schema/_getatts.py`);
 *     custom resources accept any attribute.
 * (c) No template parameter other than the ones CDK adds: `BootstrapVersion`, asset parameters, and SSM-typed ones
 *     (checked by (a)); every parameter has a default (`cdk deploy` passes none).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Finding, pathOf, TemplateLike } from './findings';

/** One template to check, with the app it belongs to and its region. */
export interface PreflightTemplate {
  /** The name in findings. */
  readonly name: string;
  /** Templates with the same `app` are deployed together (names created by any of them count for (a)). */
  readonly app: string;
  /** The stack's region (selects the resource schemas), e.g. `eu-west-1`. */
  readonly region: string;
  readonly template: TemplateLike & { Outputs?: Record<string, unknown>; Conditions?: Record<string, unknown> };
}

const SSM_TYPE = /^AWS::SSM::Parameter::Value<.+>$/;

/** The SSM parameter names a template creates: literal `Name`s of AWS::SSM::Parameter, and AwsCustomResource putParameter calls. */
export function createdParameterNames(template: TemplateLike): Map<string, string> {
  const names = new Map<string, string>(); // name → logical id of the creator
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    if (r.Type === 'AWS::SSM::Parameter' && typeof r.Properties?.Name === 'string') names.set(r.Properties.Name, id);
    if (r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource') {
      for (const key of ['Create', 'Update']) {
        const raw = r.Properties?.[key];
        if (typeof raw !== 'string') continue;
        let call: any;
        try {
          call = JSON.parse(raw);
        } catch {
          continue;
        }
        if (/^(SSM|@aws-sdk\/client-ssm)$/i.test(String(call?.service)) && /^putParameter$/i.test(String(call?.action)) && typeof call?.parameters?.Name === 'string') {
          names.set(call.parameters.Name, id);
        }
      }
    }
  }
  return names;
}

/** (a) and (c): the template parameters. */
export function checkParameters(t: PreflightTemplate, createdInApp: Map<string, { template: string; logicalId: string }>): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: string, param: string, message: string) => findings.push({
    rule, template: t.name, logicalId: param, type: 'Parameter', constructPath: `Parameters/${param}`, location: `Parameters/${param}`, message,
  });
  for (const [name, p] of Object.entries(t.template.Parameters ?? {})) {
    const isSsm = SSM_TYPE.test(p.Type);
    const cdkAdded = name === 'BootstrapVersion' || /^AssetParameters/.test(name) || isSsm;
    if (!cdkAdded) add('PREFLIGHT-PARAMETER', name, `template parameter ${name} (${p.Type}) is not one CDK adds: a deploy would need a value for it`);
    if (p.Default === undefined) add('PREFLIGHT-PARAMETER', name, `template parameter ${name} has no default: \`cdk deploy\` passes none`);
    if (isSsm && typeof p.Default === 'string') {
      const creator = createdInApp.get(p.Default);
      if (creator) {
        add('PREFLIGHT-SSM', name,
          `SSM-typed template parameter ${name} (${p.Type}) names ${p.Default}, which ${creator.template === t.name ? 'this stack' : `stack ${creator.template}`} ` +
          `creates (resource ${creator.logicalId}); CloudFormation resolves the parameter before creating any resource, so the first deploy fails`);
      }
    }
  }
  return findings;
}

/** Every Fn::GetAtt under `node`, with its JSON path. */
function getAtts(node: unknown, at: string, out: { at: string; resource: string; attribute: string }[]): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => getAtts(n, `${at}/${i}`, out));
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'Fn::GetAtt') {
        if (Array.isArray(v) && typeof v[0] === 'string') out.push({ at, resource: v[0], attribute: typeof v[1] === 'string' ? v[1] : JSON.stringify(v[1]) });
        else if (typeof v === 'string' && v.includes('.')) out.push({ at, resource: v.slice(0, v.indexOf('.')), attribute: v.slice(v.indexOf('.') + 1) });
        else out.push({ at, resource: JSON.stringify(v), attribute: '' });
      } else {
        getAtts(v, `${at}/${k}`, out);
      }
    }
  }
}

/** The GetAtt attributes of each resource type, from cfn-lint's bundled resource schemas for a region. */
export class ResourceSchemas {
  /** The `cfnlint` package directory of the Python that runs `cfn-lint`. */
  public static locateCfnLint(): string {
    const out = execFileSync('python3', ['-c', 'import cfnlint, os; print(os.path.dirname(cfnlint.__file__))'], { encoding: 'utf-8' });
    return out.trim();
  }

  private readonly dir: string;
  private readonly providers = new Map<string, Map<string, string>>();
  private readonly attributes = new Map<string, Set<string> | undefined>();
  /** Types whose Fn::GetAtt also returns their properties. */
  private readonly propertyAttributeTypes: Set<string>;

  constructor(cfnlintDir: string = ResourceSchemas.locateCfnLint()) {
    this.dir = path.join(cfnlintDir, 'data', 'schemas');
    if (!fs.existsSync(path.join(this.dir, 'resources'))) throw new Error(`no resource schemas under ${this.dir}`);
    const getatts = fs.readFileSync(path.join(cfnlintDir, 'schema', '_getatts.py'), 'utf-8');
    const list = /_all_property_types\s*=\s*\[([^\]]*)\]/.exec(getatts)?.[1];
    if (!list) throw new Error(`${cfnlintDir}/schema/_getatts.py: no _all_property_types list`);
    this.propertyAttributeTypes = new Set([...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]));
  }

  /** The attributes `type` has in `region`, or undefined if the region's provider list has no such type. */
  attributesOf(type: string, region: string): Set<string> | undefined {
    const key = `${region}\u0000${type}`;
    if (!this.attributes.has(key)) {
      const hash = this.provider(region).get(type);
      let attrs: Set<string> | undefined;
      if (hash) {
        const schema = JSON.parse(fs.readFileSync(path.join(this.dir, 'resources', `${hash}.json`), 'utf-8'));
        attrs = new Set<string>((schema.readOnlyProperties ?? []).map((p: string) => p.replace(/^\/properties\//, '').replace(/\//g, '.')));
        if (this.propertyAttributeTypes.has(type)) Object.keys(schema.properties ?? {}).forEach((p) => attrs!.add(p));
      }
      this.attributes.set(key, attrs);
    }
    return this.attributes.get(key);
  }

  private provider(region: string): Map<string, string> {
    if (!this.providers.has(region)) {
      // cfn-lint 1.x: providers/<region_with_underscores>.py maps each type to its schema file in resources/.
      const file = path.join(this.dir, 'providers', `${region.replace(/-/g, '_')}.py`);
      const map = new Map<string, string>();
      for (const m of fs.readFileSync(file, 'utf-8').matchAll(/"([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)":\s*"([0-9a-f]+)"/g)) map.set(m[1], m[2]);
      if (map.size === 0) throw new Error(`${file}: no resource types`);
      this.providers.set(region, map);
    }
    return this.providers.get(region)!;
  }
}

/** (b): every Fn::GetAtt of the template. */
export function checkGetAtts(t: PreflightTemplate, schemas: ResourceSchemas): Finding[] {
  const refs: { at: string; resource: string; attribute: string }[] = [];
  for (const section of ['Resources', 'Outputs', 'Conditions'] as const) getAtts(t.template[section], section, refs);
  const findings: Finding[] = [];
  for (const ref of refs) {
    const [, owner] = ref.at.split('/');
    const add = (message: string) => findings.push({
      rule: 'PREFLIGHT-GETATT',
      template: t.name,
      logicalId: owner,
      type: t.template.Resources?.[owner]?.Type ?? '',
      constructPath: ref.at.startsWith('Resources/') ? pathOf(t.template, owner) : ref.at,
      location: ref.at,
      message,
    });
    const target = t.template.Resources?.[ref.resource];
    if (!target) {
      add(`Fn::GetAtt names ${ref.resource}, which is not a resource of the template`);
      continue;
    }
    if (target.Type.startsWith('Custom::') || target.Type === 'AWS::CloudFormation::CustomResource') continue;
    const attrs = schemas.attributesOf(target.Type, t.region);
    if (!attrs) add(`Fn::GetAtt ${ref.resource}.${ref.attribute}: resource type ${target.Type} has no schema in ${t.region}`);
    else if (!attrs.has(ref.attribute)) add(`Fn::GetAtt ${ref.resource}.${ref.attribute}: ${target.Type} has no attribute ${ref.attribute} (it has: ${[...attrs].sort().join(', ') || 'none'})`);
  }
  return findings;
}

/** Every pre-flight finding over `templates`. */
export function preflight(templates: PreflightTemplate[], schemas: ResourceSchemas = new ResourceSchemas()): Finding[] {
  const createdByApp = new Map<string, Map<string, { template: string; logicalId: string }>>();
  for (const t of templates) {
    const created = createdByApp.get(t.app) ?? new Map();
    for (const [name, logicalId] of createdParameterNames(t.template)) created.set(name, { template: t.name, logicalId });
    createdByApp.set(t.app, created);
  }
  return templates.flatMap((t) => [...checkParameters(t, createdByApp.get(t.app)!), ...checkGetAtts(t, schemas)]);
}
