import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeExecutionCommand, ListExecutionsCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { MotoWorld, referenceWorld, watchJson } from './moto-world';
import { runCli } from '../../console/cli-bundle';
import { bakingAfterSwitchover } from '../../console/histories';

jest.setTimeout(90_000);

// GIVEN the reference target stack deployed into moto — the three workflows, the cutover record's table (empty), the
// control parameter at RUN — and the CLI bundled as the package ships it. moto's Step Functions runs no definition:
// the record is written here as the workflows' claims leave it, and executions are started (RUNNING) or stopped
// (ABORTED, an ended holder) by hand.
let world: MotoWorld;
let bundle: string;
const cli = (...args: string[]) => runCli(bundle, world.endpoint, args);
const STACK = ['--stack', 'PaymentTarget'];
const AT = '2026-12-01T21:58:00.000Z';
let n = 0;
const unique = (prefix: string) => `${prefix}-${++n}`;

beforeAll(async () => {
  ({ world, bundle } = await referenceWorld());
});
afterAll(async () => world?.stop());

/** Step Functions requests the CLI made (through the recording proxy) since `from`. */
const started = (from: number) => world.recorded.slice(from).filter((r) => r.target === 'StartExecution');

/**
 * `recover` that starts a recovery. The console names it by the UTC second (`recover-20261201T215800Z`, as the
 * runbook's raw command does): one owner per record makes that unique in use, but this file starts several a second.
 */
let lastRecovery = 0;
async function recoverCli(...args: string[]) {
  while (Math.floor(Date.now() / 1000) <= lastRecovery) await new Promise((r) => setTimeout(r, 50));
  const run = await cli('recover', ...args);
  lastRecovery = Math.floor(Date.now() / 1000);
  return run;
}

async function executionsOf(stateMachineArn: string) {
  return (await world.sfn().send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];
}

describe('status shows the record', () => {
  test('never claimed: IDLE, a cutover may start; in the JSON too', async () => {
    await world.record({});
    const text = await cli('status', ...STACK, '--text');
    expect(text.stdout).toMatch(/Record {5}IDLE — never claimed: no cutover has run; a cutover may start/);
    expect(text.code).toBe(0);
    const json = JSON.parse((await cli('status', ...STACK, '--json')).stdout);
    expect(json.record).toEqual({ table: world.manifest.tbl, phase: 'IDLE', exists: false, verdict: 'idle' });
  });

  test('STUCK: the holder, since when, and exactly the command that recovers it; exit 11', async () => {
    // GIVEN a rollback that could not finish: the cutover execution ended (FAILED on AWS; stopped in moto), the record STUCK
    const owner = await world.execution(world.manifest.sm, unique('cutover-stuck'), { stopped: true });
    await world.record({ phase: 'STUCK', owner, cutover: owner, at: AT, by: world.manifest.sm.split(':').pop(), claims: 7 });
    // WHEN
    const text = await cli('status', ...STACK, '--text', '--width', '200');
    // THEN
    expect(text.stdout).toContain([
      `Record     STUCK · held by ${owner.split(':').pop()} (cutover, ABORTED) since 21:58:00Z`,
      '           a rollback could not finish: nothing automatic acts on it again',
      '           recover: payment-migration recover --stack PaymentTarget  (writer first, then traffic; the record ends IDLE)',
    ].join('\n'));
    expect(text.code).toBe(11);
    const json = JSON.parse((await cli('status', ...STACK, '--json')).stdout);
    expect(json.record).toMatchObject({ phase: 'STUCK', since: AT, claims: 7, verdict: 'recoverable', holder: { arn: owner, workflow: 'cutover', status: 'ABORTED' } });
  });

  test('a stack deployed before the record (no tbl in its manifest): status says so and works; recover says to redeploy', async () => {
    // GIVEN the same stack's manifest as an older library wrote it
    const { tbl: _tbl, ...older } = world.manifest;
    await new CloudFormationClient(world.config()).send(new CreateStackCommand({
      StackName: 'PaymentOlder',
      TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: { MigrationConsoleManifest0A1B2C3D: { Value: JSON.stringify(older) } } }),
    }));
    const status = await cli('status', '--stack', 'PaymentOlder', '--text');
    expect(status.stdout).toMatch(/Record {5}not in this stack's console manifest: deployed with an older cdk-payment-migration \(redeploy to see it\)/);
    expect(status.stdout).toMatch(/Gates/);
    const recover = await cli('recover', '--stack', 'PaymentOlder');
    expect(recover.stderr).toMatch(/names no cutover record table \(key tbl\): the stack was deployed with an older cdk-payment-migration[\s\S]*Redeploy it/);
    expect(recover.code).toBe(3);
  });
});

