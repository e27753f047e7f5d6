import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { TRANSIENT_RETRY } from '../state-machine/state-builders';
import { DmsTaskRef } from '../switchovers/dms/dms-states';

/*
 * Whether every table of a DMS task is validated, read off DescribeTableStatistics page by page.
 *
 * `TableStatistics.ValidationState`, as "AWS DMS data validation" (Replication task statistics) documents it:
 * Not enabled, Pending records, Mismatched records, Suspended records, No primary key, Table error, Validated, Error,
 * Pending validation, Preparing table, Pending revalidation.
 * https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Validating.html#CHAP_Validating.TaskStatistics
 * https://docs.aws.amazon.com/dms/latest/APIReference/API_TableStatistics.html
 */

/** All rows of the table are validated. */
export const VALIDATED = 'Validated';
/** Validation isn't enabled for the table. */
export const NOT_ENABLED = 'Not enabled';
/** States waiting will not fix: rows mismatched or suspended, or the table cannot be validated. */
export const FAILED_VALIDATION_STATES = ['Mismatched records', 'Suspended records', 'No primary key', 'Table error', 'Error'];
/**
 * States validation leaves by itself: waited for by the pre-check (bounded). A state the documentation does not
 * list counts as one of these: never as validated.
 */
export const PENDING_VALIDATION_STATES = ['Pending records', 'Pending validation', 'Preparing table', 'Pending revalidation'];

/**
 * What passes and what fails, by whether the replication validates rows (DmsReplication `validation`):
 * - validation on: only `Validated` passes; `Not enabled` fails (the table would never be validated);
 * - validation off: `Not enabled` passes (DMS proves nothing row by row; the full load, TablesErrored and the CDC
 *   latency alarms are all the gate has), and so does `Validated`; a table found mismatched, suspended or in error
 *   still fails.
 * Either way a table in `Table error` (TableState) or with failed or suspended rows fails, and anything else waits.
 * @internal
 */
export function validationRule(validation: boolean): { readonly pass: string[]; readonly fail: string[] } {
  return validation
    ? { pass: [VALIDATED], fail: [...FAILED_VALIDATION_STATES, NOT_ENABLED] }
    : { pass: [NOT_ENABLED, VALIDATED], fail: FAILED_VALIDATION_STATES };
}

/**
 * Tables one DescribeTableStatistics page returns (the API allows 20 to 500). A page is kept in the state until the
 * next one replaces it: 100 tables of statistics stay well under Step Functions' 256 KB.
 */
export const TABLE_PAGE = 100;
/** Pages one scan may read: a task with more than 1,000 tables is refused (its check would not fit the history). */
export const MAX_TABLE_PAGES = 10;
/** Worst-case history events of one page (read, table count, judge, verdict, pending mark) and of one scan's start. */
const EVENTS_PER_PAGE = 13;
const EVENTS_PER_SCAN = 2;

/** Worst-case history events of scans that read at most `pages` pages in all, plus the clean end. @internal */
export function validationScanEvents(pages: number, scans: number = 1): number {
  return pages * EVENTS_PER_PAGE + scans * EVENTS_PER_SCAN + 2;
}

/** Where a scan goes. @internal */
export interface ValidationScanOptions {
  /** Whether the replication validates rows ({@link validationRule}). */
  readonly validation: boolean;
  /**
   * Where the scan keeps its state (`pages` left to read, `pending`, the page read). Scans that share `path` share
   * their page budget: set `{path}.pages` before the first, or give `pages`. A scan reads at most `MAX_TABLE_PAGES`.
   */
  readonly path: string;
  /** Pages this scan may read, set at its start. @default - what is left of `{path}.pages` */
  readonly pages?: number;
  /** Every table passed: the page is dropped from the state (`{path}` = `{ validated: true }`), then this. */
  readonly onClean: sfn.IChainable;
  /** No table failed, some are still pending (the page budget may be spent: `{path}.pages`). */
  readonly onPending: sfn.IChainable;
  readonly onFailed: sfn.IChainable;
  /** The task lists no table at all. */
  readonly onNoTable: sfn.IChainable;
  /** More than `MAX_TABLE_PAGES` pages of tables. */
  readonly onTooMany: sfn.IChainable;
  /** More pages than the budget left (`{path}.pages`) allows. @default onTooMany */
  readonly onBudgetSpent?: sfn.IChainable;
}

