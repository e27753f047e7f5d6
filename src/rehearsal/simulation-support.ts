import { bakeMachineOf } from './child-execution';
import { loadLocalStepFunctions, polyfillPromiseWithResolvers } from './local-stepfunctions';
import { CfnTemplate, ResolveOptions, workflowMachinesOf } from './resolve-template';

import type { Workflow } from './scenario';

/** The workflows of a MigrationOrchestrator, and the bakes the cutover starts as child executions. */
export type Actor = Workflow | 'bake';
/** A bake is the cutover's (it only reads; the world's logs know the three workflows). */
export const workflowOf = (actor: Actor): Workflow => (actor === 'bake' ? 'cutover' : actor);

/** Mulberry32: a small, fast, seedable generator (32-bit arithmetic: bit operations are the point). */
/* eslint-disable no-bitwise */
export function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

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
  const workflows = workflowMachinesOf(template, options);
  const asl: Record<Actor, any> = {
    'cutover': workflows.cutover?.asl,
    'alarm-rollback': workflows['alarm-rollback']?.asl,
    'recovery': workflows.recovery?.asl,
    // each bake of the cutover runs as a child execution of it (startExecution.sync:2)
    'bake': workflows.bake?.asl,
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

/** How Step Functions names a service's errors (`Route53.…`, `DynamoDB.…`, `Ssm.…`). */
export function errorPrefix(resource: string): string {
  const service = resource.replace(/^arn:aws:states:::(aws-sdk:)?/, '').split(':')[0];
  const names: Record<string, string> = {
    route53: 'Route53',
    dynamodb: 'DynamoDB',
    ssm: 'Ssm',
    sns: 'Sns',
    sfn: 'Sfn',
    rds: 'Rds',
    cloudwatch: 'CloudWatch',
    s3: 'S3',
    databasemigration: 'DatabaseMigration',
    elasticloadbalancingv2: 'ElasticLoadBalancingV2',
  };
  return names[service] ?? service;
}

/** The DMS path's names: the writer parameter and the two task ARNs, as the cutover's states use them. */
export function findDmsRefs(asl: any): { writer?: string; forward?: string; reverse?: string } {
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


/**
 * The wait Step Functions puts before retry number `attempt` (1-based) of a state that failed with `error`: the first
 * retrier whose ErrorEquals matches (`States.ALL` matches everything, `States.TaskFailed` every task error but
 * `States.Timeout`), IntervalSeconds × BackoffRate^(attempt − 1), at most MaxDelaySeconds. The local interpreter runs
 * retries at once (its intervals are real time); the rehearsal and the simulation spend this on the virtual clock.
 */
export function retryDelay(state: any, error: string, attempt: number): number {
  const retrier = (state?.Retry ?? []).find((r: any) => (r.ErrorEquals as string[]).some((e) =>
    e === error || e === 'States.ALL' || (e === 'States.TaskFailed' && error !== 'States.Timeout')));
  if (!retrier) return 0;
  const delay = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** Math.max(0, attempt - 1);
  return retrier.MaxDelaySeconds !== undefined ? Math.min(delay, retrier.MaxDelaySeconds) : delay;
}

/** What a simulation explores. */
export interface SimulationOptions extends ResolveOptions {
  readonly template: CfnTemplate;
  readonly seed: number;
  /** The template's workflows, prepared once (see {@link prepareWorkflows}); prepared from `template` when absent. */
  readonly prepared?: PreparedWorkflows;
  /** Virtual seconds during which alarms and operator actions are injected. @default 150 */
  readonly horizon?: number;
  /** Probability that an AWS call is throttled (not applied) / applied with its answer lost. @default 0.03 / 0.01 */
  readonly throttle?: number;
  readonly lostAnswer?: number;
  /**
   * A service that answers every call with an error between two virtual times (throttling that does not stop, an
   * outage): `Route53` makes a rollback fail, `Rds` a switch-back. Over before the operator's at-rest actions.
   */
  readonly outage?: { readonly service: string; readonly from: number; readonly until: number };
  /** Return the whole trace even when the seed passed. @default false */
  readonly fullTrace?: boolean;
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

/** One Task state's retries on the virtual clock: the wait before the next attempt, from the failures so far. */
export class RetryTracker {
  private failures = 0;
  private lastError = '';
  constructor(private readonly state: any) {}

  /** Seconds to wait before this attempt (0 for a first attempt). */
  public delay(): number {
    return this.failures > 0 ? retryDelay(this.state, this.lastError, this.failures) : 0;
  }

  /** Runs one attempt, counting it as a failure (by error name) or resetting the count. */
  public async attempt<T>(run: () => T | Promise<T>): Promise<T> {
    try {
      const out = await run();
      this.failures = 0;
      return out;
    } catch (e: any) {
      this.failures++;
      this.lastError = e?.name ?? 'States.TaskFailed';
      throw e;
    }
  }
}
