import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import { DatabaseEngine, type DmsReplicationProps } from './props';
import { parseCidr, overlaps, Ipv4Range } from '../private/cidr';
import { checkHostName } from '../private/host-names';
import { foreignKeyRegion } from '../private/kms';
import { checkEvaluationPeriods, checkInteger } from '../private/number-rules';
import { checkAlarmActionsRegion, checkIdentifier, checkKnownSeconds, checkLogRetention, checkSameRegion, known, literalRegion, Validator } from '../private/validation';

/** The most CDC latency a gate may tolerate: beyond it the "replication is in sync" gate means nothing. */
const MAX_CDC_LATENCY_SECONDS = 3600;

/** Every regional resource DMS uses is in the stack's region: the secrets' keys, the topic. @internal */
export function checkDmsRegions(v: Validator, scope: IConstruct, props: DmsReplicationProps): void {
  const keyWhy = 'KMS keys are regional: DMS and Secrets Manager decrypt with a key of their own region';
  for (const side of ['datacenter', 'aurora'] as const) {
    const db = props[side];
    checkSameRegion(v, scope, `${side}.secretEncryptionKey`, db.secretEncryptionKey, db.secretEncryptionKey?.keyArn, keyWhy);
    checkSameRegion(v, scope, `${side}.secret.encryptionKey`, db.secret.encryptionKey, db.secret.encryptionKey?.keyArn, keyWhy);
  }
  checkSameRegion(v, scope, 'notificationTopic', props.notificationTopic, props.notificationTopic?.topicArn, 'DMS event subscriptions and alarms publish to a topic of their own region');
  checkAlarmActionsRegion(v, 'alarmActions', props.alarmActions, literalRegion(scope));
}

