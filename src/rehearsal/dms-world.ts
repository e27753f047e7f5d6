import { awsError, round } from './aws-values';
import { DmsScenario, Workflow, WriterChange } from './scenario';

/** The virtual epoch: second 0 of every rehearsal. */
export const EPOCH_MS = Date.UTC(2026, 0, 1);

/** Virtual seconds as the ISO timestamp Step Functions would see. */
export function isoAt(seconds: number): string {
  return new Date(EPOCH_MS + Math.round(seconds * 1000)).toISOString();
}

type Log = (actor: Workflow | 'world', kind: 'database', text: string) => void;

interface TaskState {
  status: string;
  /** When the status last changed to a transitional one, and what it becomes. */
  pending?: { at: number; to: string };
  startedAt?: number;
}

/** Seconds a DMS task spends starting or stopping. */
const TRANSITION_SECONDS = 20;

/**
 * The DMS side of the simulated account: the forward task (on premises → Aurora), the prepared reverse task, the
 * writer parameter the fleets read, and the CDC backlog metrics after a fence.
 */
export class DmsWorld {
  public writer = 'SOURCE';
  public readonly writerChanges: WriterChange[] = [];
  public readonly taskCalls: string[] = [];
  /**
   * What the world saw go wrong with the data (empty when nothing was lost or replayed): Aurora taking writes before
   * the forward task applied everything, a reverse task starting after writes Aurora took, the writer back on premises
   * before the reverse task applied every write Aurora took.
   */
  public readonly dataProblems: string[] = [];
  /** The CdcStartTime (virtual seconds) of every start of the reverse task, `undefined` for "from now". */
  public readonly reverseStarts: Array<{ t: number; cdcStartTime?: number }> = [];
  /** When Aurora took its first write (the unfence to TARGET). */
  public auroraWritesFrom?: number;
  private readonly forward: TaskState;
  private readonly reverse: TaskState;
  private fencedAt?: number;
  /** The fence of the writer move (from SOURCE) and of the way back (from TARGET). */
  private forwardFence?: number;
  private reverseFence?: number;
  /** Where the reverse task reads Aurora's log from. */
  private reverseFrom?: number;

  /** The writer parameter's version (SSM counts every write). */
  public writerVersion = 1;
  private readonly writerHistory: Array<{ t: number; value: string; version: number }> = [];
  private healed?: Record<string, number>;

  constructor(private readonly scenario: DmsScenario, private readonly clock: () => number, private readonly log: Log) {
    this.forward = { status: scenario.initialStatus ?? 'ready', startedAt: scenario.initialStatus === 'running' ? -1e6 : undefined };
    this.reverse = { status: scenario.reverseInitialStatus ?? 'ready', startedAt: scenario.reverseInitialStatus === 'running' ? -1e6 : undefined };
    this.writer = scenario.initialWriter ?? 'SOURCE';
  }

  /** Seconds each fleet takes to enforce a new writer value (-1: never). */
  public get fleets(): Readonly<Record<string, number>> {
    return this.healed ?? this.scenario.fleets ?? { aws: 3, datacenter: 5 };
  }

  /** An operator repairs the fleets (restarts the one that did not refresh): from now on each enforces within 5 s. */
  public healFleets(): void {
    this.healed = Object.fromEntries(Object.entries(this.fleets).map(([f, d]) => [f, d < 0 || d > 5 ? 5 : d]));
  }

  /** The writer value a fleet enforces now, and the parameter version it came with. */
  public fleetView(fleet: string): { value: string; version: number } {
    const delay = this.fleets[fleet];
    const now = this.clock();
    let view = { value: this.scenario.initialWriter ?? 'SOURCE', version: 1 };
    for (const change of this.writerHistory) {
      if (delay >= 0 && change.t + delay <= now) view = { value: change.value, version: change.version };
    }
    return view;
  }

  /** Each fleet's acknowledgement (`<VALUE>@<version>`), as the fleets write them to the record's `fences` item. */
  public fenceAcknowledgements(): Record<string, string> {
    return Object.fromEntries(Object.keys(this.fleets).map((f) => {
      const view = this.fleetView(f);
      return [f, `${view.value}@${view.version}`];
    }));
  }

