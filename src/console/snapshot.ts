import { DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeGlobalClustersCommand } from '@aws-sdk/client-rds';
import { DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { Aws, call } from './aws';
import { ConsoleManifest, loadBalancerOfListener, ShifterName, shifterName, shifterOf, targetGroupDimension } from './manifest';
import { CutoverPlan, planOf } from './plan';
import { bakeProgressOf, CutoverProgress, HistoryEvent, progressOf, runningBakeOf } from './progress';
import { readRecord, RecordState } from './record';

/** One gating alarm as CloudWatch has it. */
export interface GateState {
  readonly name: string;
  readonly state: string;
  readonly reason?: string;
  readonly since?: string;
}

/**
 * Requests each side served in the newest minute CloudWatch has for both (of the last five): each side's load
 * balancer, or — when the cutover shifts on one listener — each side's target group on that load balancer.
 */
export interface ObservedSplit {
  /** Start of the minute measured. */
  readonly minute?: string;
  /** null: measured and nothing served; undefined: not measurable (no load balancer on that side). */
  readonly source?: number | null;
  readonly target?: number | null;
}

/** Where the database writer is. */
export interface WriterState {
  readonly kind: 'global-cluster' | 'parameter';
  /** `SOURCE` / `FENCED` / `TARGET` (parameter), or the writer's region (global cluster). */
  readonly value: string;
  readonly side?: 'source' | 'target';
  readonly detail?: string;
}

/** Everything one refresh of the live view shows: JSON-serializable, and the input of the pure render functions. */
export interface Snapshot {
  readonly at: string;
  readonly stack: string;
  readonly region: string;
  readonly kind: ConsoleManifest['kind'];
  /** What moves traffic: Route 53 weighted records, the load balancer's weighted target groups, Global Accelerator's dials. */
  readonly shifter: ShifterName;
  readonly stateMachine: string;
  readonly execution?: { readonly arn: string; readonly name: string; readonly status: string; readonly started?: string; readonly stopped?: string };
  readonly plan: CutoverPlan;
  readonly progress: CutoverProgress;
  readonly control?: string;
  /**
   * The cutover record (phase, holder, since): who decides now. Undefined with `recordProblem` set when the stack's
   * manifest names no record table (deployed before it) or the record could not be read.
   */
  readonly record?: RecordState;
  readonly recordProblem?: string;
  readonly writer?: WriterState;
  readonly gates: GateState[];
  readonly observed: ObservedSplit;
  readonly dashboard?: string;
}

const iso = (d: Date | string | undefined) => (d === undefined ? undefined : new Date(d).toISOString());

/** Reads the state machine's definition once (it changes only with a deploy). */
export async function readPlan(aws: Aws, manifest: ConsoleManifest): Promise<CutoverPlan> {
  const sm = await call('reading the cutover state machine', () => aws.sfn().send(new DescribeStateMachineCommand({ stateMachineArn: manifest.sm })), aws.region);
  let definition: any = {};
  try {
    definition = JSON.parse(sm.definition ?? '{}');
  } catch {
    definition = {};
  }
  return planOf(definition);
}

/** The newest execution of the cutover, if any. */
export async function latestExecution(aws: Aws, manifest: ConsoleManifest, status?: 'RUNNING') {
  const list = await call('listing cutover executions', () => aws.sfn().send(new ListExecutionsCommand({ stateMachineArn: manifest.sm, maxResults: 20, ...(status ? { statusFilter: status } : {}) })), aws.region);
  const sorted = [...(list.executions ?? [])].sort((a, b) => new Date(b.startDate ?? 0).getTime() - new Date(a.startDate ?? 0).getTime());
  return sorted[0];
}

/** The last page of an execution's history (newest 500 events), oldest first. */
export async function historyOf(aws: Aws, executionArn: string): Promise<HistoryEvent[]> {
  const out = await call('reading the execution history', () => aws.sfn().send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 500 })), aws.region);
  return [...(out.events ?? [])].reverse() as HistoryEvent[];
}

export async function readParameter(aws: Aws, name: string): Promise<string | undefined> {
  const out = await call(`reading parameter ${name}`, () => aws.ssm().send(new GetParameterCommand({ Name: name })), aws.region);
  return out.Parameter?.Value;
}

