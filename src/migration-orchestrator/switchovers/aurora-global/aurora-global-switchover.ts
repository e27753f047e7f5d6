import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { auroraSwitchBack } from './aurora-switch-back';
import { AuroraSwitchoverOptions } from './aurora-switchover-options';
import { auroraSwitchoverPlan, globalClusterRef, startSwitchover, waitForWriter } from './global-cluster-states';
import type { AuroraGlobalSecondary } from '../../../aurora-global-secondary/aurora-global-secondary';
import { BAKE_PARENT_EVENTS, bake } from '../../state-machine/bake';
import { BuildContext, SwitchoverConfig } from '../../state-machine/contracts';
import { notify } from '../../state-machine/state-builders';

/**
 * Aurora Global Database switchover (`SwitchoverGlobalCluster`, RPO 0) as the engine's switchover plug-in
 * (DatabaseSwitchover.auroraGlobal): the switchover, then a bake on the new writer with the gates polled (and the
 * event path live). A failure in that bake — or anything after the switchover started — switches the database back
 * (planned, RPO 0) before traffic moves back: the writer first, as on the DMS path.
 * @internal
 */
export function auroraGlobalSwitchover(database: AuroraGlobalSecondary, options: AuroraSwitchoverOptions): SwitchoverConfig {
  const plan = auroraSwitchoverPlan(options);
  const polls = Math.ceil(plan.timeout.toSeconds() / plan.poll.toSeconds());
  // After the switchover the secondary's replication-lag metric is gone (it is the primary): not baked on.
  const bakedOn = (alarms: cloudwatch.IAlarm[]) => alarms.filter((a) => a !== database.replicationLagAlarm);
  return {
    description: `Aurora global switchover to ${database.clusterIdentifier}`,
    // the switchover's polls and the switch-back's, then the bake on the new writer (a child execution: any length)
    history: () => [
      { events: 40 },
      { option: 'timeout', events: polls * 22 * 2, value: plan.timeout.toHumanString() },
      { option: 'postSwitchoverBake', events: BAKE_PARENT_EVENTS, value: plan.postSwitchoverBake.toHumanString() },
    ],
    postBake: { option: 'postSwitchoverBake', duration: plan.postSwitchoverBake, alarms: bakedOn },
    bind: (ctx, next) => {
      const scope = ctx.scope;
      const ref = globalClusterRef(scope, database);
      const afterMove: BuildContext = { ...ctx, alarms: bakedOn(ctx.alarms) };
      const timeout = new sfn.Fail(scope, 'Switchover: timed out', {
        error: 'SwitchoverTimeout',
        cause: `The target ${database.clusterIdentifier} did not become the writer in time`,
      });
      const moved = notify(ctx, 'Switchover: notify done', 'Database switched over: the target region writes',
        'The target cluster is the writer; the bake on the new writer starts. A gate failing in it switches the database back (planned, RPO 0), then traffic')
        .next(bake(afterMove, 'Switched over', plan.postSwitchoverBake, next));
      return startSwitchover(scope, 'Switchover: start', ref, [ref.clusterArn])
        .next(waitForWriter(ctx, 'Switchover', database, plan, true, moved, timeout));
    },
    bindRollback: (ctx, next) => auroraSwitchBack(ctx, database, plan, next),
  };
}
