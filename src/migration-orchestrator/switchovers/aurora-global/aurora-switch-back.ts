import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AuroraSwitchoverPlan, globalClusterRef, readGlobalCluster, startSwitchover, waitForWriter } from './global-cluster-states';
import type { AuroraGlobalSecondary } from '../../../aurora-global-secondary/aurora-global-secondary';
import { BuildContext } from '../../state-machine/contracts';
import { notify } from '../../state-machine/state-builders';

/** Reads of a global cluster that is still switching over before the rollback decides (30 s apart). */
const SETTLE_POLLS = 10;

/**
 * The writer back in the source region before traffic moves back, run by every rollback (the cutover's own, and
 * the recovery workflow's for an execution stopped by hand). Where the writer is decides:
 * - the source cluster writes (the switchover never started, failed, or was never reached): nothing to do;
 * - a switchover is in progress: wait until it ends (5 minutes at most), then decide;
 * - the target cluster writes: `SwitchoverGlobalCluster` back to the other member (planned, RPO 0), waited for until
 *   the source writes and the global cluster is available, then traffic moves back.
 * If the switch-back cannot be started or does not complete, the writer stays in the target region and so does the
 * traffic: a loud notification and a `SwitchBackFailed` failure, for a human to decide (a data-losing failover is
 * never automated).
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverGlobalCluster.html
 * @internal
 */
