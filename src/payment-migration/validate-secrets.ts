import { Token } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import type { DatacenterToAwsOptions } from './datacenter-options';
import { checkSameRegion, known, Validator } from '../private/validation';

/** One secret prop of the datacenter side: the prop as the user typed it, whose credentials, and who reads them. */
interface SecretProp {
  readonly prop: string;
  readonly secret: secretsmanager.ISecret | undefined;
  /** `side.source.database.secretEncryptionKey`: DMS decrypts with it instead of the secret's own key. */
  readonly keyProp?: string;
  readonly key?: kms.IKey;
  /** Whose credentials, for messages: "the replication user's". */
  readonly whose: string;
  /** Who reads it, in this stack's region. */
  readonly reader: string;
  /** Which of two props sharing a secret is reported: the higher (the one whose reader would read a stranger's). */
  readonly rank: number;
}

/** `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>`, the name with or without the 6-character suffix. */
const SECRET_ARN = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]*):(\d{12}|):secret:(.+)$/;
/** The suffix Secrets Manager appends to a secret's name in its complete ARN. */
const SUFFIX = /-[A-Za-z0-9]{6}$/;

/** What identifies a secret at synth time: its name (without the suffix), and its account and region when literal. */
interface SecretIdentity {
  readonly name: string;
  readonly partition?: string;
  readonly region?: string;
  readonly account?: string;
}

/**
 * A secret's identity, read from its complete ARN (the suffix dropped), else its partial ARN (which has none), else
 * its `secretName` (`Secret.fromSecretNameV2`); undefined when nothing literal names it.
 */
function identityOf(secret: secretsmanager.ISecret): SecretIdentity | undefined {
  const literal = (s: string | undefined) => (typeof s === 'string' && !Token.isUnresolved(s) ? s : undefined);
  const full = literal(secret.secretFullArn);
  const arn = full ?? (secret.secretFullArn === undefined ? literal(secret.secretArn) : undefined);
  const m = arn === undefined ? null : SECRET_ARN.exec(arn);
  if (m) {
    return { name: full !== undefined ? m[4].replace(SUFFIX, '') : m[4], partition: m[1], region: m[2] || undefined, account: m[3] || undefined };
  }
  const name = literal(secret.secretName);
  return name === undefined ? undefined : { name };
}

/** True when both name the same secret: the same name, and the same partition, region and account wherever both are known. */
function sameSecret(a: SecretIdentity, b: SecretIdentity): boolean {
  const agree = (x: string | undefined, y: string | undefined) => x === undefined || y === undefined || x === y;
  return a.name === b.name && agree(a.partition, b.partition) && agree(a.region, b.region) && agree(a.account, b.account);
}

/** The secrets of a datacenter side, by prop. */
function secretProps(o: DatacenterToAwsOptions): SecretProp[] {
  const dms = 'DMS reads it';
  const fleet = 'the fleet reads it';
  return [
    { prop: 'side.source.database.secret', secret: o.source.database.secret, keyProp: 'side.source.database.secretEncryptionKey', key: o.source.database.secretEncryptionKey, whose: 'the replication user\'s', reader: dms, rank: 1 },
    { prop: 'side.source.applicationSecret', secret: o.source.applicationSecret, whose: 'the application user\'s', reader: fleet, rank: 3 },
    { prop: 'side.database.replicationSecret', secret: o.database.replicationSecret, whose: 'the replication user\'s', reader: dms, rank: 2 },
    { prop: 'side.database.applicationSecret', secret: o.database.applicationSecret, whose: 'the application user\'s', reader: fleet, rank: 3 },
    { prop: 'side.database.masterSecret', secret: o.database.masterSecret, whose: 'the master\'s', reader: 'CloudFormation reads it when it creates the cluster', rank: 0 },
  ];
}

/** The two application users may share a secret (user name and password only; the hosts come from the side's props). */
const APPLICATION_PAIR = ['side.source.applicationSecret', 'side.database.applicationSecret'];

/**
 * The datacenter side's secrets, one rule for all: each secret, and the key that encrypts it, is in the stack's
 * region, where its reader reads it; each database user has a secret of its own, compared by name (so that a partial
 * ARN, a complete ARN and a name meet); no RDS-managed master secret where a user's secret is expected. The two
 * application users may share one on purpose: that secret holds a user name and password only (the hosts come from
 * the side's props), so the same application credentials on both ends are legal. @internal
 */
export function validateDatacenterSecrets(v: Validator, scope: IConstruct, o: DatacenterToAwsOptions): void {
  const props = secretProps(o).filter((p) => p.secret !== undefined && p.secret !== null);
  for (const p of props) {
    const s = p.secret!;
    checkSameRegion(v, scope, p.prop, s, known(s.secretArn) ? s.secretArn : undefined, `like every secret of the side: ${p.reader} there`);
    const key = p.key ?? s.encryptionKey;
    const keyProp = p.key !== undefined ? p.keyProp! : `${p.prop}.encryptionKey`;
    checkSameRegion(v, scope, keyProp, key, key?.keyArn, `like the key of every secret of the side: ${p.reader} there, decrypted through Secrets Manager of that region`);
  }

  const identities = props.map((p) => ({ p, id: identityOf(p.secret!) }));
  for (const { p, id } of identities) {
    if (id === undefined || p.rank === 0) continue;
    v.check(
      !id.name.startsWith('rds!'),
      p.prop,
      `must be a secret of its own database user, not an RDS-managed master secret (\`rds!…\`): ${READERS}`,
      given(p),
    );
  }
  identities.forEach(({ p: a, id: ia }, i) => {
    for (const { p: b, id: ib } of identities.slice(i + 1)) {
      if (ia === undefined || ib === undefined || !sameSecret(ia, ib)) continue;
      if (APPLICATION_PAIR.includes(a.prop) && APPLICATION_PAIR.includes(b.prop)) continue;
      const [user, other] = b.rank > a.rank ? [b, a] : [a, b];
      v.fail(user.prop, sharedRule(user, other), given(user));
    }
  });
}

const READERS = 'the fleet reads only the application users\' secrets, DMS only the replication users\', nobody the master\'s';

function sharedRule(user: SecretProp, other: SecretProp): string {
  const name = identityOf(user.secret!)?.name;
  const rule = `must be a secret of its own database user, not ${other.whose} (${other.prop})${name !== undefined ? `: both name the secret ${name}` : ''}`;
  if (user.reader === other.reader && user.reader.startsWith('DMS')) {
    return `${rule}. DMS reads each end's host from its secret, so one secret for both ends would replicate a database into itself`;
  }
  return `${rule}. ${READERS[0].toUpperCase()}${READERS.slice(1)}`;
}

/** The secret as given: its complete ARN, else its partial ARN, else its name. */
function given(p: SecretProp): string {
  const s = p.secret!;
  return s.secretFullArn ?? (known(s.secretArn) ? s.secretArn : s.secretName);
}
