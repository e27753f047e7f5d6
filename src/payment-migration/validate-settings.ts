import { RemovalPolicy, Token } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import type { SideOptionsByKind } from './migration-side';
import { known, Validator } from '../private/validation';

/** The removal policies `PaymentMigration` knows, as the strings they are (a `cdk.json` context value is one of them). */
const POLICIES = Object.values(RemovalPolicy) as string[];

/**
 * `PaymentMigration`'s own settings: the teardown opt-out (from code or from `cdk.json` context) against the side's
 * deletion protection, and where the alarms go. @internal
 */
export function validateMigrationSettings(
  v: Validator,
  props: { readonly removalPolicy?: unknown; readonly alerts?: { readonly emails?: string[]; readonly topic?: sns.ITopic } },
  options: SideOptionsByKind,
): void {
  checkRemovalPolicy(v, props.removalPolicy, options);
  checkEmails(v, props.alerts?.emails ?? []);
  checkTopic(v, props.alerts?.topic);
}

function checkRemovalPolicy(v: Validator, policy: unknown, options: SideOptionsByKind): void {
  if (policy === undefined || policy === null || (typeof policy === 'string' && Token.isUnresolved(policy))) return;
  if (typeof policy !== 'string' || !POLICIES.includes(policy)) {
    // a context value read with `tryGetContext` is whatever was typed in cdk.json: `"DESTROY"`, `true`, `"delete"`
    v.fail(
      'removalPolicy',
      'must be a RemovalPolicy: RemovalPolicy.DESTROY (the string "destroy") for the teardown opt-out, or unset for the safe defaults. ' +
        'A value read from cdk.json context is a string: map it (`ctx === \'destroy\' ? RemovalPolicy.DESTROY : undefined`); ' +
        'anything else would silently keep every resource',
      policy,
    );
    return;
  }
  v.check(
    policy !== RemovalPolicy.SNAPSHOT,
    'removalPolicy',
    'must be RemovalPolicy.DESTROY (the teardown opt-out), RemovalPolicy.RETAIN or unset: RemovalPolicy.SNAPSHOT reads as "delete the stack, keep a ' +
      'final snapshot of the databases", but here the databases are always snapshotted and deletion-protected and every other resource ' +
      'is retained (the safe defaults), so deleting the stack would fail on the protected databases. Leave it unset to keep everything, ' +
      'or give DESTROY on a non-production stage',
    policy,
  );
  if (policy !== RemovalPolicy.DESTROY) return;
  const side = options.targetRegion ?? options.datacenterToAws;
  v.check(
    side?.database?.deletionProtection !== true,
    'side.database.deletionProtection',
    'must not be true with `removalPolicy: RemovalPolicy.DESTROY`: the teardown opt-out deletes the databases with the stack, and a ' +
      'protected cluster would make that deletion fail. Leave it unset (DESTROY turns it off), or keep the default removal policy',
    true,
  );
}

/** The shape SNS accepts for an email subscription; a scheme, spaces or a second `@` are refused. */
const EMAIL = /^[^@\s:<>,;]+@[^@\s:<>,;]+\.[^@\s:<>,;]+$/;

function checkEmails(v: Validator, emails: string[]): void {
  const seen = new Map<string, number>();
  emails.forEach((email, i) => {
    if (!known(email)) return;
    if (/^mailto:/i.test(email)) {
      v.fail(`alerts.emails[${i}]`, `must be a bare email address (\`${email.replace(/^mailto:/i, '')}\`), without \`mailto:\`: SNS would send the confirmation nowhere`, email);
      return;
    }
    if (!EMAIL.test(email)) {
      v.fail(`alerts.emails[${i}]`, 'must be an email address', email);
      return;
    }
    // the domain is case-insensitive, the local part is the mailbox owner's: compared as the mail system does
    const at = email.lastIndexOf('@');
    const address = `${email.slice(0, at)}@${email.slice(at + 1).toLowerCase()}`;
    const first = seen.get(address);
    v.check(
      first === undefined,
      `alerts.emails[${i}]`,
      `must not repeat an address (\`alerts.emails[${first}]\`): SNS keeps one subscription per address and topic, so the two ` +
        'subscriptions would share it and deleting either would unsubscribe both',
      email,
    );
    if (first === undefined) seen.set(address, i);
  });
}

function checkTopic(v: Validator, topic: sns.ITopic | undefined): void {
  if (topic === undefined || topic === null) return;
  const arn = known(topic.topicArn) ? topic.topicArn : undefined;
  const fifo = topic.fifo === true || (arn !== undefined && arn.endsWith('.fifo'));
  v.check(
    !fifo,
    'alerts.topic',
    'must be a standard topic, not a FIFO topic: a FIFO topic takes only messages with a message group id, which CloudWatch alarm ' +
      'actions and EventBridge rules do not give, and delivers to SQS queues only (no email): no one would be paged',
    arn ?? `${(topic as unknown as IConstruct).node.path} (fifo: true)`,
  );
}
