/**
 * Benchmark of the traffic shifters on the reference migrations (rehearsal, virtual clock). Prints figures; asserts
 * nothing (the tests do). Run: npx projen bench
 *
 * For each shifter:
 *   - time to safety with a 10-second gate: the alarm window, the event → change issued (rehearsed), the change →
 *     confirmed (rehearsed read-back), the change → acting on requests (the documented bound, or the model's
 *     assumption where AWS publishes none), and what clients still do after that        goal ≤ 20 s (request level)
 *   - the split a population of clients sees at every step, beside the intended one        goal within 2 pp (datacenter)
 *   - requests reaching the old side after 100 %, with 10 % of clients caching DNS forever  goal 0 (datacenter)
 */
import { App, Stage } from 'aws-cdk-lib';
import { buildOnPremisesMigration } from '../examples/on-premises/app';
import { buildReferenceMigration } from '../examples/reference/app';
import { observePopulation, PopulationResult } from '../src/rehearsal/client-population';
import { DATA_PLANE_SECONDS } from '../src/rehearsal/listener-world';
import { rehearse } from '../src/rehearsal/rehearse';
import { RehearsalResult } from '../src/rehearsal/scenario';

type Row = [string, string, string];
const GATE = 10; // CutoverGate.highResolutionMetric: one 10-second datapoint
const INSYNC = 5;
const INSYNC_BOUND = 60;
const ALIAS_TTL = 60;

function onPremisesTemplate(shifting: 'dns' | 'load-balancer'): any {
  const app = new App({ outdir: `cdk.out/bench-shifting-${shifting}` });
  const { production } = buildOnPremisesMigration(app, undefined, shifting);
  app.synth();
  return Stage.of(production)!.synth().getStackByName(production.stackName).template;
}