export function auroraSwitchBack(
  ctx: BuildContext, database: AuroraGlobalSecondary, plan: AuroraSwitchoverPlan, next: sfn.IChainable,
): sfn.IChainable {
  const scope = ctx.scope;
  const ref = globalClusterRef(scope, database);

  // --- Which member to switch back to: the one that is not the target (exactly one, or a human decides)
  const others = new sfn.Map(scope, 'Switch-back: the other members', {
    itemsPath: '$.switchBack.members',
    itemSelector: { 'arn.$': '$$.Map.Item.Value.DbClusterArn' },
    maxConcurrency: 1,
    resultPath: '$.switchBack.others',
  });
  others.itemProcessor(
    new sfn.Choice(scope, 'Switch-back: the target?')
      .when(sfn.Condition.stringEquals('$.arn', ref.clusterArn), new sfn.Pass(scope, 'Switch-back: skip the target', { result: sfn.Result.fromString('-') }))
      .otherwise(new sfn.Pass(scope, 'Switch-back: another member', { inputPath: '$.arn' })),
  );
  const distinct = new sfn.Pass(scope, 'Switch-back: distinct members', {
    parameters: { 'members.$': 'States.ArrayUnique($.switchBack.others)', 'count.$': 'States.ArrayLength(States.ArrayUnique($.switchBack.others))' },
    resultPath: '$.switchBack.others',
  });
  const pair = new sfn.Pass(scope, 'Switch-back: the two values', {
    parameters: { 'a.$': 'States.ArrayGetItem($.switchBack.others.members, 0)', 'b.$': 'States.ArrayGetItem($.switchBack.others.members, 1)' },
    resultPath: '$.switchBack.pair',
  });
  const ambiguous = new sfn.Fail(scope, 'Switch-back: no single source cluster', {
    error: 'SwitchBackFailed',
    cause: 'The global cluster does not have exactly one member besides the target: which one to switch back to is for a human to decide',
  });

  // --- Switch back, then wait until the source writes
  // IAM: the cluster switched back to — `sourceClusterArn` when given, else any cluster of the account (the source
  // region's cluster is not known to this stack; the request names the one member found above).
  const sourceCluster = plan.sourceClusterArn ?? Stack.of(scope).formatArn({ service: 'rds', region: '*', resource: 'cluster', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const start = startSwitchover(scope, 'Switch-back: start', ref, [sourceCluster], '$.switchBack.source');
  const timedOut = new sfn.Fail(scope, 'Switch-back: timed out', {
    error: 'SwitchBackFailed',
    cause: `The source cluster did not become the writer again within ${plan.timeout.toHumanString()}`,
  });
  const back = notify(ctx, 'Switch-back: notify done', 'Database switched back: the source region writes again',
    'The planned switchover back (RPO 0) completed: the source cluster is the writer; traffic moves back now');
  const switchBack = notify(ctx, 'Switch-back: notify starting', 'Switching the database back to the source region',
    'A gate failed (or the cutover was stopped) after the switchover: SwitchoverGlobalCluster back to {} (planned, RPO 0), then traffic', ['$.switchBack.source'])
    .next(start)
    .next(waitForWriter(ctx, 'Switch-back', database, plan, false, back, timedOut));
  const pickA = new sfn.Pass(scope, 'Switch-back: source is the first', { parameters: { 'source.$': '$.switchBack.pair.a' }, resultPath: '$.switchBack' });
  const pickB = new sfn.Pass(scope, 'Switch-back: source is the second', { parameters: { 'source.$': '$.switchBack.pair.b' }, resultPath: '$.switchBack' });
  pickA.next(switchBack);
  pickB.next(switchBack);
  const findSource = sfn.Chain.start(others).next(distinct).next(
    new sfn.Choice(scope, 'Switch-back: exactly one other member?')
      .when(sfn.Condition.numberEquals('$.switchBack.others.count', 2), pair.next(
        new sfn.Choice(scope, 'Switch-back: which value is the source?')
          .when(sfn.Condition.stringEquals('$.switchBack.pair.a', '-'), pickB)
          .otherwise(pickA),
      ))
      .otherwise(ambiguous),
  );

  // --- Where is the writer? A switchover in progress is waited for first.
  const budget = new sfn.Pass(scope, 'Switch-back: settle budget', { result: sfn.Result.fromObject({ polls: SETTLE_POLLS }), resultPath: '$.settle' });
  const read = readGlobalCluster(scope, 'Switch-back: writer', ref, '$.switchBack');
  const settle = new sfn.Wait(scope, 'Switch-back: wait for the switchover in progress', { time: sfn.WaitTime.duration(Duration.seconds(30)) });
  const settleCount = new sfn.Pass(scope, 'Switch-back: settle count', { parameters: { 'polls.$': 'States.MathAdd($.settle.polls, -1)' }, resultPath: '$.settle' });
  settle.next(settleCount).next(read);
  const inProgress = sfn.Condition.not(sfn.Condition.stringEquals('$.switchBack.status', 'available'));
  read.next(new sfn.Choice(scope, 'Switch-back: where is the writer?')
    .when(sfn.Condition.and(inProgress, sfn.Condition.numberGreaterThan('$.settle.polls', 0)), settle)
    .when(inProgress, new sfn.Fail(scope, 'Switch-back: global cluster not available', {
      error: 'SwitchBackFailed',
      cause: 'The global cluster stayed unavailable (a switchover in progress?): where the writer ends is for a human to decide',
    }))
    .when(sfn.Condition.booleanEquals('$.switchBack.targetIsWriter', true), findSource)
    .otherwise(new sfn.Pass(scope, 'Switch-back: the source writes')));

  const branch = new sfn.Parallel(scope, 'Rollback: database writer back to the source first', { resultPath: sfn.JsonPath.DISCARD });
  branch.branch(budget.next(read));
  branch.addCatch(
    notify(ctx, 'Switch-back: notify failed', 'SWITCH-BACK FAILED: the writer and the traffic stay in the target region',
      'The database could not be switched back to the source region: the target cluster may still be the writer, so traffic was NOT moved back. Decide by hand (runbook, Database section): payment-migration recover, or a switch-back by hand, then recover')
      .next(new sfn.Fail(scope, 'Rollback stopped: switch-back failed', { error: 'SwitchBackFailed', causePath: '$.switchBackError.Cause' })),
    { resultPath: '$.switchBackError' },
  );
  return branch.next(next);
}
