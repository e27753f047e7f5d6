import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CutoverGate } from './cutover-gate';
import { CutoverSteps } from './cutover-steps';
import { DatabaseSwitchover } from './database-switchover';
import { InsufficientDataPolicy } from './operator-command';
import { ITrafficShifter } from './traffic-shifter';
import { ConstructBaseOptions, LogRetentionOptions } from '../construct-options';

/**
 * The pace of a cutover and where it waits for an operator: what `PaymentMigration` takes as `side.cutover`.
 */
export interface MigrationOrchestratorOptions {
  /**
   * The traffic steps (the default moves 25, 50, 75, then 100 %).
   *
   * @default CutoverSteps.linear(4)
   */
  readonly steps?: CutoverSteps;

  /**
   * How long each step bakes, unless the step says otherwise: any length up to a year. Each bake runs as a child
   * execution of the orchestrator's Bake state machine, so a long bake costs the cutover's execution history (25,000
   * events) no more than a short one.
   *
   * @default Duration.minutes(5)
   */
  readonly bakeTime?: Duration;

  /**
   * Acknowledges that a step bakes for less time than a gating alarm needs to go to ALARM (its `period` ×
   * `datapointsToAlarm`, or `evaluationPeriods`) — or the bake on the new writer after the database moved
   * (`postSwitchoverBake`, `postMoveBake`) for less than the alarms still baked on then.
   *
   * > **N.B.:** such a cutover can move on — and reach 100 %, or complete on the new writer — before any alarm could
   * > fire: a fault the step (or the move) introduced is only caught later, or not at all. Without this
   * > acknowledgement the construct refuses the bake at synth time. Use it for rehearsals and non-production stages
   * > only.
   *
   * @default false
   */
  readonly allowBakeShorterThanAlarms?: boolean;

  /**
   * How often gates and the operator control are read during a bake. The poll path's worst-case detection delay.
   *
   * @default Duration.seconds(10)
   */
  readonly pollInterval?: Duration;

  /**
   * Wait for an operator's approval (task token sent to the topic) before the first traffic shift.
   *
   * @default false
   */
  readonly approveBeforeFirstStep?: boolean;

  /**
   * Wait for an operator's approval before the database switchover.
   *
   * @default - false alone, and false with `MigrationSide.targetRegion` (the Aurora switchover is planned and
   * lossless); true with `MigrationSide.datacenterToAws`, where an operator confirms the legacy side takes no more
   * traffic before writes move to Aurora (false there too when `switchover` is false: there is nothing to approve)
   */
  readonly approveBeforeSwitchover?: boolean;
}

/**
 * Properties for {@link MigrationOrchestrator}.
 *
 * Here `encryptionKey` encrypts the notification topic, the checkpoints and the state machines' logs; `logRetention`
 * keeps the state machines' logs; `removalPolicy` governs the checkpoints, the logs and the key; `createOutputs` adds
 * the state machine ARN and the control parameter name.
 */
export interface MigrationOrchestratorProps extends MigrationOrchestratorOptions, ConstructBaseOptions, LogRetentionOptions {
  /** What moves traffic: a `WeightedCutover`, `LoadBalancerCutover` or `AcceleratorCutover` (any `ITrafficShifter`). */
  readonly shifter: ITrafficShifter;

  /**
   * The conditions to start and to keep going: alarms (rollback triggers) and pre-checks. At least one gate must
   * carry an alarm, or nothing could ever roll a cutover back.
   */
  readonly gates: CutoverGate[];

  /**
   * How INSUFFICIENT_DATA on a gating alarm is treated.
   *
   * @default InsufficientDataPolicy.BLOCK
   */
  readonly insufficientData?: InsufficientDataPolicy;

  /**
   * The database phase after 100 % of traffic has baked.
   *
   * @default - no switchover: the cutover ends with all traffic on the target
   */
  readonly switchover?: DatabaseSwitchover;

  /**
   * How long an approval may wait. Unanswered before the first step: the cutover ends, no traffic moved;
   * before the switchover: the cutover rolls back.
   *
   * @default Duration.hours(4)
   */
  readonly approvalTimeout?: Duration;

  /**
   * How long a cutover may stay paused, over all its steps, before it rolls back: a paused cutover holds traffic split
   * with nobody deciding. (Pauses cost no execution history of the cutover's: they are polled in the bakes' child
   * executions.)
   *
   * @default Duration.minutes(15)
   */
  readonly maxPause?: Duration;

  /**
   * React to the gating alarms' "CloudWatch Alarm State Change" events within seconds, instead of at the next poll,
   * while traffic shifts (from the database switchover on, the cutover's own polls decide). The DMS gate's alarms and
   * `CutoverGate.alarmBeforeWriterMove` are polled only, never on the event path.
   *
   * @default true
   */
  readonly eventDrivenRollback?: boolean;

  /**
   * Roll back a cutover execution that ended without running its own rollback — stopped by hand, timed out, or
   * failed on a Step Functions runtime error — with a third workflow started by its "Execution Status Change" event.
   *
   * @default true
   */
  readonly recoverEndedExecutions?: boolean;

  /**
   * The topic for notifications (start, each step, rollback, completion, approvals).
   *
   * @default - a new topic, encrypted with the key, TLS only
   */
  readonly notificationTopic?: sns.ITopic;

  /**
   * How long checkpoints are kept. At least a year (PCI DSS 10.5.1).
   *
   * @default Duration.days(400)
   */
  readonly checkpointRetention?: Duration;
}
