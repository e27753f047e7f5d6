/**
 * AWS Control Tower proactive controls over synthesized templates: the cfn-guard binary and the 237 Control Tower
 * rule files bundled in `@cdklabs/cdk-validator-cfnguard`, run directly, and every violation counted per
 * (control, template, resource). cfn-guard's own conclusion is never read (it can say PASS while violations remain).
 *
 * No jest here: the consumer app's run.sh uses the same code through `check.ts`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Finding, pathOf, TemplateLike } from './findings';

/** The package root of `@cdklabs/cdk-validator-cfnguard`, resolved from `from` (this repo or the consumer app). */
function packageRoot(from: string = __dirname): string {
  return path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json', { paths: [from] }));
}

/** The bundled Control Tower rules directory (one `ct-<service>-pr-<n>.guard` file per control). */
export function controlTowerRulesDir(from?: string): string {
  return path.join(packageRoot(from), 'rules', 'control-tower', 'cfn-guard');
}

/** The bundled cfn-guard binary for this machine. */
export function cfnGuardBinary(from?: string): string {
  const platform = os.platform() === 'darwin' ? 'macos' : 'ubuntu';
  const arch = os.arch() === 'arm64' ? 'aarch64' : 'x86_64';
  return path.join(packageRoot(from), 'bin', platform, arch, 'cfn-guard');
}

/** Every Control Tower violation over `files` as findings (`names[i]` names `files[i]`), one per (control, template, resource). */
export function controlTowerFindings(files: string[], names: string[] = files, from?: string): Finding[] {
  const templates = new Map<string, TemplateLike>(files.map((f) => [path.resolve(f), JSON.parse(fs.readFileSync(f, 'utf-8'))]));
  const nameOf = new Map(files.map((f, i) => [path.resolve(f), names[i]]));
  return runControlTower(files, from).map((v) => {
    const template = templates.get(path.resolve(v.file))!;
    return {
      rule: v.control,
      template: nameOf.get(path.resolve(v.file))!,
      logicalId: v.logicalId,
      type: template.Resources?.[v.logicalId]?.Type ?? '',
      constructPath: pathOf(template, v.logicalId),
      // The properties involved, e.g. `Properties/KeyPolicy` (the full JSON pointers are in `locations`).
      location: [...new Set(v.locations.map((l) => l.split('/').slice(3, 5).join('/') || l))].join(' '),
      message: v.rule,
    };
  });
}

/** One violated control on one resource of one template. */
export interface GuardViolation {
  /** The Control Tower control id, e.g. `CT.KMS.PR.3`. */
  readonly control: string;
  /** The guard rule name, e.g. `kms_key_policy_deny_create_grant_check` (hypothetical). */
  readonly rule: string;
  /** The template file as given to cfn-guard. */
  readonly file: string;
  /** The resource's logical id (`(template)` for a check that names no resource). */
  readonly logicalId: string;
  /** The properties the failing checks traversed to, e.g. `/Resources/Key/Properties/KeyPolicy`. */
  readonly locations: string[];
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

/** Control id per primary rule name, from the rule files' names (`ct-s3-pr-4.guard` → `CT.S3.PR.4`). */
export function controlsByRule(rulesDir: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const file of filesUnder(rulesDir).filter((f) => f.endsWith('.guard'))) {
    // ct-network-firewall-pr-1 → CT.NETWORK-FIREWALL.PR.1
    const m = /^ct-([a-z0-9-]+)-pr-(\d+)$/.exec(path.basename(file, '.guard'));
    if (!m) throw new Error(`${file}: not a Control Tower rule file name`);
    const control = `CT.${m[1].toUpperCase()}.PR.${m[2]}`;
    const text = fs.readFileSync(file, 'utf-8');
    const id = /Rule (?:Identifier|Name):\s*\n#\s*(\S+)/.exec(text)?.[1] ?? /^rule (\w+) when/m.exec(text)?.[1];
    if (!id) throw new Error(`${file}: no rule name`);
    if (map.has(id) && map.get(id) !== control) throw new Error(`rule ${id} is in two controls: ${map.get(id)} and ${control}`);
    map.set(id, control);
  }
  return map;
}

