/**
 * Campaigns of the deterministic simulation (src/rehearsal/simulation.ts) over the real synthesized workflows of both
 * paths: seeds run, seeds per second, invariant violations, and the mix of actors and faults explored. Prints
 * figures; a violation also sets a non-zero exit code and prints the seed, which replays exactly.
 *
 *   npx projen bench                          10,000 seeds per path (part of the benchmark)
 *   npx projen simulate -- --seeds 50000      as many as asked for, from --from (default 1), --path aurora|dms|dms-lb|both
 */
import { campaign } from '../src/rehearsal/simulation-campaign';
import { simulationTemplates } from '../test/simulation/fixtures';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const seeds = Number(arg('seeds', '10000'));
  const from = Number(arg('from', '1'));
  const which = arg('path', 'both');
  const templates = simulationTemplates();
  let violations = 0;
  console.log(`Simulation: the cutover, alarm-rollback and recovery workflows, concurrently, seeds ${from}..${from + seeds - 1}`);
  for (const path of ['aurora', 'dms', 'dms-lb'] as const) {
    if (which !== 'both' && which !== path) continue;
    // the load-balancer path shares the DMS path's workflows but its shift: a tenth of the seeds
    const r = await campaign(templates[path], from, path === 'dms-lb' ? Math.ceil(seeds / 10) : seeds);
    violations += r.failing.length;
    const label = { 'aurora': 'cross-region (Aurora switchover)', 'dms': 'datacenter (DMS writer move)', 'dms-lb': 'datacenter, load-balancer shifting' }[path];
    console.log(`\n${label}`);
    console.log(`  seeds run            ${r.seeds}`);
    console.log(`  seeds per second     ${(r.seeds / r.seconds).toFixed(1)}`);
    console.log(`  violations           ${r.failing.length}`);
    console.log(`  endings              ${Object.entries(r.endings).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log('  actors and faults explored:');
    for (const [what, n] of Object.entries(r.mix).sort((a, b) => b[1] - a[1])) console.log(`    ${what.padEnd(44)} ${n}`);
    for (const f of r.failing.slice(0, 10)) console.log(`  FAILING seed ${f.seed}: ${f.violation}`);
  }
  if (violations > 0) process.exitCode = 1;
}

// Exit once the figures are printed: a call the simulation drops is never answered, so the interpreter's Task
// timeout timer for it (60 s of real time) would keep the process alive a minute after the last seed.
main().then(() => process.exit(process.exitCode ?? 0), (e) => {
  console.error(e);
  process.exit(1);
});