/** `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`: a complete secret ARN. */
const COMPLETE_SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:.+-[A-Za-z0-9]{6}$/;
/** `arn:<partition>:dms:<region>:<account>:cert:<id>`. */
const DMS_CERTIFICATE_ARN = /^arn:aws[a-z-]*:dms:([a-z0-9-]+):(\d{12}):cert:[A-Za-z0-9-]+$/;
/** `dms.<family>.<size>`: dms.r6i.large, dms.c5.xlarge, dms.t3.medium. */
const INSTANCE_CLASS = /^dms\.[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The SSL settings shared by the source and the target. */
interface SslProps {
  readonly sslMode?: string;
  readonly certificateArn?: string;
  readonly certificatePem?: string;
}

/** @internal */
export function validateDmsReplicationProps(
  v: Validator,
  props: DmsReplicationProps,
  resolved: {
    stackRegion?: string;
    sourceEngine: DatabaseEngine;
    sourcePort: number;
    sourceSslMode: string;
    targetSslMode: string;
    vpcCidr?: string;
  },
): void {
  const { stackRegion, sourceEngine } = resolved;

  // --- Homogeneous only: the target engine family is the source's
  if (props.aurora.engine !== undefined) {
    v.check(
      props.aurora.engine === sourceEngine,
      'aurora.engine',
      `must be the source engine (${sourceEngine}): this library migrates homogeneously (MySQL → Aurora MySQL, ` +
        'PostgreSQL → Aurora PostgreSQL); a heterogeneous pair needs schema conversion, which DMS replication alone does not do',
      props.aurora.engine,
    );
  }
  if (props.aurora.databaseName !== undefined) {
    if (sourceEngine !== DatabaseEngine.POSTGRESQL) {
      v.fail(
        'aurora.databaseName',
        'applies only to a PostgreSQL target: a DMS MySQL endpoint takes no database name (its schemas come from the table mappings)',
        props.aurora.databaseName,
      );
    } else if (known(props.aurora.databaseName)) {
      v.check(
        /^[A-Za-z0-9_$-]{1,63}$/.test(props.aurora.databaseName),
        'aurora.databaseName',
        'must be a database name of 1–63 letters, digits, `_`, `$` or `-`',
        props.aurora.databaseName,
      );
    }
  }

  // --- Credentials: referenced secrets, complete ARNs, this region
  validateSecret(v, 'datacenter.secret', props.datacenter.secret, stackRegion);
  validateSecret(v, 'aurora.secret', props.aurora.secret, stackRegion);

  // --- TLS to both databases
  validateSsl(v, 'datacenter', { ...props.datacenter, sslMode: resolved.sourceSslMode }, stackRegion);
  validateSsl(v, 'aurora', { ...props.aurora, sslMode: resolved.targetSslMode }, stackRegion);

  // --- Endpoints
  v.check(!known(props.datacenter.host) || props.datacenter.host.trim().length > 0, 'datacenter.host', 'must be the on-premises database host name or IPv4 address', props.datacenter.host);
  v.check(!known(props.aurora.host) || props.aurora.host.trim().length > 0, 'aurora.host', 'must be the Aurora cluster (writer) endpoint', props.aurora.host);
  checkHostName(v, 'datacenter.host', props.datacenter.host, v.name('datacenter.port'));
  v.checkKnown('datacenter.host', props.datacenter.host, (h) => !(h.toLowerCase() === 'localhost' || h.toLowerCase().endsWith('.localhost') || /^127\./.test(h) || h === '::1'),
    'must be the on-premises database, not a loopback address: DMS runs in the VPC, where localhost is the replication instance itself');
  checkHostName(v, 'aurora.host', props.aurora.host, 'aurora.port');
  v.checkKnown('datacenter.databaseName', props.datacenter.databaseName, (x) => /^[A-Za-z0-9_$-]{1,64}$/.test(x), 'must be a database name of 1–64 letters, digits, `_`, `$` or `-`');
  checkInteger(v, 'datacenter.port', resolved.sourcePort, 1, 65535, 'must be an integer between 1 and 65535');
  checkInteger(v, 'aurora.port', props.aurora.port, 1, 65535, 'must be an integer between 1 and 65535');

  // --- The on-premises address space: well formed, not the VPC's, and holding the source host
  const ranges = validateSourceCidrs(v, props.datacenterCidrs, resolved.vpcCidr);
  const hostMatch = known(props.datacenter.host) ? IPV4.exec(props.datacenter.host) : null;
  if (hostMatch && ranges.length > 0 && ranges.length === props.datacenterCidrs.length) {
    const host = parseCidr(`${props.datacenter.host}/32`);
    v.check(
      host !== undefined && ranges.some((r) => overlaps(r, host)),
      'datacenter.host',
      `must lie inside \`datacenterCidrs\` (${props.datacenterCidrs.join(', ')}): the replication instance may only reach those`,
      props.datacenter.host,
    );
  }

  // --- Replication instance
  v.checkKnown('replicationInstanceClass', props.replicationInstanceClass, (x) => INSTANCE_CLASS.test(x),
    'must be a DMS instance class such as dms.r6i.large');
  checkInteger(v, 'allocatedStorage', props.allocatedStorage, 5, 6144, 'must be a whole number of GiB between 5 and 6144');
  v.checkKnown('engineVersion', props.engineVersion, (x) => /^\d+\.\d+\.\d+$/.test(x), 'must be a DMS engine version such as 3.5.4');
  checkIdentifier(v, 'replicationInstanceIdentifier', props.replicationInstanceIdentifier);
  checkIdentifier(v, 'replicationTaskIdentifier', props.replicationTaskIdentifier);

  // --- Table mappings
  if (props.includedSchemas !== undefined) {
    v.check(props.includedSchemas.length > 0, 'includedSchemas', 'must list at least one schema (omit it to replicate the whole source database)', props.includedSchemas);
    props.includedSchemas.forEach((s, i) => {
      v.checkKnown(`includedSchemas[${i}]`, s, (x) => /^[^\s"'\\]{1,128}$/.test(x),
        'must be a schema name (or a DMS `%` pattern) without spaces or quotes');
    });
  }

  // --- Monitoring and logs
  const cdc = props.cdcLatencyThreshold;
  checkKnownSeconds(v, 'cdcLatencyThreshold', cdc, (s) => s > 0, 'must be more than 0 seconds');
  checkKnownSeconds(v, 'cdcLatencyThreshold', cdc, (s) => s <= 0 || s >= 1,
    'must be at least 1 second: DMS reports CDCLatencySource and CDCLatencyTarget in whole seconds, so a sub-second threshold alarms on any lag (seconds meant? use Duration.seconds)');
  checkKnownSeconds(v, 'cdcLatencyThreshold', cdc, (s) => s <= MAX_CDC_LATENCY_SECONDS,
    `must be at most ${MAX_CDC_LATENCY_SECONDS / 60} minutes: it gates the cutover on the replication being in sync, and the writer move drains this much lag with writes fenced`);
  checkEvaluationPeriods(v, 'alarmEvaluationPeriods', props.alarmEvaluationPeriods);
  checkLogRetention(v, 'logRetention', props.logRetention, 'replication task logs');
}

function validateSecret(v: Validator, prop: string, secret: secretsmanager.ISecret, stackRegion: string | undefined): void {
  const arn = secret.secretFullArn;
  if (arn === undefined) {
    v.fail(
      prop,
      'must be referenced by its complete ARN (`Secret.fromSecretCompleteArn`): DMS and IAM need the ARN with its 6-character suffix',
      secret.secretArn,
    );
    return;
  }
  if (!known(arn)) {
    return;
  }
  const m = COMPLETE_SECRET_ARN.exec(arn);
  if (!m) {
    v.fail(prop, 'must be a complete Secrets Manager ARN, `arn:aws:secretsmanager:<region>:<12-digit account>:secret:<name>-AbCdEf`', arn);
    return;
  }
  if (stackRegion) {
    v.check(m[1] === stackRegion, prop, `must be a secret in the stack's region ${stackRegion} (DMS reads secrets in its own region)`, arn);
  }
}

function validateSsl(v: Validator, prefix: string, ssl: SslProps, stackRegion: string | undefined): void {
  const mode = ssl.sslMode;
  v.check(mode !== 'none', `${prefix}.sslMode`, 'must not be NONE: payment data travels encrypted (PCI DSS 4.1/4.2.1); use VERIFY_FULL', mode);
  const verifies = mode === 'verify-ca' || mode === 'verify-full';
  const hasCert = ssl.certificateArn !== undefined || ssl.certificatePem !== undefined;
  if (verifies) {
    v.check(hasCert, `${prefix}.certificateArn`, `must be given (or \`${v.name(`${prefix}.certificatePem`)}\`) with sslMode ${mode}: DMS verifies the server against that CA`, ssl.certificateArn);
  } else if (hasCert) {
    v.fail(`${prefix}.certificateArn`, 'applies only with sslMode VERIFY_CA or VERIFY_FULL', ssl.certificateArn ?? '<certificatePem>');
  }
  if (ssl.certificateArn !== undefined && ssl.certificatePem !== undefined) {
    v.fail(`${prefix}.certificatePem`, `must not be given together with \`${v.name(`${prefix}.certificateArn`)}\``, '<certificatePem>');
  }
  if (ssl.certificateArn !== undefined && known(ssl.certificateArn)) {
    const m = DMS_CERTIFICATE_ARN.exec(ssl.certificateArn);
    v.check(m !== null, `${prefix}.certificateArn`, 'must be a DMS certificate ARN (`arn:aws:dms:<region>:<account>:cert:<id>`)', ssl.certificateArn);
    if (m && stackRegion) {
      v.check(m[1] === stackRegion, `${prefix}.certificateArn`, `must be a DMS certificate in the stack's region ${stackRegion}`, ssl.certificateArn);
    }
  }
  if (ssl.certificatePem !== undefined && known(ssl.certificatePem)) {
    v.check(
      ssl.certificatePem.trim().startsWith('-----BEGIN CERTIFICATE-----'),
      `${prefix}.certificatePem`,
      'must be a PEM-encoded X.509 certificate (-----BEGIN CERTIFICATE-----)',
      `${ssl.certificatePem.slice(0, 30)}…`,
    );
  }
}

function validateSourceCidrs(v: Validator, cidrs: string[], vpcCidr: string | undefined): Ipv4Range[] {
  if (Token.isUnresolved(cidrs)) {
    return [];
  }
  v.check(cidrs.length > 0, 'datacenterCidrs', 'must list the on-premises address space of the source database (at least one CIDR block)', cidrs);
  const vpc = vpcCidr ? parseCidr(vpcCidr) : undefined;
  const ranges: Ipv4Range[] = [];
  cidrs.forEach((c, i) => {
    if (!known(c)) return;
    const r = parseCidr(c);
    if (!r) {
      v.fail(`datacenterCidrs[${i}]`, 'must be an IPv4 CIDR block such as 192.168.10.0/24 (no host bits set)', c);
      return;
    }
    v.check(r.prefix >= 8, `datacenterCidrs[${i}]`, 'must be /8 or narrower: egress is opened to it', c);
    if (vpc) {
      v.check(!overlaps(r, vpc), `datacenterCidrs[${i}]`, `must not overlap the VPC's CIDR ${vpcCidr} (on-premises routes would be shadowed)`, c);
    }
    ranges.push(r);
  });
  return ranges;
}

/**
 * Where the replication goes: a key of the stack's region, subnets in two AZs at least, a way to Secrets Manager.
 * Returns the selected subnets. @internal
 */
export function validateDmsPlacement(
  v: Validator,
  scope: IConstruct,
  props: DmsReplicationProps,
  vpcCidrBlock: string | undefined,
): ec2.SelectedSubnets {
  const keyRegion = foreignKeyRegion(scope, props.encryptionKey);
  v.check(keyRegion === undefined, 'encryptionKey', `must be a key in the stack's region ${Stack.of(scope).region} (KMS keys are regional)`, keyRegion);
  const subnets = props.vpc.selectSubnets(props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
  const azs = new Set(subnets.subnets.map((s) => s.availabilityZone).filter((az) => !Token.isUnresolved(az)));
  v.check(
    subnets.subnetIds.length === 0 || azs.size === 0 || azs.size >= 2,
    'subnets',
    'must span at least two AZs (a DMS subnet group needs two; Multi-AZ needs them)',
    [...azs],
  );
  v.check(
    props.secretsManagerEndpoint !== undefined || vpcCidrBlock !== undefined,
    'secretsManagerEndpoint',
    "must be given when the VPC's CIDR block is unknown (an imported VPC without `vpcCidrBlock`): HTTPS egress to Secrets Manager goes to it",
    props.secretsManagerEndpoint,
  );
  v.check(subnets.subnetIds.length > 0, 'subnets', 'must select at least one subnet of the VPC', props.subnets ?? 'PRIVATE_WITH_EGRESS');
  return subnets;
}
