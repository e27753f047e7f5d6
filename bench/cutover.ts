/**
 * Benchmark of the reference migration's cutover, on the real synthesized state machine (rehearsal, virtual clock).
 * Prints figures; asserts nothing (the tests do). Run: npx projen bench
 *
 *   - alarm → rollback change issued, event path (EventBridge → alarm-rollback workflow)   goal ≤ 5 s
 *   - alarm → rollback change issued, poll path, worst case over onsets across one poll    goal ≤ poll interval
 *   - cutover duration / Σ configured bakes, with INSYNC at 0 s                             goal ≤ 1.05
 *   - state transitions per cutover (what Step Functions bills)
 *   - synth time, resources and template size of the reference target stack                goals ≤ 250, ≤ 500 kB
 *   - synth time vs a baseline declaring the same resources with plain aws-cdk-lib (`CfnResource`, one per
 *     resource of the synthesized template), median of 5 alternating runs                   goal ≤ 1.3
 *   - S2 (DMS): writes refused per writer move, alarm after the move → writer back          goals ≤ 45 s, ≤ 90 s
 *   - time to safety, both paths: from the onset of a failure to new connections no longer reaching the target —
 *     the gating alarm's evaluation window, the event (rehearsed), the Route 53 change to INSYNC, the record TTL;
 *     with the fleet's one-minute alarms and with a 10-second CutoverGate.highResolutionMetric   goal ≤ 90 s
 */
import { performance } from 'perf_hooks';
import { App, CfnResource, Duration, Stack, Stage } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { buildOnPremisesMigration } from '../examples/on-premises/app';
import { buildReferenceMigration } from '../examples/reference/app';
import { CutoverGate } from '../src';
import { rehearse } from '../src/rehearsal/rehearse';
import { buildFixture, templateOf } from '../test/migration-orchestrator/fixture';

/** Route 53: a change reaches every authoritative server "within 60 seconds" (GetChange → INSYNC). */
const INSYNC_BOUND = 60;
/** Route 53 answers an alias record to a load balancer with the load balancer's TTL: 60 s. */
const ALIAS_TTL = 60;

/**
 * The shortest evaluation window of the alarms on the event path (EventBridge rule) of the cutover in `template`:
 * period × datapoints to alarm, with the alarm's name.
 */
function fastestEventAlarm(template: any): { name: string; seconds: number } {
  const rule = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Events::Rule' && JSON.stringify(r.Properties.EventPattern ?? {}).includes('aws.cloudwatch'));
  const ids = JSON.stringify(rule?.Properties.EventPattern.resources ?? []);
  const windows = Object.entries<any>(template.Resources)
    .filter(([id, r]) => r.Type === 'AWS::CloudWatch::Alarm' && ids.includes(`"${id}"`))
    .map(([id, r]) => {
      const p = r.Properties;
      const period = p.Period ?? Math.max(...(p.Metrics ?? []).map((m: any) => m.MetricStat?.Period ?? 0));
      return { name: id, seconds: period * (p.DatapointsToAlarm ?? p.EvaluationPeriods) };
    });
  return windows.sort((a, b) => a.seconds - b.seconds)[0];
}

/** Time-to-safety lines: alarm window, event → rollback change (rehearsed), INSYNC, TTL; total rehearsed / at bounds. */
function safetyRows(
  label: string, alarm: { name: string; seconds: number }, eventSeconds: number, insyncRehearsed: number,
): Array<[string, string, string]> {
  const rehearsed = alarm.seconds + eventSeconds + insyncRehearsed + ALIAS_TTL;
  const bound = alarm.seconds + eventSeconds + INSYNC_BOUND + ALIAS_TTL;
  return [
    [`${label}: time to safety — alarm evaluation window (${alarm.name})`, `${alarm.seconds} s`, ''],
    [`${label}: time to safety — event → rollback change issued (rehearsed)`, `${eventSeconds} s`, ''],
    [`${label}: time to safety — Route 53 change → INSYNC (rehearsed / documented bound)`, `${insyncRehearsed} / ${INSYNC_BOUND} s`, ''],
    [`${label}: time to safety — record TTL (alias to the ALB)`, `${ALIAS_TTL} s`, ''],
    [`${label}: time to safety, total (INSYNC as rehearsed)`, `${rehearsed.toFixed(1)} s`, '≤ 90 s'],
    [`${label}: time to safety, total (INSYNC at its bound)`, `${bound.toFixed(1)} s`, ''],
  ];
}

