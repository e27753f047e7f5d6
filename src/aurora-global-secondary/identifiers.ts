import { known, Validator } from '../private/validation';

/** Global cluster identifiers: 1–63 letters, digits and hyphens, starting with a letter, no `--`, no trailing `-`. */
/** @internal */
export function validateGlobalClusterIdentifier(v: Validator, prop: string, value: string): void {
  if (known(value)) {
    v.check(
      /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}$/.test(value) && !value.endsWith('-'),
      prop,
      'must be 1–63 letters, digits or hyphens, start with a letter, and contain no "--" nor end with "-"',
      value,
    );
  }
}
