/**
 * The replication task settings and table mappings, as plain objects serialized to the JSON strings
 * `AWS::DMS::ReplicationTask` takes. Pure functions, no CDK.
 */

/** The DMS components whose messages go to the task's CloudWatch log group. */
export const LOG_COMPONENTS = [
  'SOURCE_UNLOAD',
  'SOURCE_CAPTURE',
  'TARGET_LOAD',
  'TARGET_APPLY',
  'TASK_MANAGER',
  'TABLES_MANAGER',
  'METADATA_MANAGER',
  'VALIDATOR_EXT',
  'COMMUNICATION',
];

/** Where DMS keeps its control tables on the target (status, suspended tables, history, validation failures). */
export const CONTROL_SCHEMA = 'awsdms_control';

/**
 * Where the reverse task (Aurora → on-premises) keeps its control tables, on its target: the on-premises database.
 * A schema of its own, so that the two tasks' status, recovery (`awsdms_txn_state`), history and validation-failure
 * tables never mix, even when an include pattern (`%`) would reach the other task's schema.
 */
export const REVERSE_CONTROL_SCHEMA = 'awsdms_control_reverse';

/** @internal */
export interface TaskSettingsOptions {
  readonly validation: boolean;
  /** @default CONTROL_SCHEMA */
  readonly controlSchema?: string;
}

/**
 * The task settings. Choices that matter for a payment database:
 *
 * - `FullLoadSettings.TargetTablePrepMode: DO_NOTHING` — the target schema (keys, secondary indexes, foreign keys,
 *   exact column types and defaults) is created beforehand by the application's schema tool; DMS's own
 *   `DROP_AND_CREATE` would create tables with a primary key only. Above all, a full-load restart (a "reload"
 *   pressed by mistake after the cutover, when Aurora has become the system of record) must never drop or truncate
 *   production tables: `DO_NOTHING` makes such a reload fail on duplicate keys instead of wiping payments.
 * - `TargetMetadata.TaskRecoveryTableEnabled` — the CDC checkpoint is written continuously to `awsdms_txn_state`
 *   on the target, so the task can be restarted from the exact position after a failure.
 * - Full LOB mode — no silent truncation of large columns (limited LOB mode truncates above `LobMaxSize`).
 * - Transactional apply (`BatchApplyEnabled: false`) — changes are applied in commit order, transaction by transaction.
 * - `ErrorBehavior` stops the task on data, truncation and apply errors instead of logging and moving on: a stopped
 *   task stops reporting CDC latency, which turns the latency alarms INSUFFICIENT_DATA (missing data is `missing`)
 *   and closes the cutover gate; its state change (to the notification topic) and its error lines (the task-error
 *   alarm) are reported — instead of letting source and target silently diverge.
 * - Logging at `LOGGER_SEVERITY_DEFAULT` (errors, warnings, information) — never `DEBUG`, which can write row values
 *   (card data) to the logs (PCI DSS 3.4).
 * - Row-level validation compares every migrated row with the source; failures land in
 *   `awsdms_control.awsdms_validation_failures_v1`. It needs a primary key or unique index on every table.
 * - No before-image settings (`BeforeImageSettings: null`): they apply to streaming targets only.
 *
 * `CloudWatchLogGroup` / `CloudWatchLogStream` are not set: DMS assigns them (`dms-tasks-<instance identifier>`,
 * `dms-task-<task resource id>`) and rejects them on create.
 * @internal
 */