  public putWriter(actor: Workflow, value: string): void {
    const now = this.clock();
    // A fleet still routing writes by an older value when the writer moves would write to the old side: lost.
    const stale = (old: string) => Object.keys(this.fleets).filter((f) => this.fleetView(f).value === old);
    if (value === 'TARGET' && this.writer === 'FENCED' && stale('SOURCE').length > 0) {
      this.dataProblems.push(`${round(now)} s: Aurora becomes the writer while fleet ${stale('SOURCE').join(', ')} still writes on premises (it has not seen the fence)`);
    }
    if (value === 'SOURCE' && this.writer === 'FENCED' && stale('TARGET').length > 0) {
      this.dataProblems.push(`${round(now)} s: the writer returns on premises while fleet ${stale('TARGET').join(', ')} still writes to Aurora (it has not seen the fence)`);
    }
    this.writerVersion++;
    this.writerHistory.push({ t: now, value, version: this.writerVersion });
    if (value === 'FENCED' && this.writer !== 'FENCED') {
      this.fencedAt = now;
      if (this.writer === 'SOURCE') this.forwardFence = now;
      if (this.writer === 'TARGET') this.reverseFence = now;
    }
    if (value === 'TARGET' && this.writer === 'FENCED' && this.auroraWritesFrom === undefined) {
      if (now < this.drainedAt('forward')) this.dataProblems.push(`${round(now)} s: Aurora takes writes before the forward task applied every change (drained at ${round(this.drainedAt('forward'))} s)`);
      this.auroraWritesFrom = round(now);
    }
    if (value === 'SOURCE' && this.auroraWritesFrom !== undefined && this.writer !== 'SOURCE') {
      const back = this.drainedAt('reverse');
      if (this.reverseFrom === undefined || this.reverseFrom > this.auroraWritesFrom || now < back) {
        this.dataProblems.push(`${round(now)} s: the writer is back on premises before the reverse task applied every write Aurora took`);
      }
    }
    this.writer = value;
    this.writerChanges.push({ t: round(this.clock()), actor, value });
    this.log(actor, 'database', `writer parameter → ${value}`);
  }

  private task(which: 'forward' | 'reverse'): TaskState {
    const task = which === 'forward' ? this.forward : this.reverse;
    const failAfter = this.scenario.reverseFailsAfter;
    if (which === 'reverse' && failAfter !== undefined && task.status === 'running' && task.startedAt !== undefined &&
      this.clock() >= task.startedAt + TRANSITION_SECONDS + failAfter) {
      task.status = 'failed';
      this.log('world', 'database', 'DMS reverse task failed on its own');
    }
    if (task.pending && this.clock() >= task.pending.at) {
      task.status = task.pending.to;
      task.pending = undefined;
      this.log('world', 'database', `DMS ${which} task is ${task.status}`);
    }
    return task;
  }

  public describe(which: 'forward' | 'reverse'): any {
    const task = this.task(which);
    // DMS answers a filter that matches nothing with a fault, not an empty list.
    if (task.status === 'missing') throw awsError('DatabaseMigration.ResourceNotFoundException', 'No Tasks found matching provided filters');
    const stats = task.startedAt === undefined ? undefined : this.stats(which, task);
    return {
      ReplicationTasks: [{
        ReplicationTaskIdentifier: `${which}-task`,
        Status: task.status,
        MigrationType: which === 'forward' ? 'full-load-and-cdc' : 'cdc',
        ...(task.status === 'stopped' ? { StopReason: 'Stop Reason NORMAL' } : {}),
        ...(stats ? { ReplicationTaskStats: stats } : {}),
      }],
    };
  }

  private stats(which: 'forward' | 'reverse', task: TaskState): any {
    const loadSeconds = which === 'forward' ? this.scenario.fullLoadSeconds ?? 600 : 0;
    const elapsed = this.clock() - (task.startedAt ?? 0);
    const percent = loadSeconds === 0 ? 100 : Math.min(100, Math.floor((elapsed / loadSeconds) * 100));
    const tables = this.tables().length;
    return {
      FullLoadProgressPercent: which === 'forward' ? percent : 0,
      TablesLoaded: percent === 100 ? tables : 0,
      TablesLoading: percent === 100 ? 0 : tables,
      TablesQueued: 0,
      TablesErrored: this.scenario.tablesErrored ?? 0,
    };
  }