/**
 * One pass over every page of the task's table statistics (`Marker` to `Marker`), judging each page as it comes —
 * only a verdict is carried from page to page, never the table list. A failed table ends the scan at once; a pending
 * one is remembered and the scan reads on (a later page may hold a failure). State names start with `prefix`.
 *
 * A wildcard over an empty list fails uncatchably on Step Functions: a page is judged only once its table count is
 * known to be non-zero. The verdict uses only values of a known type (`States.ArrayContains` booleans, array
 * elements tested with IsPresent), so no comparison can fail at run time.
 * @see https://docs.aws.amazon.com/dms/latest/APIReference/API_DescribeTableStatistics.html
 * @internal
 */
export function validationScan(scope: Construct, prefix: string, task: DmsTaskRef, options: ValidationScanOptions): sfn.IChainable {
  const p = options.path;
  const rule = validationRule(options.validation);
  const start = new sfn.Pass(scope, `${prefix}: start`, {
    parameters: { ...(options.pages === undefined ? { 'pages.$': `${p}.pages` } : { pages: options.pages }), scanPages: MAX_TABLE_PAGES, pending: false },
    resultPath: p,
  });
  const read = (id: string, marker: boolean) => {
    const call = new tasks.CallAwsService(scope, `${prefix}: ${id}`, {
      service: 'databasemigration',
      action: 'describeTableStatistics',
      iamAction: 'dms:DescribeTableStatistics',
      iamResources: [task.arn],
      parameters: { ReplicationTaskArn: task.arn, MaxRecords: TABLE_PAGE, ...(marker ? { 'Marker.$': `${p}.read.page.Marker` } : {}) },
      resultSelector: { 'count.$': 'States.ArrayLength($.TableStatistics)', 'page.$': '$' },
      resultPath: `${p}.read`,
    });
    call.addRetry(TRANSIENT_RETRY);
    return call;
  };
  const first = read('first page', false);
  const next = read('next page', true);
  const carried = {
    'pages.$': `States.MathAdd(${p}.pages, -1)`,
    'scanPages.$': `States.MathAdd(${p}.scanPages, -1)`,
    'pending.$': `${p}.pending`,
    'read.$': `${p}.read`,
  };
  const tables = (field: string) => `${p}.read.page.TableStatistics[*].${field}`;
  const judge = new sfn.Pass(scope, `${prefix}: judge the page`, {
    parameters: {
      ...carried,
      'states.$': `States.ArrayUnique(${tables('ValidationState')})`,
      'failedRows.$': `States.ArrayUnique(${tables('ValidationFailedRecords')})`,
      'failedRowsZero.$': `States.ArrayContains(${tables('ValidationFailedRecords')}, 0)`,
      'suspendedRows.$': `States.ArrayUnique(${tables('ValidationSuspendedRecords')})`,
      'suspendedRowsZero.$': `States.ArrayContains(${tables('ValidationSuspendedRecords')}, 0)`,
      'tableError.$': `States.ArrayContains(${tables('TableState')}, 'Table error')`,
      ...Object.fromEntries(rule.fail.map((s, i) => [`fail${i}.$`, `States.ArrayContains(${tables('ValidationState')}, '${s}')`])),
      ...Object.fromEntries(rule.pass.map((s, i) => [`pass${i}.$`, `States.ArrayContains(${tables('ValidationState')}, '${s}')`])),
    },
    resultPath: p,
  });
  const empty = new sfn.Pass(scope, `${prefix}: empty page`, { parameters: carried, resultPath: p });
  const markPending = new sfn.Pass(scope, `${prefix}: pending seen`, { result: sfn.Result.fromBoolean(true), resultPath: `${p}.pending` });
  const clean = new sfn.Pass(scope, `${prefix}: all validated`, { result: sfn.Result.fromObject({ validated: true }), resultPath: p });
  clean.next(options.onClean);

  const is = (field: string) => sfn.Condition.booleanEquals(`${p}.${field}`, true);
  const isNot = (field: string) => sfn.Condition.booleanEquals(`${p}.${field}`, false);
  const more = sfn.Condition.isPresent(`${p}.read.page.Marker`);
  const pagesLeft = sfn.Condition.and(sfn.Condition.numberGreaterThan(`${p}.scanPages`, 0), sfn.Condition.numberGreaterThan(`${p}.pages`, 0));
  // Out of pages with more to read: too many tables for any scan, or the shared budget spent.
  const unread = new sfn.Choice(scope, `${prefix}: too many tables?`)
    .when(sfn.Condition.numberLessThanEquals(`${p}.scanPages`, 0), options.onTooMany)
    .otherwise(options.onBudgetSpent ?? options.onTooMany);
  // Failed: a failing state, a table in error, or a row count other than 0 (no 0 at all, or a second distinct value).
  const failed = sfn.Condition.or(
    is('tableError'),
    ...rule.fail.map((_, i) => is(`fail${i}`)),
    isNot('failedRowsZero'),
    sfn.Condition.isPresent(`${p}.failedRows[1]`),
    isNot('suspendedRowsZero'),
    sfn.Condition.isPresent(`${p}.suspendedRows[1]`),
  );
  // Passed: the page's distinct states are exactly a non-empty subset of the passing ones.
  const subsets = rule.pass.length === 1 ? [[0]] : [[0], [1], [0, 1]];
  const passed = sfn.Condition.or(...subsets.map((s) => sfn.Condition.and(
    ...s.map((i) => is(`pass${i}`)),
    sfn.Condition.not(sfn.Condition.isPresent(`${p}.states[${s.length}]`)),
  )));
  const verdict = new sfn.Choice(scope, `${prefix}: page validated?`)
    .when(failed, options.onFailed)
    .when(sfn.Condition.and(passed, more, pagesLeft), next)
    .when(sfn.Condition.and(passed, more), unread)
    .when(sfn.Condition.and(passed, isNot('pending')), clean)
    .when(passed, options.onPending)
    .when(sfn.Condition.and(more, pagesLeft), markPending)
    .when(more, unread)
    .otherwise(options.onPending);
  markPending.next(next);
  judge.next(verdict);
  empty.next(new sfn.Choice(scope, `${prefix}: more tables?`)
    .when(sfn.Condition.and(more, pagesLeft), next)
    .when(more, unread)
    .when(is('pending'), options.onPending)
    .otherwise(clean));
  first.next(new sfn.Choice(scope, `${prefix}: any table?`)
    .when(sfn.Condition.numberGreaterThan(`${p}.read.count`, 0), judge)
    .otherwise(options.onNoTable));
  next.next(new sfn.Choice(scope, `${prefix}: tables on the page?`)
    .when(sfn.Condition.numberGreaterThan(`${p}.read.count`, 0), judge)
    .otherwise(empty));
  start.next(first);
  return start;
}

