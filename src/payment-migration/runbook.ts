import { Fn } from 'aws-cdk-lib';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { MigrationOrchestrator } from '../migration-orchestrator/migration-orchestrator';
import { OperatorCommand } from '../migration-orchestrator/operator-command';
import { WeightedCutover } from '../weighted-cutover/weighted-cutover';

/** The parts the runbook names. @internal */
export interface RunbookParts {
  readonly orchestrator: MigrationOrchestrator;
  readonly cutover: WeightedCutover;
  readonly database: AuroraGlobalSecondary;
  readonly sourceRegion: string;
}

/**
 * The migration runbook (seed S1 §8) as sections of text whose ids resolve at deploy time. Each section is one stack
 * output (CloudFormation limits an output's value), in the order an operator needs them.
 * @internal
 */
export function runbookSections(parts: RunbookParts): Record<string, string> {
  const { orchestrator: o, cutover: c, database: db } = parts;
  const alarms = o.gatingAlarms.map((a) => a.alarmName);
  const lines = (...l: string[]) => Fn.join('\n', l);
  return {
    RunbookCutover: lines(
      '1. Pre-migration: replication lag below 1 s and every gating alarm OK:',
      `   aws cloudwatch describe-alarms --alarm-names ${Fn.join(' ', alarms)} --query "MetricAlarms[].[AlarmName,StateValue]"`,
      '2. Start the cutover (25/50/75/100 %, a bake after each, database switchover at the end):',
      `   ${o.startCommand()}`,
      '3. Watch it: aws stepfunctions describe-execution --execution-arn <arn printed by start>',
      '4. Steer it (read at every poll of a bake):',
      `   pause:  ${o.operatorCommand(OperatorCommand.PAUSE)}`,
      `   resume: ${o.operatorCommand(OperatorCommand.RUN)}`,
      `   skip the rest of this bake: ${o.operatorCommand(OperatorCommand.SKIP_BAKE)}`,
      `   abort (roll back now): ${o.operatorCommand(OperatorCommand.ABORT)}`,
      '   Never stop the execution itself: a stopped execution runs no rollback.',
      '5. Rollback is automatic on any gating ALARM, failure, timeout or abort: traffic goes back to source 100 / target 0.',
    ),
    RunbookManualRollback: lines(
      'Manual rollback, only if the automatic one reported RollbackFailed (source 100 / target 0, every record name in one batch):',
      c.shiftCommand(0),
    ),
    RunbookManualForward: lines(
      'Manual forward shift, 50 % (the orchestrated cutover is the normal path):',
      c.shiftCommand(50),
    ),
    RunbookDatabase: lines(
      'Planned switchover (RPO 0; the cutover does this itself after 100 % has baked):',
      `   aws rds switchover-global-cluster --region ${parts.sourceRegion} --global-cluster-identifier ${db.globalClusterIdentifier} --target-db-cluster-identifier ${db.clusterArn}`,
      `   aws rds describe-global-clusters --global-cluster-identifier ${db.globalClusterIdentifier} --query "GlobalClusters[0].[Status,GlobalClusterMembers]"`,
      'DISASTER PATH ONLY (the source region is lost; loses the writes not yet replicated — check AuroraGlobalDBRPOLag first):',
      `   aws rds failover-global-cluster --global-cluster-identifier ${db.globalClusterIdentifier} --target-db-cluster-identifier ${db.clusterArn} --allow-data-loss`,
    ),
  };
}