const BAKES = 4 * 300;
const POLL = 10;

/** Synth time of the reference migration (both stacks), in ms. */
function synthReference(): number {
  const t = performance.now();
  const app = new App({ outdir: 'cdk.out/bench-ref' });
  buildReferenceMigration(app);
  app.synth();
  return performance.now() - t;
}

/**
 * Synth time of the baseline, in ms: the same resources, declared directly with plain aws-cdk-lib. Each resource of
 * the reference's synthesized templates becomes a `CfnResource` with the same type, properties and dependencies —
 * what a hand-written stack would declare, without the constructs, validation or acknowledgements of the library.
 */
function synthBaseline(templates: Record<string, any>[]): number {
  const t = performance.now();
  const app = new App({ outdir: 'cdk.out/bench-base' });
  templates.forEach((template, i) => {
    const stack = new Stack(app, `Baseline${i}`, { env: { account: '111111111111', region: i === 0 ? 'us-east-1' : 'eu-west-1' } });
    const made = new Map<string, CfnResource>();
    for (const [id, r] of Object.entries<any>(template.Resources)) {
      if (r.Type === 'AWS::CDK::Metadata') continue;
      made.set(id, new CfnResource(stack, id, { type: r.Type, properties: r.Properties }));
    }
    for (const [id, r] of Object.entries<any>(template.Resources)) {
      for (const dep of [r.DependsOn ?? []].flat()) {
        const a = made.get(id);
        const b = made.get(dep);
        if (a && b) a.addDependency(b);
      }
    }
  });
  app.synth();
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  // --- synth
  const t0 = performance.now();
  const app = new App({ outdir: 'cdk.out/bench' });
  const { target } = buildReferenceMigration(app);
  const assembly = app.synth();
  const synthMs = performance.now() - t0;
  const artifact = assembly.getStackByName(target.stackName);
  const template = artifact.template;
  const resources = Object.keys(template.Resources).length;
  const sizeKb = Buffer.byteLength(JSON.stringify(template)) / 1024;
  const source = assembly.stacks.find((st) => st.stackName !== target.stackName)!.template;

  // --- synth time vs the plain aws-cdk-lib baseline (warm: one run of each first)
  synthReference();
  synthBaseline([source, template]);
  const ref: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < 5; i++) {
    ref.push(synthReference());
    base.push(synthBaseline([source, template]));
  }

  // --- happy path
  let w = performance.now();
  const happy = await rehearse({ template, scenario: { name: 'happy', insyncAfter: 0 } });
  const happyMs = performance.now() - w;
  const switchoverAt = happy.timeline.find((e) => e.text.startsWith('SwitchoverGlobalCluster'))?.t ?? happy.duration;

  // --- event path: alarm in the bake of step 2
  const event = await rehearse({
    template,
    scenario: { name: 'event', alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 473 }], alarmEvents: [{ at: 473, alarm: 'HealthyHostsAlarm' }] },
  });

  // --- poll path: the alarm starts at ten instants spread over one poll interval; the worst latency counts
  w = performance.now();
  const latencies: number[] = [];
  for (let i = 0; i < 10; i++) {
    const onset = 470 + (i * POLL) / 10;
    const r = await rehearse({ template, scenario: { name: `poll ${i}`, alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: onset }] } });
    if (r.rollbackLatency !== undefined) latencies.push(r.rollbackLatency);
  }
  const pollMs = (performance.now() - w) / 10;

  const rows: Array<[string, string, string]> = [
    ['alarm → rollback change, event path', `${event.rollbackLatency} s`, '≤ 5 s'],
    ['alarm → rollback change, poll path (worst of 10 onsets)', `${Math.max(...latencies)} s`, `≤ ${POLL} s (poll interval)`],
    ['alarm → rollback change, poll path (best of 10 onsets)', `${Math.min(...latencies)} s`, ''],
    ['cutover time before switchover / Σ bakes (INSYNC at 0 s)', (switchoverAt / BAKES).toFixed(3), '≤ 1.05'],
    ['whole cutover incl. switchover (virtual)', `${happy.duration} s`, ''],
    ['state transitions per cutover (happy path)', String(happy.stateTransitions), ''],
    ['state transitions, event-path rollback (both workflows)', String(event.stateTransitions), ''],
    ['rehearsal wall time, happy path', `${happyMs.toFixed(0)} ms`, ''],
    ['rehearsal wall time, one rollback scenario', `${pollMs.toFixed(0)} ms`, ''],
    ['synth time, reference app (in-process, first run)', `${synthMs.toFixed(0)} ms`, ''],
    ['synth time, reference app (median of 5)', `${median(ref).toFixed(0)} ms`, ''],
    ['synth time, same resources as plain CfnResource (median of 5)', `${median(base).toFixed(0)} ms`, ''],
    ['synth time ratio, reference / plain aws-cdk-lib', (median(ref) / median(base)).toFixed(2), '≤ 1.3'],
    ['resources, PaymentTarget stack', String(resources), '≤ 250'],
    ['template size, PaymentTarget stack', `${sizeKb.toFixed(1)} kB`, '≤ 500 kB'],
  ];
  // --- time to safety, S1: the fleet's alarms (one-minute datapoints), then a 10-second high-resolution gate
  const insync = 5; // seconds: what the rehearsal's INSYNC delay is set to below (a fast, typical change)
  const s1Event = await rehearse({
    template,
    scenario: { name: 'event, insync 5 s', insyncAfter: insync, alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 473 }], alarmEvents: [{ at: 473, alarm: 'HealthyHostsAlarm' }] },
  });
  rows.push(...safetyRows('S1', fastestEventAlarm(template), s1Event.rollbackLatency ?? NaN, insync));
  const fast = highResolutionFixture();
  const fastEvent = await rehearse({
    template: fast,
    scenario: { name: 'fast gate event', insyncAfter: insync, alarms: [{ alarm: 'FailedPayments', state: 'ALARM', from: 473 }], alarmEvents: [{ at: 473, alarm: 'FailedPayments' }] },
  });
  rows.push(...safetyRows('S1 + 10 s gate', fastestEventAlarm(fast), fastEvent.rollbackLatency ?? NaN, insync));
  // --- S1: an alarm in the bake on the new writer: the switch-back (planned, RPO 0), then traffic
  const movedAt = happy.databaseWriterChanges[0]?.t ?? NaN;
  const s1Back = await rehearse({ template, scenario: { name: 'switch-back', alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: movedAt + 120 }] } });
  const s1Source = s1Back.databaseWriterChanges.find((c) => c.writer === 'source')?.t ?? NaN;
  const s1Traffic = s1Back.weightChanges.find((c) => c.t > movedAt + 120 && c.target === 0)?.t ?? NaN;
  rows.push(
    ['S1: alarm in the bake after the switchover → source cluster writes again (switch-back, 60 s in the mock)', `${(s1Source - movedAt - 120).toFixed(1)} s`, ''],
    ['S1: alarm in the bake after the switchover → traffic back on the source', `${(s1Traffic - movedAt - 120).toFixed(1)} s`, ''],
  );
  rows.push(...(await onPremisesRows()));
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log('cutover benchmark (reference migrations, seed defaults: 25/50/75/100 %, 5-minute bakes, 10 s polls)\n');
  for (const [name, value, goal] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(10)}  ${goal}`);
}

/** Seed S2 (DMS, single writer): how long writes are fenced, how fast the writer comes back. */
async function onPremisesRows(): Promise<Array<[string, string, string]>> {
  const app = new App({ outdir: 'cdk.out/bench-on-premises' });
  const { production } = buildOnPremisesMigration(app);
  app.synth();
  const template = Stage.of(production)!.synth().getStackByName(production.stackName).template;
  const sizeKb = Buffer.byteLength(JSON.stringify(template)) / 1024;
  const happy = await rehearse({ template, scenario: { name: 'dms happy', dms: { initialStatus: 'running' } } });
  const fence = happy.writerChanges.find((c) => c.value === 'FENCED')!.t;
  const moved = happy.writerChanges.find((c) => c.value === 'TARGET')!.t;
  const alarmAt = moved + 120;
  const back = await rehearse({ template, scenario: { name: 'dms back', dms: { initialStatus: 'running' }, alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: alarmAt }] } });
  const source = back.writerChanges.filter((c) => c.value === 'SOURCE').pop()!.t;
  const traffic = back.weightChanges.find((c) => c.t > alarmAt && c.target === 0)!.t;
  const fenceBack = back.writerChanges.filter((c) => c.value === 'FENCED').pop()!.t;
  // Before the writer moves, the event path acts (mid-step 2); after it, the cutover's polls do (writer first).
  const stepTwo = happy.weightChanges[1].t + 150;
  const event = await rehearse({
    template,
    scenario: { name: 'dms event', insyncAfter: 5, dms: { initialStatus: 'running' }, alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: stepTwo }], alarmEvents: [{ at: stepTwo, alarm: 'HealthyHosts' }] },
  });
  return [
    ['S2: writes refused per writer move (fence → unfence; DMS drains 45 s after the fence)', `${(moved - fence).toFixed(1)} s`, '≤ 45 s'],
    ['S2: writes refused on the way back (fence → writer on the source)', `${(source - fenceBack).toFixed(1)} s`, ''],
    ['S2: alarm after the move → writer back on the source', `${(source - alarmAt).toFixed(1)} s`, '≤ 90 s'],
    ['S2: alarm after the move → traffic back on the legacy side', `${(traffic - alarmAt).toFixed(1)} s`, ''],
    ['S2: data problems in these rehearsals (lost or replayed writes)', String(happy.dataProblems.length + back.dataProblems.length), '0'],
    ...safetyRows('S2', fastestEventAlarm(template), event.rollbackLatency ?? NaN, 5),
    // The same event path with a CutoverGate.highResolutionMetric (one 10-second datapoint) among the gates.
    ...safetyRows('S2 + 10 s gate', { name: 'CutoverGate.highResolutionMetric, 1 × 10 s', seconds: 10 }, event.rollbackLatency ?? NaN, 5).slice(4),
    ['S2: state transitions per cutover (happy path)', String(happy.stateTransitions), ''],
    ['resources, S2 aws-production stack', String(Object.keys(template.Resources).length), '≤ 250'],
    ['template size, S2 aws-production stack', `${sizeKb.toFixed(1)} kB`, '≤ 500 kB'],
  ];
}

/** The S1 fixture with a 10-second failed-payment gate besides the fleet's alarms. */
function highResolutionFixture(): any {
  const f = buildFixture({}, {
    gates: ({ database, healthyHosts }) => [
      CutoverGate.auroraGlobalSecondary(database),
      CutoverGate.alarm(healthyHosts),
      CutoverGate.highResolutionMetric(healthyHosts.stack, 'FailedPayments', {
        metric: new cloudwatch.Metric({ namespace: 'Payments', metricName: 'FailedPaymentRate', statistic: 'Average', period: Duration.minutes(1) }),
        threshold: 2,
      }),
    ],
  });
  return templateOf(f);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
