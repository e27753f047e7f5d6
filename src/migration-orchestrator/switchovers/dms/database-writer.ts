/**
 * Where the payment fleets write: the value of the writer parameter ({@link DatabaseSwitchover.dmsWriterMove}).
 *
 * The single-writer contract of the on-premises path: every fleet (the legacy one and the AWS one) writes to the
 * database this parameter names, and to no other. The AWS fleet reads it from Parameter Store (cached at most for
 * the switchover's `applicationRefresh`); the legacy fleet always writes on premises and receives no traffic once
 * the writer has moved.
 */
export enum DatabaseWriter {
  /** The source (on-premises) database takes every write; DMS replicates it to Aurora. The resting value. */
  SOURCE = 'SOURCE',
  /**
   * Nobody writes: the fleets refuse writes with a retryable error (HTTP 503 + Retry-After) while the replication
   * drains. Set by the cutover for the few minutes the writer takes to move, in either direction.
   */
  FENCED = 'FENCED',
  /** The target (Aurora) database takes every write; the prepared reverse task replicates it back on premises. */
  TARGET = 'TARGET',
}
