/**
 * Prints what `cdk synth` wrote for a reference migration (resources, size, outputs, stage assemblies included) and
 * runs the AwsSolutions, PCI DSS 3.2.1 and NIST 800-53 r5 packs over the same app. Exits non-zero on any
 * unacknowledged finding.
 *
 *   ts-node examples/report.ts reference cdk.out/reference
 *   ts-node examples/report.ts on-premises cdk.out/on-premises
 *
 * (cdk-nag v3 attaches to an app as a synth-time plugin only from aws-cdk-lib 2.258; this library pins 2.257 for
 * integ-runner, so the packs run here through `validateScope`, over the very code the CLI synthesized. The consumer
 * example runs them as plugins.)
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { buildOnPremisesMigration } from './on-premises/app';
import { buildReferenceMigration } from './reference/app';

const [which = 'reference', outdir = `cdk.out/${which}`] = process.argv.slice(2);
const builders: Record<string, (app: App) => Stack[]> = {
  'reference': (app) => Object.values(buildReferenceMigration(app)),
  'on-premises': (app) => buildOnPremisesMigration(app).stacks,
  'on-premises-lb': (app) => buildOnPremisesMigration(app, undefined, 'load-balancer').stacks,
};
if (!builders[which]) {
  console.error(`usage: report.ts <${Object.keys(builders).join('|')}> [cdk.out dir]`);
  process.exit(2);
}

/** Every template under `dir`, stage assemblies included. */
function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.template.json') ? [join(dir, e.name)] : [],
  ).sort();
}

for (const path of templates(outdir)) {
  const template = JSON.parse(readFileSync(path, 'utf-8'));
  const resources = Object.values<{ Type: string }>(template.Resources ?? {});
  const types = new Map<string, number>();
  for (const r of resources) types.set(r.Type, (types.get(r.Type) ?? 0) + 1);
  console.log(`\n${path.slice(outdir.length + 1)}: ${resources.length} resources, ${(statSync(path).size / 1024).toFixed(1)} kB`);
  console.log(`  ${[...types.entries()].sort().map(([type, n]) => `${n} ${type.replace('AWS::', '')}`).join(', ')}`);
  for (const [name, o] of Object.entries<{ Description?: string }>(template.Outputs ?? {})) {
    console.log(`  output ${name}: ${o.Description ?? ''}`);
  }
}

const stacks = builders[which](new App({ outdir: join(outdir, '..', `${which}-nag`) }));
let total = 0;
console.log('\ncdk-nag (unacknowledged findings):');
for (const stack of stacks) {
  for (const pack of [new AwsSolutionsChecks(), new PCIDSS321Checks(), new NIST80053R5Checks()]) {
    const violations = pack.validateScope(stack).violations;
    const count = violations.reduce((n, v) => n + v.violatingResources.length, 0);
    total += count;
    console.log(`  ${stack.stackName.padEnd(30)} ${pack.readPackName.padEnd(16)} ${count}`);
    for (const v of violations) for (const r of v.violatingResources) console.log(`    ${v.ruleName} ${r.constructPath}`);
  }
}
if (total > 0) {
  console.error(`\n${total} unacknowledged cdk-nag finding(s)`);
  process.exit(1);
}
console.log(`\n${which} migration synthesized; zero unacknowledged findings. Rehearsing its cutover…\n`);