export async function readGates(aws: Aws, names: string[]): Promise<GateState[]> {
  if (names.length === 0) return [];
  const out = await call('reading the gating alarms', () => aws.cloudwatch().send(new DescribeAlarmsCommand({ AlarmNames: names.slice(0, 100) })), aws.region);
  const found = new Map((out.MetricAlarms ?? []).map((a) => [a.AlarmName!, a]));
  return names.map((name) => {
    const a = found.get(name);
    return a
      ? { name, state: a.StateValue ?? 'UNKNOWN', reason: a.StateReason, since: iso(a.StateUpdatedTimestamp) }
      : { name, state: 'MISSING', reason: 'DescribeAlarms does not return it: deleted or renamed (the cutover refuses to start and rolls back)' };
  });
}

/** Where one side's requests are counted: `AWS/ApplicationELB` RequestCount with these dimensions, in this region. */
export interface RequestSource {
  readonly region: string;
  readonly dimensions: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
}

/**
 * Where each side's requests are counted. With load-balancer shifting both sides are target groups of the target's
 * load balancer (`TargetGroup` and `LoadBalancer` dimensions); otherwise each side's load balancer (a side without
 * one is not measured: undefined).
 */
export function requestSources(manifest: ConsoleManifest): { target?: RequestSource; source?: RequestSource } {
  const sh = shifterOf(manifest);
  if (sh.k === 'lb') {
    const lb = manifest.tgt.lb ?? loadBalancerOfListener(sh.l);
    const group = (arn: string): RequestSource | undefined => {
      const tg = targetGroupDimension(arn);
      return lb && tg ? { region: manifest.tgt.r, dimensions: [{ Name: 'TargetGroup', Value: tg }, { Name: 'LoadBalancer', Value: lb }] } : undefined;
    };
    return { target: group(sh.t), source: group(sh.s) };
  }
  const alb = (side: ConsoleManifest['tgt'] | undefined): RequestSource | undefined =>
    side?.lb ? { region: side.r, dimensions: [{ Name: 'LoadBalancer', Value: side.lb }] } : undefined;
  return { target: alb(manifest.tgt), source: alb(manifest.src) };
}

/**
 * RequestCount of one side per minute over the last 5 minutes (ALB metrics arrive a minute or two late, and a minute
 * without requests has no datapoint), keyed by the minute's start.
 */
async function requestsPerMinute(aws: Aws, from: RequestSource, now: Date): Promise<Map<string, number>> {
  const end = new Date(Math.floor(now.getTime() / 60000) * 60000);
  const start = new Date(end.getTime() - 5 * 60000);
  const out = await call('reading RequestCount', () => aws.cloudwatch(from.region).send(new GetMetricDataCommand({
    StartTime: start,
    EndTime: end,
    MetricDataQueries: [{
      Id: 'requests',
      MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: [...from.dimensions] }, Period: 60, Stat: 'Sum' },
    }],
  })), from.region);
  const r = out.MetricDataResults?.[0];
  const minutes = new Map<string, number>();
  (r?.Timestamps ?? []).forEach((t, k) => {
    const minute = new Date(t).toISOString();
    minutes.set(minute, (minutes.get(minute) ?? 0) + (r?.Values?.[k] ?? 0));
  });
  return minutes;
}

/**
 * The observed split: the newest minute that has a datapoint on the target side (and on the source side, when it is
 * measured), each side's requests in that minute (null: measured, none served).
 */
export function observedSplit(
  target: Map<string, number> | undefined,
  source: Map<string, number> | undefined,
  sourceMeasured: boolean,
  targetMeasured: boolean,
): ObservedSplit {
  const candidates = [...new Set([...(target?.keys() ?? []), ...(source?.keys() ?? [])])].sort().reverse();
  const both = candidates.find((m) => (!targetMeasured || target?.has(m)) && (!sourceMeasured || source?.has(m)));
  const minute = both ?? candidates[0];
  return {
    minute,
    target: targetMeasured ? (minute !== undefined ? target?.get(minute) ?? null : null) : undefined,
    source: sourceMeasured ? (minute !== undefined ? source?.get(minute) ?? null : null) : undefined,
  };
}