describe('recover', () => {
  test.each([
    ['never claimed', {}, /^Nothing to recover: the cutover record is IDLE \(never claimed\) — no workflow holds it\. A cutover may start: payment-migration start --stack PaymentTarget/],
    ['released to IDLE', { phase: 'IDLE', at: AT, lastOwner: 'arn:aws:states:eu-west-1:111111111111:execution:x:y' }, /^Nothing to recover: the cutover record is IDLE since 2026-12-01T21:58:00\.000Z — no workflow holds it/],
    ['COMPLETE', { phase: 'COMPLETE', at: AT, owner: 'arn:aws:states:eu-west-1:111111111111:execution:x:done' }, /^Nothing to recover: the cutover is complete \(record COMPLETE since 2026-12-01T21:58:00\.000Z\): traffic and the writer are on the target\. COMPLETE is final\./],
  ])('%s: nothing to recover, refused (exit 12), no recovery started', async (_name, record, message) => {
    await world.record(record);
    const from = world.recorded.length;
    const run = await cli('recover', ...STACK);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(12);
    expect(started(from)).toEqual([]);
  });

  test.each([
    ['the cutover', 'sm', 'SHIFTING', 'cutover'],
    ['an alarm rollback', 'rb', 'ROLLING_BACK', 'alarm rollback'],
    ['a recovery', 'rc', 'ROLLING_BACK', 'recovery'],
  ] as const)('held by %s that still runs: refused, names it; no recovery started', async (_name, machine, phase, workflow) => {
    const owner = await world.execution(world.manifest[machine], unique('running'));
    await world.record({ phase, owner, at: AT });
    const from = world.recorded.length;
    const run = await cli('recover', ...STACK);
    expect(run.stderr).toMatch(new RegExp(`^Refused: ${owner.split(':').pop()} \\(${workflow}\\) still runs and holds the cutover record \\(${phase} since ${AT.replace(/\./g, '\\.')}\\): it decides, nothing to recover\\.`));
    expect(run.stderr).toMatch(/Watch it: payment-migration status --watch --stack PaymentTarget/);
    if (workflow === 'cutover') expect(run.stderr).toMatch(/To roll it back now: payment-migration abort --stack PaymentTarget/);
    expect(run.code).toBe(12);
    expect(started(from)).toEqual([]);
    await world.sfn().send(new StopExecutionCommand({ executionArn: owner }));
  });

  // Every ending that is neither IDLE nor COMPLETE and has no running holder: STUCK, or a held phase whose holder
  // ended — whichever of the three workflows it was, and also one Step Functions no longer lists.
  test.each([
    ['STUCK', 'cutover', 'sm'],
    ['STUCK', 'alarm rollback', 'rb'],
    ['STUCK', 'recovery', 'rc'],
    ['SHIFTING', 'cutover', 'sm'],
    ['SWITCHING', 'cutover', 'sm'],
    ['ROLLING_BACK', 'alarm rollback', 'rb'],
    ['ROLLING_BACK', 'recovery', 'rc'],
    ['SWITCHING', 'cutover', 'gone'],
  ] as const)('%s held by an ended %s (%s): the recovery starts with that owner and manual:true', async (phase, workflow, machine) => {
    // GIVEN
    const owner = machine === 'gone'
      ? world.manifest.sm.replace(':stateMachine:', ':execution:') + ':cutover-20260101T000000Z'
      : await world.execution(world.manifest[machine], unique('ended'), { stopped: true });
    await world.record({ phase, owner, at: AT });
    const from = world.recorded.length;
    // WHEN
    const run = await recoverCli(...STACK);
    // THEN one recovery execution, of the recovery workflow, whose input names the owner and manual:true
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const calls = started(from);
    expect(calls).toHaveLength(1);
    expect(calls[0].body).toMatchObject({ stateMachineArn: world.manifest.rc, name: expect.stringMatching(/^recover-\d{8}T\d{6}Z$/) });
    const arn = run.stdout.match(/execution (arn:aws:states:\S+)/)![1];
    const described = await world.sfn().send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(described.stateMachineArn).toBe(world.manifest.rc);
    expect(JSON.parse(described.input!)).toEqual({ execution: owner, manual: true });
    // AND it says what it does and how to watch it
    const status = machine === 'gone' ? 'no longer listed' : 'ABORTED';
    expect(run.stdout).toContain(`Started recovery ${described.name}: it takes the cutover record over from ${owner.split(':').pop()} (${workflow === 'cutover' && machine === 'gone' ? 'cutover' : workflow}, ${status}; ${phase} since ${AT})`);
    expect(run.stdout).toContain('and rolls back: the database writer first (if it moved), then traffic to the source; the record ends IDLE.');
    expect(run.stdout).toContain(`watch:  payment-migration status --watch --stack PaymentTarget   (Record: ROLLING_BACK held by ${described.name}, then IDLE)`);
    expect(run.stdout).toContain(`aws stepfunctions describe-execution --region eu-west-1 --execution-arn ${arn}`);
    await world.sfn().send(new StopExecutionCommand({ executionArn: arn }));
  });

  test('--json: the recovery, the owner it takes over from, the phase', async () => {
    const owner = await world.execution(world.manifest.sm, unique('ended-json'), { stopped: true });
    await world.record({ phase: 'STUCK', owner, at: AT });
    const run = await recoverCli(...STACK, '--json');
    expect(JSON.parse(run.stdout)).toEqual({ recovery: expect.stringMatching(/:execution:.*:recover-\d{8}T\d{6}Z$/), from: owner, phase: 'STUCK' });
    await world.sfn().send(new StopExecutionCommand({ executionArn: JSON.parse(run.stdout).recovery }));
  });
});

