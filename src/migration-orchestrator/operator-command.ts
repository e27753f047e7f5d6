/**
 * The values an operator writes to the control parameter. Read at every poll of a bake.
 */
export enum OperatorCommand {
  /** Keep going (the resting value). */
  RUN = 'RUN',
  /** Hold at the current step (gates are still watched: an alarm still rolls back). */
  PAUSE = 'PAUSE',
  /** End the current bake now and move to the next step. Reset to RUN once taken. */
  SKIP_BAKE = 'SKIP_BAKE',
  /** Roll back to the source now. */
  ABORT = 'ABORT',
}

/**
 * The value the cutover itself writes to the control parameter while the database switchover runs: operator
 * commands are not read then, and the alarm-rollback workflow notifies instead of moving traffic (the writer is
 * moving; a human decides).
 */
export const SWITCHOVER_IN_PROGRESS = 'SWITCHOVER';

/** How INSUFFICIENT_DATA on a gating alarm is treated. */
export enum InsufficientDataPolicy {
  /** Blocks the start and rolls back during a bake, like ALARM. The safest: no data is no proof of health. */
  BLOCK = 'BLOCK',
  /** Blocks the start; tolerated during bakes (a metric that is only published under traffic). */
  BLOCK_START_ONLY = 'BLOCK_START_ONLY',
  /** Never blocks. */
  IGNORE = 'IGNORE',
}
