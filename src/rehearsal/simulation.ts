import { unknownMembers } from './api-shapes';
import { bakeMachineOf, childInput, endingOf, isNamed, syncAnswer } from './child-execution';
import { isoAt } from './dms-world';
import { loadLocalStepFunctions, polyfillPromiseWithResolvers } from './local-stepfunctions';
import { CfnTemplate, ResolveOptions, stateMachinesOf } from './resolve-template';
import type { Workflow } from './scenario';
import { awsError, PRIMARY_CLUSTER_ARN, round, World } from './world';

/**
 * A deterministic simulation of the real synthesized workflows — the cutover, the alarm rollback and the recovery —
 * running *concurrently* against one simulated account. A seeded scheduler decides which pending AWS call, timer or
 * event completes next; it injects throttling and 5xx, calls applied whose answer is lost, EventBridge events
 * delayed and duplicated, alarms flapping, operator commands and stopped executions, and second starts. After every
 * step it checks the invariants; one seed replays exactly (same seed, same template, same trace).
 */

/** What a simulation explores. */
export interface SimulationOptions extends ResolveOptions {
  readonly template: CfnTemplate;
  readonly seed: number;
  /** The template's workflows, prepared once (see {@link prepareWorkflows}); prepared from `template` when absent. */
  readonly prepared?: PreparedWorkflows;
  /** Virtual seconds during which alarms and operator actions are injected. @default 150 */
  readonly horizon?: number;
  /** Probability that an AWS call is throttled (not applied) / applied with its answer lost. @default 0.04 / 0.02 */
  readonly throttle?: number;
  readonly lostAnswer?: number;
}

/** What one seed found. */
export interface SimulationResult {
  readonly seed: number;
  /** Invariants broken, each with the virtual time; empty when the seed passed. */
  readonly violations: string[];
  /** The last lines of the trace (the whole trace when `violations` is not empty). */
  readonly trace: string[];
  /** How many of each actor and fault the seed exercised. */
  readonly mix: Record<string, number>;
  /** The record's phase at the end. */
  readonly finalPhase: string;
}

type Actor = Workflow | 'bake';
/** A bake is the cutover's (it only reads; the world's logs know the three workflows). */
const workflowOf = (actor: Actor): Workflow => (actor === 'bake' ? 'cutover' : actor);

interface Execution {
  readonly id: string;
  readonly actor: Actor;
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

interface Pending {
  readonly apply: () => void;
  dropped: boolean;
}

/** Mulberry32: a small, fast, seedable generator. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EXECUTION_PREFIX = 'arn:aws:states:eu-west-1:111111111111:execution';

/** A template's workflows, resolved and loaded once for many seeds. */
export interface PreparedWorkflows {
  readonly asl: Record<Actor, any>;
  readonly machines: Partial<Record<Actor, { run(input: any, options?: any): any }>>;
  readonly dmsRefs: { writer?: string; forward?: string; reverse?: string };
  /** The seconds of each Wait state (they become timer tasks), by actor and state name. */
  readonly waits: Record<string, number>;
  /** The Bake state machine, as the cutover's StartExecution names it. */
  readonly bake?: ReturnType<typeof bakeMachineOf>;
}

/** Resolves the template's three workflows and loads them on aws-local-stepfunctions (Wait states become timers). */
export function prepareWorkflows(template: CfnTemplate, options: ResolveOptions = {}): PreparedWorkflows {
  polyfillPromiseWithResolvers();
  const { StateMachine } = loadLocalStepFunctions();
  const all = Object.values(stateMachinesOf(template, options));
  const find = (re: RegExp) => all.find((m) => re.test(m.Comment ?? ''));
  const asl: Record<Actor, any> = {
    'cutover': find(/^Payment migration cutover/),
    'alarm-rollback': find(/^Rolls a running cutover back/),
    'recovery': find(/^Recovers a cutover execution/),
    // each bake of the cutover runs as a child execution of it (startExecution.sync:2)
    'bake': bakeMachineOf(template, options)?.asl,
  };
  const machines: PreparedWorkflows['machines'] = {};
  const waits: Record<string, number> = {};
  for (const actor of Object.keys(asl) as Actor[]) {
    if (!asl[actor]) continue;
    const definition = JSON.parse(JSON.stringify(asl[actor]));
    const walk = (states: Record<string, any>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Parallel') state.Branches.forEach((b: any) => walk(b.States));
        if (state.Type === 'Map') walk((state.ItemProcessor ?? state.Iterator).States);
        if (state.Type === 'Wait') {
          waits[`${actor}/${name}`] = Number(state.Seconds ?? 0);
          delete state.Seconds;
          state.Type = 'Task';
          state.Resource = 'arn:aws:states:::aws-sdk:simulation:wait';
        }
      }
    };
    walk(definition.States);
    machines[actor] = new StateMachine(definition, { validationOptions: { checkArn: false, checkPaths: false } });
    asl[actor] = definition;
  }
  return { asl, machines, waits, dmsRefs: findDmsRefs(asl.cutover), bake: bakeMachineOf(template, options) };
}