  public start(which: 'forward' | 'reverse', type: string, actor: string, cdcStartTime?: string): any {
    const task = this.task(which);
    if (cdcStartTime !== undefined && Number.isNaN(Date.parse(cdcStartTime))) throw awsError('DatabaseMigration.InvalidParameterValueException', `CdcStartTime ${cdcStartTime} is not a timestamp`);
    this.taskCalls.push(`${actor} start ${which} (${type}${cdcStartTime ? ' from a CdcStartTime' : ''})`);
    if (which === 'reverse' && type === 'start-replication' && (task.status === 'ready' || task.status === 'stopped' || task.status === 'failed')) {
      const from = cdcStartTime === undefined ? this.clock() : (Date.parse(cdcStartTime) - EPOCH_MS) / 1000;
      this.reverseStarts.push({ t: round(this.clock()), cdcStartTime: cdcStartTime === undefined ? undefined : round(from) });
      if (this.auroraWritesFrom !== undefined && from > this.auroraWritesFrom) {
        this.dataProblems.push(`${round(this.clock())} s: the reverse task reads Aurora from ${round(from)} s, after Aurora took writes (${round(this.auroraWritesFrom)} s): those are skipped`);
      }
      if (from < this.drainedAt('forward') && this.forwardFence !== undefined) {
        this.dataProblems.push(`${round(this.clock())} s: the reverse task reads Aurora from ${round(from)} s, before the forward task's last change: it would replay it on premises`);
      }
      this.reverseFrom = from;
    }
    if (task.status === 'running' || task.status === 'starting') throw awsError('DatabaseMigration.InvalidResourceStateException', `The ${which} task is ${task.status}`);
    const to = which === 'reverse' && this.scenario.reverseStart === 'fails' ? 'failed' : 'running';
    task.status = 'starting';
    task.pending = { at: this.clock() + TRANSITION_SECONDS, to };
    if (task.startedAt === undefined || type === 'start-replication') task.startedAt = this.clock();
    this.log('world', 'database', `StartReplicationTask ${which} (${type})`);
    return { ReplicationTask: { Status: 'starting' } };
  }

  public stop(which: 'forward' | 'reverse', actor: string): any {
    const task = this.task(which);
    this.taskCalls.push(`${actor} stop ${which}`);
    if (task.status !== 'running') throw awsError('DatabaseMigration.InvalidResourceStateException', `The ${which} task is ${task.status}`);
    task.status = 'stopping';
    task.pending = { at: this.clock() + TRANSITION_SECONDS, to: 'stopped' };
    this.log('world', 'database', `StopReplicationTask ${which}`);
    return { ReplicationTask: { Status: 'stopping' } };
  }

  /** When the task has applied every change it captured after its fence (∞: not fenced, or never). */
  private drainedAt(which: 'forward' | 'reverse'): number {
    const fence = which === 'forward' ? this.forwardFence : this.reverseFence;
    const seconds = (which === 'forward' ? this.scenario.forwardDrainSeconds : this.scenario.reverseDrainSeconds) ?? 45;
    return fence === undefined || seconds < 0 ? Infinity : fence + seconds;
  }

  /**
   * DescribeTableStatistics: the scenario's tables (validation states, as they are at the time of the call) with live
   * CDC counters. While its source takes writes a task captures one change per table every 10 s and applies it a few
   * changes behind; after its fence the source stops 10 s before the drain completes, and from the drain on applied =
   * captured. The reverse task counts the writes Aurora took since the time it reads from; before it has captured
   * anything it lists no table. Paged as DMS pages it (`page`).
   */
  public tableStatistics(which: 'forward' | 'reverse', request: TableStatisticsRequest = {}): any {
    const task = this.task(which);
    const tables = this.tables();
    const now = this.clock();
    const drainedAt = this.drainedAt(which);
    const seconds = (which === 'forward' ? this.scenario.forwardDrainSeconds : this.scenario.reverseDrainSeconds) ?? 45;
    const fence = which === 'forward' ? this.forwardFence : this.reverseFence;
    const sourceEnd = fence === undefined ? Infinity : fence + Math.max(0, (seconds < 0 ? 45 : seconds) - 10);
    const from = which === 'forward' ? 0 : this.reverseFrom;
    if (task.startedAt === undefined || from === undefined) return page(which, which === 'forward' ? tables : [], request);
    const writesFrom = which === 'forward' ? 0 : Math.max(from, this.auroraWritesFrom ?? Infinity);
    const until = Math.min(now, sourceEnd);
    const captured = (i: number) => Math.max(0, Math.floor((until - writesFrom) / 10)) + (which === 'forward' ? 1000 + i * 7 : 0);
    if (which === 'reverse' && captured(0) === 0) return page(which, [], request);
    const lag = now >= drainedAt ? 0 : which === 'forward' ? 3 : 1;
    return page(which, tables.map((t, i) => {
      const c = captured(i);
      const a = Math.max(0, c - lag);
      return { ...t, Inserts: c, Updates: Math.floor(c / 2), Deletes: 0, AppliedInserts: a, AppliedUpdates: Math.floor(a / 2), AppliedDeletes: 0 };
    }), request);
  }

