import { bakingOnNewWriter, bakingStep2, inDatabasePhase, rolledBackAtStep2, TOKEN, waitingForFirstStepApproval, waitingForSwitchoverApproval } from './histories';
import { exitCodeOf, parseArgs } from '../../src/console/cli';
import { manifestOf } from '../../src/console/manifest';
import { planOf } from '../../src/console/plan';
import { progressOf, taskTokenOf } from '../../src/console/progress';
import { bar, clip, duration, renderSnapshot } from '../../src/console/render';
import { observedSplit, Snapshot } from '../../src/console/snapshot';

// The live view's pure parts, on recorded histories (what moto cannot produce: a running cutover's history).
const exec = { arn: 'arn:aws:states:eu-west-1:111111111111:execution:payments-cutover:cutover-20261201T210000Z', stateMachineArn: 'sm' };
const END = new Date('2026-12-01T21:40:00Z');
const PLAN = planOf({
  States: {
    'Cutover': {
      Type: 'Parallel',
      Branches: [1, 2, 3, 4].map((i) => ({
        States: {
          [`Step ${i} (${i * 25}%): bake`]: { Type: 'Pass', Result: { remaining: 300 } },
          [`Step ${i} (${i * 25}%): wait`]: { Type: 'Wait', Seconds: 10 },
          [`Step ${i} (${i * 25}%): read gating alarms`]: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:cloudwatch:describeAlarms', Parameters: { AlarmNames: ['HealthyHosts', 'ErrorRate'] } },
        },
      })),
    },
    'Approval: before switchover': { Type: 'Task' },
    'Switchover: start': { Type: 'Task' },
  },
});

function snapshot(history: any[], extra: Partial<Snapshot> = {}): Snapshot {
  return {
    at: END.toISOString(),
    stack: 'PaymentTarget',
    region: 'eu-west-1',
    kind: 'aurora-global',
    shifter: 'dns',
    stateMachine: exec.stateMachineArn,
    execution: { arn: exec.arn, name: 'cutover-20261201T210000Z', status: 'RUNNING', started: '2026-12-01T21:00:00.000Z' },
    plan: PLAN,
    progress: progressOf(history),
    control: 'RUN',
    writer: { kind: 'global-cluster', value: 'us-east-1', side: 'source', detail: 'payments-global (available)' },
    gates: [
      { name: 'PaymentTarget-HealthyHostsAlarm', state: 'OK', reason: 'Threshold Crossed: 1 datapoint [6.0] was not less than the threshold (2.0).' },
      { name: 'PaymentTarget-ErrorRateAlarm', state: 'ALARM', reason: 'Threshold Crossed: 2 datapoints [7.5, 9.1] were greater than the threshold (5.0).' },
    ],
    observed: { minute: '2026-12-01T21:39:00.000Z', source: 1204, target: 1223 },
    dashboard: 'PaymentTarget-Migration',
    ...extra,
  };
}

describe('the plan, from the definition', () => {
  test('steps with percentages and bakes, poll interval, approvals, the database phase, the gate alarms', () => {
    expect(PLAN).toEqual({
      steps: [1, 2, 3, 4].map((i) => ({ index: i, percent: i * 25, bakeSeconds: 300 })),
      pollSeconds: 10,
      approvals: ['switchover'],
      database: 'switchover',
      gateAlarms: ['HealthyHosts', 'ErrorRate'],
    });
  });
});

