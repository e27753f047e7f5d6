import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AuroraFamily, STANDARD_PORTS } from './aurora';
import type { AuroraClusterBaseProps } from './aurora-props';
import { checkInteger } from './number-rules';
import { checkLogRetention, known, Validator } from './validation';

/** Enhanced-monitoring intervals RDS accepts, in seconds. */
export const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

const ENGINE_NAMES: Record<AuroraFamily, string> = { mysql: 'MySQL', postgresql: 'PostgreSQL' };

/** r5.large, r6g.xlarge, x2g.2xlarge, … */
export function isMemoryOptimized(instanceClass: string): boolean {
  return /^[rx]\d[a-z0-9-]*\.[a-z0-9]+$/.test(instanceClass);
}

/** The only burstable classes Aurora Global Database accepts (for development and tests). */
export function isBurstableMedium(instanceClass: string): boolean {
  return /^t[34]g?\.medium$/.test(instanceClass);
}

/** The port: inside the Aurora range, and not the engine's standard port (AwsSolutions-RDS11). */
export function checkAuroraPort(v: Validator, family: AuroraFamily, port: number | undefined): void {
  const engine = ENGINE_NAMES[family];
  checkInteger(v, 'port', port, 1150, 65535, `must be an integer between 1150 and 65535 (the Aurora ${engine} port range)`);
  v.check(port !== STANDARD_PORTS[family], 'port', `must not be the default ${engine} port ${STANDARD_PORTS[family]} (AwsSolutions-RDS11: a non-default port)`, port);
}

/** Automated backups: 1–35 whole days. */
export function checkBackupRetention(v: Validator, retention: Duration | undefined): void {
  if (retention === undefined) return;
  const days = retention.toDays({ integral: false });
  v.check(Number.isInteger(days) && days >= 1 && days <= 35, 'backupRetention', 'must be a whole number of days between 1 and 35', retention.toHumanString());
}

/** Enhanced monitoring: one of the intervals RDS accepts. */
export function checkMonitoringInterval(v: Validator, interval: Duration | undefined): void {
  if (interval === undefined) return;
  const s = interval.toSeconds({ integral: false });
  v.check(MONITORING_INTERVALS.includes(s), 'monitoringInterval', `must be one of ${MONITORING_INTERVALS.join(', ')} seconds`, interval.toHumanString());
}

/** DB cluster identifiers: 1–63 lowercase letters, digits and hyphens, starting with a letter, no `--`, no trailing `-`. */
export function checkClusterIdentifier(v: Validator, clusterIdentifier: string | undefined): void {
  if (clusterIdentifier === undefined || !known(clusterIdentifier)) return;
  v.check(
    /^[a-z](?!.*--)[a-z0-9-]{0,62}$/.test(clusterIdentifier) && !clusterIdentifier.endsWith('-'),
    'clusterIdentifier',
    'must be 1–63 lowercase letters, digits or hyphens, start with a letter, and contain no "--" nor end with "-"',
    clusterIdentifier,
  );
}

/**
 * The rules of {@link AuroraClusterBaseProps} that every Aurora cluster of the library keeps alike: the port, automated
 * backups, enhanced monitoring, the database logs' retention, the cluster identifier.
 */
export function checkAuroraBaseProps(v: Validator, family: AuroraFamily, props: AuroraClusterBaseProps): void {
  checkAuroraPort(v, family, props.port);
  checkBackupRetention(v, props.backupRetention);
  checkMonitoringInterval(v, props.monitoringInterval);
  checkLogRetention(v, 'logRetention', props.logRetention, 'database logs');
  checkClusterIdentifier(v, props.clusterIdentifier);
}

/** The distinct Availability Zones of the selected subnets, or undefined when any is unknown at synth time. */
export function knownAvailabilityZones(subnets: ec2.SelectedSubnets): string[] | undefined {
  const azs = subnets.availabilityZones;
  if (!known(azs)) return undefined;
  return [...new Set(azs)];
}
