import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CutoverSteps, MigrationOrchestratorProps } from '../../src';
import { buildDmsFixture } from '../migration-orchestrator/dms-fixture';
import { buildFixture, templateOf } from '../migration-orchestrator/fixture';

/**
 * The real constructs, synthesized with compressed timings so that a seed is cheap: two steps, 30-second bakes, a
 * 5-second poll, short post-move bakes. The states are the same as with the defaults; only the numbers differ.
 */
const COMPRESSED: Partial<MigrationOrchestratorProps> = {
  steps: CutoverSteps.of([50, 100]),
  bakeTime: Duration.seconds(30),
  pollInterval: Duration.seconds(5),
  allowBakeShorterThanAlarms: true,
};

/**
 * The simulated paths: cross-region with the Aurora switchover, datacenter → AWS with the DMS writer move, and the
 * same with load-balancer shifting (every step and rollback one listener change).
 */
export function simulationTemplates(): Record<'aurora' | 'dms' | 'dms-lb', any> {
  return {
    'aurora': templateOf(buildFixture(COMPRESSED, {
      switchoverOptions: { postSwitchoverBake: Duration.seconds(20), pollInterval: Duration.seconds(5), timeout: Duration.seconds(120) },
    })),
    'dms': Template.fromStack(buildDmsFixture(COMPRESSED, { move: { postMoveBake: Duration.seconds(20) } }).stack).toJSON(),
    'dms-lb': Template.fromStack(buildDmsFixture(COMPRESSED, { move: { postMoveBake: Duration.seconds(20) }, loadBalancerShifting: true }).stack).toJSON(),
  };
}
