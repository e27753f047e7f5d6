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
}
