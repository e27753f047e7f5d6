/**
 * What `payment-migration` exits with, for scripts to branch on. Documented in `--help` and in docs/operating-a-cutover.md, "Operating a cutover".
 */
export const EXIT = {
  /** The command did what it was asked; for `status`: the cutover succeeded, runs, or none ran (`--watch`: it succeeded). */
  OK: 0,
  /** The cutover rolled back (traffic is on the source again): a failure that was handled. */
  ROLLED_BACK: 10,
  /** The rollback failed: traffic or the writer may be split — act by hand (runbook `ManualRollback`). */
  ROLLBACK_FAILED: 11,
  /** Refused: nothing was changed (a cutover already runs, none runs, no approval waits, a pre-check failed). */
  REFUSED: 12,
  /**
   * `status`: the cutover execution ended, but a rollback or the recovery still holds the cutover record, the
   * automatic recovery is about to take it over, or its holder cannot be read: traffic or the writer may still move
   * (`status --watch` waits).
   */
  ROLLBACK_RUNNING: 13,
  /** rehearse: a scenario did not end as it expects, or left traffic split. */
  REHEARSAL_UNEXPECTED: 1,
  /** Bad arguments or usage. */
  USAGE: 2,
  /** An AWS error: credentials, region, stack not found, not a migration stack, throttling, access denied. */
  AWS_ERROR: 3,
  /** Ctrl-C in `--watch` (the cutover keeps running). */
  INTERRUPTED: 130,
} as const;

/** An error that ends the command with a message that says what to do, and an exit code. */
export class ConsoleError extends Error {
  constructor(message: string, public readonly exitCode: number) {
    super(message);
  }
}
