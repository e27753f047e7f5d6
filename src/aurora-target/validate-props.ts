import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AuroraTargetClusterProps, AuroraTargetEngine } from './aurora-target-props';
import { AuroraFamily } from '../private/aurora';
import { checkAuroraBaseProps, checkLagThreshold, isBurstableMedium, isMemoryOptimized, knownAvailabilityZones } from '../private/aurora-validation';
import { checkInteger, checkPercentage } from '../private/number-rules';
import { checkAlarmActionsRegion, Validator } from '../private/validation';

/** The most in-region replica lag an alarm may tolerate (AuroraReplicaLag, in milliseconds, is typically under 100 ms). */
const MAX_REPLICA_LAG_SECONDS = 60;

/** Aurora: one writer and up to 15 readers. */
const MAX_READERS = 15;
/** Master user names: RDS allows 16 characters for MySQL, 63 for PostgreSQL. */
const MAX_USERNAME: Record<AuroraFamily, number> = { mysql: 16, postgresql: 63 };
/** User names RDS keeps for itself. */
const RESERVED_USERNAMES = ['rdsadmin', 'rdsrepladmin', 'rdsproxyadmin'];

/** The facts the rules need that the props alone do not hold. */
export interface AuroraTargetValidationContext {
  readonly family: AuroraFamily;
  readonly engineFullVersion: string;
  readonly postgresMajorVersion?: string;
  readonly subnets: ec2.SelectedSubnets;
  /** The key's region when it differs from the stack's. */
  readonly foreignKeyRegion?: string;
  readonly stackRegion?: string;
}

/**
 * A removal policy from code or from `cdk.json` context (a string), and deletion protection against it: a cluster
 * that is both protected and to be destroyed fails the stack's deletion. @internal
 */
export function checkRemovalPolicy(v: Validator, removalPolicy: unknown, deletionProtection: boolean | undefined): void {
  if (removalPolicy === undefined || (typeof removalPolicy === 'string' && Token.isUnresolved(removalPolicy))) return;
  if (!(Object.values(RemovalPolicy) as unknown[]).includes(removalPolicy)) {
    v.fail('removalPolicy', 'must be a RemovalPolicy (from cdk.json context, the string of one: "destroy", "retain", "snapshot" or "retain-on-update-or-delete")', removalPolicy);
    return;
  }
  v.check(
    !(removalPolicy === RemovalPolicy.DESTROY && deletionProtection === true),
    'deletionProtection',
    'must not be true with `removalPolicy: RemovalPolicy.DESTROY`: CloudFormation could not delete the protected cluster, and the stack\'s deletion would fail',
    deletionProtection,
  );
}

/** @internal */
export function validateAuroraTargetClusterProps(v: Validator, props: AuroraTargetClusterProps, ctx: AuroraTargetValidationContext): void {
  // --- engine and version
  const engine = props.engine ?? AuroraTargetEngine.MYSQL;
  if (props.mysqlEngineVersion !== undefined && engine !== AuroraTargetEngine.MYSQL) {
    v.fail('mysqlEngineVersion', `applies to \`engine: AuroraTargetEngine.MYSQL\` only; use \`${v.name('postgresEngineVersion')}\``, props.mysqlEngineVersion.auroraMysqlFullVersion);
  }
  if (props.postgresEngineVersion !== undefined && engine !== AuroraTargetEngine.POSTGRESQL) {
    v.fail('postgresEngineVersion', `applies to \`engine: AuroraTargetEngine.POSTGRESQL\` only; use \`${v.name('mysqlEngineVersion')}\``, props.postgresEngineVersion.auroraPostgresFullVersion);
  }
  if (ctx.family === 'mysql' && !Token.isUnresolved(ctx.engineFullVersion)) {
    v.check(ctx.engineFullVersion.startsWith('8.0.'), 'mysqlEngineVersion', 'must be an Aurora MySQL 8.0-compatible (3.x) version', ctx.engineFullVersion);
  }
  if (ctx.family === 'postgresql' && ctx.postgresMajorVersion !== undefined && !Token.isUnresolved(ctx.postgresMajorVersion)) {
    const major = Number(ctx.postgresMajorVersion);
    v.check(Number.isInteger(major) && major >= 13, 'postgresEngineVersion', 'must be Aurora PostgreSQL 13 or later', ctx.engineFullVersion);
  }

  // --- instances and where they go
  if (props.readers !== undefined && Token.isUnresolved(props.readers)) {
    v.fail('readers', 'must be known at synth time: it sets how many instances are created', props.readers);
  } else {
    checkInteger(v, 'readers', props.readers, 0, MAX_READERS, `must be an integer between 0 and ${MAX_READERS}`);
  }
  if (props.instanceType) {
    const cls = props.instanceType.toString();
    if (isBurstableMedium(cls)) {
      v.fail('instanceType', 'must not be a burstable class: a DMS full load exhausts its CPU credits; use a memory-optimized class (r*, x*)', cls);
    } else {
      v.check(isMemoryOptimized(cls), 'instanceType', 'must be a memory-optimized class (r*, x*), the Aurora classes for production', cls);
    }
  }
  const azs = knownAvailabilityZones(ctx.subnets);
  if (azs !== undefined) {
    v.check(azs.length >= 2, 'subnets', 'must span at least two Availability Zones (an RDS subnet group needs two; a failover needs a reader in another AZ)', azs);
  }

  // --- network, credentials, storage
  checkRemovalPolicy(v, props.removalPolicy, props.deletionProtection);
  const max = MAX_USERNAME[ctx.family];
  v.checkKnown('masterUsername', props.masterUsername, (x) => new RegExp(`^[a-zA-Z][a-zA-Z0-9]{0,${max - 1}}$`).test(x) && !RESERVED_USERNAMES.includes(x.toLowerCase()),
    `must be 1–${max} letters or digits, start with a letter, and not be a name RDS reserves (${RESERVED_USERNAMES.join(', ')})`);
  v.checkKnown('defaultDatabaseName', props.defaultDatabaseName, (x) => /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(x),
    'must be 1–63 letters, digits or underscores, starting with a letter');
  if (ctx.foreignKeyRegion !== undefined) {
    v.fail('encryptionKey', `must be a key in the stack's region ${ctx.stackRegion}: RDS, Secrets Manager and CloudWatch Logs use region-local keys only`, ctx.foreignKeyRegion);
  }
  checkAuroraBaseProps(v, ctx.family, props);
  checkAlarmActionsRegion(v, 'alarmActions', props.alarmActions, ctx.stackRegion);

  // --- alarms
  checkPercentage(v, 'cpuAlarmThreshold', props.cpuAlarmThreshold, 80, 'would alarm at rest');
  checkLagThreshold(v, 'replicaLagAlarmThreshold', props.replicaLagAlarmThreshold, MAX_REPLICA_LAG_SECONDS, 'AuroraReplicaLag is in milliseconds and runs well under a second');
  checkInteger(v, 'connectionsAlarmThreshold', props.connectionsAlarmThreshold, 1, Infinity, 'must be a positive integer');
}