  /** The forward task's tables now: the scenario's list, or `tableCount` generated ones, with `tableValidation` applied. */
  private tables(): ReadonlyArray<Record<string, unknown>> {
    const count = this.scenario.tableCount;
    const generated = count === undefined ? DEFAULT_TABLES : Array.from({ length: count }, (_, i) => ({ ...DEFAULT_TABLES[0], TableName: `t${String(i + 1).padStart(4, '0')}` }));
    const base = this.scenario.tables ?? generated;
    const now = this.clock();
    const states = new Map<number, string>();
    for (const v of this.scenario.tableValidation ?? []) {
      if (now >= (v.from ?? -Infinity) && now < (v.until ?? Infinity)) states.set(v.table - 1, v.state);
    }
    return base.map((t, i) => {
      const state = states.get(i);
      if (state === undefined) return t;
      return {
        ...t,
        ValidationState: state,
        ValidationFailedRecords: state === 'Mismatched records' ? 1 : 0,
        ValidationSuspendedRecords: state === 'Suspended records' ? 1 : 0,
        ValidationPendingRecords: /^Pending/.test(state) ? 1 : 0,
      };
    });
  }

  /**
   * The backlog series of a drain (0 = drained): one datapoint per minute from StartTime, newest first. The
   * replication drains `drainSeconds` after the fence (never with -1), so only minutes that start after that are 0.
   */
  public backlog(which: 'forward' | 'reverse', startIso: string, endIso: string): any {
    const start = (Date.parse(startIso) - EPOCH_MS) / 1000;
    const end = (Date.parse(endIso) - EPOCH_MS) / 1000;
    const drainSeconds = (which === 'forward' ? this.scenario.forwardDrainSeconds : this.scenario.reverseDrainSeconds) ?? 45;
    const drainedAt = drainSeconds < 0 || this.fencedAt === undefined ? Infinity : this.fencedAt + drainSeconds;
    const timestamps: string[] = [];
    const values: number[] = [];
    // CloudWatch rounds StartTime down to the period (the first datapoint may start before the fence) and returns the
    // period in progress too (the newest datapoint may cover less than a minute).
    for (let m = Math.floor(start / 60) * 60; m < end; m += 60) {
      timestamps.unshift(this.scenario.metricTimestamps === 'epoch-seconds' ? ((EPOCH_MS / 1000 + m) as unknown as string) : isoAt(m));
      values.unshift(m >= drainedAt ? 0 : 3);
    }
    return { MetricDataResults: [{ Id: 'backlog', Label: 'backlog', StatusCode: 'Complete', Timestamps: timestamps, Values: values }], Messages: [] };
  }
}

/** The request members DescribeTableStatistics pages by. */
export interface TableStatisticsRequest {
  readonly MaxRecords?: number;
  readonly Marker?: string;
}

/**
 * One page of table statistics as DMS answers it: `MaxRecords` (default 100; 20 to 500, anything else is refused)
 * tables from the `Marker`, and a `Marker` (an opaque string, only good for this task) while more remain.
 * @see https://docs.aws.amazon.com/dms/latest/APIReference/API_DescribeTableStatistics.html
 */
function page(which: string, tables: ReadonlyArray<Record<string, unknown>>, request: TableStatisticsRequest): any {
  const max = request.MaxRecords ?? 100;
  if (!Number.isInteger(max) || max < 20 || max > 500) {
    throw awsError('DatabaseMigration.InvalidParameterValueException', `MaxRecords must be from 20 to 500, got: ${max}`);
  }
  let offset = 0;
  if (request.Marker !== undefined) {
    const decoded = /^([a-z]+):(\d+)$/.exec(Buffer.from(String(request.Marker), 'base64url').toString());
    if (!decoded || decoded[1] !== which) throw awsError('DatabaseMigration.InvalidParameterValueException', `Invalid marker: ${request.Marker}`);
    offset = Number(decoded[2]);
  }
  const next = offset + max;
  return {
    ReplicationTaskArn: `arn:aws:dms:eu-west-1:111111111111:task:${which}`,
    TableStatistics: tables.slice(offset, next),
    ...(next < tables.length ? { Marker: Buffer.from(`${which}:${next}`).toString('base64url') } : {}),
  };
}

const DEFAULT_TABLES = ['payments', 'refunds', 'ledger'].map((TableName) => ({
  SchemaName: 'payments',
  TableName,
  TableState: 'Table completed',
  ValidationState: 'Validated',
  ValidationFailedRecords: 0,
  ValidationSuspendedRecords: 0,
  ValidationPendingRecords: 0,
}));
