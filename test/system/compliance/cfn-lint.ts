/**
 * cfn-lint (the CloudFormation resource schemas' linter, on every machine of this kind: see TOOLCHAIN.md) over
 * synthesized templates: `cfn-lint -f json`, every error and warning returned as a finding.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { Finding, pathOf, TemplateLike } from './findings';

/** One entry of `cfn-lint -f json`. */
interface CfnLintMatch {
  readonly Filename: string;
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Location: { readonly Path: (string | number)[] };
  readonly Message: string;
  readonly Rule: { readonly Id: string };
}

/** Runs cfn-lint over `files` (`names[i]` names `files[i]` in findings). Exit codes 0/2/4/6/8 are results; anything else throws. */
export function runCfnLint(files: string[], names: string[] = files): { errors: Finding[]; warnings: Finding[]; informational: Finding[] } {
  if (files.length === 0) throw new Error('runCfnLint: no template given');
  let stdout: string;
  try {
    stdout = execFileSync('cfn-lint', ['-f', 'json', '--', ...files], { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  } catch (e: any) {
    if (e.code === 'ENOENT') throw new Error('cfn-lint is not on PATH (it ships with the machine\'s Python 3.11, see TOOLCHAIN.md)');
    // cfn-lint's exit code is a bit field: 2 errors, 4 warnings, 8 informational; 1 is a crash.
    if (typeof e.status !== 'number' || e.status % 2 === 1 || typeof e.stdout !== 'string') {
      throw new Error(`cfn-lint failed (exit ${e.status}): ${e.stderr ?? e.message}`);
    }
    stdout = e.stdout;
  }
  const matches = JSON.parse(stdout) as CfnLintMatch[];
  const templates = new Map<string, TemplateLike>(files.map((f) => [f, JSON.parse(fs.readFileSync(f, 'utf-8'))]));
  const nameOf = new Map(files.map((f, i) => [f, names[i]]));
  const out = { errors: [] as Finding[], warnings: [] as Finding[], informational: [] as Finding[] };
  for (const m of matches) {
    const template = templates.get(m.Filename);
    if (!template) throw new Error(`cfn-lint reported on a file it was not given: ${m.Filename}`);
    const [section, id] = m.Location.Path.map(String);
    const logicalId = id ?? section ?? '';
    const type = section === 'Resources' ? template.Resources?.[logicalId]?.Type ?? '' : section === 'Parameters' ? 'Parameter' : section ?? '';
    const finding: Finding = {
      rule: m.Rule.Id,
      template: nameOf.get(m.Filename)!,
      logicalId,
      type,
      constructPath: section === 'Resources' ? pathOf(template, logicalId) : `${section}/${logicalId}`,
      location: m.Location.Path.join('/'),
      message: m.Message,
    };
    (m.Level === 'Error' ? out.errors : m.Level === 'Warning' ? out.warnings : out.informational).push(finding);
  }
  return out;
}
