import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import type { CutoverSteps } from './cutover-steps';
import type { MigrationOrchestratorProps } from './migration-orchestrator-props';
import { BAKE_PARENT_EVENTS } from './state-machine/bake';
import type { HistoryShare, SwitchoverConfig } from './state-machine/contracts';
import { checkKnownSeconds, checkLogRetention, checkSameRegion, checkShapes, isDuration, Validator, typesOf } from '../private/validation';

/**
 * Shapes first, and the factories' products where they are expected (a gate made by `CutoverGate.*`, steps by
 * `CutoverSteps.*`, a switchover by `DatabaseSwitchover.*`): throws before the constructor binds any of them. @internal
 */
export function requireOrchestratorShapes(scope: IConstruct, props: MigrationOrchestratorProps): void {
  const v = new Validator('MigrationOrchestrator', scope);
  if (checkShapes(v, props, typesOf('MigrationOrchestratorProps'))) {
    props.gates.forEach((g, i) => {
      v.check(typeof (g as any)?._bind === 'function', `gates[${i}]`, 'must be a CutoverGate (CutoverGate.alarm, CutoverGate.auroraGlobalSecondary, …)', g);
    });
    if (props.steps !== undefined) {
      v.check(typeof (props.steps as any).description === 'string' && Array.isArray(props.steps.steps), 'steps', 'must be CutoverSteps (CutoverSteps.linear(4), CutoverSteps.of([10, 50, 100]), …)', props.steps);
    }
    if (props.switchover !== undefined) {
      v.check(typeof (props.switchover as any)._bind === 'function', 'switchover', 'must be a DatabaseSwitchover (DatabaseSwitchover.auroraGlobal, DatabaseSwitchover.dmsWriterMove)', props.switchover);
    }
    v.check(typeof (props.shifter as any).shiftFragment === 'function', 'shifter', 'must be a traffic shifter such as a WeightedCutover', props.shifter);
  }
  v.throwIfInvalid();
}

/**
 * How long an alarm needs, from the first breaching datapoint, to go to ALARM: `period` × `datapointsToAlarm`
 * (`evaluationPeriods` when not set), the longest period of a metric-math alarm. Undefined when unknown (an
 * imported alarm, a token).
 */
export function alarmFireSeconds(alarm: cloudwatch.IAlarm): number | undefined {
  const cfn = (alarm as unknown as IConstruct).node?.defaultChild;
  if (!(cfn instanceof cloudwatch.CfnAlarm)) return undefined;
  const datapoints = cfn.datapointsToAlarm ?? cfn.evaluationPeriods;
  const periods: unknown[] = [cfn.period];
  if (Array.isArray(cfn.metrics)) {
    for (const m of cfn.metrics as any[]) periods.push(m?.period, m?.metricStat?.period);
  }
  const known = periods.filter((p): p is number => typeof p === 'number' && !Token.isUnresolved(p));
  if (typeof datapoints !== 'number' || Token.isUnresolved(datapoints) || known.length === 0) return undefined;
  return datapoints * Math.max(...known);
}

/** The alarm that needs the longest to fire, of those whose window is known. */
function slowestAlarm(alarms: cloudwatch.IAlarm[]): { alarm: cloudwatch.IAlarm; seconds: number } | undefined {
  return alarms
    .map((alarm) => ({ alarm, seconds: alarmFireSeconds(alarm) }))
    .filter((w): w is { alarm: cloudwatch.IAlarm; seconds: number } => w.seconds !== undefined)
    .sort((a, b) => b.seconds - a.seconds)[0];
}

/** The rule every bake keeps, naming the slowest alarm it bakes on and what a shorter bake does. */
function bakeRule(v: Validator, slowest: { alarm: cloudwatch.IAlarm; seconds: number }, consequence: string): string {
  const name = Token.isUnresolved(slowest.alarm.alarmName) ? (slowest.alarm as unknown as IConstruct).node.path : slowest.alarm.alarmName;
  return `must be at least the gating alarms' evaluation window (${Duration.seconds(slowest.seconds).toHumanString()}, alarm ${name}: period × datapoints to alarm): ` +
    `${consequence}. Bake longer, or set \`${v.name('allowBakeShorterThanAlarms')}\` to true to accept it (rehearsals)`;
}

/** A Step Functions standard execution keeps at most this many history events; past it, it fails uncatchably. */
const HISTORY_LIMIT = 25_000;
/** History events, by what the cutover does (state entered/exited, plus scheduled/started/succeeded for tasks). */
const EVENTS = {
  shiftWorstCase: 3 + 60 * 11, // change batch, then up to 60 INSYNC polls (WeightedCutover: 5 min at 5 s)
  stepOverhead: 25, // claim, split, notify, checkpoint
  fixed: 70, // lock, notifications, pre-checks, the control read after them, completion
};
/** Kept free for the rollback: 20 attempts of a worst-case shift. */
const ROLLBACK_RESERVE = 20 * (EVENTS.shiftWorstCase + 6);
/** What a cutover that does not roll back may spend of its history: the rest is the rollback's. @internal */
export const HISTORY_BUDGET = HISTORY_LIMIT - ROLLBACK_RESERVE;

