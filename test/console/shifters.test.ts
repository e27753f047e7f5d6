import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { bakingStep2 } from './histories';
import { referenceTemplate } from './reference-stack';
import { AcceleratorCutover } from '../../src/accelerator-cutover/accelerator-cutover';
import { ConsoleManifest, loadBalancerOfListener, manifestOf, ShifterManifest, targetGroupDimension } from '../../src/console/manifest';
import { allStates, planOf } from '../../src/console/plan';
import { shifterChecks } from '../../src/console/practice';
import { progressOf } from '../../src/console/progress';
import { renderSnapshot } from '../../src/console/render';
import { requestSources, Snapshot } from '../../src/console/snapshot';
import { CutoverGate } from '../../src/migration-orchestrator/cutover-gate';
import { MigrationOrchestrator } from '../../src/migration-orchestrator/migration-orchestrator';
import { ITrafficShifter } from '../../src/migration-orchestrator/traffic-shifter';
import { stateMachinesOf } from '../../src/rehearsal/resolve-template';
import { loadBalancerCutover } from '../support/listener';

// The console's view of the traffic shifter (`sh` in the ConsoleManifest): read, measured, named.
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/payments-alb/50dc6c495c0c9188/f2f7dc8efc522ab2';
const LEGACY_TG = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/legacy-payments/73e2d6bc24d8a067';
const FLEET_TG = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/fleet-payments/943f017f100becff';
const ACCELERATOR = 'arn:aws:globalaccelerator::111111111111:accelerator/1234abcd-abcd-1234-abcd-1234abcdefgh';
const SOURCE_EG = `${ACCELERATOR}/listener/0123abcd/endpoint-group/aaaa1111`;
const TARGET_EG = `${ACCELERATOR}/listener/0123abcd/endpoint-group/bbbb2222`;
const LB: ShifterManifest = { k: 'lb', l: LISTENER, s: LEGACY_TG, t: FLEET_TG };
const GA: ShifterManifest = { k: 'ga', a: ACCELERATOR, s: SOURCE_EG, t: TARGET_EG };

const BASE = { v: 1, kind: 'dms', sm: 'arn:aws:states:us-east-1:111111111111:stateMachine:payments-cutover', ctl: '/payments/control', tgt: { r: 'us-east-1', lb: 'app/payments-alb/50dc6c495c0c9188' } };
const read = (manifest: unknown) => manifestOf({ Outputs: [{ OutputKey: 'MigrationConsoleManifest0A1B2C3D', OutputValue: JSON.stringify(manifest) }] }, 'AwsProduction');

describe('the manifest\'s shifter (sh)', () => {
  test.each<[string, unknown, ShifterManifest]>([
    ['missing (a stack deployed before the shifter was selectable): DNS', undefined, { k: 'dns' }],
    ['dns', { k: 'dns' }, { k: 'dns' }],
    ['lb: listener, source and target target groups', LB, LB],
    ['ga: accelerator, source and target endpoint groups', GA, GA],
  ])('%s', (_name, sh, expected) => {
    // WHEN the console reads a manifest with this `sh`
    const m = read({ ...BASE, ...(sh === undefined ? {} : { sh }) });
    // THEN
    expect(m.sh).toEqual(expected);
  });

  test.each<[string, unknown, RegExp]>([
    ['an unknown kind (a newer library)', { k: 'mesh' }, /names a traffic shifter this console does not know \(sh: \{"k":"mesh"\}\): upgrade cdk-payment-migration/],
    ['no kind', { l: LISTENER }, /names a traffic shifter this console does not know/],
    ['lb without its target group', { k: 'lb', l: LISTENER, s: LEGACY_TG }, /lacks sh\.t of its load-balancer shifter: redeploy/],
    ['ga without its accelerator', { k: 'ga', s: SOURCE_EG, t: TARGET_EG }, /lacks sh\.a of its global-accelerator shifter: redeploy/],
  ])('refuses %s, saying what to do', (_name, sh, message) => {
    expect(() => read({ ...BASE, sh })).toThrow(message);
  });
});