/** Runs one seed. */
export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const prepared = options.prepared ?? prepareWorkflows(options.template, options);
  const { asl, dmsRefs } = prepared;
  const dms = dmsRefs.writer !== undefined;
  const rand = generator(options.seed);
  const horizon = options.horizon ?? 150;
  let throttle = options.throttle ?? 0.04;
  let lostAnswer = options.lostAnswer ?? 0.02;
  const world = new World({ name: `seed ${options.seed}`, insyncAfter: 2, switchoverSeconds: 12, switchBackSeconds: 12, dms: dms ? { initialStatus: 'running', forwardDrainSeconds: 8, reverseDrainSeconds: 8 } : undefined }, async () => undefined);
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
  let targetClusterArn = /arn:aws:rds:[a-z0-9-]+:\d{12}:cluster:[a-z][a-z0-9-]*/.exec(JSON.stringify(asl.cutover))?.[0] ?? 'arn:aws:rds:eu-west-1:111111111111:cluster:target';

  // --- The workflows, on aws-local-stepfunctions, every Task and Wait routed through the scheduler
  function start(actor: Actor, input: any): Execution | undefined {
    if (!asl[actor]) return undefined;
    const id = `${EXECUTION_PREFIX}:${actor}:e${++seq}`;
    const exec: Execution = { id, actor, runnable: true, status: 'RUNNING', pending: new Set() };
    executions.set(id, exec);
    count(`start ${actor}`);
    log(`${actor} ${id.split(':').pop()} starts ${JSON.stringify(input)}`);
    const handlers: Record<string, (input: any) => Promise<any>> = {};
    const retries: Record<string, number> = {};
    const walk = (states: Record<string, any>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Retry) retries[name] = 0;
        if (state.Type === 'Parallel') state.Branches.forEach((b: any) => walk(b.States));
        if (state.Type === 'Map') walk((state.ItemProcessor ?? state.Iterator).States);
        if (state.Resource === 'arn:aws:states:::aws-sdk:simulation:wait') {
          const seconds = prepared.waits[`${actor}/${name}`];
          handlers[name] = (value) => block(exec, seconds, `wait ${name}`, () => value);
        } else if (state.Type === 'Task' && /:states:startExecution\.sync:2$/.test(String(state.Resource))) {
          handlers[name] = (params) => startAndWait(exec, String(state.Resource), params, name);
        } else if (state.Type === 'Task') {
          const resource = String(state.Resource);
          handlers[name] = (params) => block(exec, 0.05 + rand() * 0.6, name, () => call(exec, resource, params, name), errorPrefix(resource));
        }
      }
    };
    walk(asl[actor].States);
    const run = prepared.machines[actor]!.run(input, {
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retries },
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
    if (exec.waiter?.status === 'RUNNING') exec.waiter.runnable = true;
    log(`${exec.actor} ${exec.id.split(':').pop()} ends ${status}${error ? ` (${error})` : ''}`);
    if (status !== 'SUCCEEDED' && asl.recovery && exec.actor !== 'bake') {
      // "Step Functions Execution Status Change", at least once: delayed, sometimes twice
      deliver(`status change of ${exec.id.split(':').pop()}`, () => start('recovery', { execution: exec.id }));
    }
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
        if (fault < throttle) {
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


  /**
   * `startExecution.sync:2`: the StartExecution call is a call like any other (throttled: no child; applied with its
   * answer lost: a child its parent does not wait for, which only reads); then the parent waits for the child's end
   * (not runnable meanwhile; the child's end makes it runnable) and gets what Step Functions returns
   * (child-execution.ts). A stopped parent's child runs on: the worst case of "Step Functions stops it too", and
   * harmless.
   */
  async function startAndWait(exec: Execution, resource: string, params: any, state: string): Promise<any> {
    const child: Execution = await block(exec, 0.05 + rand() * 0.6, state, () => call(exec, resource, params, state), 'StepFunctions');
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

  // --- The account: the calls the workflows make
  function call(exec: Execution, resource: string, params: any, state: string): any {
    const api = resource.replace(/^arn:aws:states:::(aws-sdk:)?/, '');
    const unknown = unknownMembers(api, params);
    if (unknown.length > 0) throw awsError('States.Runtime', `${api} does not accept ${unknown.join(', ')}`);
    switch (api) {
      case 'cloudwatch:describeAlarms':
        return { MetricAlarms: (params.AlarmNames as string[]).map((AlarmName) => ({ AlarmName, StateValue: alarm })), CompositeAlarms: [] };
      case 'cloudwatch:putMetricData':
        return {};
      case 'ssm:getParameter':
        return params.Name === dmsRefs.writer
          ? { Parameter: { Name: params.Name, Value: world.dms.writer, Version: 1 } }
          : { Parameter: { Name: params.Name, Value: world.control, Version: world.controlVersion } };
      case 'ssm:putParameter':
        if (params.Name === dmsRefs.writer) {
          world.dms.putWriter(workflowOf(exec.actor), params.Value);
          log(`${exec.actor}: writer parameter ← ${params.Value}`);
        } else {
          world.control = params.Value;
          world.controlVersion++;
          log(`${exec.actor}: control ← ${params.Value}`);
        }
        return { Version: 2 };
      case 'dynamodb:updateItem': {
        const before = world.record.item()?.phase?.S ?? 'IDLE';
        try {
          const answer = world.record.updateItem(params);
          log(`${exec.actor}: ${state}: record ${before} → ${world.record.item()?.phase?.S}`);
          return answer;
        } catch (e) {
          log(`${exec.actor}: ${state}: refused (record ${before})`);
          throw e;
        }
      }
      case 'dynamodb:getItem':
        return world.record.getItem(params);
      case 'route53:changeResourceRecordSets': {
        const answer = world.changeRecordSets(workflowOf(exec.actor), params);
        log(`${exec.actor}: weights ${world.weights.source}/${world.weights.target}`);
        return answer;
      }
      case 'route53:getChange':
        return world.getChange(params);
      case 'sfn:listExecutions':
        // Eventually consistent (the AWS API reference says so): an execution shows after about a second.
        return { Executions: [...executions.values()].filter((e) => e.actor === 'cutover' && e.status === 'RUNNING').map((e) => ({ ExecutionArn: e.id, Status: 'RUNNING' })) };
      case 'sfn:describeExecution': {
        const e = executions.get(params.ExecutionArn);
        return { ExecutionArn: params.ExecutionArn, Status: e?.status ?? 'RUNNING', ...(e?.error ? { Error: e.error } : {}) };
      }
      case 'states:startExecution.sync:2': {
        if (!prepared.bake || !isNamed(prepared.bake, params.StateMachineArn)) throw awsError('StepFunctions.StateMachineDoesNotExistException', `no state machine ${params.StateMachineArn}`);
        return start('bake', childInput(params.Input));
      }
      case 'sfn:stopExecution': {
        const target = executions.get(params.ExecutionArn);
        if (target) stop(target, exec.actor, params.Error);
        return { StopDate: isoAt(world.now) };
      }
      case 'sns:publish':
        notification(exec, params.Subject ?? '');
        return { MessageId: `m${seq}` };
      case 's3:putObject':
        return { ETag: '"simulation"' };
      case 'rds:describeDBClusters':
        return { DbClusters: [{ Status: 'available' }] };
      case 'rds:describeGlobalClusters':
        return world.globalCluster(targetClusterArn);
      case 'rds:switchoverGlobalCluster': {
        const to = params.TargetDbClusterIdentifier === PRIMARY_CLUSTER_ARN ? 'source' : 'target';
        if (to === 'target') targetClusterArn = params.TargetDbClusterIdentifier;
        log(`${exec.actor}: SwitchoverGlobalCluster → ${to}`);
        return world.switchoverStart(to);
      }
      case 'databasemigration:describeReplicationTasks':
        return world.dms.describe(params.Filters[0].Values[0] === dmsRefs.reverse ? 'reverse' : 'forward');
      case 'databasemigration:startReplicationTask':
        return world.dms.start(params.ReplicationTaskArn === dmsRefs.reverse ? 'reverse' : 'forward', params.StartReplicationTaskType, exec.actor, params.CdcStartTime);
      case 'databasemigration:stopReplicationTask':
        return world.dms.stop(params.ReplicationTaskArn === dmsRefs.reverse ? 'reverse' : 'forward', exec.actor);
      case 'databasemigration:describeTableStatistics':
        return world.dms.tableStatistics(params.ReplicationTaskArn === dmsRefs.reverse ? 'reverse' : 'forward');
      case 'cloudwatch:getMetricData':
        return world.dms.backlog(/reverse/.test(state) ? 'reverse' : 'forward', params.StartTime, params.EndTime);
      default:
        throw awsError('States.TaskFailed', `The simulation does not model ${api}`);
    }
  }

  // --- Invariants
  const writerSide = (): 'source' | 'target' | 'fenced' | 'moving' => {
    if (dms) return world.dms.writer === 'TARGET' ? 'target' : world.dms.writer === 'FENCED' ? 'fenced' : 'source';
    const g = world.globalCluster(targetClusterArn).GlobalClusters[0];
    if (g.Status !== 'available') return 'moving';
    return g.GlobalClusterMembers.some((m: any) => m.IsWriter && m.DbClusterArn !== PRIMARY_CLUSTER_ARN) ? 'target' : 'source';
  };
  function notification(exec: Execution, subject: string): void {
    log(`${exec.actor}: SNS "${subject}"`);
    const w = world.weights;
    if (subject === 'Cutover complete' && !(w.source === 0 && w.target > 0 && (writerSide() === 'target' || !hasSwitchover()))) {
      violations.push(`${round(world.now)}: "Cutover complete" sent while weights are ${w.source}/${w.target}, writer ${writerSide()}`);
    }
    if (subject === 'Cutover rolled back' && !(w.target === 0 && writerSide() === 'source')) {
      violations.push(`${round(world.now)}: "Cutover rolled back" sent while weights are ${w.source}/${w.target}, writer ${writerSide()}`);
    }
  }
  function checkAlways(): void {
    if (writerSide() === 'target' && world.weights.source > 0) {
      violations.push(`${round(world.now)}: the writer is on the target while the source has weight ${world.weights.source}`);
    }
    for (const p of world.dms.dataProblems.splice(0)) violations.push(`${round(world.now)}: data: ${p}`);
  }
  function checkAtRest(): void {
    const w = world.weights;
    const writer = writerSide();
    if (writer === 'fenced') violations.push(`at rest: writes fenced (weights ${w.source}/${w.target})`);
    else if (writer === 'moving') violations.push('at rest: the database writer is still moving');
    else if (!hasSwitchover() && w.source !== 0 && w.target !== 0) violations.push(`at rest: traffic left split ${w.source}/${w.target}`);
    else if (hasSwitchover() && (writer === 'source' ? w.target !== 0 : w.source !== 0)) violations.push(`at rest: traffic ${w.source}/${w.target} is not on the writer's side (${writer})`);
  }
  const hasSwitchover = () => JSON.stringify(asl.cutover).includes('switchoverGlobalCluster') || dms;

  // --- Injected actors: the cutover (and a second start), alarms, the operator
  at(0, 'operator starts the cutover', () => start('cutover', {}));
  if (rand() < 0.3) at(rand() * 3, 'operator starts a second cutover', () => { count('second start'); start('cutover', {}); });
  const flaps = Math.floor(rand() * 3);
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
  const commands = Math.floor(rand() * 4);
  for (let i = 0; i < commands; i++) {
    const when = rand() * horizon;
    const r = rand();
    if (r < 0.8) {
      const command = ['PAUSE', 'RUN', 'SKIP_BAKE', 'ABORT'][Math.floor(rand() * 4)];
      at(when, `operator ${command}`, () => { count(`operator ${command}`); world.control = command; world.controlVersion++; log(`operator: control ← ${command}`); });
    } else {
      at(when, 'operator stops an execution', () => {
        const running = [...executions.values()].filter((e) => e.status === 'RUNNING');
        if (running.length === 0) return;
        count('operator stop-execution');
        stop(running[Math.floor(rand() * running.length)], 'operator');
      });
    }
  }

  // --- The scheduler
  const settle = async () => {
    for (let spins = 0; [...executions.values()].some((e) => e.runnable) && spins < 10000; spins++) {
      await new Promise((r) => setImmediate(r));
    }
  };
  let steps = 0;
  await settle();
  while (queue.length > 0 && steps < 20000) {
    queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = queue.shift()!;
    world.now = Math.max(world.now, next.at);
    next.fire();
    steps++;
    await settle();
    checkAlways();
  }
  const drain = async (limit: number, until: () => boolean = () => false) => {
    while (queue.length > 0 && steps < limit && !until()) {
      queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = queue.shift()!;
      world.now = Math.max(world.now, next.at);
      next.fire();
      steps++;
      await settle();
      checkAlways();
    }
  };
  // At rest, an operator follows the runbook once: a STUCK record is recovered by hand (the console's `recover`).
  const stuck = world.record.item();
  if (stuck?.phase?.S === 'STUCK' && asl.recovery) {
    count('operator recover');
    start('recovery', { execution: stuck.owner?.S, manual: true });
    await settle();
    await drain(30000);
  }
  if ([...executions.values()].some((e) => e.status === 'RUNNING')) violations.push('an execution never ended');
  checkAtRest();
  // The next cutover can start: with the traffic back on the source, a fresh cutover (no faults, alarms OK, a PAUSE or
  // ABORT left in the control parameter cleared with the console's `resume`) must get to its first shift.
  if (violations.length === 0 && world.weights.target === 0 && (world.record.item()?.phase?.S ?? 'IDLE') !== 'COMPLETE') {
    throttle = 0;
    lostAnswer = 0;
    alarm = 'OK';
    if (['PAUSE', 'ABORT', 'SKIP_BAKE'].includes(world.control)) {
      world.control = 'RUN';
      world.controlVersion++;
    }
    const shifts = world.weightChanges.length;
    const probe = start('cutover', {})!;
    await settle();
    await drain(60000, () => world.weightChanges.length > shifts || probe.status !== 'RUNNING');
    if (world.weightChanges.length === shifts) violations.push(`the next cutover cannot start: it ended ${probe.status}${probe.error ? ` (${probe.error})` : ''} before moving traffic`);
    for (const e of executions.values()) if (e.status === 'RUNNING') { e.status = 'ABORTED'; for (const p of e.pending) p.dropped = true; e.abort?.(); }
  }
  return { seed: options.seed, violations, trace: violations.length > 0 || process.env.SIMULATION_TRACE ? trace : trace.slice(-5), mix, finalPhase: world.record.item()?.phase?.S ?? 'IDLE' };
}

/** How Step Functions names a service's errors (`Route53.…`, `DynamoDB.…`, `Ssm.…`). */
function errorPrefix(resource: string): string {
  const service = resource.replace(/^arn:aws:states:::(aws-sdk:)?/, '').split(':')[0];
  const names: Record<string, string> = {
    route53: 'Route53', dynamodb: 'DynamoDB', ssm: 'Ssm', sns: 'Sns', sfn: 'Sfn', rds: 'Rds', cloudwatch: 'CloudWatch',
    s3: 'S3', databasemigration: 'DatabaseMigration', elasticloadbalancingv2: 'ElasticLoadBalancingV2',
  };
  return names[service] ?? service;
}

/** The DMS path's names: the writer parameter and the two task ARNs, as the cutover's states use them. */
function findDmsRefs(asl: any): { writer?: string; forward?: string; reverse?: string } {
  const refs: { writer?: string; forward?: string; reverse?: string } = {};
  const walk = (states: Record<string, any>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Parallel') state.Branches.forEach((b: any) => walk(b.States));
      if (state.Type === 'Map') walk((state.ItemProcessor ?? state.Iterator).States);
      const p = state.Parameters ?? {};
      if (/ssm:putParameter$/.test(state.Resource ?? '') && p.Value === 'FENCED') refs.writer = p.Name;
      if (/databasemigration:stopReplicationTask$/.test(state.Resource ?? '') && /forward/.test(name)) refs.forward = p.ReplicationTaskArn;
      if (/databasemigration:startReplicationTask$/.test(state.Resource ?? '') && /reverse/.test(name)) refs.reverse = p.ReplicationTaskArn;
    }
  };
  walk(asl.States);
  return refs;
}

/** What a campaign of seeds found. */
export interface CampaignResult {
  readonly seeds: number;
  readonly seconds: number;
  /** Seeds with at least one violation, each with its first violation. */
  readonly failing: Array<{ readonly seed: number; readonly violation: string }>;
  /** Actors and faults exercised, summed over the seeds. */
  readonly mix: Record<string, number>;
  /** Final phases of the record, counted. */
  readonly endings: Record<string, number>;
}

/** Runs seeds `first` … `first + count - 1` of one template. */
export async function campaign(template: CfnTemplate, first: number, count: number, options: Partial<SimulationOptions> = {}): Promise<CampaignResult> {
  const prepared = prepareWorkflows(template, options);
  const started = process.hrtime.bigint();
  const failing: CampaignResult['failing'] = [];
  const mix: Record<string, number> = {};
  const endings: Record<string, number> = {};
  for (let seed = first; seed < first + count; seed++) {
    const r = await simulate({ ...options, template, seed, prepared });
    for (const [k, v] of Object.entries(r.mix)) mix[k] = (mix[k] ?? 0) + v;
    endings[r.finalPhase] = (endings[r.finalPhase] ?? 0) + 1;
    if (r.violations.length > 0) failing.push({ seed, violation: r.violations[0] });
  }
  return { seeds: count, seconds: Number(process.hrtime.bigint() - started) / 1e9, failing, mix, endings };
}
