#!/usr/bin/env node
/**
 * payment-migration-rehearse <template.json> [scenario|scenario.json ...] [--json]
 *
 * The rehearsal command of src/rehearsal/run-rehearsals.ts, as its own bin (`payment-migration rehearse` is the same
 * command in the console, with the HTML report): rehearses the MigrationOrchestrator in a synthesized template (e.g.
 * cdk.out/MyStack.template.json) against the named standard scenarios (default: happy-path alarm-poll alarm-event; on
 * the DMS path the dms-* scenarios) or scenario files, on a virtual clock, and prints each timeline. Exits 1 when a
 * rehearsal ends with traffic split (neither 100/0 nor 0/100), or not as its scenario expects; 2 on bad arguments.
 */
import { rehearseUsage, RehearsalUsageError, REHEARSAL_EXIT, runRehearsals } from './run-rehearsals';

async function main(argv: string[]): Promise<number> {
  const usage = rehearseUsage('payment-migration-rehearse');
  const positional = argv.filter((a) => a !== '--json');
  if (positional[0] === '--help' || positional[0] === '-h') {
    process.stderr.write(`usage: ${usage}\n`);
    return REHEARSAL_EXIT.USAGE;
  }
  const out = (t: string) => process.stdout.write(t);
  const err = (t: string) => process.stderr.write(t);
  return (await runRehearsals({ positional, json: argv.includes('--json'), usage, out, err })).code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof RehearsalUsageError ? '' : 'Unexpected error: '}${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(REHEARSAL_EXIT.USAGE);
  },
);