/** A part of the cutover's worst-case history, named by the prop that sets it (undefined: a fixed part). @internal */
export interface HistoryPart {
  readonly prop?: string;
  readonly events: number;
  readonly value?: string;
}

/**
 * The worst-case history of a cutover that does not roll back, by the prop that sets each part. It must leave room
 * for the rollback, or a long cutover could die mid-way with traffic split. Bakes cost {@link BAKE_PARENT_EVENTS}
 * each, whatever their length and pauses (each runs as a child execution, state-machine/bake.ts). @internal
 */
export function worstCaseHistory(
  steps: CutoverSteps,
  gates: ReadonlyArray<HistoryShare[] | undefined> = [],
  switchover?: SwitchoverConfig,
): HistoryPart[] {
  const named = (prefix: string, shares: HistoryShare[]): HistoryPart[] =>
    shares.map((s) => ({ prop: s.option === undefined ? undefined : `${prefix}.${s.option}`, events: s.events, value: s.value }));
  return [
    { events: EVENTS.fixed },
    {
      prop: 'steps',
      events: steps.steps.length * (EVENTS.shiftWorstCase + EVENTS.stepOverhead + BAKE_PARENT_EVENTS),
      value: `${steps.steps.length} steps`,
    },
    ...gates.flatMap((shares, i) => named(`gates[${i}]`, shares ?? [])),
    ...named('switchover', switchover?.history() ?? []),
  ];
}

/** The steps, the bake and the poll interval after their defaults, resolved once by the orchestrator. @internal */
export interface OrchestratorPace {
  readonly steps: CutoverSteps;
  readonly bakeTime: Duration;
  readonly pollInterval: Duration;
}

/**
 * The rule every step list keeps: at least one step, integer percentages in 1–100, strictly increasing, the last
 * exactly 100, each bake a Duration of at most a year. Returns false when a bake is no Duration (the timing rules
 * read them).
 */
function checkSteps(v: Validator, steps: CutoverSteps): boolean {
  const pcts = steps.steps.map((s) => s?.targetPercent);
  const fail = (rule: string) => v.fail('steps', rule, `${steps.description} = [${pcts.join(', ')}]`);
  if (pcts.length === 0) fail('must contain at least one step');
  if (pcts.some((p) => typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 100)) {
    fail(pcts.some((p) => typeof p === 'number' && p > 0 && p < 1)
      ? 'must be integer percentages between 1 and 100 (these read as fractions: 0.25 means 25 %, write 25)'
      : 'must be integer percentages between 1 and 100');
  }
  if (steps.steps.some((s) => s?.bakeTime !== undefined && !isDuration(s.bakeTime))) {
    fail('must give each step\'s bakeTime as a Duration (e.g. Duration.minutes(5)), not a bare number');
    return false;
  }
  if (pcts.some((p, i) => i > 0 && p <= pcts[i - 1])) fail('must be strictly increasing');
  if (pcts.length > 0 && pcts[pcts.length - 1] !== 100) fail('must end at 100');
  if (steps.steps.some((s) => s?.bakeTime && s.bakeTime.toSeconds({ integral: false }) > Duration.days(365).toSeconds())) {
    fail('must bake at most a year per step (the Step Functions Wait limit)');
  }
  return true;
}