/** The resource types each control reports on, from the rule files' `Reports on:` headers. */
export function reportedTypesByControl(rulesDir: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const file of filesUnder(rulesDir).filter((f) => f.endsWith('.guard'))) {
    const m = /^ct-([a-z0-9-]+)-pr-(\d+)$/.exec(path.basename(file, '.guard'));
    const types = /Reports on:\s*\n#\s*([^\n]+)/.exec(fs.readFileSync(file, 'utf-8'))?.[1];
    if (m && types) map.set(`CT.${m[1].toUpperCase()}.PR.${m[2]}`, types.split(',').map((t) => t.trim()).filter((t) => t.includes('::')));
  }
  return map;
}

/** Every `path` under a guard result tree (the JSON pointers the checks traversed to), and every `[CT.…]` tag. */
function walk(node: unknown, paths: Set<string>, tags: Set<string>): void {
  if (Array.isArray(node)) {
    node.forEach((n) => walk(n, paths, tags));
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'path' && typeof v === 'string') paths.add(v);
      else if (k === 'custom_message' && typeof v === 'string') for (const m of v.matchAll(/\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]/g)) tags.add(m[1]);
      else walk(v, paths, tags);
    }
  }
}

/**
 * Parses cfn-guard's `--output-format json --structured` output: one entry per template, `not_compliant` a list of
 * rule results (each `{ Rule: { name, checks } }` or a bare clause). Returns one violation per (control, template,
 * resource), whatever the template's `status` says.
 */
export function parseGuardOutput(output: unknown, controls: Map<string, string>): GuardViolation[] {
  if (!Array.isArray(output)) throw new Error(`cfn-guard output is not a list: ${JSON.stringify(output).slice(0, 200)}`);
  const byKey = new Map<string, { control: string; rule: string; file: string; logicalId: string; locations: Set<string> }>();
  for (const fileResult of output) {
    const file: string = fileResult.name;
    for (const entry of fileResult.not_compliant ?? []) {
      const rule: string = entry.Rule?.name ?? entry.Clause?.name ?? '(unnamed)';
      const paths = new Set<string>();
      const tags = new Set<string>();
      walk(entry, paths, tags);
      const control = controls.get(rule) ?? [...tags][0];
      if (!control) throw new Error(`${file}: cfn-guard rule ${rule} maps to no Control Tower control`);
      const resources = new Map<string, Set<string>>();
      for (const p of paths) {
        const id = /^\/Resources\/([^/[]+)/.exec(p)?.[1];
        if (!id) continue;
        if (!resources.has(id)) resources.set(id, new Set());
        resources.get(id)!.add(p.replace(/\[L:\d+,C:\d+\]/g, ''));
      }
      if (resources.size === 0) resources.set('(template)', new Set(paths));
      for (const [logicalId, locations] of resources) {
        const key = `${control}\u0000${file}\u0000${logicalId}`;
        const existing = byKey.get(key);
        if (existing) locations.forEach((l) => existing.locations.add(l));
        else byKey.set(key, { control, rule, file, logicalId, locations });
      }
    }
  }
  return [...byKey.values()]
    .map((v) => ({ ...v, locations: [...v.locations].sort() }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.control.localeCompare(b.control, 'en', { numeric: true }) || a.logicalId.localeCompare(b.logicalId));
}

/**
 * Runs every bundled Control Tower rule over `templates` with the bundled binary and returns every violation.
 * cfn-guard exits 19 when a rule fails and 0 when none does; anything else (or unparsable output) throws.
 */
export function runControlTower(templates: string[], from?: string): GuardViolation[] {
  if (templates.length === 0) throw new Error('runControlTower: no template given');
  const rulesDir = controlTowerRulesDir(from);
  const args = ['validate', '--rules', rulesDir, ...templates.flatMap((t) => ['--data', t]),
    '--output-format', 'json', '--show-summary', 'none', '--structured'];
  let stdout: string;
  try {
    stdout = execFileSync(cfnGuardBinary(from), args, { encoding: 'utf-8', maxBuffer: 512 * 1024 * 1024 });
  } catch (e: any) {
    if (e.status !== 19 || typeof e.stdout !== 'string') throw new Error(`cfn-guard failed (exit ${e.status}): ${e.stderr ?? e.message}`);
    stdout = e.stdout;
  }
  const output = JSON.parse(stdout);
  const names = new Set(output.map((o: { name: string }) => path.resolve(o.name)));
  for (const t of templates) if (!names.has(path.resolve(t))) throw new Error(`cfn-guard reported nothing for ${t}`);
  return parseGuardOutput(output, controlsByRule(rulesDir));
}