/**
 * Which DMS tasks the gates of an orchestrator validate, by their alarms: the DMS gate records, on its CDC latency
 * alarm, its task and whether that task validates rows; a writer move finds it among `BuildContext.replicationAlarms`
 * (the orchestrator refuses a DMS writer move without the DMS gate of the same task).
 */
const GATE_VALIDATION = new WeakMap<cloudwatch.IAlarm, { readonly taskArn: string; readonly validation: boolean }>();

/** Records that the gate watching `alarm` checks `taskArn`, validated or not. @internal */
export function recordGateValidation(alarm: cloudwatch.IAlarm, taskArn: string, validation: boolean): void {
  GATE_VALIDATION.set(alarm, { taskArn, validation });
}

/** Whether the gate of `taskArn` among `alarms` validates rows; true (the strict rule) when no gate says. @internal */
export function gateValidation(alarms: ReadonlyArray<cloudwatch.IAlarm>, taskArn: string): boolean {
  for (const alarm of alarms) {
    const entry = GATE_VALIDATION.get(alarm);
    if (entry && entry.taskArn === taskArn) return entry.validation;
  }
  return true;
}

/**
 * The writer move's last check, before the fence: every table of the forward task read again (all pages) and judged
 * by the gate's rule. Anything but clean — a table pending, not validated, suspended, failed or in error, or more
 * tables than a scan may read — fails with `WriterMove.ValidationNotClean`: nothing has moved yet (the writer is on
 * the source), and the cutover's rollback puts traffic back. States `Writer: validation…`, state at `$.writerValidation`.
 * @internal
 */
export function writerValidationCheck(scope: Construct, task: DmsTaskRef, validation: boolean, next: sfn.IChainable): sfn.IChainable {
  const refuse = (id: string, what: string) => new sfn.Fail(scope, `Writer: validation ${id}`, {
    error: 'WriterMove.ValidationNotClean',
    cause: `${what}: the writer move was refused before the fence (the writer never left the source) and traffic moves back`,
  });
  return validationScan(scope, 'Writer: validation', task, {
    validation,
    path: '$.writerValidation',
    pages: MAX_TABLE_PAGES,
    onClean: next,
    onPending: refuse('pending', `A table of the DMS ${task.label} task is not validated yet (pending, preparing or revalidating)`),
    onFailed: refuse('failed', `A table of the DMS ${task.label} task failed or suspended validation, cannot be validated, or is in error`),
    onNoTable: refuse('no table', `The DMS ${task.label} task lists no table`),
    onTooMany: refuse('unread', `The DMS ${task.label} task has more than ${MAX_TABLE_PAGES * TABLE_PAGE} tables: its validation cannot all be read`),
  });
}

/** Worst-case history events of {@link writerValidationCheck}. @internal */
export const WRITER_VALIDATION_EVENTS = validationScanEvents(MAX_TABLE_PAGES);