describe('where an execution is, from its history', () => {
  test('baking step 2', () => {
    const p = progressOf(bakingStep2(exec, 170, END));
    expect(p).toMatchObject({ phase: 'bake', step: { index: 2, percent: 50 }, split: { source: 50, target: 50 }, bake: { remaining: 170 }, shifted: true });
    expect(p.pendingApproval).toBeUndefined();
    expect(p.events.map((e) => e.text)).toContain('step 2: shift to 50 % on the target');
    // the bake loop's bookkeeping states are not events
    expect(p.events.map((e) => e.text).filter((t) => /: (wait|count down|read gating alarms)$/.test(t))).toEqual([]);
  });

  test('waiting for the switchover approval: the token from the TaskScheduled parameters', () => {
    const p = progressOf(waitingForSwitchoverApproval(exec, END));
    expect(p.phase).toBe('approval');
    expect(p.pendingApproval).toEqual({ what: 'switchover', token: TOKEN, state: 'Approval: before switchover', since: '2026-12-01T21:39:58.000Z' });
  });

  test('the approval before the first shift: nothing shifted yet', () => {
    const p = progressOf(waitingForFirstStepApproval(exec, END));
    expect(p).toMatchObject({ phase: 'approval', shifted: false, pendingApproval: { what: 'first step', token: TOKEN } });
    expect(p.step).toBeUndefined();
  });

  test.each([
    ['switchover', 'DATABASE SWITCHOVER', '▶switchover'],
    ['writer-move', 'WRITER MOVE', '▶switchover'],
  ] as const)('the database phase: %s', (kind, text, strip) => {
    const p = progressOf(inDatabasePhase(exec, END, kind));
    expect(p).toMatchObject({ phase: kind, split: { source: 0, target: 100 } });
    const screen = renderSnapshot(snapshot(inDatabasePhase(exec, END, kind))).join('\n');
    expect(screen).toContain(`Phase      ${text}`);
    expect(screen).toContain(`✓25%  ✓50%  ✓75%  ✓100%  ${strip}`);
    expect(screen).not.toContain('Bake ');
  });

  test('an answered approval is no longer pending', () => {
    const history = waitingForSwitchoverApproval(exec, END);
    history.push({ id: history.length + 1, type: 'TaskStateExited', timestamp: END.toISOString(), stateExitedEventDetails: { name: 'Approval: before switchover', output: '{}' } });
    expect(progressOf(history).pendingApproval).toBeUndefined();
  });

  test.each([
    ['CutoverRolledBack', 'rolled-back', 10],
    ['RollbackFailed', 'rollback-failed', 11],
  ] as const)('ended with %s: phase %s, exit %d', (outcome, phase, code) => {
    const p = progressOf(rolledBackAtStep2(exec, END, outcome));
    expect(p).toMatchObject({ phase, error: outcome, split: { source: 100, target: 0 } });
    expect(p.events.map((e) => e.text)).toContain('step 2: a gating alarm is in ALARM');
    expect(exitCodeOf(p.phase)).toBe(code);
  });

  test('a pre-check failure before any shift is a refusal (exit 12), an abort by hand is stopped', () => {
    const refused = progressOf([
      { id: 1, type: 'ExecutionStarted', timestamp: END },
      { id: 2, type: 'TaskStateEntered', timestamp: END, stateEnteredEventDetails: { name: 'Pre-check: operator control' } },
      { id: 3, type: 'ExecutionFailed', timestamp: END, executionFailedEventDetails: { error: 'PreCheckFailed', cause: 'The control parameter is not RUN' } },
    ]);
    expect(refused).toMatchObject({ phase: 'refused', shifted: false, error: 'PreCheckFailed' });
    expect(exitCodeOf(refused.phase)).toBe(12);
    const stopped = progressOf([{ id: 1, type: 'ExecutionStarted', timestamp: END }, { id: 2, type: 'ExecutionAborted', timestamp: END, executionAbortedEventDetails: {} }]);
    expect(stopped.phase).toBe('stopped');
    expect(progressOf([]).phase).toBe('idle');
  });

  test('paused: the bake loop counts the pause budget', () => {
    const history = bakingStep2(exec, 200, END);
    history.push({ id: history.length + 1, type: 'PassStateEntered', timestamp: END.toISOString(), stateEnteredEventDetails: { name: 'Step 2 (50%): pause', input: '{}' } });
    expect(progressOf(history)).toMatchObject({ phase: 'paused', step: { index: 2 } });
  });

  test('task tokens: the TaskToken member, or the approve command', () => {
    expect(taskTokenOf(JSON.stringify({ TaskToken: 'abc' }))).toBe('abc');
    expect(taskTokenOf(JSON.stringify({ Message: { approve: 'aws stepfunctions send-task-success --task-token tok+/=1 --task-output \'{}\'' } }))).toBe('tok+/=1');
    expect(taskTokenOf('{}')).toBeUndefined();
  });
});

