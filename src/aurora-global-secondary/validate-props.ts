import { Token } from 'aws-cdk-lib';
import type { AuroraGlobalSecondaryProps } from './aurora-global-secondary-props';
import { checkRemovalPolicy } from '../aurora-target/validate-props';
import { checkAuroraBaseProps, checkLagThreshold, isBurstableMedium, isMemoryOptimized } from '../private/aurora-validation';
import { checkHostName } from '../private/host-names';
import { checkEvaluationPeriods } from '../private/number-rules';
import { checkIdentifier, isRegionName, known, Validator } from '../private/validation';

/** The most replication lag a gate may tolerate (AuroraGlobalDBReplicationLag, in milliseconds, runs under a second). */
export const MAX_GLOBAL_LAG_SECONDS = 60;

/** One writer and up to 15 readers. */
const MAX_INSTANCES = 16;

/** @internal */
export function validateAuroraGlobalSecondaryProps(
  v: Validator,
  props: AuroraGlobalSecondaryProps,
  stackRegion: string | undefined,
  engineFullVersion: string,
): void {
  checkIdentifier(v, 'globalClusterIdentifier', props.globalClusterIdentifier);
  checkHostName(v, 'globalWriterEndpoint', props.globalWriterEndpoint);
  checkRemovalPolicy(v, props.removalPolicy, props.deletionProtection);

  v.checkKnown('primaryRegion', props.primaryRegion, isRegionName, 'must be a region name such as us-east-1');
  v.checkKnown('primaryRegion', props.primaryRegion, (x) => !stackRegion || x !== stackRegion,
    `must differ from the stack's region ${stackRegion}: a secondary lives in another region than its primary`);

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
    // a token is refused too: the count of instances to create is needed at synth time
    const ok = Number.isInteger(props.instances) && props.instances >= 1 && props.instances <= MAX_INSTANCES;
    v.check(ok, 'instances', `must be an integer between 1 and ${MAX_INSTANCES} (use \`headless: true\` for none)`, props.instances);
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

  checkAuroraBaseProps(v, 'mysql', props);

  checkLagThreshold(v, 'replicationLagThreshold', props.replicationLagThreshold, MAX_GLOBAL_LAG_SECONDS,
    'AuroraGlobalDBReplicationLag is in milliseconds and runs under a second, so a threshold of minutes lets a cutover start (and a switchover wait) with minutes of lag');
  checkEvaluationPeriods(v, 'replicationLagEvaluationPeriods', props.replicationLagEvaluationPeriods);
}