/** @internal */
export function validateOrchestratorProps(
  v: Validator,
  props: MigrationOrchestratorProps,
  { steps, bakeTime: bake, pollInterval: poll }: OrchestratorPace,
  alarms: cloudwatch.IAlarm[],
  gateHistories: ReadonlyArray<HistoryShare[] | undefined> = [],
  switchover?: SwitchoverConfig,
  scope?: IConstruct,
  replicationAlarms: cloudwatch.IAlarm[] = [],
): void {
  const alarmCount = alarms.length;
  if (!checkSteps(v, steps)) {
    return; // the timing rules below read each step's bakeTime
  }
  // Step Functions waits whole seconds: a Duration of milliseconds (seconds meant?) is refused before it is converted
  const wholeSeconds: Array<[string, Duration | undefined]> = [
    ['bakeTime', props.bakeTime],
    ['approvalTimeout', props.approvalTimeout],
    ['maxPause', props.maxPause],
    ...steps.steps.map((s, i): [string, Duration | undefined] => [`steps[${i}].bakeTime`, s.bakeTime]),
  ];
  const before = v.errors.length;
  for (const [prop, d] of wholeSeconds) {
    checkKnownSeconds(v, prop, d, Number.isInteger, 'must be a whole number of seconds (Step Functions waits whole seconds; milliseconds meant as seconds?)');
  }
  if (v.errors.length > before) return;
  v.check(alarmCount > 0, 'gates', 'must include at least one alarm (CutoverGate.alarm, CutoverGate.auroraGlobalSecondary, …): without one nothing can roll a cutover back', props.gates.map((g) => g.description));
  v.check(alarmCount <= 100, 'gates', 'must carry at most 100 alarms (one DescribeAlarms call)', alarmCount);

  v.check(bake.toSeconds() <= Duration.days(365).toSeconds(), 'bakeTime', 'must be at most a year (the longest a Standard execution runs)', bake.toHumanString());
  const pollMs = poll.toMilliseconds();
  v.check(pollMs >= 1000 && pollMs % 1000 === 0, 'pollInterval', 'must be a whole number of seconds, at least 1', poll.toHumanString());
  for (const step of steps.steps) {
    const b = step.bakeTime ?? bake;
    v.check(b.toMilliseconds() === 0 || b.toMilliseconds() >= pollMs, 'steps', `must bake at least one poll interval (${poll.toHumanString()}) or not at all`, `${step.targetPercent}%: ${b.toHumanString()}`);
  }

  // --- A bake shorter than the gating alarms' evaluation window defeats them: the cutover moves on before they fire
  const slowest = slowestAlarm(alarms);
  if (slowest && !props.allowBakeShorterThanAlarms) {
    const rule = bakeRule(v, slowest, 'a shorter bake moves on, and reaches 100 %, before the alarm can fire');
    const short = (d: Duration) => d.toSeconds({ integral: false }) < slowest.seconds;
    if (steps.steps.some((s) => s.bakeTime === undefined) && short(bake)) {
      v.fail('bakeTime', rule, bake.toHumanString());
    }
    steps.steps.forEach((step, i) => {
      if (step.bakeTime !== undefined && short(step.bakeTime)) {
        v.fail(`steps[${i}].bakeTime`, rule, `${step.targetPercent}%: ${step.bakeTime.toHumanString()}`);
      }
    });
  }
  // --- The same for the bake on the new writer, on the alarms still baked on after the database moved
  const post = switchover?.postBake;
  const afterMove = post && !props.allowBakeShorterThanAlarms && !post.duration.isUnresolved()
    ? slowestAlarm(post.alarms(alarms, replicationAlarms))
    : undefined;
  if (post && afterMove && post.duration.toSeconds({ integral: false }) < afterMove.seconds) {
    v.fail(`switchover.${post.option}`, bakeRule(v, afterMove, 'a shorter bake ends, and the cutover completes on the new writer, before the alarm can fire'), post.duration.toHumanString());
  }
  // --- One execution's history: bakes cost the same whatever their length; what remains is refused naming its cause
  const parts = worstCaseHistory(steps, gateHistories, switchover);
  const events = parts.reduce((n, p) => n + p.events, 0);
  const culprit = parts.filter((p) => p.prop !== undefined).sort((a, b) => b.events - a.events)[0];
  if (events > HISTORY_BUDGET && culprit?.prop) {
    v.fail(
      culprit.prop,
      `must fit one execution's history: the worst case needs ~${Math.ceil(events)} events, ~${Math.ceil(culprit.events)} of them for it, ` +
        `and ${HISTORY_BUDGET} of the ${HISTORY_LIMIT} a Step Functions execution holds are left once the rollback's reserve is kept ` +
        '(bakes cost the same whatever their length). Lower it, or poll what it waits for less often',
      culprit.value,
    );
  }
  if (props.approvalTimeout) {
    const t = props.approvalTimeout.toSeconds();
    v.check(t >= 60 && t <= Duration.days(365).toSeconds(), 'approvalTimeout', 'must be between 1 minute and a year', props.approvalTimeout.toHumanString());
  }
  if (props.approveBeforeSwitchover && !props.switchover) {
    v.fail('approveBeforeSwitchover', `needs \`${v.name('switchover')}\``, props.approveBeforeSwitchover);
  }
  if (props.checkpointRetention) {
    v.check(props.checkpointRetention.toDays({ integral: false }) >= 365, 'checkpointRetention', 'must keep checkpoints at least a year (PCI DSS 10.5.1)', props.checkpointRetention.toHumanString());
  }
  checkLogRetention(v, 'logRetention', props.logRetention, 'logs');
  if (scope) {
    for (const alarm of alarms) {
      checkSameRegion(v, scope, 'gates', undefined, alarm.alarmArn, 'the cutover reads its gating alarms with DescribeAlarms in its own region');
    }
    checkSameRegion(v, scope, 'notificationTopic', props.notificationTopic, props.notificationTopic?.topicArn, 'the state machines and alarms publish to a topic of their own region');
  }
}
