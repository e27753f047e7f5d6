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
  private readonly forward: TaskState;
  private readonly reverse: TaskState;
  private fencedAt?: number;

  constructor(private readonly scenario: DmsScenario, private readonly clock: () => number, private readonly log: Log) {
    this.forward = { status: scenario.initialStatus ?? 'ready', startedAt: scenario.initialStatus === 'running' ? -1e6 : undefined };
    this.reverse = { status: scenario.reverseInitialStatus ?? 'ready', startedAt: scenario.reverseInitialStatus === 'running' ? -1e6 : undefined };
    this.writer = scenario.initialWriter ?? 'SOURCE';
  }

  public putWriter(actor: Workflow, value: string): void {
    if (value === 'FENCED' && this.writer !== 'FENCED') this.fencedAt = this.clock();
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
    const tables = (this.scenario.tables ?? DEFAULT_TABLES).length;
    return {
      FullLoadProgressPercent: which === 'forward' ? percent : 0,
      TablesLoaded: percent === 100 ? tables : 0,
      TablesLoading: percent === 100 ? 0 : tables,
      TablesQueued: 0,
      TablesErrored: this.scenario.tablesErrored ?? 0,
    };
  }

  public start(which: 'forward' | 'reverse', type: string, actor: string): any {
    const task = this.task(which);
    this.taskCalls.push(`${actor} start ${which} (${type})`);
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

  public tableStatistics(): any {
    return { TableStatistics: this.scenario.tables ?? DEFAULT_TABLES };
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

const DEFAULT_TABLES = ['payments', 'refunds', 'ledger'].map((TableName) => ({
  SchemaName: 'payments',
  TableName,
  TableState: 'Table completed',
  ValidationState: 'Validated',
  ValidationFailedRecords: 0,
  ValidationSuspendedRecords: 0,
  ValidationPendingRecords: 0,
}));
