import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PaymentMigrationErrors } from '../../src';

/**
 * The bad-input battery's harness. One row is one case: a name, what to build (in a scope the harness gives), and the
 * message expected as a regex. Every error must also start with `<Construct> initialization failed at <path>:` (the
 * construct path), or name the factory for a static factory (`CutoverGate.healthyTargets failed:`).
 */
export const REGION = 'eu-west-1';
export const OTHER_REGION = 'us-east-1';
export const ACCOUNT = '111111111111';
export const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

export function newStack(id = 'Battery'): Stack {
  return new Stack(new App(), id, { env: { account: ACCOUNT, region: REGION } });
}

let counter = 0;
/** A fresh construct id, so that rows can share one stack (a construct that throws leaves only its empty node). */
export function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}`;
}

/** A KMS key in another region than the stack's. */
export function foreignKey(scope: Construct): kms.IKey {
  return kms.Key.fromKeyArn(scope, nextId('ForeignKey'), `arn:aws:kms:${OTHER_REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`);
}

/** An SNS topic in another region than the stack's. */
export function foreignTopic(scope: Construct): sns.ITopic {
  return sns.Topic.fromTopicArn(scope, nextId('ForeignTopic'), `arn:aws:sns:${OTHER_REGION}:${ACCOUNT}:on-call`);
}

/**
 * A row: [name, build (given the construct id to use), the construct (or factory) that reports it, the expected
 * message (the prop as the user typed it, the rule, `got: <value>`)].
 */
export type Row = [string, (id: string) => unknown, string, RegExp];

/** Runs `build` and returns the error it threw (fails the test when it did not throw). */
export function errorOf(build: () => unknown): Error {
  try {
    build();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the input to be refused at synth time, but it was accepted');
}

/** Runs `build` and returns the error message it threw (fails the test when it did not throw). */
export function messageOf(build: () => unknown): string {
  return errorOf(build).message;
}

/** Runs one row: the construct path under `stack` (or the factory) heads the message, then the expected text. */
export function expectRefused(stack: Stack, row: Row): void {
  const [, build, reporter, expected] = row;
  const id = nextId('C');
  const error = errorOf(() => build(id));
  const message = error.message;
  // every refusal is the library's one validation error, its fields agreeing with its message
  expect(PaymentMigrationErrors.isValidationError(error)).toBe(true);
  if (PaymentMigrationErrors.isValidationError(error)) {
    expect(message).toMatch(new RegExp(`^${error.component.replace(/\./g, '\\.')}[ :]`));
    if (error.constructPath !== undefined) expect(message).toContain(` at ${error.constructPath}`);
    expect(error.failures.length).toBeGreaterThan(0);
    for (const f of error.failures) expect(message).toContain(`\`${f.prop}\` ${f.rule}${f.value === undefined ? '' : `, got: ${f.value}`}`);
  }
  if (reporter.includes('.')) {
    // a factory names itself; a method of a construct (WeightedCutover.shiftFragment) names itself and its scope
    expect(message).toMatch(new RegExp(`^${reporter.replace('.', '\\.')}( initialization)? failed( at ${stack.node.id})?:\\n- `));
  } else {
    expect(message).toMatch(new RegExp(`^${reporter} initialization failed at ${stack.node.id}/${id}(/[A-Za-z0-9]+)*:\\n- `));
  }
  expect(message).toMatch(expected);
  expect(message).not.toMatch(/TypeError|is not a function|Cannot read propert/);
}

/** A valid control: near a limit, or a token, and accepted. */
export type Control = [string, (id: string) => unknown];

export function expectAccepted(control: Control): void {
  const id = nextId('Ok');
  expect(() => control[1](id)).not.toThrow();
}
