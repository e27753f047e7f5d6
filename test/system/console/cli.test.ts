import { DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { MotoWorld, referenceWorld, TmuxPane, watchJson } from './moto-world';
import { runCli } from '../../console/cli-bundle';
import { bakingAfterSwitchover, bakingStep2, rolledBackAtStep2, TOKEN, waitingForSwitchoverApproval } from '../../console/histories';

jest.setTimeout(90_000);

// GIVEN the reference target stack deployed into moto (outputs, parameters, alarms, records, global cluster, state
// machine), the CLI bundled as the package ships it, and a recording proxy in front of moto
let world: MotoWorld;
let bundle: string;
const cli = (...args: string[]) => runCli(bundle, world.endpoint, args);
const STACK = ['--stack', 'PaymentTarget'];

beforeAll(async () => {
  ({ world, bundle } = await referenceWorld());
});
afterAll(async () => world?.stop());

async function executions(status?: 'RUNNING') {
  const out = await world.sfn().send(new ListExecutionsCommand({ stateMachineArn: world.manifest.sm, ...(status ? { statusFilter: status } : {}) }));
  return out.executions ?? [];
}

describe('errors say what to do, with exit codes a script can branch on', () => {
  test.each([
    [['status'], 2, /needs --stack <name>/],
    [['frobnicate', ...STACK], 2, /Unknown command frobnicate/],
    [['status', '--stack'], 2, /--stack needs a value/],
    [['status', '--colour', ...STACK], 2, /Unknown option --colour/],
    [['status', '--stack', 'PaymentTargt'], 3, /Stack PaymentTargt not found in eu-west-1: .*--region/],
    [['status', '--stack', 'PaymentTarget', '--region', 'us-west-2'], 3, /Stack PaymentTarget not found in us-west-2/],
    [['status', '--stack', 'NotAMigration'], 3, /no ConsoleManifest output: it is not a migration target stack/],
  ])('%j exits %d', async (args, code, message) => {
    const run = await cli(...args);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(code);
  });

  test.each([
    [['--profile', 'nobody-has-this'], {}],
    [[], { AWS_PROFILE: 'nobody-has-this' }],
  ])('no credentials (%j %j): the profile, the standard chain and what to do', async (flags, env) => {
    const run = await runCli(bundle, world.endpoint, ['status', ...STACK, ...flags], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', ...env });
    expect(run.stderr).toMatch(/^No AWS credentials for profile nobody-has-this \(reading stack PaymentTarget\): the console uses the standard chain — .*--profile.*aws sso login/);
    expect(run.code).toBe(3);
  });

  test('--help documents every command and exit code', async () => {
    const run = await cli('--help');
    for (const word of ['status', 'start', '--dry-run', 'pause', 'resume', 'skip', 'abort', 'recover', 'approve', 'reject', 'runbook', 'rehearse', '10', '11', '12', '130']) {
      expect(run.stdout).toContain(word);
    }
    expect(run.code).toBe(0);
  });
});

describe('before the cutover', () => {
  test('status: no execution yet, gates, observed split from both load balancers, the writer region', async () => {
    const run = await cli('status', ...STACK, '--json');
    const s = JSON.parse(run.stdout);
    expect(run.stderr).toBe(''); // nothing buries the output (the SDK's Node 20 notice is off)
    expect(s.execution).toBeUndefined();
    expect(s.progress.phase).toBe('idle');
    expect(s.gates.map((g: any) => g.name).sort()).toEqual([...world.manifest.alarms].sort());
    expect(s.gates.every((g: any) => g.state === 'OK')).toBe(true);
    expect(s.observed).toMatchObject({ target: 250, source: 750 });
    expect(s.writer).toMatchObject({ kind: 'global-cluster', value: 'us-east-1', side: 'source' });
    expect(s.plan.steps.map((x: any) => [x.percent, x.bakeSeconds])).toEqual([[25, 300], [50, 300], [75, 300], [100, 300]]);
    expect(s.plan).toMatchObject({ pollSeconds: 10, database: 'switchover', approvals: ['switchover'] });
    expect(run.code).toBe(0);
  });

  test('start --dry-run: every check passes and nothing changes', async () => {
    const before = await world.weights();
    const run = await cli('start', '--dry-run', ...STACK);
    expect(run.stdout).toMatch(/PASS {2}only one cutover: no execution running/);
    expect(run.stdout).toMatch(/PASS {2}cutover record IDLE: IDLE — never claimed/);
    expect(run.stdout).toMatch(/PASS {2}control parameter not PAUSE or ABORT: \S+ = RUN\n/);
    expect(run.stdout).toMatch(/PASS {2}database writer on the source: writer in us-east-1/);
    expect(run.stdout).toMatch(/PASS {2}target database available: paymenttarget-migration-database-\w+: available/);
    expect(run.stdout).toMatch(/PASS {2}target a member of the global cluster: \S+ is a member of payments-global/);
    expect(run.stdout).toMatch(/PASS {2}weights of api\.pay\.example\.com: source 100 \/ target 0/);
    expect(run.stdout).toMatch(/INFO {2}plan: 25 % \(bake 300 s\) → 50 % .* → switchover; polls every 10 s; approvals: switchover/);
    expect(run.stdout).toMatch(/Ready/);
    expect(run.code).toBe(0);
    // THEN nothing was changed
    expect(await executions()).toHaveLength(0);
    expect(await world.weights()).toEqual(before);
    expect(await world.parameter(world.manifest.ctl)).toBe('RUN');
  });

  test('start --dry-run with a gate in ALARM: names it, exits refused', async () => {
    const alarm = world.manifest.alarms[1];
    await world.setAlarm(alarm, 'ALARM', 'Threshold Crossed: 2 datapoints were greater than the threshold');
    try {
      const run = await cli('start', '--dry-run', ...STACK, '--json');
      const report = JSON.parse(run.stdout);
      expect(report.ok).toBe(false);
      expect(report.checks.filter((c: any) => c.result === 'FAIL')).toEqual([
        expect.objectContaining({ check: `gate ${alarm}`, detail: expect.stringMatching(/^ALARM — Threshold Crossed/) }),
      ]);
      expect(run.code).toBe(12);
    } finally {
      await world.setAlarm(alarm, 'OK', 'back to normal');
    }
  });

  test('on the DMS path: the writer parameter is where the database writer is; the legacy side is not measured', async () => {
    const onPrem = ['--stack', 'PaymentOnPremises'];
    const s = JSON.parse((await cli('status', ...onPrem, '--json')).stdout);
    expect(s).toMatchObject({ kind: 'dms', writer: { kind: 'parameter', value: 'SOURCE', side: 'source', detail: '/payments/database/writer' }, observed: { target: 250 } });
    expect(s.observed.source).toBeUndefined();
    expect((await cli('start', '--dry-run', ...onPrem)).stdout).toMatch(/PASS {2}database writer on the source: \/payments\/database\/writer = SOURCE/);
    // WHEN the writer is not on the source (a cutover moved it), THEN a practice run says a start would be refused
    await world.ssm().send(new PutParameterCommand({ Name: '/payments/database/writer', Value: 'TARGET', Type: 'String', Overwrite: true }));
    const run = await cli('start', '--dry-run', ...onPrem);
    expect(run.stdout).toMatch(/FAIL {2}database writer on the source: \/payments\/database\/writer = TARGET \(a new cutover refuses to start unless it is SOURCE\)/);
    expect(run.code).toBe(12);
    expect((await cli('status', ...onPrem, '--text')).stdout).toMatch(/Writer {5}TARGET {2}\(writer parameter \/payments\/database\/writer\)/);
    await world.ssm().send(new PutParameterCommand({ Name: '/payments/database/writer', Value: 'SOURCE', Type: 'String', Overwrite: true }));
  });

  test('pause with no cutover running: refused, the parameter untouched', async () => {
    const run = await cli('pause', ...STACK);
    expect(run.stderr).toMatch(/Refused: no cutover is running/);
    expect(run.code).toBe(12);
    expect(await world.parameter(world.manifest.ctl)).toBe('RUN');
  });

  test('approve with no cutover running: refused', async () => {
    const run = await cli('approve', ...STACK);
    expect(run.stderr).toMatch(/no approval is waiting/);
    expect(run.code).toBe(12);
  });

  test('runbook: the stack\'s runbook outputs, with the real ids', async () => {
    const run = await cli('runbook', ...STACK);
    expect(run.stdout).toMatch(/## MigrationRunbookCutover/);
    expect(run.stdout).toContain(`aws stepfunctions start-execution --region eu-west-1 --state-machine-arn ${world.manifest.sm}`);
    expect(run.stdout).toMatch(/## MigrationRunbookManualRollback/);
    expect(run.stdout).toMatch(/payment-migration status --watch --stack PaymentTarget/);
    expect(run.code).toBe(0);
  });
});

describe('a leftover control value', () => {
  // The cutover's pre-check refuses a PAUSE or ABORT left over (it accepts RUN and SKIP_BAKE: a value counts only when
  // written after the start, and the workflows no longer reset the parameter): `resume --force` is the way back to RUN.
  test.each(['PAUSE', 'ABORT'])('start is refused while the control parameter holds a leftover %s; resume --force resets it', async (value) => {
    await world.ssm().send(new PutParameterCommand({ Name: world.manifest.ctl, Value: value, Type: 'String', Overwrite: true }));
    const refused = await cli('start', ...STACK);
    expect(refused.stderr).toMatch(new RegExp(`Refused: the control parameter \\S+ is ${value}, left over from an earlier cutover[\\s\\S]*payment-migration resume --stack PaymentTarget --force`));
    expect(refused.code).toBe(12);
    expect(await executions()).toHaveLength(0);
    const reset = await cli('resume', ...STACK, '--force');
    expect(reset.stdout).toMatch(new RegExp(`${value} → RUN\\n {2}\\(no cutover running: reset for the next start, which finds RUN\\)`));
    expect(reset.code).toBe(0);
    expect(await world.parameter(world.manifest.ctl)).toBe('RUN');
  });

  test('--force is for resume only: pause --force is a usage error and writes nothing', async () => {
    const run = await cli('pause', ...STACK, '--force');
    expect(run.stderr).toMatch(/--force is for resume only/);
    expect(run.code).toBe(2);
    expect(await world.parameter(world.manifest.ctl)).toBe('RUN');
  });
});

describe('during the cutover', () => {
  let arn: string;

  test('start: one execution; a second start is refused while it runs', async () => {
    const run = await cli('start', ...STACK);
    expect(run.code).toBe(0);
    const running = await executions('RUNNING');
    expect(running).toHaveLength(1);
    arn = running[0].executionArn!;
    expect(run.stdout).toContain(`execution ${arn}`);
    expect(running[0].name).toMatch(/^cutover-\d{8}T\d{6}Z$/);
    const again = await cli('start', ...STACK);
    expect(again.stderr).toMatch(/Refused: cutover cutover-\S+ is running/);
    expect(again.code).toBe(12);
    expect(await executions()).toHaveLength(1);
  });

  test('status while step 2 bakes: phase, step k of N, bake left, intended and observed split', async () => {
    world.histories.set(arn, bakingStep2({ arn, stateMachineArn: world.manifest.sm }, 170, new Date()));
    const json = JSON.parse((await cli('status', ...STACK, '--json')).stdout);
    expect(json.progress).toMatchObject({ phase: 'bake', step: { index: 2, percent: 50 }, split: { source: 50, target: 50 }, bake: { remaining: 170 } });
    const text = await cli('status', ...STACK, '--text', '--width', '120');
    expect(text.stdout).toMatch(/Phase {6}BAKE · step 2 of 4 \(50 %\)/);
    expect(text.stdout).toMatch(/Steps {6}✓25% {2}▶50% {2}·75% {2}·100% {2}·switchover/);
    // the cutover counted down to 170 s a moment ago: the view subtracts the time since (at most one poll)
    expect(text.stdout).toMatch(/\] 2m[12]\ds of 5m00s baked, 2m[345]\ds left/);
    expect(text.stdout).toMatch(/intended {2}source 50 \/ target 50/);
    expect(text.stdout).toMatch(/observed {2}source 75\.0 % \(750 req\) · target 25\.0 % \(250 req\)/);
    expect(text.stdout).toMatch(/Writer {5}us-east-1 \(source\)/);
    expect(text.code).toBe(0);
  });

  test('the live view in a 120 × 40 terminal follows the state; Ctrl-C leaves the cutover running and says so', async () => {
    world.histories.set(arn, bakingStep2({ arn, stateMachineArn: world.manifest.sm }, 170, new Date()));
    const pane = await TmuxPane.open(bundle, world.endpoint, ['status', '--watch', '--interval', '1', ...STACK]);
    try {
      // THEN the screen shows what moto and the history say
      const first = await pane.waitFor(/Refreshing every 1 s/);
      const lines = first.split('\n');
      expect(lines[0]).toMatch(/^payment-migration · PaymentTarget \(eu-west-1\) · Aurora global database · \d{4}-\d\d-\d\dT/);
      expect(first).toMatch(/Phase {6}BAKE · step 2 of 4 \(50 %\)/);
      expect(first).toMatch(/Bake {7}\[█+░+\] 2m[12]\ds of 5m00s baked, 2m[345]\ds left/);
      expect(first).toMatch(/observed {2}source 75\.0 % \(750 req\) · target 25\.0 % \(250 req\)/);
      for (const alarm of world.manifest.alarms) expect(first).toMatch(new RegExp(`OK {16}${alarm}`));
      expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(120);
      // WHEN a gate goes to ALARM in moto, THEN the next refresh shows it
      const alarm = world.manifest.alarms[1];
      await world.setAlarm(alarm, 'ALARM', 'Threshold Crossed: 1 datapoint [3.0] was less than the threshold (4.0).');
      const second = await pane.waitFor(new RegExp(`ALARM {13}${alarm} — Threshold Crossed: 1 datapoint`));
      expect(second).toMatch(/Phase {6}BAKE/);
      await world.setAlarm(alarm, 'OK', 'back to normal');
      // WHEN the operator presses Ctrl-C
      await pane.keys('C-c');
      const last = await pane.waitFor(/EXIT=\d+/);
      expect(last).toMatch(/Stopped watching\. The cutover keeps running — Ctrl-C never stops it\./);
      expect(last).toMatch(/look again: payment-migration status --watch --stack PaymentTarget/);
      expect(last).toMatch(/EXIT=130/);
      process.stdout.write(`--- captured live view (tmux 120x40) ---\n${first}\n--- after Ctrl-C ---\n${last.split('\n').filter((l) => l.trim()).slice(-6).join('\n')}\n`);
    } finally {
      await pane.kill();
    }
    // AND the cutover still runs: nothing stopped it
    expect(await executions('RUNNING')).toHaveLength(1);
    expect(world.recorded.filter((r) => r.target === 'StopExecution')).toHaveLength(0);
  });

  test.each([
    ['pause', 'PAUSE'],
    ['resume', 'RUN'],
    ['skip', 'SKIP_BAKE'],
    ['abort', 'ABORT'],
  ])('%s writes %s to the control parameter', async (command, value) => {
    await world.ssm().send(new PutParameterCommand({ Name: world.manifest.ctl, Value: 'RUN', Type: 'String', Overwrite: true }));
    const run = await cli(command, ...STACK);
    expect(run.stdout).toContain(`${world.manifest.ctl}: RUN → ${value}`);
    expect(run.code).toBe(0);
    expect(await world.parameter(world.manifest.ctl)).toBe(value);
  });

  // The workflows no longer write SWITCHOVER (nor anything) to the control parameter, and the cutover honours ABORT in
  // every bake — the one after the switchover too — and right before the switchover: the console refuses no phase.
  test('abort during the bake after the database switchover is accepted: ABORT written, the writer goes back first', async () => {
    world.histories.set(arn, bakingAfterSwitchover({ arn, stateMachineArn: world.manifest.sm }, 420, new Date()));
    await world.ssm().send(new PutParameterCommand({ Name: world.manifest.ctl, Value: 'RUN', Type: 'String', Overwrite: true }));
    const run = await cli('abort', ...STACK);
    expect(run.stdout).toContain(`${world.manifest.ctl}: RUN → ABORT`);
    expect(run.stdout).toMatch(/the cutover rolls back at its next poll — in any bake, or right before the database switchover: the database writer first, if it moved, then traffic\./);
    expect(run.code).toBe(0);
    expect(await world.parameter(world.manifest.ctl)).toBe('ABORT');
    await world.ssm().send(new PutParameterCommand({ Name: world.manifest.ctl, Value: 'RUN', Type: 'String', Overwrite: true }));
  });

  test('approve while nothing waits: refused, no task response sent', async () => {
    const run = await cli('approve', ...STACK);
    expect(run.stderr).toMatch(/is not waiting for an approval/);
    expect(run.code).toBe(12);
    expect(world.recorded.filter((r) => /^SendTask/.test(r.target))).toHaveLength(0);
  });

  test('status shows the pending approval and the one command that answers it', async () => {
    world.histories.set(arn, waitingForSwitchoverApproval({ arn, stateMachineArn: world.manifest.sm }, new Date()));
    const run = await cli('status', ...STACK, '--text');
    expect(run.stdout).toMatch(/Phase {6}WAITING FOR APPROVAL · step 4 of 4 \(100 %\)/);
    expect(run.stdout).toMatch(/Approval {3}WAITING since \d\d:\d\d:\d\dZ for: switchover/);
    expect(run.stdout).toContain('approve: payment-migration approve --stack PaymentTarget\n');
  });

  test('approve: the task token found in the history reaches SendTaskSuccess', async () => {
    const run = await cli('approve', ...STACK);
    expect(run.stdout).toMatch(/Approved: switchover/);
    expect(run.code).toBe(0);
    const sent = world.recorded.filter((r) => r.target === 'SendTaskSuccess');
    expect(sent).toHaveLength(1);
    expect(sent[0].body.taskToken).toBe(TOKEN);
    expect(JSON.parse(sent[0].body.output)).toMatchObject({ approvedBy: 'payment-migration console' });
  });

  test('reject: SendTaskFailure with the token and the reason', async () => {
    const run = await cli('reject', ...STACK, '--reason', 'legacy still takes traffic');
    expect(run.stdout).toMatch(/Rejected: switchover .*\n {2}The cutover rolls back/);
    const sent = world.recorded.filter((r) => r.target === 'SendTaskFailure');
    expect(sent).toEqual([{ target: 'SendTaskFailure', body: { taskToken: TOKEN, error: 'Rejected', cause: 'legacy still takes traffic' } }]);
  });
});

describe('status --watch without a TTY: one JSON line per change, until the cutover ends', () => {
  test('a change in moto is one more line; the end is the last line and the exit code', async () => {
    const arn = (await world.sfn().send(new StartExecutionCommand({ stateMachineArn: world.manifest.sm, name: 'watched' }))).executionArn!;
    world.histories.set(arn, bakingStep2({ arn, stateMachineArn: world.manifest.sm }, 200, new Date()));
    const { lines, exited } = watchJson(bundle, world.endpoint, ['status', '--watch', '--interval', '1', ...STACK]);
    const until = async (n: number) => {
      for (let i = 0; i < 100 && lines.length < n; i++) await new Promise((r) => setTimeout(r, 100));
      expect(lines.length).toBeGreaterThanOrEqual(n);
    };
    await until(1);
    expect(lines[0].progress).toMatchObject({ phase: 'bake', step: { index: 2 } });
    // unchanged state: no new line for a few refreshes
    await new Promise((r) => setTimeout(r, 2500));
    expect(lines).toHaveLength(1);
    // WHEN a gate goes to ALARM and then the cutover rolls back
    await world.setAlarm(world.manifest.alarms[0], 'ALARM', 'Threshold Crossed: lag 1500 ms');
    await until(2);
    expect(lines[1].gates[0]).toMatchObject({ state: 'ALARM', reason: 'Threshold Crossed: lag 1500 ms' });
    world.histories.set(arn, rolledBackAtStep2({ arn, stateMachineArn: world.manifest.sm }, new Date()));
    await world.sfn().send(new StopExecutionCommand({ executionArn: arn }));
    expect(await exited).toBe(10);
    expect(lines[lines.length - 1].progress).toMatchObject({ phase: 'rolled-back', error: 'CutoverRolledBack' });
    await world.setAlarm(world.manifest.alarms[0], 'OK', 'back to normal');
  });
});

describe('after the cutover: the exit code tells how it ended', () => {
  test.each([
    ['CutoverRolledBack', 10, /ROLLED BACK/],
    ['RollbackFailed', 11, /ROLLBACK FAILED — ACT BY HAND[\s\S]*ManualRollback/],
  ] as const)('%s → exit %d', async (outcome, code, screen) => {
    const [running] = await executions('RUNNING');
    const arn = running?.executionArn ?? (await world.sfn().send(new StartExecutionCommand({ stateMachineArn: world.manifest.sm, name: `ended-${outcome}` }))).executionArn!;
    world.histories.set(arn, rolledBackAtStep2({ arn, stateMachineArn: world.manifest.sm }, new Date(), outcome));
    await world.sfn().send(new StopExecutionCommand({ executionArn: arn }));
    expect((await world.sfn().send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('ABORTED');
    const run = await cli('status', ...STACK, '--text');
    expect(run.stdout).toMatch(screen);
    expect(run.stdout).toMatch(/Split {6}intended {2}source 100 \/ target 0/);
    expect(run.code).toBe(code);
    const watch = await cli('status', '--watch', ...STACK, '--json');
    expect(watch.stdout.trim().split('\n')).toHaveLength(1);
    expect(watch.code).toBe(code);
  });
});
