import { AcceleratorScenario } from './accelerator-world';
/**
 * A rehearsal scenario: how the AWS world behaves, second by second, while the real state machine runs.
 * Times are seconds on the virtual clock, from the start of the execution.
 */
export interface Scenario {
  /** A short name for the timeline. */
  readonly name: string;

  /**
   * Alarm states over time. An alarm is matched when its name contains `alarm`. Unlisted alarms are OK throughout;
   * later entries win where they overlap.
   */
  readonly alarms?: ReadonlyArray<{ readonly alarm: string; readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'; readonly from: number; readonly until?: number }>;

  /** Alarms DescribeAlarms no longer returns (deleted or renamed). */
  readonly missingAlarms?: ReadonlyArray<string>;

  /**
   * "CloudWatch Alarm State Change" events delivered to the alarm-rollback workflow (the event path). The
   * scenario's `alarms` should say the alarm is in ALARM from the same moment.
   */
  readonly alarmEvents?: ReadonlyArray<{ readonly at: number; readonly alarm: string }>;

  /** Seconds after a change is submitted that GetChange reports INSYNC; `-1` for never. @default 0 */
  readonly insyncAfter?: number;

  /** Changes (1 = the first ChangeResourceRecordSets accepted) that never become INSYNC. */
  readonly stuckChanges?: ReadonlyArray<number>;

  /** The first N ChangeResourceRecordSets calls are throttled. @default 0 */
  readonly route53Throttles?: number;

  /** Operator commands written to the control parameter at the given times. */
  readonly operator?: ReadonlyArray<{ readonly at: number; readonly command: 'RUN' | 'PAUSE' | 'SKIP_BAKE' | 'ABORT' }>;

  /**
   * An operator stops the cutover execution by hand (StopExecution, no error) at this time: the execution runs no
   * rollback; its "Execution Status Change" event starts the recovery workflow.
   */
  readonly manualStopAt?: number;

  /** The control parameter's value when the cutover starts. @default 'RUN' */
  readonly initialControl?: string;

  /** Other executions of the cutover already running (the lock). @default 0 */
  readonly otherRunningCutovers?: number;

  /** The target database's and global cluster's status. @default 'available' */
  readonly databaseStatus?: string;

  /** Whether the target is a member of the global cluster. @default true */
  readonly databaseIsMember?: boolean;

  /** How the switchover goes: done after `switchoverSeconds`, an API error, or never finishing. @default 'succeeds' */
  readonly switchover?: 'succeeds' | 'fails' | 'never';

  /** @default 60 */
  readonly switchoverSeconds?: number;

  /** How a switch-back (SwitchoverGlobalCluster to the source cluster) goes. @default 'succeeds' */
  readonly switchBack?: 'succeeds' | 'fails' | 'never';

  /** @default 60 */
  readonly switchBackSeconds?: number;

  /** Healthy targets in the target group. @default 6 */
  readonly healthyTargets?: number;

  /** Unhealthy targets in the target group. @default 0 */
  readonly unhealthyTargets?: number;

  /** Answer to approval requests. @default 'approve' */
  readonly approvals?: 'approve' | 'reject';

  /** Virtual seconds every AWS API call takes. @default 0.1 */
  readonly apiLatency?: number;

  /** Global Accelerator, when the cutover shifts its traffic dials. @default - dials deployed 30 s after each change */
  readonly accelerator?: AcceleratorScenario;

  /** The load balancer, when the cutover shifts on a listener. @default - a listener that takes every change */
  readonly loadBalancer?: LoadBalancerScenario;

  /** The DMS path: the forward task, the reverse task and the drains. @default - no DMS in the template */
  readonly dms?: DmsScenario;

  /** What a correct cutover must end with, for the CLI's check. */
  readonly expect?: {
    readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
    readonly finalTargetWeight: number;
    /** The writer parameter's values, in the order the workflows write them (DMS path). */
    readonly writer?: ReadonlyArray<string>;
    /** Which Aurora cluster writes, each time it changes (cross-region path): `target`, then `source` after a switch-back. */
    readonly databaseWriter?: ReadonlyArray<'source' | 'target'>;
  };
}

/** The workflows of a MigrationOrchestrator. */
export type Workflow = 'cutover' | 'alarm-rollback' | 'recovery';

/** How the load balancer takes listener changes (load-balancer shifting). */
export interface LoadBalancerScenario {
  /** Seconds after ModifyListener before DescribeListeners shows the change. @default 0 */
  readonly describeLag?: number;
  /** Seconds after a change before every load-balancer node routes by it (an assumption: AWS publishes none). @default 5 */
  readonly dataPlaneSeconds?: number;
  /** The first N ModifyListener calls are throttled. @default 0 */
  readonly throttles?: number;
  /** `count` ModifyListener calls from virtual second `at` on are throttled (e.g. during a rollback). */
  readonly throttlesFrom?: { readonly at: number; readonly count: number };
  /** ModifyListener calls (1 = the first accepted) that never show: another writer put the old action back. */
  readonly unappliedChanges?: ReadonlyArray<number>;
}

/** How the DMS side behaves. */
export interface DmsScenario {
  /** The forward task's status when the cutover starts. @default 'ready' (created, never run) */
  readonly initialStatus?: string;
  /** Seconds the full load takes once the task started. @default 600 */
  readonly fullLoadSeconds?: number;
  /** Tables the full load reports in error. @default 0 */
  readonly tablesErrored?: number;
  /** DescribeTableStatistics' tables. @default three tables, validated, no failure (or `tableCount` tables) */
  readonly tables?: ReadonlyArray<Record<string, unknown>>;
  /**
   * How many tables the forward task replicates when `tables` is not given: `payments.t0001` … , all `Table
   * completed` and `Validated` unless `tableValidation` says otherwise. DescribeTableStatistics pages them as DMS
   * does (`MaxRecords` 20-500, default 100; an opaque `Marker` while more remain).
   * @default - the three default tables
   */
  readonly tableCount?: number;
  /**
   * Validation states of single tables over time (1-based table numbers, in the order DMS lists them); later
   * entries win where they overlap. `Mismatched records` also reports one failed row, `Suspended records` one
   * suspended row, the pending states one pending row.
   */
  readonly tableValidation?: ReadonlyArray<{ readonly table: number; readonly state: string; readonly from?: number; readonly until?: number }>;
  /** Seconds after the fence the forward task has applied everything; -1 for never. @default 45 */
  readonly forwardDrainSeconds?: number;
  /** Seconds after the fence the reverse task has applied everything; -1 for never. @default 45 */
  readonly reverseDrainSeconds?: number;
  /** The writer parameter's value when the cutover starts. @default 'SOURCE' */
  readonly initialWriter?: string;
  /** The reverse task's status when the cutover starts; `missing` makes DescribeReplicationTasks fail with not-found. @default 'ready' */
  readonly reverseInitialStatus?: string;
  /** Seconds after it started running that the reverse task fails on its own. @default - never */
  readonly reverseFailsAfter?: number;
  /** Whether the reverse task starts. @default 'succeeds' */
  readonly reverseStart?: 'succeeds' | 'fails';
  /**
   * How GetMetricData's `Timestamps` reach the state machine. Documented for the SDK as timestamps; rendered as ISO
   * strings here, and as epoch seconds to prove a surprise only delays the drain into a safe rollback.
   * @default 'iso'
   */
  readonly metricTimestamps?: 'iso' | 'epoch-seconds';
  /**
   * The fleets and the seconds each takes to enforce a new writer value (its parameter cache); -1 for a fleet that
   * never does (partitioned, or a legacy fleet that does not read the parameter). Each acknowledges what it enforces
   * in the cutover record's `fences` item, as the contract asks. @default { aws: 3, datacenter: 5 }
   */
  readonly fleets?: Readonly<Record<string, number>>;
}

/** One write of the writer parameter. */
export interface WriterChange {
  readonly t: number;
  readonly actor: Workflow;
  readonly value: string;
}

/** One line of the timeline. */
export interface TimelineEntry {
  /** Virtual seconds since the start. */
  readonly t: number;
  /** Which workflow acted. */
  readonly actor: Workflow | 'world' | 'operator';
  /** What happened. */
  readonly kind: 'state' | 'weights' | 'gates' | 'notify' | 'checkpoint' | 'operator' | 'alarm' | 'database' | 'end';
  readonly text: string;
}

/** One weight change as Route 53 received it. */
export interface WeightChange {
  readonly t: number;
  readonly actor: Workflow;
  readonly source: number;
  readonly target: number;
  /** Record names the change batch carried (DNS shifting; empty for the other shifters). */
  readonly names: string[];
  /** What carried the change. @default 'dns' */
  readonly via?: 'dns' | 'load-balancer' | 'accelerator';
  /** When the change acted on requests (DNS: INSYNC; load balancer: every node; accelerator: DEPLOYED), when known. */
  readonly inEffectAt?: number;
}

/** What a rehearsal ends with. */
export interface RehearsalResult {
  readonly scenario: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  readonly error?: string;
  readonly cause?: string;
  /** Every weight change, in order. */
  readonly weightChanges: WeightChange[];
  /** The split at the end: source and target weights. */
  readonly finalWeights: { readonly source: number; readonly target: number };
  /** Whether the database switchover completed. */
  readonly switchedOver: boolean;
  /** Which Aurora cluster writes, each time it changed (S1): `target` after the switchover, `source` after a switch-back. */
  readonly databaseWriterChanges: ReadonlyArray<{ readonly t: number; readonly writer: 'source' | 'target' }>;
  /** Seconds from the first gating alarm to the rollback change being issued, when one was. */
  readonly rollbackLatency?: number;
  /** Seconds the execution took on the virtual clock. */
  readonly duration: number;
  /** States entered by the workflows (what Step Functions bills), their bakes' child executions included. */
  readonly stateTransitions: number;
  /**
   * States the cutover execution itself entered: what its history holds (a bake is a child execution, the same few
   * states in the cutover whatever its length).
   */
  readonly cutoverStateTransitions: number;
  /** Child executions of the Bake state machine started, successors of a long bake included. */
  readonly bakeExecutions: number;
  /** When the cutover read its gating alarms: the poll path only sees an alarm at these instants. */
  readonly gateReads: number[];
  /** Every write of the writer parameter (DMS path), in order. */
  readonly writerChanges: WriterChange[];
  /** DMS task starts and stops, in order (`cutover start forward (start-replication)`). */
  readonly dmsTaskCalls: string[];
  /** Requests with member names the real API would reject (empty when the definition is right). */
  readonly parameterErrors: string[];
  /** Every SNS notification (not the approvals), in order. */
  readonly notifications: ReadonlyArray<{ readonly t: number; readonly actor: Workflow; readonly subject: string; readonly message: string }>;
  /**
   * DMS path: what the world saw go wrong with the data — Aurora taking writes before the forward task applied
   * everything, a reverse task reading Aurora from after its first write, the writer back on premises before the
   * reverse task applied every write. Empty when nothing was lost or replayed.
   */
  readonly dataProblems: string[];
  /** DMS path: every start of the reverse task, with the CdcStartTime it was given (virtual seconds). */
  readonly reverseStarts: ReadonlyArray<{ readonly t: number; readonly cdcStartTime?: number }>;
  /** DMS path: when Aurora took its first write (the unfence to TARGET), if it did. */
  readonly auroraWritesFrom?: number;
  readonly timeline: TimelineEntry[];
}
