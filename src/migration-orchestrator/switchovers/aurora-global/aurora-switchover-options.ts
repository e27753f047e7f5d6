import { Duration } from 'aws-cdk-lib';

/** Options for {@link DatabaseSwitchover.auroraGlobal}. */
export interface AuroraSwitchoverOptions {
  /**
   * How long the switchover may take before the cutover rolls back.
   *
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;
  /**
   * How often the global cluster is polled.
   *
   * @default Duration.seconds(30)
   */
  readonly pollInterval?: Duration;
  /**
   * The bake on the new writer after the switchover: the gates are polled (and the event path stays live, leaving
   * the decision to the cutover's polls); a gate failing in it switches the database back (planned, RPO 0) before
   * traffic moves back. The target's replication-lag alarm is not baked on: once it is the primary it has no lag.
   * Up to a day: like every bake it runs as a child execution, so its length costs the cutover's execution history
   * nothing. At least the evaluation window of the alarms baked on then, unless the orchestrator's
   * `allowBakeShorterThanAlarms` acknowledges it.
   *
   * @default Duration.minutes(10)
   */
  readonly postSwitchoverBake?: Duration;
  /**
   * The ARN of the source region's cluster (the primary before the cutover), to scope the switch-back's IAM
   * permission to it. The cluster switched back to is always read from the global cluster's members.
   *
   * @default - the switch-back may switch over to any cluster of the account (`rds:SwitchoverGlobalCluster` on
   * `arn:…:rds:*:<account>:cluster:*`, together with the one global cluster)
   */
  readonly sourceClusterArn?: string;
}