export function buildTaskSettings(options: TaskSettingsOptions): Record<string, unknown> {
  return {
    TargetMetadata: {
      TargetSchema: '',
      SupportLobs: true,
      FullLobMode: true,
      LobChunkSize: 64,
      LimitedSizeLobMode: false,
      LobMaxSize: 0,
      InlineLobMaxSize: 0,
      LoadMaxFileSize: 0,
      ParallelLoadThreads: 0,
      ParallelLoadBufferSize: 0,
      BatchApplyEnabled: false,
      TaskRecoveryTableEnabled: true,
      ParallelApplyThreads: 0,
      ParallelApplyBufferSize: 0,
      ParallelApplyQueuesPerThread: 0,
    },
    FullLoadSettings: {
      TargetTablePrepMode: 'DO_NOTHING',
      CreatePkAfterFullLoad: false,
      StopTaskCachedChangesApplied: false,
      StopTaskCachedChangesNotApplied: false,
      MaxFullLoadSubTasks: 8,
      TransactionConsistencyTimeout: 600,
      CommitRate: 10000,
    },
    Logging: {
      EnableLogging: true,
      LogComponents: LOG_COMPONENTS.map((Id) => ({ Id, Severity: 'LOGGER_SEVERITY_DEFAULT' })),
    },
    ControlTablesSettings: {
      ControlSchema: options.controlSchema ?? CONTROL_SCHEMA,
      HistoryTimeslotInMinutes: 5,
      HistoryTableEnabled: true,
      SuspendedTablesTableEnabled: true,
      StatusTableEnabled: true,
    },
    StreamBufferSettings: {
      StreamBufferCount: 3,
      StreamBufferSizeInMB: 8,
      CtrlStreamBufferSizeInMB: 5,
    },
    ChangeProcessingTuning: {
      BatchApplyPreserveTransaction: true,
      BatchApplyTimeoutMin: 1,
      BatchApplyTimeoutMax: 30,
      BatchApplyMemoryLimit: 500,
      BatchSplitSize: 0,
      MinTransactionSize: 1000,
      CommitTimeout: 1,
      MemoryLimitTotal: 1024,
      MemoryKeepTime: 60,
      StatementCacheSize: 50,
    },
    ChangeProcessingDdlHandlingPolicy: {
      HandleSourceTableDropped: true,
      HandleSourceTableTruncated: true,
      HandleSourceTableAltered: true,
    },
    ErrorBehavior: {
      DataErrorPolicy: 'STOP_TASK',
      DataTruncationErrorPolicy: 'STOP_TASK',
      DataErrorEscalationPolicy: 'STOP_TASK',
      DataErrorEscalationCount: 0,
      TableErrorPolicy: 'STOP_TASK',
      TableErrorEscalationPolicy: 'STOP_TASK',
      TableErrorEscalationCount: 0,
      RecoverableErrorCount: -1,
      RecoverableErrorInterval: 5,
      RecoverableErrorThrottling: true,
      RecoverableErrorThrottlingMax: 1800,
      ApplyErrorDeletePolicy: 'STOP_TASK',
      ApplyErrorInsertPolicy: 'STOP_TASK',
      ApplyErrorUpdatePolicy: 'STOP_TASK',
      ApplyErrorEscalationPolicy: 'STOP_TASK',
      ApplyErrorEscalationCount: 0,
      ApplyErrorFailOnTruncationDdl: true,
      FullLoadIgnoreConflicts: true, // the overlap between the full load and the cached changes, expected
      FailOnTransactionConsistencyBreached: true,
      FailOnNoTablesCaptured: true,
    },
    ValidationSettings: {
      EnableValidation: options.validation,
      ValidationMode: 'ROW_LEVEL',
      ThreadCount: 5,
      PartitionSize: 10000,
      FailureMaxCount: 10000,
      TableFailureMaxCount: 1000,
      RecordFailureDelayInMinutes: 5,
      RecordSuspendDelayInMinutes: 30,
      MaxKeyColumnSize: 8096,
      ValidationOnly: false,
      HandleCollationDiff: false,
      SkipLobColumns: false,
      ValidationPartialLobSize: 0,
      ValidationQueryCdcDelaySeconds: 0,
    },
    BeforeImageSettings: null,
  };
}

/**
 * The settings of the reverse task (Aurora → on-premises), CDC only. The forward settings, with these choices:
 *
 * - No full load (`migrationType: cdc` on the task): at the cutover both databases hold the same rows (the forward
 *   task has applied everything and validated it); only the changes written to Aurora afterwards go back.
 *   `TargetTablePrepMode: DO_NOTHING` stays explicit: nothing may ever drop or truncate the on-premises tables.
 * - Its own control schema on the on-premises database, {@link REVERSE_CONTROL_SCHEMA}.
 * - Transactional apply, the recovery table, `STOP_TASK` on every error and the same logging, as forward: a rollback
 *   path that silently skips a payment is worse than none.
 * - Validation follows the forward task (`validation`, default on): the reason to prepare this task is a rollback
 *   that loses nothing, and row-level validation is what proves it before the writer moves back. It reads both
 *   databases (5 threads), Aurora then being the production writer; `validation: false` turns it off in both tasks.
 * @internal
 */
export function buildReverseTaskSettings(options: { readonly validation: boolean }): Record<string, unknown> {
  return buildTaskSettings({ validation: options.validation, controlSchema: REVERSE_CONTROL_SCHEMA });
}

/**
 * One selection rule per schema, every table: `{"rules":[{"rule-type":"selection",…,"rule-action":"include"}]}`,
 * then one `exclude` selection rule per `excludedSchemas` entry.
 * @internal
 */
export function buildTableMappings(schemas: ReadonlyArray<string>, excludedSchemas: ReadonlyArray<string> = []): Record<string, unknown> {
  const include = schemas.map((schema, i) => ({
    'rule-type': 'selection',
    'rule-id': String(i + 1),
    'rule-name': `include-${i + 1}`,
    'object-locator': { 'schema-name': schema, 'table-name': '%' },
    'rule-action': 'include',
  }));
  const exclude = excludedSchemas.map((schema, i) => ({
    'rule-type': 'selection',
    'rule-id': String(schemas.length + i + 1),
    'rule-name': `exclude-${i + 1}`,
    'object-locator': { 'schema-name': schema, 'table-name': '%' },
    'rule-action': 'exclude',
  }));
  return { rules: [...include, ...exclude] };
}
