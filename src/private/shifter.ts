import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ShiftShapeConfig } from './shift-states';
import { Validator, requireShapes, typesOf } from './validation';
import type { CutoverSplit, ShiftFragmentOptions } from '../migration-orchestrator/traffic-shifter';
import { checkPercent } from '../weighted-cutover/validate-props';

/*
 * What the traffic shifters (WeightedCutover, AcceleratorCutover) share in their public API: how `splitFor` turns a
 * percentage into weights, how `shiftFragment` reads its options, and how `grantShift` grants the shift's permissions.
 */

const FIELD_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/**
 * The weights of `<shifter>.splitFor(targetPercent)` on a 0–100 scale: source = 100 − percent, target = percent (so
 * never both 0); throws naming `targetPercent` when it is not an integer percentage. @internal
 */
export function percentSplit(scope: IConstruct, shifter: string, targetPercent: number): CutoverSplit {
  const v = new Validator(`${shifter}.splitFor`, scope);
  checkPercent(v, 'targetPercent', targetPercent);
  v.throwIfInvalid();
  return { sourceWeight: 100 - targetPercent, targetWeight: targetPercent };
}

/**
 * The options of `<shifter>.shiftFragment` with their defaults (`$.split`, `$.shift.change`, by default a 5-second poll
 * and a 5-minute timeout: DNS), checked: throws naming `<shifter>.shiftFragment`, the option, the rule and the value.
 * @internal
 */
export function shiftFragmentShape(
  scope: IConstruct, shifter: string, options: ShiftFragmentOptions, defaults = { pollInterval: Duration.seconds(5), timeout: Duration.minutes(5) },
): ShiftShapeConfig {
  const at = `${shifter}.shiftFragment`;
  requireShapes(scope, at, options, typesOf('ShiftFragmentOptions'));
  const pollInterval = options.pollInterval ?? defaults.pollInterval;
  const timeout = options.timeout ?? defaults.timeout;
  const splitPath = options.splitPath ?? '$.split';
  const resultPath = options.resultPath ?? '$.shift.change';
  const v = new Validator(at, scope);
  const pollSeconds = pollInterval.toMilliseconds() / 1000;
  const timeoutSeconds = timeout.toMilliseconds() / 1000;
  v.check(Number.isInteger(pollSeconds) && pollSeconds >= 1, 'pollInterval', 'must be whole seconds, at least 1', pollSeconds);
  v.check(timeoutSeconds >= pollSeconds, 'timeout', 'must be at least `pollInterval`', timeoutSeconds);
  v.check(FIELD_PATH.test(splitPath), 'splitPath', 'must be a JSONPath of fields such as $.split', splitPath);
  v.check(FIELD_PATH.test(resultPath), 'resultPath', 'must be a JSONPath of fields such as $.shift.change', resultPath);
  v.throwIfInvalid();
  return { splitPath, resultPath, pollInterval, timeout };
}

/** One of the shift's permissions: actions on resources, under conditions. */
interface ShiftPermission {
  readonly actions: string[];
  readonly resources: string[];
  readonly conditions?: Record<string, Record<string, unknown>>;
}

/** One grant of each of the shift's permissions to `grantee`, combined. @internal */
export function grantPermissions(grantee: iam.IGrantable, permissions: ReadonlyArray<ShiftPermission>): iam.Grant {
  const [first, ...rest] = permissions.map((p) =>
    iam.Grant.addToPrincipal({ grantee, actions: p.actions, resourceArns: p.resources, conditions: p.conditions }),
  );
  return rest.reduce((g, next) => g.combine(next), first);
}
