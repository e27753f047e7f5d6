import { childInput, endingOf, syncAnswer } from './child-execution';
import { isoAt } from './dms-world';
import { LocalHandler, localOverrides } from './local-stepfunctions';
import { AccountContext, accountCall } from './simulation-account';
import { Invariants } from './simulation-invariants';
import { Actor, errorPrefix, generator, prepareWorkflows, RetryTracker, SimulationOptions, SimulationResult } from './simulation-support';
import { awsError, round, World } from './world';

/**
 * The real synthesized workflows (cutover, alarm rollback, recovery, bakes) run *concurrently* against one simulated
 * account; a seeded scheduler picks which pending call, timer or event completes next and injects faults and operators
 * (throttling, lost answers, late and duplicated events, flapping alarms, commands, stops, second starts). After every
 * step the invariants are checked (simulation-invariants.ts); a seed replays exactly.
 */

interface Execution {
  readonly id: string;
  readonly actor: Actor;
  readonly startedAt: number;
  runnable: boolean;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  error?: string;
  readonly pending: Set<Pending>;
  abort?: () => void;
  /** How it ended: its output, or its error and cause (a bake's parent reads it, `startExecution.sync:2`). */
  ending?: Promise<{ output?: unknown; error?: string; cause?: string }>;
  /** The execution waiting for this one to end (`.sync:2`): runnable again when it does. */
  waiter?: Execution;
}

interface Pending { readonly apply: () => void; dropped: boolean }

const EXECUTION_PREFIX = 'arn:aws:states:eu-west-1:111111111111:execution';

