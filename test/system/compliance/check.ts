/**
 * The compliance checks of test/system/compliance over any cloud assembly, for the consumer app's run.sh:
 *
 *   ts-node test/system/compliance/check.ts <cdk.out dir>
 *
 * cfn-lint (no error, no warning outside cfn-lint-allowlist.json), the Control Tower rules (no violation outside
 * control-tower-by-design.json, counted per resource) and the deploy-time pre-flight, over every template under the
 * directory (stage assemblies included). Prints the counts; exits 1 on any finding outside the lists.
 */
import * as fs from 'fs';
import * as path from 'path';
import { controlTowerFindings } from './cfn-guard';
import { runCfnLint } from './cfn-lint';
import { CFN_LINT_ALLOWLIST, CONTROL_TOWER_BY_DESIGN, countsByRule, describe, partition, readList } from './findings';
import { preflight } from './preflight';

function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(path.join(dir, e.name)) : e.name.endsWith('.template.json') ? [path.join(dir, e.name)] : [],
  ).sort();
}

function regionOf(file: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(file), 'manifest.json'), 'utf-8'));
  const artifact = Object.values<any>(manifest.artifacts ?? {}).find((a) => a.properties?.templateFile === path.basename(file));
  return /^aws:\/\/[^/]+\/([a-z0-9-]+)$/.exec(artifact?.environment ?? '')?.[1] ?? 'us-east-1';
}

const [dir] = process.argv.slice(2);
if (!dir || !fs.existsSync(dir)) {
  console.error('usage: check.ts <cdk.out dir>');
  process.exit(2);
}
const files = templates(dir);
if (files.length === 0) {
  console.error(`${dir}: no template`);
  process.exit(2);
}
const names = files.map((f) => path.relative(dir, f));
const problems: string[] = [];

const lint = runCfnLint(files, names);
const lintUnlisted = partition(lint.warnings, readList(CFN_LINT_ALLOWLIST)).unlisted;
console.log(`cfn-lint: ${lint.errors.length} errors, ${lint.warnings.length} warnings (${countsByRule(lint.warnings)}), ${lintUnlisted.length} outside the allow-list`);
problems.push(...lint.errors.map(describe), ...lintUnlisted.map(describe));

// The consumer app's own construct paths are not the example apps': an entry may cover nothing here.
const ct = controlTowerFindings(files, names, process.cwd());
const ctUnlisted = partition(ct, readList(CONTROL_TOWER_BY_DESIGN)).unlisted;
console.log(`Control Tower: ${ct.length} violations (${countsByRule(ct)}), ${ct.length - ctUnlisted.length} by design, ${ctUnlisted.length} outside the by-design list`);
problems.push(...ctUnlisted.map(describe));

const pre = preflight(files.map((f, i) => ({ name: names[i], app: 'app', region: regionOf(f), template: JSON.parse(fs.readFileSync(f, 'utf-8')) })));
console.log(`pre-flight: ${pre.length} findings`);
problems.push(...pre.map(describe));

if (problems.length > 0) {
  console.error(`\n${problems.length} finding(s) outside the documented lists:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