describe('the live view, rendered', () => {
  const lines = renderSnapshot(snapshot(bakingStep2(exec, 170, END)), { width: 120, now: new Date(END.getTime() - 2000) });
  const screen = lines.join('\n');

  test('phase, steps, bake bar with the time left, intended and observed split', () => {
    expect(screen).toContain('Phase      BAKE · step 2 of 4 (50 %)');
    expect(screen).toContain('Steps      ✓25%  ▶50%  ·75%  ·100%  ·switchover');
    // count down to 170 s recorded 2 s before END, and `now` is that moment: exactly 130 s baked
    expect(screen).toMatch(/Bake {7}\[█{17}░{23}\] 2m10s of 5m00s baked, 2m50s left/);
    expect(screen).toContain('Split      intended  source 50 / target 50');
    expect(screen).toContain('observed  source 49.6 % (1204 req) · target 50.4 % (1223 req)  minute from 21:39:00Z');
  });

  test('each gate with its state and reason; the writer; no line wider than the terminal', () => {
    expect(screen).toMatch(/Gates {6}OK {16}PaymentTarget-HealthyHostsAlarm — Threshold Crossed: 1 datapoint \[6\.0\]/);
    expect(screen).toMatch(/\n {11}ALARM {13}PaymentTarget-ErrorRateAlarm — Threshold Crossed: 2 datapoints/);
    expect(screen).toContain('Writer     us-east-1 (source)  global cluster payments-global (available)');
    expect(screen).toContain('Dashboard  PaymentTarget-Migration (CloudWatch)');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(120);
    expect(renderSnapshot(snapshot(bakingStep2(exec, 170, END)), { width: 80 }).every((l) => [...l].length <= 80)).toBe(true);
  });

  test('a pending approval with the one command that answers it', () => {
    const s = renderSnapshot(snapshot(waitingForSwitchoverApproval(exec, END)), { commandSuffix: ' --stack PaymentTarget --region eu-west-1' }).join('\n');
    expect(s).toContain('Phase      WAITING FOR APPROVAL · step 4 of 4 (100 %)');
    expect(s).toContain('Approval   WAITING since 21:39:58Z for: switchover');
    expect(s).toContain('\n           approve: payment-migration approve --stack PaymentTarget --region eu-west-1\n');
    expect(s).toContain('\n           reject:  payment-migration reject --stack PaymentTarget --region eu-west-1 [--reason <text>]');
    expect(s).not.toContain('Bake ');
  });

  test('DMS path: the writer parameter, the legacy side not measured', () => {
    const s = renderSnapshot(snapshot(bakingStep2(exec, 170, END), {
      kind: 'dms',
      writer: { kind: 'parameter', value: 'FENCED', detail: '/payments/database/writer' },
      observed: { minute: '2026-12-01T21:39:00.000Z', target: 812 },
    })).join('\n');
    expect(s).toContain('Writer     FENCED  (writer parameter /payments/database/writer)');
    expect(s).toContain('observed  target 812 req in the minute from 21:39:00Z · source not measured: legacy side, no load balancer');
  });

  test('rolled back, and rollback failed with what to do', () => {
    const rolled = renderSnapshot(snapshot(rolledBackAtStep2(exec, END), { execution: { ...snapshot([]).execution!, status: 'FAILED' } })).join('\n');
    expect(rolled).toContain('Phase      ROLLED BACK');
    expect(rolled).toContain('Outcome    CutoverRolledBack: A gating alarm is in ALARM (Step 2 (50%))');
    const failed = renderSnapshot(snapshot(rolledBackAtStep2(exec, END, 'RollbackFailed'))).join('\n');
    expect(failed).toContain('ROLLBACK FAILED — ACT BY HAND');
    expect(failed).toContain('Run the ManualRollback runbook section: payment-migration runbook --stack PaymentTarget');
  });

  test('bar and durations', () => {
    expect(bar(0.5, 10)).toBe('[█████░░░░░]');
    expect(bar(2, 4)).toBe('[████]');
    expect([duration(5), duration(65), duration(3700)]).toEqual(['5s', '1m05s', '1h01m']);
  });
});

describe('arguments and the manifest', () => {
  test('flags with values, inline values, booleans; --help wins', () => {
    expect(parseArgs(['status', '--stack=PaymentTarget', '--watch', '--region', 'eu-west-1'])).toEqual({
      command: 'status', positional: [], flags: { '--stack': 'PaymentTarget', '--watch': true, '--region': 'eu-west-1' },
    });
    expect(parseArgs(['start', '--help']).command).toBe('help');
    expect(() => parseArgs(['status', '--interval'])).toThrow(/--interval needs a value/);
  });

  test('a stack without the manifest, a newer manifest, a manifest missing keys', () => {
    expect(() => manifestOf({ Outputs: [{ OutputKey: 'MigrationRunbookCutover1', OutputValue: '...' }] }, 'Old')).toThrow(/redeploy it with the current library/);
    expect(() => manifestOf({ Outputs: [{ OutputKey: 'ConsoleManifest', OutputValue: '{"v":2}' }] }, 'New')).toThrow(/version 2; this console reads up to 1: upgrade/);
    expect(() => manifestOf({ Outputs: [{ OutputKey: 'MigrationConsoleManifest0A1B2C3D', OutputValue: '{"v":1,"sm":"x"}' }] }, 'S')).toThrow(/lacks ctl, tgt/);
  });
});

