import { Duration } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';

/** Options for {@link CutoverGate.dmsReplication}. */
export interface DmsGateOptions {
  /**
   * Start the replication task when it has never run (CloudFormation creates DMS tasks but never starts them).
   * A task that was stopped is never resumed automatically: why it stopped needs a human.
   *
   * @default true
   */
  readonly startTask?: boolean;

  /**
   * How long the pre-check waits for the full load to complete. Every poll spends execution history (25,000 events
   * for the whole cutover): for a load that takes longer, start the task well before the cutover (the
   * `StartTaskCommand` output); the pre-check then passes at its first reads (one `pollInterval` for the task, one
   * for the alarms).
   *
   * @default Duration.hours(2)
   */
  readonly fullLoadTimeout?: Duration;

  /**
   * How long the pre-check waits, after the full load, for CDC latency (source and target) to come within the
   * replication's threshold — its latency alarms OK. Longer and the cutover ends without moving traffic.
   *
   * @default Duration.minutes(30)
   */
  readonly syncTimeout?: Duration;

  /**
   * Time between reads of the task and its alarms while the pre-check waits.
   *
   * @default Duration.minutes(2)
   */
  readonly pollInterval?: Duration;
}

/** The timings of a single-writer move ({@link DmsWriterMoveOptions}). */
export interface DmsWriterMoveTimings {
  /**
   * How long the fleet may keep acting on the previous writer value (its parameter cache). With
   * `acknowledgingFleets` (the default) it is how long the fence waits for every fleet's acknowledgement; without
   * them, the time waited after the fence before the drain is trusted.
   *
   * @default Duration.seconds(15)
   */
  readonly applicationRefresh?: Duration;

  /**
   * How long the fenced replication may take to drain (either direction). The fleet refuses writes meanwhile, so
   * keep it short: at the end the writer stays where the data is and the cutover rolls back (or stops, loudly).
   * A task with more than 100 tables drains on one-minute CloudWatch metrics instead, given at least 5 minutes.
   * Every read of the drain spends execution history: a longer timeout may need a longer `drainReadInterval`.
   *
   * @default Duration.minutes(1)
   */
  readonly drainTimeout?: Duration;

  /**
   * Drained, for a task with more tables than one page of table statistics (the CloudWatch fallback): CDC latency
   * on both sides at most this. A task with fewer tables drains on its table statistics (every applied counter equal
   * to the captured one, and unchanged between two reads), where this does not apply.
   *
   * @default Duration.seconds(1)
   */
  readonly maxLatency?: Duration;

  /**
   * Time between reads of the fenced task's table statistics while it drains (whole seconds, 1 to 60). Writes are
   * refused meanwhile: the drain is noticed at most this long after DMS has applied the last change (plus one read
   * to see the counters stand still).
   *
   * @default Duration.seconds(1)
   */
  readonly drainReadInterval?: Duration;

  /**
   * Time between reads of the CloudWatch metrics when a task has more tables than one page of table statistics
   * (the drain then falls back to one-minute metrics). The DMS tasks' stops and starts are read every 20 seconds.
   *
   * @default Duration.seconds(30)
   */
  readonly pollInterval?: Duration;

  /**
   * How long a DMS task may take to stop or to start.
   *
   * @default Duration.minutes(10)
   */
  readonly taskTimeout?: Duration;

  /**
   * The bake after the writer moved: the gates other than the replication's are polled, and any failure moves the
   * writer back (through the reverse task) before traffic moves back. Up to a day: like every bake it runs as a child
   * execution, so its length costs the cutover's execution history nothing. At least the evaluation window of the
   * alarms baked on then, unless the orchestrator's `allowBakeShorterThanAlarms` acknowledges it.
   *
   * @default Duration.minutes(10)
   */
  readonly postMoveBake?: Duration;
}

/** Options for {@link DatabaseSwitchover.dmsWriterMove}. */
export interface DmsWriterMoveOptions extends DmsWriterMoveTimings {
  /**
   * The parameter the AWS fleet reads the writer from: `SOURCE`, `FENCED` or `TARGET` ({@link DatabaseWriter}).
   * Use a {@link DatabaseWriterParameter}: its value is written by the cutover only, never reset by a deploy.
   */
  readonly writerParameter: ssm.IStringParameter;

  /**
   * The fleets that must **acknowledge** every fence before the cutover relies on it — the AWS fleet and the legacy
   * one. Each fleet, once it enforces a value of the writer parameter, writes `<VALUE>@<parameter version>` to its own
   * attribute (named after the fleet) of the cutover record's item `pk = fences`
   * (`MigrationOrchestrator.grantWriterAcknowledgement` gives a fleet's role exactly that). The drain starts as soon
   * as every fleet acknowledged `FENCED`; if one has not within `applicationRefresh`, the move stops before the writer
   * moves and the cutover rolls back. On the way back, a fence not acknowledged puts the writer back on TARGET
   * (where the data is) and stops the rollback loudly, with traffic where it is (STUCK: `payment-migration recover`).
   *
   * An empty list waits `applicationRefresh` instead and *assumes* every fleet saw the fence: a fleet whose cache is
   * older (or that does not read the parameter at all, like most legacy fleets) can then accept a write on the old
   * side after the move, which the stopped forward task never replicates.
   *
   * @default ['aws', 'datacenter']
   */
  readonly acknowledgingFleets?: string[];
}