describe('start: only from IDLE', () => {
  test.each([
    ['STUCK', true, /^Refused: the migration is not idle: the cutover record is STUCK · held by \S+ \(cutover, ABORTED\) since 21:58:00Z — a rollback could not finish\.\nRecover first \(the database writer first, then traffic; the record ends IDLE\): payment-migration recover --stack PaymentTarget\nThen start again\./],
    ['SWITCHING', true, /^Refused: the migration is not idle: the cutover record is SWITCHING · held by \S+ \(cutover, ABORTED\) since 21:58:00Z — it ended holding the record\.\nRecover first[\s\S]*payment-migration recover --stack PaymentTarget/],
    ['ROLLING_BACK', false, /^Refused: the migration is not idle: \S+ \(alarm rollback\) runs and holds the cutover record \(ROLLING_BACK since 2026-12-01T21:58:00\.000Z\)\.\nWait until it ends: payment-migration status --watch --stack PaymentTarget/],
    ['COMPLETE', true, /^Refused: the cutover is complete \(record COMPLETE since 2026-12-01T21:58:00\.000Z\): traffic and the writer are on the target\. COMPLETE is final; the workflow refuses a new cutover too\./],
  ] as const)('record %s: refused, says why and what to do; no execution started', async (phase, ended, message) => {
    const owner = await world.execution(phase === 'ROLLING_BACK' ? world.manifest.rb : world.manifest.sm, unique('holder'), { stopped: ended });
    await world.record({ phase, owner, at: AT });
    const before = (await executionsOf(world.manifest.sm)).length;
    const from = world.recorded.length;
    const run = await cli('start', ...STACK);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(12);
    expect(started(from)).toEqual([]);
    expect(await executionsOf(world.manifest.sm)).toHaveLength(before);
    // the practice run says the same, as a failed check
    const practice = await cli('start', '--dry-run', ...STACK);
    expect(practice.stdout).toMatch(new RegExp(`FAIL {2}cutover record IDLE: ${phase} · held by`));
    expect(practice.code).toBe(12);
    if (!ended) await world.sfn().send(new StopExecutionCommand({ executionArn: owner }));
  });

  test('IDLE with a SKIP_BAKE left over: started (the cutover takes only a value written after its start)', async () => {
    await world.record({ phase: 'IDLE', at: AT });
    await world.ssm().send(new PutParameterCommand({ Name: world.manifest.ctl, Value: 'SKIP_BAKE', Type: 'String', Overwrite: true }));
    const practice = await cli('start', '--dry-run', ...STACK);
    expect(practice.stdout).toMatch(/PASS {2}cutover record IDLE: IDLE since 21:58:00Z — no workflow holds it: a cutover may start/);
    expect(practice.stdout).toMatch(/PASS {2}control parameter not PAUSE or ABORT: \S+ = SKIP_BAKE \(left over: harmless, not taken by the next cutover\)/);
    const run = await cli('start', ...STACK);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Started cutover cutover-\d{8}T\d{6}Z\n/);
    expect(run.stdout).toContain('(the control parameter holds SKIP_BAKE from before: not taken, a cutover takes only a value written after its start)');
    // the value is left as it is: the console writes the parameter only when told to
    expect(await world.parameter(world.manifest.ctl)).toBe('SKIP_BAKE');
  });
});

