import { Validator, known } from './validation';

/**
 * A whole-number percentage (`example` means `example` %) above 0 and at most 100, at least 1: a value below 1 reads
 * as a fraction, and `consequence` says what it would do.
 */
export function checkPercentage(v: Validator, prop: string, value: number | undefined, example: number, consequence: string): void {
  if (value === undefined || !known(value)) return;
  v.check(value > 0 && value <= 100, prop, 'must be a percentage above 0 and at most 100', value);
  v.check(
    !(value > 0 && value < 1),
    prop,
    `must be a percentage (${example} means ${example} %), at least 1: a value below 1 reads as a fraction (${example / 100} for ${example} %), and ${consequence}`,
    value,
  );
}

/** An alarm's evaluation periods: a positive integer, at most a day of one-minute periods. */
export function checkEvaluationPeriods(v: Validator, prop: string, periods: number | undefined): void {
  if (periods === undefined) return;
  if (!known(periods)) {
    return v.fail(prop, 'must be a number known at synth time, not a token: a cutover\'s bakes are checked against the evaluation window of the alarms that gate it', periods);
  }
  v.check(Number.isInteger(periods) && periods >= 1, prop, 'must be a positive integer', periods);
  v.check(periods <= 1440, prop, 'must be at most 1440: CloudWatch evaluates at most a day (1440 periods of one minute)', periods);
}

/** A whole number from `min` to `max` when known (undefined and tokens pass); `rule` says so in the prop's words. */
export function checkInteger(v: Validator, prop: string, value: number | undefined, min: number, max: number, rule: string): void {
  v.checkKnown(prop, value, (x) => Number.isInteger(x) && x >= min && x <= max, rule);
}