describe('colour', () => {
  test('ANSI codes take no width: a coloured view fits the terminal like a plain one', () => {
    const s = snapshot(bakingStep2(exec, 170, END));
    const coloured = renderSnapshot(s, { width: 100, color: true });
    const plain = renderSnapshot(s, { width: 100 });
    // eslint-disable-next-line no-control-regex
    expect(coloured.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''))).toEqual(plain);
    expect(coloured.join('\n')).toContain('\x1b[31;1mALARM');
    const cut = clip('\x1b[32mOK\x1b[0m and a long tail', 8);
    expect(cut.startsWith('\x1b[32mOK\x1b[0m')).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(cut.replace(/\x1b\[[0-9;]*m/g, '')).toBe('OK and …');
  });
});

describe('the observed split', () => {
  const m = (minute: string) => `2026-12-01T21:${minute}:00.000Z`;
  test('the newest minute both sides have (ALB metrics arrive late, one side sooner than the other)', () => {
    const target = new Map([[m('37'), 1223], [m('38'), 1300]]);
    const source = new Map([[m('37'), 1204]]);
    expect(observedSplit(target, source, true, true)).toEqual({ minute: m('37'), target: 1223, source: 1204 });
    expect(observedSplit(target, undefined, false, true)).toEqual({ minute: m('38'), target: 1300, source: undefined });
  });

  test('a side with no datapoint served nothing; no datapoint at all says so', () => {
    expect(observedSplit(new Map([[m('38'), 40]]), new Map(), true, true)).toEqual({ minute: m('38'), target: 40, source: null });
    const none = observedSplit(new Map(), new Map(), true, true);
    expect(none).toEqual({ minute: undefined, target: null, source: null });
    const screen = renderSnapshot(snapshot([], { observed: none })).join('\n');
    expect(screen).toContain('observed  no requests on either load balancer in the last 5 minutes');
  });
});

describe('the DMS path: the writer move and the bake on the new writer', () => {
  const dmsPlan = planOf({
    States: {
      ...Object.fromEntries([1, 2, 3, 4].map((i) => [`Step ${i} (${i * 25}%): bake`, { Type: 'Pass', Result: { remaining: 300 } }])),
      'Switchover: mark in progress': { Type: 'Task' },
      'Writer: fence': { Type: 'Task' },
      'Writer moved: bake': { Type: 'Pass', Result: { remaining: 600 } },
    },
  });

  test('the plan knows the writer move and its bake', () => {
    expect(dmsPlan).toMatchObject({ database: 'writer-move', writerBakeSeconds: 600 });
  });

  test('baking on the new writer: its own bar, the writer move as the current stage, no DMS bookkeeping in the events', () => {
    const history = bakingOnNewWriter(exec, 360, END);
    const p = progressOf(history);
    expect(p).toMatchObject({ phase: 'writer-move', writerBake: true, bake: { remaining: 360 } });
    const s = snapshot(history, { kind: 'dms', plan: dmsPlan, writer: { kind: 'parameter', value: 'TARGET', side: 'target', detail: '/payments/database/writer' } });
    const screen = renderSnapshot(s, { now: new Date(END.getTime() - 2000) }).join('\n');
    expect(screen).toMatch(/Phase {6}WRITER MOVE {2}— Writer moved: baked\?/);
    expect(screen).toContain('Steps      ✓25%  ✓50%  ✓75%  ✓100%  ▶writer move');
    expect(screen).toMatch(/Bake {7}\[█+░+\] 4m00s of 10m00s baked on the new writer, 6m00s left/);
    expect(screen).toContain('Writer     TARGET  (writer parameter /payments/database/writer)');
    expect(p.events.map((e) => e.text)).toEqual(expect.arrayContaining(['Writer: fence', 'Writer: stop the forward task', 'Writer: move to the target']));
    expect(p.events.map((e) => e.text).filter((t) => /describe|read the backlog|: wait$/.test(t))).toEqual([]);
  });

  test('the switchover states that lead into the writer move read as the writer move on this path', () => {
    const history = bakingStep2(exec, 10, END);
    history.push({ id: history.length + 1, type: 'TaskStateEntered', timestamp: END.toISOString(), stateEnteredEventDetails: { name: 'Switchover: mark in progress', input: '{}' } });
    expect(progressOf(history).phase).toBe('switchover');
    expect(renderSnapshot(snapshot(history, { kind: 'dms', plan: dmsPlan })).join('\n')).toContain('Phase      WRITER MOVE');
  });
});
