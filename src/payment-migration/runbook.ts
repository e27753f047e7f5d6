import { Fn, Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { AuroraGlobalSecondary } from '../aurora-global-secondary/aurora-global-secondary';
import { DmsReplication } from '../dms-replication/dms-replication';
import { MigrationOrchestrator } from '../migration-orchestrator/migration-orchestrator';
import { OperatorCommand } from '../migration-orchestrator/operator-command';
import { ITrafficShifter } from '../migration-orchestrator/traffic-shifter';
import { WeightedCutover } from '../weighted-cutover/weighted-cutover';

/** The parts the runbook names. @internal */
export interface RunbookParts {
  readonly orchestrator: MigrationOrchestrator;
  readonly dns: WeightedCutover;
  /** What the cutover moves traffic with (`dns` itself, or a request-level shifter). */
  readonly shifter: ITrafficShifter;
  readonly database: AuroraGlobalSecondary;
  readonly sourceRegion: string;
  /** Whether the cutover ends with the Aurora switchover (`side.cutover.switchover`). */
  readonly switchover: boolean;
}

/** The parts the on-premises runbook names. @internal */
export interface OnPremisesRunbookParts {
  readonly orchestrator: MigrationOrchestrator;
  readonly dns: WeightedCutover;
  /** What the cutover moves traffic with (`dns` itself, or a request-level shifter). */
  readonly shifter: ITrafficShifter;
  readonly replication: DmsReplication;
  readonly writerParameter: ssm.IStringParameter;
  /** Whether the cutover ends with the single-writer move (`side.cutover.switchover`). */
  readonly writerMoves: boolean;
}

/**
 * The cutover record and the recovery by hand (both paths): where the cutover is — which phase, which execution holds
 * it — and how a rollback that could not finish (STUCK), or a record held by an execution that has ended, is taken
 * over by the recovery workflow. The console's `status` and `recover` do the same.
 * @internal
 */
export function recoverySection(o: MigrationOrchestrator, databasePhase: boolean): string {
  const region = Stack.of(o).region;
  const lines = [
    'Where the cutover is: the cutover record (phase IDLE, SHIFTING, SWITCHING, ROLLING_BACK, STUCK or COMPLETE; owner = the execution that holds it; no item = IDLE):',
    Fn.join('', [`   aws dynamodb get-item --region ${region} --table-name `, o.cutoverRecordTable.tableName,
      ' --key \'{"pk":{"S":"cutover"}}\' --consistent-read --query "Item.{phase:phase.S,owner:owner.S,since:at.S}"']),
    `   Is its owner still running? aws stepfunctions describe-execution --region ${region} --execution-arn <owner> --query status`,
    'A new cutover starts only from IDLE; COMPLETE is final. A running owner decides (abort a running cutover: Cutover section).',
  ];
  if (o.recoveryStateMachine) {
    lines.push(
      'Phase STUCK (a rollback could not finish: nothing automatic acts on it again), or SHIFTING, SWITCHING or ROLLING_BACK with an owner that is not RUNNING:',
      Fn.join('', [`   aws stepfunctions start-execution --region ${region} --state-machine-arn `, o.recoveryStateMachine.stateMachineArn,
        ' --name recover-$(date -u +%Y%m%dT%H%M%SZ) --input \'{"execution":"<owner>","manual":true}\'']),
      `   It takes the record over from <owner> and rolls back: ${databasePhase ? 'the database writer first, then traffic' : 'traffic (the database never moved)'}; the record ends IDLE (STUCK again, held by it, if it cannot finish).`,
      '   With the console: payment-migration recover',
    );
  } else {
    lines.push('This stack has no recovery workflow (recoverEndedExecutions: false): a STUCK record is rolled back by hand (ManualRollback).');
  }
  return Fn.join('\n', lines);
}

/** The cutover's steps as the runbook states them: `25/50/75/100 %`. */
function percentages(o: MigrationOrchestrator): string {
  return `${o.steps.steps.map((s) => s.targetPercent).join('/')} %`;
}

/** What happens to an execution stopped by hand, with or without the recovery workflow. */
function stoppedExecution(o: MigrationOrchestrator): string {
  return o.recoveryStateMachine
    ? 'Prefer abort to stopping the execution: a stopped execution is rolled back by the recovery workflow, a few seconds later.'
    : 'Prefer abort to stopping the execution: this stack has no recovery workflow, so a stopped execution leaves the record held (Recovery section).';
}

/**
 * The runbook of the on-premises path: preparing DMS, the cutover, and the writer — where it is,
 * and how it moves back by hand if the automatic move-back stopped. One output per section.
 * @internal
 */
export function onPremisesRunbookSections(parts: OnPremisesRunbookParts): Record<string, string> {
  const { orchestrator: o, shifter: c, replication: r, writerParameter: w, writerMoves } = parts;
  const lines = (...l: string[]) => Fn.join('\n', l);
  const region = Stack.of(o).region;
  const describe = (arn: string) => Fn.join('', [`aws dms describe-replication-tasks --region ${region} --filters Name=replication-task-arn,Values=`, arn, ' --query "ReplicationTasks[0].[Status,ReplicationTaskStats.FullLoadProgressPercent,StopReason]"']);
  return {
    RunbookReplication: lines(
      '1. Prerequisites on premises: binary log ROW/FULL with at least 24 h retention (MySQL), or logical replication (PostgreSQL); the DMS user may read (forward) and write (reverse).',
      '2. Start the full load + CDC well before the cutover (the cutover starts it if it never ran, and waits up to its full-load timeout):',
      Fn.join('', [`   aws dms start-replication-task --region ${region} --start-replication-task-type start-replication --replication-task-arn `, r.replicationTaskArn]),
      `3. Watch it: ${describe(r.replicationTaskArn)}`,
      Fn.join('', [`   aws dms describe-table-statistics --region ${region} --replication-task-arn `, r.replicationTaskArn, ' --query "TableStatistics[].[TableName,ValidationState,ValidationFailedRecords]"']),
      ...(writerMoves ? [
        '4. After a rollback the forward task may be stopped. If the writer never reached TARGET (Aurora took no write), resume it: step 2\'s command',
        '   with resume-processing. If the writer reached TARGET and moved back, do not resume it (it would replay on Aurora the writes the reverse task',
        '   applied on premises): reload Aurora from on premises, which holds every payment. First make sure the reverse task is stopped (Writer',
        '   section), or Aurora\'s deletes would replicate on premises. Then empty every table the task replicates, on Aurora only (the task never',
        '   truncates: TargetTablePrepMode DO_NOTHING), and reload it; the next cutover\'s pre-check waits for this load:',
        Fn.join('', [`   aws dms start-replication-task --region ${region} --start-replication-task-type reload-target --replication-task-arn `, r.replicationTaskArn]),
      ] : []),
    ),
    RunbookCutover: lines(
      '1. The cutover checks by itself: DMS full load complete, CDC latency within the threshold, no table failed validation, every gating alarm OK.',
      `2. Start it (legacy → AWS in steps of ${percentages(o)}, a bake after each, ${writerMoves ? 'then the single-writer move' : 'no writer move: side.cutover.switchover is false'}): ${o.startCommand()}`,
      `3. Steer it: pause ${o.operatorCommand(OperatorCommand.PAUSE)}; resume ${o.operatorCommand(OperatorCommand.RUN)}; abort (roll back now) ${o.operatorCommand(OperatorCommand.ABORT)}`,
      `   ${stoppedExecution(o)}`,
      '   During the pre-checks (they may wait for the full load) a pause or an abort refuses the start when they end: nothing moves.',
      ...(writerMoves ? [
        '4. Before the writer moves the cutover asks for approval (on the topic), unless approveBeforeSwitchover is false: confirm the legacy side',
        '   takes no more traffic (its access logs: DNS caches outlive the weights); then approve. Do not make the legacy database read-only: the',
        '   fleet writes there until the fence, and a rollback writes there again. The fence itself waits for every fleet\'s acknowledgement.',
        '5. Rollback is automatic: if the writer moved, it moves back first (fence, reverse task drained, writer = SOURCE), then traffic.',
      ] : ['4. Rollback is automatic: traffic moves back to the legacy side. The writer never moves: it stays on premises (SOURCE).']),
    ),
    RunbookWriter: lines(
      `Where the fleet writes (SOURCE, FENCED or TARGET): aws ssm get-parameter --region ${region} --name ${w.parameterName} --query Parameter.Value`,
      ...(writerMoves ? [
        `Reverse task (Aurora → on premises): ${describe(r.reverseReplicationTaskArn!)}`,
        'Writer back by hand, ONLY if the cutover reported WriterRollbackFailed and the reverse task is running:',
        `   a. aws ssm put-parameter --region ${region} --name ${w.parameterName} --type String --overwrite --value FENCED`,
        '   b. wait until CDCIncomingChanges of the reverse task is 0 for a whole minute after the fence (dashboard)',
        `   c. aws ssm put-parameter --region ${region} --name ${w.parameterName} --type String --overwrite --value SOURCE`,
        Fn.join('', [`   d. aws dms stop-replication-task --region ${region} --replication-task-arn `, r.reverseReplicationTaskArn!]),
        'If the reverse task is NOT running while the writer is TARGET: do not move the writer or the traffic back (only Aurora has the latest payments).',
        '   On MySQL, start it from the CdcStartTime the notification "Database writer moved to the target" (and the writer-target checkpoint) gave, within',
        '   Aurora\'s binary log retention, so that it replicates every write Aurora took since:',
        Fn.join('', [`   aws dms start-replication-task --region ${region} --start-replication-task-type start-replication --cdc-start-time <CdcStartTime> --replication-task-arn `, r.reverseReplicationTaskArn!]),
      ] : ['The cutover never moves the writer (side.cutover.switchover is false): it stays SOURCE.']),
    ),
    RunbookRecovery: recoverySection(o, writerMoves),
    RunbookManualRollback: lines(
      `Manual traffic rollback, only once the writer is SOURCE and the recovery (Recovery section) cannot finish (legacy 100 / AWS 0, through the ${c.description}):`,
      c.shiftCommand(0),
    ),
    ...dnsBypass(parts.dns, c, 'the legacy entry point'),
  };
}

/**
 * With a request-level shifter, the DNS names point at its ingress; if that ingress itself fails, the weighted
 * records send the names straight back to the source (slow: INSYNC, then the TTL and every cache). @internal
 */
function dnsBypass(dns: WeightedCutover, shifter: ITrafficShifter, source: string): Record<string, string> {
  if ((shifter as unknown) === dns) return {};
  return {
    RunbookDnsBypass: Fn.join('\n', [
      `Last resort, only if the ${shifter.description} itself fails: point the DNS names straight at ${source} (every record name in one batch; clients follow as their DNS caches expire):`,
      dns.shiftCommand(0),
    ]),
  };
}

/**
 * The migration runbook as sections of text whose ids resolve at deploy time. Each section is one stack
 * output (CloudFormation limits an output's value), in the order an operator needs them.
 * @internal
 */
export function runbookSections(parts: RunbookParts): Record<string, string> {
  const { orchestrator: o, shifter: c, database: db, switchover } = parts;
  const alarms = o.gatingAlarms.map((a) => a.alarmName);
  const lines = (...l: string[]) => Fn.join('\n', l);
  // Every regional command runs in this (the target) region, the one that survives the source region; route53 calls go to its global endpoint (us-east-1).
  const region = Stack.of(db).region;
  return {
    RunbookCutover: lines(
      '1. Pre-migration: replication lag below 1 s and every gating alarm OK:',
      `   aws cloudwatch describe-alarms --region ${region} --alarm-names ${Fn.join(' ', alarms)} --query "MetricAlarms[].[AlarmName,StateValue]"`,
      `2. Start the cutover (steps of ${percentages(o)}, a bake after each, ${switchover ? 'then the database switchover' : 'no database switchover: side.cutover.switchover is false'}):`,
      `   ${o.startCommand()}`,
      `3. Watch it: aws stepfunctions describe-execution --region ${region} --execution-arn <arn printed by start>`,
      '4. Steer it (read at every poll of a bake):',
      `   pause:  ${o.operatorCommand(OperatorCommand.PAUSE)}`,
      `   resume: ${o.operatorCommand(OperatorCommand.RUN)}`,
      `   skip the rest of this bake: ${o.operatorCommand(OperatorCommand.SKIP_BAKE)}`,
      `   abort (roll back now): ${o.operatorCommand(OperatorCommand.ABORT)}`,
      `   ${stoppedExecution(o)}`,
      ...(switchover ? [
        '5. Rollback is automatic on any gating ALARM, failure, timeout or abort: the database switches back first if it switched, then traffic',
        '   goes back to source 100 / target 0. If the switch-back fails (SwitchBackFailed), traffic stays where it is (the writer may still be here): Database section.',
      ] : ['5. Rollback is automatic on any gating ALARM, failure, timeout or abort: traffic goes back to source 100 / target 0. It never touches the database.']),
    ),
    RunbookRecovery: recoverySection(o, switchover),
    RunbookManualRollback: lines(
      `Manual rollback, only if the automatic one reported RollbackFailed and the recovery (Recovery section) cannot finish either (source 100 / target 0, through the ${c.description}):`,
      c.shiftCommand(0),
    ),
    RunbookManualForward: lines(
      'Manual forward shift, 50 % (the orchestrated cutover is the normal path):',
      c.shiftCommand(50),
    ),
    ...dnsBypass(parts.dns, c, `the ${parts.sourceRegion} load balancer`),
    RunbookDatabase: lines(
      `Planned switchover (RPO 0; ${switchover ? 'the cutover does this itself after its last step has baked' : 'by hand only (side.cutover.switchover is false), once the cutover is COMPLETE: no rollback switches it back'}; from this region):`,
      `   aws rds switchover-global-cluster --region ${region} --global-cluster-identifier ${db.globalClusterIdentifier} --target-db-cluster-identifier ${db.clusterArn}`,
      `   aws rds describe-global-clusters --region ${region} --global-cluster-identifier ${db.globalClusterIdentifier} --query "GlobalClusters[0].[Status,GlobalClusterMembers]"`,
      `DISASTER PATH ONLY (the source region ${parts.sourceRegion} is lost; loses the writes not yet replicated — check AuroraGlobalDBRPOLag first), run in ${region}, the surviving region:`,
      `   aws rds failover-global-cluster --region ${region} --global-cluster-identifier ${db.globalClusterIdentifier} --target-db-cluster-identifier ${db.clusterArn} --allow-data-loss`,
      ...(switchover ? [
        'After SwitchBackFailed (traffic stayed where it was, the record is STUCK, no cutover can start; the writer may still be this region\'s',
        'cluster, IsWriter below says): once the global cluster is available, payment-migration recover (Recovery section) tries the switch-back again,',
        'then moves traffic. Or switch back by hand to the other member (the source cluster), then recover: it finds the source writing, moves traffic:',
        `   aws rds describe-global-clusters --region ${region} --global-cluster-identifier ${db.globalClusterIdentifier} --query "GlobalClusters[0].GlobalClusterMembers[?DBClusterArn!='${db.clusterArn}'].[DBClusterArn,IsWriter]"`,
        `   aws rds switchover-global-cluster --region ${region} --global-cluster-identifier ${db.globalClusterIdentifier} --target-db-cluster-identifier <the source cluster's ARN>`,
      ] : []),
    ),
  };
}
