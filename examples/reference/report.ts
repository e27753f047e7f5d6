/**
 * Prints what `cdk synth` wrote for the reference migration (resources, size, outputs) and runs the AwsSolutions,
 * PCI DSS 3.2.1 and NIST 800-53 r5 packs over the same app. Exits non-zero on any unacknowledged finding.
 *
 * (cdk-nag v3 attaches to an app as a synth-time plugin only from aws-cdk-lib 2.258; this library pins 2.257 for
 * integ-runner, so the packs run here through `validateScope`, over the very code the CLI synthesized.)
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { buildReferenceMigration } from './app';

const outdir = process.argv[2] ?? 'cdk.out/reference';

for (const file of readdirSync(outdir).filter((f) => f.endsWith('.template.json')).sort()) {
  const path = join(outdir, file);
  const template = JSON.parse(readFileSync(path, 'utf-8'));
  const resources = Object.values<{ Type: string }>(template.Resources ?? {});
  const types = new Map<string, number>();
  for (const r of resources) types.set(r.Type, (types.get(r.Type) ?? 0) + 1);
  console.log(`\n${file}: ${resources.length} resources, ${(statSync(path).size / 1024).toFixed(1)} kB`);
  console.log(`  ${[...types.entries()].sort().map(([type, n]) => `${n} ${type.replace('AWS::', '')}`).join(', ')}`);
  for (const [name, o] of Object.entries<{ Description?: string }>(template.Outputs ?? {})) {
    console.log(`  output ${name}: ${o.Description ?? ''}`);
  }
}

const { source, target } = buildReferenceMigration(new App({ outdir: join(outdir, '..', 'reference-nag') }));
let total = 0;
console.log('\ncdk-nag (unacknowledged findings):');
for (const stack of [source, target]) {
  for (const pack of [new AwsSolutionsChecks(), new PCIDSS321Checks(), new NIST80053R5Checks()]) {
    const violations = pack.validateScope(stack).violations;
    const count = violations.reduce((n, v) => n + v.violatingResources.length, 0);
    total += count;
    console.log(`  ${stack.stackName.padEnd(14)} ${pack.readPackName.padEnd(16)} ${count}`);
    for (const v of violations) for (const r of v.violatingResources) console.log(`    ${v.ruleName} ${r.constructPath}`);
  }
}
if (total > 0) {
  console.error(`\n${total} unacknowledged cdk-nag finding(s)`);
  process.exit(1);
}
console.log('\nReference migration synthesized; zero unacknowledged findings. Rehearsing its cutover…\n');
