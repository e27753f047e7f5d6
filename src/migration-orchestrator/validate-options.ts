import { dmsGateTimings } from './gates/dms-gate';
import { checkArgument, checkFactoryShapes, checkKnownSeconds, Validator, checkShapes, describeDuration, knownSeconds, typesOf } from '../private/validation';
import { auroraSwitchoverPlan } from './switchovers/aurora-global/global-cluster-states';

/*
 * The options of the static factories (CutoverGate.*, DatabaseSwitchover.*, CutoverSteps.*), checked at the call:
 * a factory has no construct path yet, so its errors name the factory, the option, the rule and the value.
 */

/** `CutoverGate.healthyTargets`: a target group and a whole number of targets. @internal */
export function checkHealthyTargets(targetGroup: unknown, minimum: unknown): void {
  const v = new Validator('CutoverGate.healthyTargets');
  v.check(typeof targetGroup === 'object' && targetGroup !== null && typeof (targetGroup as any).targetGroupArn === 'string', 'targetGroup', 'must be an ELBv2 target group', targetGroup);
  v.check(typeof minimum === 'number' && Number.isInteger(minimum) && minimum >= 1, 'minimum', 'must be a positive integer (the number of healthy targets)', minimum);
  v.throwIfInvalid();
}

/** A poll and a timeout: both whole seconds above 0 within bounds, the poll shorter than the timeout. */
function checkPollAndTimeout(
  v: Validator,
  poll: { prop: string; value: unknown; fallback: number; min: number; max: number },
  timeouts: Array<{ prop: string; value: unknown; min: number; max: number }>,
): void {
  const pollSeconds = knownSeconds(poll.value);
  if (pollSeconds !== undefined) {
    v.check(
      Number.isInteger(pollSeconds) && pollSeconds >= poll.min && pollSeconds <= poll.max,
      poll.prop,
      `must be a whole number of seconds from ${poll.min} to ${poll.max}${pollSeconds === 0 ? ' (a poll interval of zero never waits)' : ''}`,
      describeDuration(poll.value),
    );
  }
  const effectivePoll = pollSeconds ?? (poll.value === undefined ? poll.fallback : undefined);
  for (const t of timeouts) {
    const s = knownSeconds(t.value);
    if (s === undefined) continue;
    v.check(s >= t.min && s <= t.max, t.prop, `must be from ${t.min} to ${t.max} seconds${s === 0 ? ' (a timeout of zero fails at once)' : ''}`, describeDuration(t.value));
    v.check(Number.isInteger(s), t.prop, 'must be a whole number of seconds', describeDuration(t.value));
    if (effectivePoll !== undefined && s > 0) {
      v.check(s >= effectivePoll, t.prop, `must be at least \`${poll.prop}\` (${effectivePoll} seconds): the status is read once per poll`, describeDuration(t.value));
    }
  }
}

/** The Aurora global secondary a factory is given (by what the factories read of it). @internal */
export function checkAuroraArgument(v: Validator, database: unknown): boolean {
  return checkArgument(v, 'database', database,
    (o) => typeof o.clusterIdentifier === 'string' && typeof o.globalClusterIdentifier === 'string' && typeof o.replicationLagAlarm === 'object',
    'an AuroraGlobalSecondary (the target region\'s secondary cluster)');
}

/** The DMS replication a factory is given (by what the factories read of it). @internal */
export function checkReplicationArgument(v: Validator, replication: unknown): boolean {
  return checkArgument(v, 'replication', replication,
    (o) => typeof o.replicationTaskArn === 'string' && typeof o.replicationTaskIdentifier === 'string' && typeof o.replicationInstanceIdentifier === 'string',
    'a DmsReplication');
}

/** `CutoverGate.auroraGlobalSecondary`. @internal */
export function checkAuroraGateArgument(database: unknown): void {
  const v = new Validator('CutoverGate.auroraGlobalSecondary');
  checkAuroraArgument(v, database);
  v.throwIfInvalid();
}

/** `DatabaseSwitchover.auroraGlobal`: the database, then the options. @internal */
export function checkAuroraSwitchoverOptions(database: unknown, options: unknown): void {
  const v = new Validator('DatabaseSwitchover.auroraGlobal');
  checkAuroraArgument(v, database);
  if (checkFactoryShapes(v, options, typesOf('AuroraSwitchoverOptions'))) {
    const o = (options ?? {}) as Record<string, unknown>;
    checkPollAndTimeout(v, { prop: 'pollInterval', value: o.pollInterval, fallback: auroraSwitchoverPlan({}).poll.toSeconds(), min: 5, max: 300 }, [{ prop: 'timeout', value: o.timeout, min: 60, max: 7200 }]);
    checkWholeSeconds(v, o, { postSwitchoverBake: [0, 86400] });
  }
  v.throwIfInvalid();
}