describe('while that cutover runs, after the database switchover', () => {
  let arn: string;

  beforeAll(async () => {
    const [running] = (await world.sfn().send(new ListExecutionsCommand({ stateMachineArn: world.manifest.sm, statusFilter: 'RUNNING' }))).executions ?? [];
    arn = running.executionArn!;
    // the cutover claimed SWITCHING and moved the writer; it bakes on the new writer
    world.histories.set(arn, bakingAfterSwitchover({ arn, stateMachineArn: world.manifest.sm }, 420, new Date()));
    await world.record({ phase: 'SWITCHING', owner: arn, cutover: arn, at: AT });
  });
  afterAll(async () => world.sfn().send(new StopExecutionCommand({ executionArn: arn })));

  test('status: the record is SWITCHING, held by the running cutover, which decides', async () => {
    const run = await cli('status', ...STACK, '--text', '--width', '200');
    expect(run.stdout).toContain(`Record     SWITCHING · held by ${arn.split(':').pop()} (cutover, RUNNING) since 21:58:00Z — it runs and decides\n`);
    expect(run.stdout).toMatch(/Control {4}SKIP_BAKE \(read at the next poll of a bake\)/);
    expect(run.code).toBe(0);
  });

  test('abort is accepted (it was refused during the database phase): ABORT written', async () => {
    const run = await cli('abort', ...STACK);
    expect(run.stdout).toContain(`${world.manifest.ctl}: SKIP_BAKE → ABORT`);
    expect(run.stdout).toMatch(/rolls back at its next poll — in any bake, or right before the database switchover: the database writer first/);
    expect(run.code).toBe(0);
    expect(await world.parameter(world.manifest.ctl)).toBe('ABORT');
  });

  test('recover is refused: the running cutover holds the record and rolls back itself', async () => {
    const from = world.recorded.length;
    const run = await cli('recover', ...STACK);
    expect(run.stderr).toMatch(/still runs and holds the cutover record \(SWITCHING since[\s\S]*To roll it back now: payment-migration abort --stack PaymentTarget/);
    expect(run.code).toBe(12);
    expect(started(from)).toEqual([]);
  });
});

describe('status --watch follows a recovery to its end', () => {
  test('the cutover has ended, the recovery holds the record: watching goes on until the record is released', async () => {
    // GIVEN the cutover stopped (the newest execution, ABORTED) and a recovery that runs and holds the record
    const recovery = await world.execution(world.manifest.rc, unique('recover'));
    await world.record({ phase: 'ROLLING_BACK', owner: recovery, at: AT });
    const { lines, child, exited } = watchJson(bundle, world.endpoint, ['status', '--watch', '--json', '--interval', '1', ...STACK]);
    for (let i = 0; i < 100 && lines.length < 1; i++) await new Promise((r) => setTimeout(r, 100));
    // THEN it keeps watching while the recovery runs, although the cutover execution has ended
    expect(lines[0]).toMatchObject({ execution: { status: 'ABORTED' }, record: { phase: 'ROLLING_BACK', verdict: 'held', holder: { arn: recovery, workflow: 'recovery' } } });
    await new Promise((r) => setTimeout(r, 2500));
    expect(child.exitCode).toBeNull();
    // WHEN the recovery releases the record and ends
    await world.record({ phase: 'IDLE', lastOwner: recovery, at: AT });
    await world.sfn().send(new StopExecutionCommand({ executionArn: recovery }));
    // THEN watching ends with the cutover's outcome: rolled back, traffic on the source
    expect(await exited).toBe(10);
    expect(lines[lines.length - 1].record).toMatchObject({ phase: 'IDLE', verdict: 'idle' });
  });
});