/** Runs one seed. */
export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const prepared = options.prepared ?? prepareWorkflows(options.template, options);
  const { asl, dmsRefs } = prepared;
  const dms = dmsRefs.writer !== undefined;
  const rand = generator(options.seed);
  const horizon = options.horizon ?? 150;
  let throttle = options.throttle ?? 0.03;
  let lostAnswer = options.lostAnswer ?? 0.01;
  // The fleets: each enforces a new writer value after its own cache delay; some seeds have a slow one, or one that
  // never reads the parameter (a legacy fleet outside the contract, a partitioned host).
  const fleets: Record<string, number> = { aws: 0.3 + rand() * 3, datacenter: 0.3 + rand() * 5 };
  const odd = rand();
  if (odd < 0.1) fleets[rand() < 0.5 ? 'aws' : 'datacenter'] = 10 + rand() * 30;
  else if (odd < 0.13) fleets[rand() < 0.5 ? 'aws' : 'datacenter'] = -1;
  const world = new World({
    name: `seed ${options.seed}`,
    insyncAfter: 2,
    switchoverSeconds: 12,
    switchBackSeconds: 12,
    dms: dms ? { initialStatus: 'running', forwardDrainSeconds: 8, reverseDrainSeconds: 8, fleets } : undefined,
  }, async () => undefined);
  const trace: string[] = [];
  const violations: string[] = [];
  const mix: Record<string, number> = {};
  const count = (what: string) => { mix[what] = (mix[what] ?? 0) + 1; };
  const log = (text: string) => trace.push(`${round(world.now).toFixed(1).padStart(6)}  ${text}`);
  const executions = new Map<string, Execution>();
  let seq = 0;
  const queue: Array<{ at: number; seq: number; what: string; fire: () => void }> = [];
  const at = (delay: number, what: string, fire: () => void) => queue.push({ at: world.now + delay, seq: seq++, what, fire });
  let alarm = 'OK';
  let injecting = true;
  /** How busy this seed's world is: calm seeds reach the writer phase, busy ones race in it. */
  const intensity = rand() ** 2;
  let lastCommand: { value: string; t: number; whileRunning: boolean } | undefined;
  const poll = Math.min(...Object.entries(prepared.waits).filter(([k]) => (k.startsWith('cutover/') || k.startsWith('bake/')) && /wait$/.test(k)).map(([, v]) => v), 60);

  // --- The workflows, on aws-local-stepfunctions, every Task and Wait routed through the scheduler
  function start(actor: Actor, input: any): Execution | undefined {
    if (!asl[actor]) return undefined;
    const id = `${EXECUTION_PREFIX}:${actor}:e${++seq}`;
    const exec: Execution = { id, actor, startedAt: world.now, runnable: true, status: 'RUNNING', pending: new Set() };
    executions.set(id, exec);
    count(`start ${actor}`);
    log(`${actor} ${id.split(':').pop()} starts ${JSON.stringify(input)}`);
    const overrides = localOverrides(asl[actor].States, (name, state): LocalHandler | undefined => {
      if (state.Resource === 'arn:aws:states:::aws-sdk:simulation:wait') {
        const seconds = prepared.waits[`${actor}/${name}`];
        return (value) => block(exec, seconds, `wait ${name}`, () => value);
      }
      if (state.Type === 'Task' && /:states:startExecution\.sync:2$/.test(String(state.Resource))) {
        return (params) => startAndWait(exec, String(state.Resource), params, name);
      }
      if (state.Type !== 'Task') return undefined;
      const resource = String(state.Resource);
      // A retry waits its interval on the virtual clock, as Step Functions would.
      const tracker = new RetryTracker(state);
      return async (params) => {
        if (actor === 'cutover' && injecting && rand() < 0.04 * intensity) inject();
        const backoff = tracker.delay();
        const answer = () => accountCall(account, actor, resource, params, name);
        return tracker.attempt(() => block(exec, backoff + 0.05 + rand() * 0.6, name, answer, errorPrefix(resource)));
      };
    });
    const run = prepared.machines[actor]!.run(input, {
      overrides,
      context: {
        Execution: { Id: id, Name: id.split(':').pop(), StartTime: isoAt(world.now), RoleArn: 'arn:aws:iam::111111111111:role/simulation' },
        StateMachine: { Id: `arn:aws:states:eu-west-1:111111111111:stateMachine:${actor}`, Name: actor },
        State: { get EnteredTime() { return isoAt(world.now); }, Name: 'state' },
        Task: { Token: 'simulation-task-token' },
      },
    });
    exec.abort = () => run.abort();
    exec.ending = run.result.then((output: unknown) => ({ output }), (e: unknown) => endingOf(e));
    run.result.then(() => end(exec, 'SUCCEEDED'), (e: any) => {
      if (exec.status !== 'RUNNING') return;
      const error = e?.cause?.name ?? e?.name ?? 'Error';
      if (process.env.SIMULATION_TRACE) log(`${actor} cause: ${e?.cause?.message ?? e?.message}`);
      end(exec, e?.constructor?.name === 'ExecutionAbortedError' ? 'ABORTED' : 'FAILED', error);
    });
    return exec;
  }

  function end(exec: Execution, status: Execution['status'], error?: string): void {
    if (exec.status !== 'RUNNING') return;
    exec.status = status;
    exec.error = error;
    exec.runnable = false;
    log(`${exec.actor} ${exec.id.split(':').pop()} ends ${status}${error ? ` (${error})` : ''}`);
    if (exec.waiter?.status === 'RUNNING') exec.waiter.runnable = true;
    if (status !== 'SUCCEEDED' && asl.recovery && exec.actor !== 'bake') {
      // "Step Functions Execution Status Change", at least once: delayed, sometimes twice
      deliver(`status change of ${exec.id.split(':').pop()}`, () => start('recovery', { execution: exec.id }));
    }
  }

  /**
   * `startExecution.sync:2`: the StartExecution call is a call like any other (throttled: no child; applied with its
   * answer lost: a child its parent does not wait for, which only reads); then the parent waits for the child's end
   * (not runnable meanwhile; the child's end makes it runnable) and gets what Step Functions returns
   * (child-execution.ts). A stopped parent's child runs on: harmless, a bake only reads.
   */
  async function startAndWait(exec: Execution, resource: string, params: any, state: string): Promise<any> {
    const child = await block(exec, 0.05 + rand() * 0.6, state, () => accountCall(account, exec.actor, resource, params, state), 'StepFunctions') as Execution;
    const startDate = isoAt(world.now);
    if (child.status === 'RUNNING') {
      exec.runnable = false;
      child.waiter = exec;
    }
    const ended = await child.ending!;
    const description = { ExecutionArn: child.id, StateMachineArn: params.StateMachineArn, Name: child.id.split(':').pop()!, Input: childInput(params.Input), StartDate: startDate };
    const status = child.status === 'RUNNING' ? 'FAILED' : child.status;
    return syncAnswer(description, { status, stopDate: isoAt(world.now), ...ended });
  }

  function deliver(what: string, fire: () => void): void {
    at(0.2 + rand() * 4, `event: ${what}`, fire);
    if (rand() < 0.2) {
      count('duplicated event');
      at(0.2 + rand() * 8, `event (duplicate): ${what}`, fire);
    }
  }

  /** A Task or Wait of `exec`: it completes when the scheduler fires it; a stopped execution's call may land or not. */
  function block(exec: Execution, delay: number, what: string, result: () => any, service?: string): Promise<any> {
    exec.runnable = false;
    return new Promise((resolve, reject) => {
      const pending: Pending = { apply: () => undefined, dropped: false };
      let outcome: { ok: boolean; value: any } | undefined;
      const apply = () => {
        if (outcome) return;
        try {
          outcome = { ok: true, value: result() };
        } catch (e) {
          outcome = { ok: false, value: e };
        }
      };
      (pending as { apply: () => void }).apply = apply;
      exec.pending.add(pending);
      at(delay, `${exec.actor}: ${what}`, () => {
        exec.pending.delete(pending);
        if (pending.dropped || exec.status !== 'RUNNING') return;
        const fault = service === undefined ? 1 : rand();
        const out = options.outage;
        if (out && injecting && service === out.service && world.now >= out.from && world.now < out.until) {
          count(`outage ${service}`);
          log(`${exec.actor}: ${what} refused (${service} outage)`);
          outcome = { ok: false, value: awsError(`${service}.${service}Exception`, 'Service unavailable') };
        } else if (fault < throttle) {
          count('throttled');
          log(`${exec.actor}: ${what} throttled`);
          outcome = { ok: false, value: awsError(service === 'Route53' ? 'Route53.Route53Exception' : `${service}.ThrottlingException`, 'Rate exceeded') };
        } else {
          apply();
          if (fault < throttle + lostAnswer && outcome!.ok) {
            count('answer lost');
            log(`${exec.actor}: ${what} applied, answer lost`);
            outcome = { ok: false, value: awsError(service === 'Route53' ? 'Route53.Route53Exception' : `${service}.InternalServerErrorException`, 'answer lost') };
          }
        }
        exec.runnable = true;
        if (outcome!.ok) resolve(outcome!.value);
        else reject(outcome!.value);
      });
    });
  }

  function stop(target: Execution, by: string, error?: string): void {
    if (target.status !== 'RUNNING') return;
    // A call it had in flight lands before the stop returns, or never (StopExecution is synchronous).
    for (const p of target.pending) {
      if (rand() < 0.5) p.apply();
      p.dropped = true;
    }
    log(`${by} stops ${target.actor} ${target.id.split(':').pop()}${error ? ` (${error})` : ''}`);
    end(target, 'ABORTED', error);
    target.abort?.();
  }

  const account: AccountContext = {
    world,
    dmsRefs,
    log,
    executions: () => [...executions.values()],
    stop: (arn, by, error) => {
      const target = executions.get(arn);
      if (target) stop(target, by, error);
    },
    notification: (actor, subject) => notification(actor, subject),
    alarm: () => alarm,
    prepared,
    startChild: (input) => start('bake', input),
    targetCluster: { arn: /arn:aws:rds:[a-z0-9-]+:\d{12}:cluster:[a-z][a-z0-9-]*/.exec(JSON.stringify(asl.cutover))?.[0] ?? 'arn:aws:rds:eu-west-1:111111111111:cluster:target' },
  };

  // --- Invariants (simulation-invariants.ts)
  const invariants = new Invariants(world, violations, dms, JSON.stringify(asl.cutover).includes('switchoverGlobalCluster') || dms, account.targetCluster);
  function notification(actor: Actor, subject: string): void {
    log(`${actor}: SNS "${subject}"`);
    invariants.notification(subject, lastCommand, poll);
  }

  // --- Injected actors: the cutover (and a second start), alarms, the operator
  at(0, 'operator starts the cutover', () => start('cutover', {}));
  if (rand() < 0.3) at(rand() * 3, 'operator starts a second cutover', () => { count('second start'); start('cutover', {}); });
  const flaps = Math.floor(rand() * 3 * intensity);
  for (let i = 0; i < flaps; i++) {
    const from = rand() * horizon;
    const length = 2 + rand() * 40;
    at(from, 'alarm → ALARM', () => {
      alarm = 'ALARM';
      count('alarm');
      log('world: gating alarm → ALARM');
      if (asl['alarm-rollback']) deliver('alarm ALARM', () => start('alarm-rollback', { alarm: 'Gate', time: isoAt(world.now) }));
    });
    at(from + length, 'alarm → OK', () => { alarm = 'OK'; log('world: gating alarm → OK'); });
  }
  const command = (value: string) => {
    count(`operator ${value}`);
    world.control = value;
    world.controlVersion++;
    const whileRunning = [...executions.values()].some((e) => e.actor === 'cutover' && e.status === 'RUNNING');
    lastCommand = { value, t: world.now, whileRunning };
    log(`operator: control ← ${value}`);
  };
  const stopOne = () => {
    const running = [...executions.values()].filter((e) => e.status === 'RUNNING');
    if (running.length === 0) return;
    count('operator stop-execution');
    stop(running[Math.floor(rand() * running.length)], 'operator');
  };
  const flip = () => {
    alarm = 'ALARM';
    count('alarm');
    log('world: gating alarm → ALARM');
    if (asl['alarm-rollback']) deliver('alarm ALARM', () => start('alarm-rollback', { alarm: 'Gate', time: isoAt(world.now) }));
    at(2 + rand() * 30, 'alarm → OK', () => { alarm = 'OK'; log('world: gating alarm → OK'); });
  };
  /** One action forced near a call of the cutover: the interleavings that matter are there. */
  function inject(): void {
    const r = rand();
    const delay = rand() * 1.5;
    count('forced interleaving');
    if (r < 0.4) at(delay, 'forced: alarm', flip);
    else if (r < 0.7) at(delay, 'forced: operator ABORT', () => command('ABORT'));
    else if (r < 0.8) at(delay, 'forced: operator SKIP_BAKE', () => command('SKIP_BAKE'));
    else if (r < 0.9) at(delay, 'forced: stop', stopOne);
    else at(delay, 'forced: second start', () => { count('second start'); start('cutover', {}); });
  }
  const commands = Math.floor(rand() * 4 * intensity);
  for (let i = 0; i < commands; i++) {
    const when = rand() * horizon;
    const r = rand();
    if (r < 0.8) {
      const value = ['PAUSE', 'RUN', 'SKIP_BAKE', 'ABORT'][Math.floor(rand() * 4)];
      at(when, `operator ${value}`, () => command(value));
    } else {
      at(when, 'operator stops an execution', stopOne);
    }
  }

  // --- The scheduler
  const settle = async () => {
    for (let spins = 0; [...executions.values()].some((e) => e.runnable) && spins < 10000; spins++) {
      await new Promise((r) => setImmediate(r));
    }
  };
  let steps = 0;
  const drain = async (limit: number, until: () => boolean = () => false) => {
    while (queue.length > 0 && steps < limit && !until()) {
      queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = queue.shift()!;
      world.now = Math.max(world.now, next.at);
      next.fire();
      steps++;
      await settle();
      invariants.always();
    }
  };
  await settle();
  await drain(20000);

  // At rest, nothing runs: a record still held by an ended execution was missed by the recovery workflow.
  const rest = world.record.item();
  if (rest?.owner?.S && ['SHIFTING', 'SWITCHING', 'ROLLING_BACK'].includes(rest.phase?.S ?? '') && ![...executions.values()].some((e) => e.status === 'RUNNING')) {
    violations.push(`at rest: the record is ${rest.phase?.S}, held by the ended ${rest.owner.S.split(':').slice(-2).join(' ')}: nothing recovered it`);
  }
  // An operator follows the runbook once: a STUCK record is recovered by hand (the console's `recover`).
  if (rest?.phase?.S === 'STUCK' && asl.recovery) {
    count('operator recover');
    // The operator acts in calm conditions, having fixed what the STUCK notification named (a fleet that did not refresh).
    world.dms.healFleets();
    throttle = 0;
    lostAnswer = 0;
    injecting = false;
    start('recovery', { execution: rest.owner?.S, manual: true });
    await settle();
    await drain(30000);
  }
  if ([...executions.values()].some((e) => e.status === 'RUNNING')) violations.push('an execution never ended');
  invariants.atRest();
  if (world.record.item()?.phase?.S === 'STUCK') violations.push(`at rest: STUCK after the operator's recover (${world.dms.writer}, weights ${world.weights.source}/${world.weights.target})`);
  const finalPhase = world.record.item()?.phase?.S ?? 'IDLE';
  // No cutover succeeded yet the traffic or the writer is not on the source (a rollback that failed and was not
  // recovered): the operator follows the runbook's manual rollback, then the next cutover must be able to start.
  const succeeded = [...executions.values()].some((e) => e.actor === 'cutover' && e.status === 'SUCCEEDED');
  if (violations.length === 0 && !succeeded && finalPhase !== 'COMPLETE' && (world.weights.target !== 0 || invariants.writerSide() !== 'source')) {
    count('operator manual rollback');
    log('operator: manual rollback (runbook): writer, then weights back to the source');
    if (dms) world.dms.writer = 'SOURCE';
    else world.manualSwitchBack();
    world.weights = { source: 100, target: 0 };
  }
  // The next cutover can start: with the traffic back on the source, a fresh cutover (no faults, alarms OK, a PAUSE or
  // ABORT left in the control parameter cleared with the console's `resume`) must get to its first shift.
  if (violations.length === 0 && world.weights.target === 0 && (world.record.item()?.phase?.S ?? 'IDLE') !== 'COMPLETE') {
    throttle = 0;
    lostAnswer = 0;
    injecting = false;
    alarm = 'OK';
    if (['PAUSE', 'ABORT', 'SKIP_BAKE'].includes(world.control)) {
      world.control = 'RUN';
      world.controlVersion++;
    }
    const shifts = world.weightChanges.length;
    const probe = start('cutover', {})!;
    await settle();
    await drain(60000, () => world.weightChanges.length > shifts || probe.status !== 'RUNNING');
    const forwardToReload = dms && world.dms.auroraWritesFrom !== undefined && world.dms.describe('forward').ReplicationTasks[0].Status === 'stopped';
    if (world.weightChanges.length > shifts) {
      count('next cutover starts');
    } else if (forwardToReload && probe.error === 'PreCheckFailed') {
      // After a writer move-back the forward task must be reloaded (runbook): resuming it would replay Aurora's writes,
      // and DMS documents no way to restart a full-load-and-cdc task from a time.
      count('ending: forward task to reload (runbook)');
    } else {
      violations.push(`the next cutover cannot start: it ended ${probe.status}${probe.error ? ` (${probe.error})` : ''} before moving traffic`);
    }
    for (const e of executions.values()) if (e.status === 'RUNNING') { e.status = 'ABORTED'; for (const p of e.pending) p.dropped = true; e.abort?.(); }
  }
  const whole = violations.length > 0 || options.fullTrace || process.env.SIMULATION_TRACE;
  return { seed: options.seed, violations, trace: whole ? trace : trace.slice(-5), mix, finalPhase };
}

export { prepareWorkflows } from './simulation-support';
export type { PreparedWorkflows, SimulationOptions, SimulationResult } from './simulation-support';
