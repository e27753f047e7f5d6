#!/usr/bin/env node
/**
 * payment-migration-rehearse <template.json> [scenario|scenario.json ...] [--json]
 *
 * Rehearses the MigrationOrchestrator in a synthesized template (e.g. cdk.out/MyStack.template.json) against the
 * named standard scenarios (default: happy-path alarm-poll alarm-event) or scenario files, on a virtual clock, and
 * prints each timeline. Exits 1 when a rehearsal ends with traffic split (neither 100/0 nor 0/100), or not as its
 * scenario expects.
 */
import { readFileSync } from 'fs';
import { rehearse } from './rehearse';
import { Scenario } from './scenario';
import { STANDARD_SCENARIOS } from './standard-scenarios';
import { formatTimeline } from './timeline';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const args = argv.filter((a) => a !== '--json');
  const [templatePath, ...names] = args;
  if (!templatePath || templatePath === '--help') {
    process.stderr.write(`usage: payment-migration-rehearse <template.json> [${Object.keys(STANDARD_SCENARIOS).join('|')}|file.json ...] [--json]\n`);
    return 2;
  }
  const template = JSON.parse(readFileSync(templatePath, 'utf-8'));
  let split = false;
  for (const name of names.length ? names : ['happy-path', 'alarm-poll', 'alarm-event']) {
    const scenario: Scenario = STANDARD_SCENARIOS[name] ?? JSON.parse(readFileSync(name, 'utf-8'));
    const result = await rehearse({ template, scenario });
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${formatTimeline(result)}\n\n`);
    const { source, target } = result.finalWeights;
    if (!((source === 100 && target === 0) || (source === 0 && target === 100))) {
      process.stderr.write(`✗ ${scenario.name}: traffic left split ${source}/${target}\n`);
      split = true;
    }
    const writer = result.writerChanges.map((c) => c.value).join(' → ') || '(unchanged)';
    const expectedWriter = scenario.expect?.writer ? scenario.expect.writer.join(' → ') || '(unchanged)' : undefined;
    const database = result.databaseWriterChanges.map((c) => c.writer).join(' → ');
    const expectedDatabase = scenario.expect?.databaseWriter?.join(' → ');
    const unexpected = scenario.expect &&
      (scenario.expect.status !== result.status || scenario.expect.finalTargetWeight !== target || (expectedWriter && expectedWriter !== writer) ||
        (expectedDatabase !== undefined && expectedDatabase !== database) || result.dataProblems.length > 0);
    if (scenario.expect && unexpected) {
      process.stderr.write(
        `✗ ${scenario.name}: expected ${scenario.expect.status} at target ${scenario.expect.finalTargetWeight}` +
          `${expectedWriter ? `, writer ${expectedWriter}` : ''}${expectedDatabase !== undefined ? `, Aurora writer ${expectedDatabase}` : ''}, ` +
          `got ${result.status} at ${target}${expectedWriter ? `, writer ${writer}` : ''}${expectedDatabase !== undefined ? `, Aurora writer ${database}` : ''}` +
          `${result.dataProblems.length > 0 ? `; data problems: ${result.dataProblems.join('; ')}` : ''}\n`,
      );
      split = true;
    } else if (scenario.expect) {
      process.stdout.write(`✓ ${scenario.name}: ${result.status}, target weight ${target}${expectedWriter ? `, writer SOURCE → ${writer}` : ''}, as expected\n\n`);
    }
  }
  return split ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
