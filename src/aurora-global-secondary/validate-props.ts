import { Duration, Token } from 'aws-cdk-lib';
import type { AuroraGlobalSecondaryProps } from './aurora-global-secondary';
import { validateGlobalClusterIdentifier } from './identifiers';
import { checkLogRetention, isRegionName, known, PropsValidator } from '../private/validation';

/** Enhanced-monitoring intervals RDS accepts, in seconds. */
const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];
/** One writer and up to 15 readers. */
const MAX_INSTANCES = 16;

/** @internal */
export function validateAuroraGlobalSecondaryProps(
  v: PropsValidator,
  props: AuroraGlobalSecondaryProps,
  stackRegion: string | undefined,
  engineFullVersion: string,
): void {
  validateGlobalClusterIdentifier(v, 'globalClusterIdentifier', props.globalClusterIdentifier);

  if (known(props.primaryRegion)) {
    v.check(isRegionName(props.primaryRegion), 'primaryRegion', 'must be a region name such as us-east-1', props.primaryRegion);
    if (stackRegion) {
      v.check(props.primaryRegion !== stackRegion, 'primaryRegion', `must differ from the stack's region ${stackRegion}: a secondary lives in another region than its primary`, props.primaryRegion);
    }
  }

  if (known(props.primaryEngineVersion)) {
    v.check(
      props.primaryEngineVersion === engineFullVersion,
      'engineVersion',
      `must equal the primary's engine version ${props.primaryEngineVersion} (major.minor.patch) for switchover and failover`,
      engineFullVersion,
    );
  }
  v.check(engineFullVersion.startsWith('8.0.') || Token.isUnresolved(engineFullVersion), 'engineVersion', 'must be an Aurora MySQL 8.0-compatible (3.x) version', engineFullVersion);

  if (props.headless) {
    if (props.instances !== undefined) {
      v.fail('instances', 'must not be set for a headless secondary (a headless cluster has no instances)', props.instances);
    }
    if (props.enableGlobalWriteForwarding) {
      v.fail('enableGlobalWriteForwarding', 'needs instances to forward from: not available on a headless secondary', props.enableGlobalWriteForwarding);
    }
  } else if (props.instances !== undefined) {
    v.check(
      Number.isInteger(props.instances) && props.instances >= 1 && props.instances <= MAX_INSTANCES,
      'instances',
      `must be an integer between 1 and ${MAX_INSTANCES} (use \`headless: true\` for none)`,
      props.instances,
    );
  }

  if (props.instanceType) {
    const cls = props.instanceType.toString();
    v.check(
      isMemoryOptimized(cls) || isBurstableMedium(cls),
      'instanceType',
      'must be a memory-optimized class (r*, x*): Aurora Global Database supports no other class but t3/t4g.medium, for tests',
      cls,
    );
  }

  if (props.port !== undefined && known(props.port)) {
    v.check(Number.isInteger(props.port) && props.port >= 1150 && props.port <= 65535, 'port', 'must be an integer between 1150 and 65535 (the Aurora MySQL port range)', props.port);
    v.check(props.port !== 3306, 'port', 'must not be the default MySQL port 3306 (AwsSolutions-RDS11: a non-default port)', props.port);
  }

  if (props.backupRetention !== undefined) {
    const days = props.backupRetention.toDays({ integral: false });
    v.check(Number.isInteger(days) && days >= 1 && days <= 35, 'backupRetention', 'must be a whole number of days between 1 and 35', props.backupRetention.toHumanString());
  }

  if (props.monitoringInterval !== undefined) {
    const s = props.monitoringInterval.toSeconds({ integral: false });
    v.check(MONITORING_INTERVALS.includes(s), 'monitoringInterval', `must be one of ${MONITORING_INTERVALS.join(', ')} seconds`, props.monitoringInterval.toHumanString());
  }

  checkLogRetention(v, 'logRetention', props.logRetention, 'database logs');

  if (props.replicationLagThreshold !== undefined) {
    const ms = props.replicationLagThreshold.toMilliseconds();
    v.check(ms > 0 && ms <= Duration.minutes(15).toMilliseconds(), 'replicationLagThreshold', 'must be more than 0 and at most 15 minutes', props.replicationLagThreshold.toHumanString());
  }
  if (props.replicationLagEvaluationPeriods !== undefined) {
    v.check(
      Number.isInteger(props.replicationLagEvaluationPeriods) && props.replicationLagEvaluationPeriods >= 1,
      'replicationLagEvaluationPeriods',
      'must be a positive integer',
      props.replicationLagEvaluationPeriods,
    );
  }

  if (props.clusterIdentifier !== undefined && known(props.clusterIdentifier)) {
    v.check(
      /^[a-z](?!.*--)[a-z0-9-]{0,62}$/.test(props.clusterIdentifier) && !props.clusterIdentifier.endsWith('-'),
      'clusterIdentifier',
      'must be 1–63 lowercase letters, digits or hyphens, start with a letter, and contain no "--" nor end with "-"',
      props.clusterIdentifier,
    );
  }
}

/** r5.large, r6g.xlarge, x2g.2xlarge, … */
export function isMemoryOptimized(instanceClass: string): boolean {
  return /^[rx]\d[a-z0-9-]*\.[a-z0-9]+$/.test(instanceClass);
}

/** The only burstable classes Aurora Global Database accepts (for development and tests). */
export function isBurstableMedium(instanceClass: string): boolean {
  return /^t[34]g?\.medium$/.test(instanceClass);
}