async function readWriter(aws: Aws, manifest: ConsoleManifest): Promise<WriterState | undefined> {
  if (manifest.wr) {
    const value = await readParameter(aws, manifest.wr);
    return { kind: 'parameter', value: value ?? 'UNKNOWN', side: value === 'TARGET' ? 'target' : value === 'SOURCE' ? 'source' : undefined, detail: manifest.wr };
  }
  if (manifest.gc) {
    const out = await call('reading the global cluster', () => aws.rds().send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: manifest.gc })), aws.region);
    const gc = out.GlobalClusters?.[0];
    const writer = gc?.GlobalClusterMembers?.find((m) => m.IsWriter);
    const region = writer?.DBClusterArn?.split(':')[3];
    if (!region) return { kind: 'global-cluster', value: 'UNKNOWN', detail: `${manifest.gc}: no writer member listed (status ${gc?.Status ?? 'unknown'})` };
    const side = region === manifest.tgt.r ? 'target' : region === manifest.src?.r ? 'source' : undefined;
    return { kind: 'global-cluster', value: region, side, detail: `${manifest.gc} (${gc?.Status ?? 'unknown'}${gc?.FailoverState?.Status ? `, switchover ${gc.FailoverState.Status}` : ''})` };
  }
  return undefined;
}

/**
 * One refresh: the newest execution, its history, the parameters, the gates, the observed split, the writer.
 * The shifter's own API is deliberately not read here — Route 53's allows 5 requests per second per account, shared
 * with the cutover's own ChangeResourceRecordSets/GetChange (and its rollback); the listener's and the accelerator's
 * are throttled per account too, and the rollback needs them. The intended split comes from the execution (the
 * `$.split` every shifter applies, whatever its task states); only the one-off practice run lists the records.
 */
export async function takeSnapshot(aws: Aws, stackName: string, manifest: ConsoleManifest, plan: CutoverPlan, now = new Date()): Promise<Snapshot> {
  const latest = await latestExecution(aws, manifest);
  const [described, history] = latest?.executionArn
    ? await Promise.all([
      call('describing the execution', () => aws.sfn().send(new DescribeExecutionCommand({ executionArn: latest.executionArn })), aws.region),
      historyOf(aws, latest.executionArn),
    ])
    : [undefined, []];
  const alarmNames = [...new Set([...manifest.alarms, ...plan.gateAlarms])];
  const optional = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);
  const sides = requestSources(manifest);
  const [control, record, writer, gates, target, source] = await Promise.all([
    readParameter(aws, manifest.ctl),
    manifest.tbl
      ? readRecord(aws, manifest, stackName, false, now).catch((e: Error) => e.message)
      : Promise.resolve('not in this stack\'s console manifest: deployed with an older cdk-payment-migration (redeploy to see it)'),
    optional(readWriter(aws, manifest)),
    readGates(aws, alarmNames),
    sides.target ? optional(requestsPerMinute(aws, sides.target, now)) : Promise.resolve(undefined),
    sides.source ? optional(requestsPerMinute(aws, sides.source, now)) : Promise.resolve(undefined),
  ]);
  let progress = progressOf(history);
  // Each bake runs as a child execution: its count-down and pause are in the child's history, read only while one runs.
  const bakeArn = described?.status === 'RUNNING' ? runningBakeOf(history) : undefined;
  if (bakeArn) {
    const child = await optional(historyOf(aws, bakeArn));
    if (child) {
      const b = bakeProgressOf(child);
      progress = { ...progress, bake: b.bake ?? progress.bake, phase: b.paused ? 'paused' : progress.phase };
    }
  }
  // Execution status is the authority on the end (the last history page may not hold the terminal event yet).
  if (described?.status === 'RUNNING' && ['succeeded', 'rolled-back', 'rollback-failed', 'refused', 'stopped', 'failed'].includes(progress.phase)) {
    progress = { ...progress, phase: 'pre-checks' };
  }
  if (described && described.status !== 'RUNNING' && !['succeeded', 'rolled-back', 'rollback-failed', 'refused', 'stopped', 'failed'].includes(progress.phase)) {
    const phase = described.status === 'SUCCEEDED' ? 'succeeded' : described.status === 'FAILED' ? 'failed' : 'stopped';
    progress = { ...progress, phase, error: described.error, cause: described.cause };
  }
  return {
    at: now.toISOString(),
    stack: stackName,
    region: aws.region,
    kind: manifest.kind,
    shifter: shifterName(shifterOf(manifest)),
    stateMachine: manifest.sm,
    execution: described
      ? {
        arn: described.executionArn!,
        name: described.name!,
        status: described.status!,
        started: iso(described.startDate),
        stopped: iso(described.stopDate),
      }
      : undefined,
    plan,
    progress,
    control,
    ...(typeof record === 'string' ? { recordProblem: record } : { record }),
    writer,
    gates,
    observed: observedSplit(target, source, !!sides.source, !!sides.target),
    dashboard: manifest.dash,
  };
}
