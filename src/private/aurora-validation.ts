import type { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AuroraFamily, STANDARD_PORTS } from './aurora';
import type { AuroraClusterBaseProps } from './aurora-props';
import { checkInteger } from './number-rules';
import { checkIdentifier, checkLogRetention, known, Validator } from './validation';

/** Enhanced-monitoring intervals RDS accepts, in seconds. */
const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

const ENGINE_NAMES: Record<AuroraFamily, string> = { mysql: 'MySQL', postgresql: 'PostgreSQL' };

/** r5.large, r6g.xlarge, x2g.2xlarge, … */
export function isMemoryOptimized(instanceClass: string): boolean {
  return /^[rx]\d[a-z0-9-]*\.[a-z0-9]+$/.test(instanceClass);
}

/** The only burstable classes Aurora Global Database accepts (for development and tests). */
export function isBurstableMedium(instanceClass: string): boolean {
  return /^t[34]g?\.medium$/.test(instanceClass);
}

/**
 * The rules of {@link AuroraClusterBaseProps} that every Aurora cluster of the library keeps alike: the port (in the
 * Aurora range, not the engine's standard port: AwsSolutions-RDS11), automated backups (1–35 whole days), enhanced
 * monitoring (an interval RDS accepts), the database logs' retention, the cluster identifier (as RDS names clusters).
 */
export function checkAuroraBaseProps(v: Validator, family: AuroraFamily, props: AuroraClusterBaseProps): void {
  const [engine, standard] = [ENGINE_NAMES[family], STANDARD_PORTS[family]];
  checkInteger(v, 'port', props.port, 1150, 65535, `must be an integer between 1150 and 65535 (the Aurora ${engine} port range)`);
  v.check(props.port !== standard, 'port', `must not be the default ${engine} port ${standard} (AwsSolutions-RDS11: a non-default port)`, props.port);
  const days = props.backupRetention?.toDays({ integral: false });
  v.check(days === undefined || (Number.isInteger(days) && days >= 1 && days <= 35), 'backupRetention', 'must be a whole number of days between 1 and 35',
    props.backupRetention?.toHumanString());
  const interval = props.monitoringInterval?.toSeconds({ integral: false });
  v.check(interval === undefined || MONITORING_INTERVALS.includes(interval), 'monitoringInterval', `must be one of ${MONITORING_INTERVALS.join(', ')} seconds`,
    props.monitoringInterval?.toHumanString());
  checkLogRetention(v, 'logRetention', props.logRetention, 'database logs');
  checkIdentifier(v, 'clusterIdentifier', props.clusterIdentifier, true);
}

/** A lag alarm's threshold, on a metric in milliseconds: at least 1 ms, at most `maxSeconds`; `why` says what more would do. */
export function checkLagThreshold(v: Validator, prop: string, threshold: Duration | undefined, maxSeconds: number, why: string): void {
  const ms = threshold?.toMilliseconds({ integral: false });
  v.check(ms === undefined || (ms >= 1 && ms <= maxSeconds * 1000), prop,
    `must be at least 1 millisecond and at most ${maxSeconds} seconds: ${why} (milliseconds meant? use Duration.millis)`, threshold?.toHumanString());
}

/** The distinct Availability Zones of the selected subnets, or undefined when any is unknown at synth time. */
export function knownAvailabilityZones(subnets: ec2.SelectedSubnets): string[] | undefined {
  const azs = subnets.availabilityZones;
  if (!known(azs)) return undefined;
  return [...new Set(azs)];
}
