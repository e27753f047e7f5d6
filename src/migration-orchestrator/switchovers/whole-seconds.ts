import { Duration } from 'aws-cdk-lib';
import { FactoryValidator } from '../../private/validation';

/**
 * Records a failure on `v` when the option `name` is set and is not a whole number of seconds from `min` to `max`
 * (the timing options of every switchover kind). @internal
 */
export function checkWholeSeconds(v: FactoryValidator, name: string, value: Duration | undefined, min: number, max: number): void {
  const seconds = value?.toSeconds({ integral: false });
  if (seconds !== undefined && (seconds < min || seconds > max || !Number.isInteger(seconds))) {
    v.fail(name, `must be a whole number of seconds from ${min} to ${max}`, value);
  }
}