/** The DMS gate's timing rules; `prefix` names the options as the caller typed them (`side.replication.`). @internal */
export function checkDmsGateTimings(v: Validator, o: { fullLoadTimeout?: unknown; syncTimeout?: unknown; pollInterval?: unknown }, prefix = ''): void {
  checkPollAndTimeout(v, { prop: `${prefix}pollInterval`, value: o.pollInterval, fallback: dmsGateTimings({}).pollInterval.toSeconds(), min: 1, max: 3600 }, [
    { prop: `${prefix}fullLoadTimeout`, value: o.fullLoadTimeout, min: 60, max: 7 * 86400 },
    { prop: `${prefix}syncTimeout`, value: o.syncTimeout, min: 60, max: 86400 },
  ]);
}

/** Each timing option of `o` that is known: a whole number of seconds within its bounds (`[min, max]`). */
function checkWholeSeconds(v: Validator, o: Record<string, unknown>, bounds: Record<string, readonly [number, number]>, prefix = ''): void {
  for (const [name, [min, max]] of Object.entries(bounds)) {
    checkKnownSeconds(v, `${prefix}${name}`, o[name], (s) => Number.isInteger(s) && s >= min && s <= max, `must be a whole number of seconds from ${min} to ${max}`);
  }
}

/**
 * The rules of a DMS writer move's timings, for `DatabaseSwitchover.dmsWriterMove` and for `PaymentMigration`
 * (`prefix`: `side.writerMove.`), which checks them before anything is built: each within its bounds in whole
 * seconds, `maxLatency` more than 0 and at most 60 s. @internal
 */
export function checkWriterMoveTimings(v: Validator, o: Record<string, unknown>, prefix = ''): void {
  checkWholeSeconds(v, o, {
    pollInterval: [5, 300],
    drainReadInterval: [1, 60],
    applicationRefresh: [0, 300],
    drainTimeout: [60, 3600],
    taskTimeout: [60, 3600],
    postMoveBake: [0, 86400],
  }, prefix);
  checkKnownSeconds(v, `${prefix}maxLatency`, o.maxLatency, (s) => s > 0 && s <= 60, 'must be more than 0 and at most 60 seconds');
}

/** `CutoverGate.dmsReplication`: the replication, then the options. @internal */
export function checkDmsGateOptions(replication: unknown, options: unknown): void {
  const v = new Validator('CutoverGate.dmsReplication');
  checkReplicationArgument(v, replication);
  if (checkFactoryShapes(v, options, typesOf('DmsGateOptions'))) {
    checkDmsGateTimings(v, (options ?? {}) as Record<string, unknown>);
  }
  v.throwIfInvalid();
}

/** `DatabaseSwitchover.dmsWriterMove`: the replication and the options' shapes (the rules are the plug-in's own). @internal */
export function checkDmsWriterMoveShapes(replication: unknown, options: unknown): void {
  const v = new Validator('DatabaseSwitchover.dmsWriterMove');
  checkReplicationArgument(v, replication);
  checkFactoryShapes(v, options, typesOf('DmsWriterMoveOptions'), true);
  v.throwIfInvalid();
}

/** What a Python user means by each snake_case key of a step: the struct's fields. */
const PYTHON_SPELLINGS: Readonly<Record<string, string>> = { target_percent: 'targetPercent', bake_time: 'bakeTime' };

/**
 * `CutoverSteps.of` / `fromSteps` / `linear` / `canary`: the list or the number they are given (the type of the
 * method's one parameter); for `fromSteps`, each step. A step that is no object, or has a key in Python's spelling
 * (`bake_time`), means a dict reached the list unconverted (the jsii runtime converts a dict given as a struct, not
 * dicts inside a list) or a plain JavaScript caller used it: unchecked, the step would silently bake the
 * orchestrator's default, or be refused as "not a percentage". @internal
 */
export function checkStepsInput(method: 'of' | 'fromSteps' | 'linear' | 'canary', value: unknown): void {
  const v = new Validator(`CutoverSteps.${method}`);
  const shapes = typesOf(`CutoverSteps.${method}`);
  const prop = Object.keys(shapes)[0];
  if (checkShapes(v, { [prop]: value }, shapes) && method === 'fromSteps') {
    (value as unknown[]).forEach((step, i) => {
      if (typeof step !== 'object' || step === null || Array.isArray(step)) {
        v.fail(`${prop}[${i}]`, 'must be a CutoverStep ({ targetPercent: 25, bakeTime: Duration.minutes(5) }; for bare percentages use CutoverSteps.of([25, 100]))', step);
        return;
      }
      const python = Object.keys(step).filter((k) => Object.prototype.hasOwnProperty.call(PYTHON_SPELLINGS, k));
      for (const key of python) {
        v.fail(
          `${prop}[${i}]`,
          `has \`${key}\` where a CutoverStep has \`${PYTHON_SPELLINGS[key]}\`: from Python, pass \`CutoverStep(target_percent=25, bake_time=Duration.minutes(5))\` ` +
            'objects, not dicts (the jsii runtime does not convert dicts inside a list)',
          Object.keys(step),
        );
      }
      if (python.length === 0) checkShapes(v, step, typesOf('CutoverStep'), `${prop}[${i}].`);
    });
  }
  v.throwIfInvalid();
}
