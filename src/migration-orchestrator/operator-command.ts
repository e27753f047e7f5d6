/**
 * The values an operator writes to the control parameter. Read at every poll of a bake; a value counts only when
 * written after the cutover started (a newer parameter version), and the workflows never write it.
 */
export enum OperatorCommand {
  /** Keep going (the resting value). */
  RUN = 'RUN',
  /** Hold at the current step (gates are still watched: an alarm still rolls back). */
  PAUSE = 'PAUSE',
  /**
   * End the current bake now and move to the next step. Taken once: the cutover remembers the parameter version it
   * took (the workflows never write the parameter), so the value may stay.
   */
  SKIP_BAKE = 'SKIP_BAKE',
  /** Roll back to the source now. Before the first step, the start is refused instead: nothing has moved. */
  ABORT = 'ABORT',
}

/**
 * The phases of a cutover, as its record (`MigrationOrchestrator.cutoverRecordTable`, item `pk` = `cutover`,
 * attribute `phase`) holds them. Every workflow moves the record from one phase to the next with a conditional write
 * before it moves traffic or the database writer.
 */
export enum CutoverPhase {
  /** Nothing runs; traffic and writer on the source. A cutover may start. (A record never written is IDLE too.) */
  IDLE = 'IDLE',
  /** A cutover holds the record and moves traffic in steps; the writer is on the source. */
  SHIFTING = 'SHIFTING',
  /** The cutover moves (or moved) the database writer; only the holder may roll back, writer first. */
  SWITCHING = 'SWITCHING',
  /** The holder puts the writer, then the traffic, back on the source. */
  ROLLING_BACK = 'ROLLING_BACK',
  /** A rollback could not finish: nothing automatic acts again; `payment-migration recover` resumes it. */
  STUCK = 'STUCK',
  /** The cutover completed: traffic (and the writer) on the target. Final: a new cutover is refused. */
  COMPLETE = 'COMPLETE',
}

/** How INSUFFICIENT_DATA on a gating alarm is treated. */
export enum InsufficientDataPolicy {
  /** Blocks the start and rolls back during a bake, like ALARM. The safest: no data is no proof of health. */
  BLOCK = 'BLOCK',
  /** Blocks the start; tolerated during bakes (a metric that is only published under traffic). */
  BLOCK_START_ONLY = 'BLOCK_START_ONLY',
  /** Never blocks an alarm gate (the DMS gate still waits for its replication alarms to be OK). */
  IGNORE = 'IGNORE',
}