describe('where each side\'s requests are counted', () => {
  test('metric dimensions from ARNs: the target group\'s and the listener\'s load balancer', () => {
    expect(targetGroupDimension(LEGACY_TG)).toBe('targetgroup/legacy-payments/73e2d6bc24d8a067');
    expect(targetGroupDimension(LISTENER)).toBeUndefined();
    expect(loadBalancerOfListener(LISTENER)).toBe('app/payments-alb/50dc6c495c0c9188');
    expect(loadBalancerOfListener(LEGACY_TG)).toBeUndefined();
  });

  test('lb: both target groups on the one load balancer (TargetGroup and LoadBalancer), in the target region', () => {
    const lb = 'app/payments-alb/50dc6c495c0c9188';
    const expected = {
      target: { region: 'us-east-1', dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/fleet-payments/943f017f100becff' }, { Name: 'LoadBalancer', Value: lb }] },
      source: { region: 'us-east-1', dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/legacy-payments/73e2d6bc24d8a067' }, { Name: 'LoadBalancer', Value: lb }] },
    };
    expect(requestSources(read({ ...BASE, sh: LB }))).toEqual(expected);
    // a manifest without the load balancer's name: the listener's ARN names it
    expect(requestSources(read({ ...BASE, tgt: { r: 'us-east-1' }, sh: LB }))).toEqual(expected);
  });

  test('dns and ga: each side\'s load balancer (none on the datacenter side)', () => {
    const cross = { ...BASE, kind: 'aurora-global', src: { r: 'us-west-2', lb: 'app/source/0123' } };
    for (const sh of [undefined, GA]) {
      expect(requestSources(read({ ...cross, sh }))).toEqual({
        target: { region: 'us-east-1', dimensions: [{ Name: 'LoadBalancer', Value: 'app/payments-alb/50dc6c495c0c9188' }] },
        source: { region: 'us-west-2', dimensions: [{ Name: 'LoadBalancer', Value: 'app/source/0123' }] },
      });
    }
    expect(requestSources(read(BASE)).source).toBeUndefined();
  });
});

/** A cutover state machine (steps 25/50/75/100) shifting with `shifter`, as deployed: its definition. */
function cutoverDefinition(stack: Stack, shifter: ITrafficShifter): any {
  const alarm = new cloudwatch.Alarm(stack, 'Errors', {
    metric: new cloudwatch.Metric({ namespace: 'Payments', metricName: 'Errors', period: Duration.minutes(1) }),
    threshold: 1,
    evaluationPeriods: 1,
  });
  new MigrationOrchestrator(stack, 'Orchestrator', { shifter, gates: [CutoverGate.alarm(alarm)] });
  const machines = Object.values(stateMachinesOf(Template.fromStack(stack).toJSON() as any));
  return machines.find((m) => allStates(m).some(([name]) => name === 'Step 1 (25%): set split'));
}

const stackIn = (id: string) => new Stack(new App(), id, { env: { account: '111111111111', region: 'us-east-1' } });

function loadBalancerDefinition(): any {
  const stack = stackIn('Lb');
  return cutoverDefinition(stack, loadBalancerCutover(stack));
}

function acceleratorDefinition(): any {
  const stack = stackIn('Ga');
  return cutoverDefinition(stack, new AcceleratorCutover(stack, 'Edge', { acceleratorArn: ACCELERATOR, sourceEndpointGroupArn: SOURCE_EG, targetEndpointGroupArn: TARGET_EG }));
}

function dnsDefinition(): any {
  const machines = Object.values(stateMachinesOf(referenceTemplate()));
  return machines.find((m) => allStates(m).some(([name]) => name === 'Step 1 (25%): set split'));
}

describe('the intended split and the events, whatever shifts', () => {
  test.each<[string, () => any, string]>([
    ['dns', dnsDefinition, 'ChangeRecordSets'],
    ['load balancer', loadBalancerDefinition, 'ModifyListener'],
    ['global accelerator', acceleratorDefinition, 'RaiseDial'],
  ])('%s: every state of the shift, as the definition names it, reads as the step; the split is the one the step set', (_name, definition, change) => {
    // GIVEN the deployed definition's step 1 and rollback: `set split`, then the shifter's own states (not its failures)
    const asl = definition();
    const states = allStates(asl);
    const setSplit = states.find(([name]) => name === 'Step 1 (25%): set split')![1];
    const shift = (prefix: string) => states.filter(([name, s]) => name.startsWith(`${prefix} `) && s.Type !== 'Fail').map(([name, s]) => [name, s.Type] as const);
    expect(shift('Step 1 (25%)').map(([name]) => name)).toContain(`Step 1 (25%) ${change}`);
    expect(shift('Rollback').map(([name]) => name)).toContain(`Rollback ${change}`);
    let id = 0;
    const events: any[] = [];
    const state = (name: string, type: string, data: any) => {
      const t = new Date(Date.UTC(2026, 11, 1, 21, 0, ++id)).toISOString();
      events.push({ id, type: `${type}StateEntered`, timestamp: t, stateEnteredEventDetails: { name, input: JSON.stringify(data) } });
      events.push({ id: ++id, type: `${type}StateExited`, timestamp: t, stateExitedEventDetails: { name, output: JSON.stringify(data) } });
    };
    events.push({ id: ++id, type: 'ExecutionStarted', timestamp: new Date(Date.UTC(2026, 11, 1, 21)).toISOString() });
    const split = setSplit.Result;
    state('Step 1 (25%): set split', 'Pass', { split });
    for (const [name, type] of shift('Step 1 (25%)')) state(name, type, { split, shift: { change: {} } });
    state('Step 1 (25%): bake', 'Task', { split });

    // WHEN the console reads the history
    const stepped = progressOf(events, 50);
    // THEN the intended split is the definition's, and the shift is one line
    expect(stepped.split).toEqual({ source: 75, target: 25 });
    expect(stepped.phase).toBe('bake');
    expect(stepped.events.map((e) => e.text)).toEqual(['step 1: shift to 25 % on the target']);

    // AND the rollback's shift is not an event either; the split is the rollback's
    const back = { sourceWeight: 100, targetWeight: 0 };
    state('Rollback: set split to source', 'Pass', { split: back });
    for (const [name, type] of shift('Rollback')) state(name, type, { split: back });
    const rolling = progressOf(events, 50);
    expect(rolling).toMatchObject({ phase: 'rollback', split: { source: 100, target: 0 } });
    expect(rolling.events.map((e) => e.text).filter((t) => t.startsWith('Rollback ') && !t.startsWith('Rollback:'))).toEqual([]);
  });
});

const END = new Date('2026-12-01T21:40:00Z');
const exec = { arn: 'arn:aws:states:us-east-1:111111111111:execution:payments-cutover:cutover-20261201T210000Z', stateMachineArn: 'sm' };
function snapshot(extra: Partial<Snapshot>): Snapshot {
  return {
    at: END.toISOString(),
    stack: 'AwsProduction',
    region: 'us-east-1',
    kind: 'dms',
    shifter: 'dns',
    stateMachine: exec.stateMachineArn,
    execution: { arn: exec.arn, name: 'cutover-20261201T210000Z', status: 'RUNNING', started: '2026-12-01T21:00:00.000Z' },
    plan: planOf({}),
    progress: progressOf(bakingStep2(exec, 170, END)),
    control: 'RUN',
    gates: [],
    observed: { minute: '2026-12-01T21:39:00.000Z', source: 750, target: 250 },
    ...extra,
  };
}

describe('the live view names the shifter', () => {
  test('dns: the records\' weights; a datacenter side is not measured', () => {
    const screen = renderSnapshot(snapshot({ observed: { minute: '2026-12-01T21:39:00.000Z', target: 250 } })).join('\n');
    expect(screen).toContain('Shifter    Route 53 weighted records');
    expect(screen).toContain('Split      intended  source 50 / target 50  (the record weights the cutover set)');
    expect(screen).toContain('source not measured: legacy side, no load balancer');
  });

  test('load balancer: the listener\'s weights; the legacy side measured on its target group', () => {
    const lines = renderSnapshot(snapshot({ shifter: 'load-balancer' }));
    const screen = lines.join('\n');
    expect(screen).toContain('Shifter    load balancer: one weighted forward to the legacy and the fleet target groups, per request');
    expect(screen).toContain('Split      intended  source 50 / target 50  (the listener weights the cutover set)');
    expect(screen).toContain('observed  source 75.0 % (750 req) · target 25.0 % (250 req)  minute from 21:39:00Z\n                     each side counted on its target group of the one load balancer');
    expect(screen).not.toContain('Route 53');
    expect(renderSnapshot(snapshot({ shifter: 'load-balancer', observed: {} as any })).join('\n'))
      .toContain('observed  target not measured in the minute from — · source not measured: no target group ARN');
    expect(renderSnapshot(snapshot({ shifter: 'load-balancer', observed: { source: null, target: null } })).join('\n'))
      .toContain('observed  no requests on either target group in the last 5 minutes');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(120);
  });

  test('global accelerator: the dials; new connections follow them, open connections stay', () => {
    const lines = renderSnapshot(snapshot({ shifter: 'global-accelerator', kind: 'aurora-global' }));
    const screen = lines.join('\n');
    expect(screen).toContain('Shifter    Global Accelerator traffic dials');
    expect(screen).toContain('(the traffic dials the cutover set)');
    expect(screen).toMatch(/observed {2}source 75\.0 % \(750 req\) · target 25\.0 % \(250 req\) {2}minute from 21:39:00Z\n {21}new connections follow the dials; open connections stay/);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(120);
  });
});

describe('practice run: where the names point, by shifter', () => {
  const records = (source: number, target: number) => [{ name: 'api.pay.example.com', sets: [{ id: 'source', weight: source, side: 'source' as const }, { id: 'target', weight: target, side: 'target' as const }] }];
  const manifest = (sh: ShifterManifest) => ({ ...BASE, sh } as unknown as ConsoleManifest);

  test.each<[string, ShifterManifest, number, number, string, RegExp]>([
    ['dns, all on the source', { k: 'dns' }, 100, 0, 'PASS', /^source 100 \/ target 0$/],
    ['dns, split left over', { k: 'dns' }, 50, 50, 'FAIL', /not all on the source/],
    ['lb, all on the load balancer', LB, 0, 100, 'PASS', /on the load balancer, which splits by its listener weights/],
    ['lb, still on the legacy endpoint', LB, 100, 0, 'FAIL', /must point at the load balancer before the cutover/],
    ['ga, shown only', GA, 100, 0, 'INFO', /moves the accelerator's dials, not these records/],
  ])('%s', (_name, sh, source, target, result, detail) => {
    const checks = shifterChecks(manifest(sh).sh!, records(source, target));
    const weights = checks.find((c) => c.check === 'weights of api.pay.example.com')!;
    expect(weights.result).toBe(result);
    expect(weights.detail).toMatch(detail);
  });

  test('lb and ga: the command that reads the live weights (the console has no client for them)', () => {
    expect(shifterChecks(LB, [])).toEqual([{ check: 'shifter', result: 'INFO', detail: expect.stringContaining(`aws elbv2 describe-listeners --listener-arns ${LISTENER}`) }]);
    expect(shifterChecks(GA, [])).toEqual([{ check: 'shifter', result: 'INFO', detail: expect.stringContaining(`--region us-west-2 --endpoint-group-arn ${SOURCE_EG}`) }]);
    expect(shifterChecks({ k: 'dns' }, [])).toEqual([]);
  });
});
