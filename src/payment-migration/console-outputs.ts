import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { LoadBalancerCutover } from '../load-balancer-cutover/load-balancer-cutover';
import { DatabaseWriterParameter } from '../migration-orchestrator/database-writer-parameter';
import { MigrationOrchestrator } from '../migration-orchestrator/migration-orchestrator';
import { ITrafficShifter } from '../migration-orchestrator/traffic-shifter';
import { ConsoleManifest, CONSOLE_MANIFEST_OUTPUT, CONSOLE_MANIFEST_VERSION, ShifterManifest } from '../private/console-manifest';
import { EXIT } from '../private/exit-codes';
import { WeightedCutover } from '../weighted-cutover/weighted-cutover';

/** What the console needs to find in a migration stack. @internal */
export interface ConsoleOutputParts {
  readonly orchestrator: MigrationOrchestrator;
  readonly dns: WeightedCutover;
  /** What the cutover moves traffic with. */
  readonly shifter: ITrafficShifter;
  /** The target side's load balancer (its RequestCount is the target's share of the observed split). */
  readonly targetLoadBalancer: elbv2.ApplicationLoadBalancer;
  readonly dashboard: cloudwatch.Dashboard;
  /** The source region and, if known, its load balancer's full name (cross-region path). */
  readonly source?: { readonly region: string; readonly loadBalancerFullName?: string };
  /** The global cluster and the target cluster (cross-region path): the console shows the writer's region. */
  readonly globalClusterIdentifier?: string;
  readonly targetClusterArn?: string;
  /** The writer parameter and DMS tasks (on-premises path). */
  readonly writerParameter?: DatabaseWriterParameter;
  readonly replicationTaskArn?: string;
  readonly reverseReplicationTaskArn?: string;
}

/**
 * Adds the `ConsoleManifest` output: one JSON document (built with `Stack.toJsonString`, so CloudFormation fills in
 * the names at deploy time) that the `payment-migration` console reads. Short keys keep it far below CloudFormation's
 * output value limit (4,096 characters; the reference stacks resolve to about 1,300). Every other output stays as it
 * is: the runbook's raw `aws …` commands are for operators without the console. The document is a
 * {@link ConsoleManifest}: its keys, version and defaults are declared once, in src/private/console-manifest.ts.
 * @internal
 */
export function addConsoleOutputs(scope: Construct, parts: ConsoleOutputParts): CfnOutput {
  const stack = Stack.of(scope);
  const o = parts.orchestrator;
  const manifest: ConsoleManifest = {
    v: CONSOLE_MANIFEST_VERSION,
    kind: parts.writerParameter ? 'dms' : 'aurora-global',
    sm: o.stateMachine.stateMachineArn,
    rb: o.alarmRollbackStateMachine?.stateMachineArn,
    rc: o.recoveryStateMachine?.stateMachineArn,
    ctl: o.controlParameter.parameterName,
    tbl: o.cutoverRecordTable.tableName,
    wr: parts.writerParameter?.parameterName,
    topic: o.notificationTopic.topicArn,
    dash: parts.dashboard.dashboardName,
    zone: parts.dns.hostedZone.hostedZoneId,
    rec: parts.dns.recordNames,
    alarms: o.gatingAlarms.map((a) => a.alarmName),
    tgt: { r: stack.region, lb: parts.targetLoadBalancer.loadBalancerFullName, dns: parts.targetLoadBalancer.loadBalancerDnsName },
    src: parts.source ? { r: parts.source.region, lb: parts.source.loadBalancerFullName } : undefined,
    gc: parts.globalClusterIdentifier,
    db: parts.targetClusterArn,
    dms: parts.replicationTaskArn ? { fwd: parts.replicationTaskArn, rev: parts.reverseReplicationTaskArn } : undefined,
    sh: shifterManifest(parts.shifter),
  };
  const defined = Object.fromEntries(Object.entries(manifest).filter(([, v]) => v !== undefined));
  // The runbook names the console next to its raw `aws …` commands (which stay, for operators without it).
  const run = (command: string) => `   npx payment-migration ${command} --stack ${stack.stackName} --region ${stack.region}`;
  new CfnOutput(scope, 'RunbookConsole', {
    description: 'Migration runbook: Console (the same steps with the payment-migration CLI of cdk-payment-migration)',
    value: [
      'With the payment-migration console (npm i cdk-payment-migration; the raw aws commands of the other sections do the same):',
      `1. Practice (what a start checks at once, read live, nothing changed): ${run('start --dry-run').trim()}`,
      `2. Start, then watch (Ctrl-C stops watching only): ${run('start --watch').trim()}`,
      `3. Steer: ${run('pause|resume|skip|abort').trim()}`,
      `4. Approve or reject a waiting step: ${run('approve|reject').trim()}`,
      `5. Where it is, for scripts (exit ${EXIT.OK} ok, ${EXIT.ROLLED_BACK} rolled back, ${EXIT.ROLLBACK_FAILED} rollback failed or stuck, ${EXIT.REFUSED} refused, ${EXIT.ROLLBACK_RUNNING} ended, a rollback still holds the record): ${run('status --json').trim()}`,
      `6. A rollback that did not finish (status: record STUCK, or held by an ended execution), writer first, then traffic: ${run('recover').trim()}`,
    ].join('\n'),
  });
  return new CfnOutput(scope, CONSOLE_MANIFEST_OUTPUT, {
    value: stack.toJsonString(defined),
    description: 'Read by the payment-migration console (npx payment-migration status --stack <this stack>)',
  });
}

/** The shifter as the console reads it (`sh`). */
function shifterManifest(shifter: ITrafficShifter): ShifterManifest {
  if (shifter instanceof LoadBalancerCutover) {
    return { k: 'lb', l: shifter.listenerArn, s: shifter.sourceTargetGroupArn, t: shifter.targetTargetGroupArn };
  }
  const ga = shifter as unknown as { acceleratorArn?: string; sourceEndpointGroupArn?: string; targetEndpointGroupArn?: string };
  // (the console refuses a `ga` shifter without both endpoint groups rather than misstate where traffic goes)
  if (ga.acceleratorArn) return { k: 'ga', a: ga.acceleratorArn, s: ga.sourceEndpointGroupArn!, t: ga.targetEndpointGroupArn! };
  return { k: 'dns' };
}