function populationRows(label: string, r: RehearsalResult, p: PopulationResult, goal: boolean): Row[] {
  const forward = p.steps.slice(0, 4);
  const worst = Math.max(...forward.map((s) => Math.abs(s.observed - s.intended)));
  return [
    ...forward.map((s, i): Row => [`${label}: step ${i + 1} split, intended → observed (target %)`, `${s.intended} → ${s.observed}`, '']),
    [`${label}: worst step, |observed − intended|`, `${worst.toFixed(1)} pp`, goal ? '≤ 2 pp' : ''],
    [`${label}: requests to the old side after 100 % (10 % of clients cache DNS forever)`, `${p.sourceRequestsAfterFull} (${p.sourceRequestsAfterFullFromForeverCachers} from them)`, goal ? '0' : ''],
    [`${label}: rehearsal`, `${r.status}, ${r.weightChanges.length} changes`, ''],
  ];
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const shifting of ['dns', 'load-balancer'] as const) {
    const template = onPremisesTemplate(shifting);
    const label = `S2 ${shifting === 'dns' ? 'Route 53' : 'load balancer'}`;
    const happy = await rehearse({ template, scenario: { name: 'happy', insyncAfter: INSYNC, dms: { initialStatus: 'running' } } });
    const population = observePopulation(happy.weightChanges, happy.duration);
    rows.push(...populationRows(label, happy, population, shifting === 'load-balancer'));
    // Time to safety: an alarm in step 2 delivered as an event (the alarm-rollback workflow).
    const at = happy.weightChanges[1].t + 150;
    const event = await rehearse({
      template,
      scenario: { name: 'event', insyncAfter: INSYNC, dms: { initialStatus: 'running' }, alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: at }], alarmEvents: [{ at, alarm: 'HealthyHosts' }] },
    });
    const issued = event.rollbackLatency ?? NaN;
    if (shifting === 'dns') {
      rows.push(
        [`${label}: time to safety — alarm window (10 s gate)`, `${GATE} s`, ''],
        [`${label}: time to safety — event → rollback change issued (rehearsed)`, `${issued} s`, ''],
        [`${label}: time to safety — change → INSYNC (rehearsed / Route 53's documented bound, "within 60 seconds")`, `${INSYNC} / ${INSYNC_BOUND} s`, ''],
        [`${label}: time to safety — record TTL (alias to the ALB), then every longer cache`, `${ALIAS_TTL} s`, ''],
        [`${label}: time to safety, total (rehearsed / at the bound)`, `${(GATE + issued + INSYNC + ALIAS_TTL).toFixed(1)} / ${(GATE + issued + INSYNC_BOUND + ALIAS_TTL).toFixed(1)} s`, '≤ 20 s'],
      );
    } else {
      const change = event.weightChanges.find((c) => c.t >= at && c.target === 0);
      const confirmed = 0.1; // the next DescribeListeners, one API latency later, shows it (read-back in the rehearsal)
      const dataPlane = change?.inEffectAt !== undefined ? change.inEffectAt - change.t : DATA_PLANE_SECONDS;
      rows.push(
        [`${label}: time to safety — alarm window (10 s gate)`, `${GATE} s`, ''],
        [`${label}: time to safety — event → ModifyListener issued (rehearsed)`, `${issued} s`, ''],
        [`${label}: time to safety — ModifyListener → DescribeListeners shows it (rehearsed read-back)`, `${confirmed} s`, ''],
        [`${label}: time to safety — change → every node routes by it (no bound published: "a short time"; model)`, `${dataPlane} s`, ''],
        [`${label}: time to safety — DNS and client caches`, '0 s (not in the path)', ''],
        [`${label}: time to safety, total`, `${(GATE + issued + confirmed + dataPlane).toFixed(1)} s`, '≤ 20 s'],
        [`${label}: time to safety, total with the fleet's one-minute alarms (3 × 60 s window)`, `${(180 + issued + confirmed + dataPlane).toFixed(1)} s`, ''],
      );
    }
  }
  rows.push(...(await acceleratorRows()));
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log('\ntraffic shifters (rehearsal, virtual clock; a population of 2,000 clients, 0.2 requests/s each, 10 % caching DNS forever, 300 s pooled connections)\n');
  for (const [name, value, goal] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(14)}  ${goal}`);
}

/** S1 with Global Accelerator shifting: the same figures, with the model's propagation assumption named. */
async function acceleratorRows(): Promise<Row[]> {
  const app = new App({ outdir: 'cdk.out/bench-shifting-ga' });
  const { target } = buildReferenceMigration(app, undefined, 'global-accelerator');
  const template = app.synth().getStackByName(target.stackName).template;
  const label = 'S1 Global Accelerator';
  const deploy = 30; // the model's default: AWS publishes no time for a dial change to act
  const happy = await rehearse({ template, scenario: { name: 'ga happy', accelerator: { deploySeconds: deploy } } });
  const rows = populationRows(label, happy, observePopulation(happy.weightChanges, happy.duration), false);
  const event = await rehearse({
    template,
    scenario: { name: 'ga event', accelerator: { deploySeconds: deploy }, alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 473 }], alarmEvents: [{ at: 473, alarm: 'HealthyHostsAlarm' }] },
  });
  const issued = event.rollbackLatency ?? NaN;
  rows.push(
    [`${label}: time to safety — alarm window (10 s gate)`, `${GATE} s`, ''],
    [`${label}: time to safety — event → both dials changed (rehearsed, two calls through us-west-2)`, `${issued} s`, ''],
    [`${label}: time to safety — dials → acting at the edge (no figure published; model's assumption)`, `${deploy} s`, ''],
    [`${label}: time to safety — open connections to the target`, 'stay until they end', ''],
    [`${label}: time to safety, total for new connections`, `${(GATE + issued + deploy).toFixed(1)} s`, '≤ 20 s'],
    [`${label}: the 20 s goal holds if a dial acts within`, `${(20 - GATE - issued).toFixed(1)} s`, ''],
  );
  return rows;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
