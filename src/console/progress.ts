import { STEP_STATE } from './plan';

/** The members of a Step Functions history event the console reads (a subset of the SDK's `HistoryEvent`). */
export interface HistoryEvent {
  readonly id?: number;
  readonly type?: string;
  readonly timestamp?: Date | string;
  readonly stateEnteredEventDetails?: { readonly name?: string; readonly input?: string };
  readonly stateExitedEventDetails?: { readonly name?: string; readonly output?: string };
  readonly taskScheduledEventDetails?: { readonly resourceType?: string; readonly resource?: string; readonly parameters?: string };
  readonly taskSubmittedEventDetails?: { readonly resourceType?: string; readonly resource?: string; readonly output?: string };
  readonly executionFailedEventDetails?: { readonly error?: string; readonly cause?: string };
  readonly executionAbortedEventDetails?: { readonly error?: string; readonly cause?: string };
  readonly executionTimedOutEventDetails?: { readonly error?: string; readonly cause?: string };
}

export type Phase =
  | 'idle' | 'pre-checks' | 'approval' | 'shift' | 'bake' | 'paused' | 'switchover' | 'writer-move' | 'rollback'
  | 'succeeded' | 'rolled-back' | 'rollback-failed' | 'refused' | 'stopped' | 'failed';

/** Where one execution is, read from its history alone (pure: tested with recorded histories). */
export interface CutoverProgress {
  readonly phase: Phase;
  readonly state?: string;
  readonly step?: { readonly index: number; readonly percent: number };
  /** Seconds of bake left at `asOf` (the last count-down the cutover recorded). */
  readonly bake?: { readonly remaining: number; readonly asOf: string };
  /** The DMS path's bake on the new writer (`Writer moved: …`) is running, rather than a step's. */
  readonly writerBake?: boolean;
  readonly pendingApproval?: { readonly what: string; readonly token: string; readonly state: string; readonly since: string };
  /** The split the execution set last (`$.split`), source/target weights. */
  readonly split?: { readonly source: number; readonly target: number };
  readonly error?: string;
  readonly cause?: string;
  /** Whether any traffic was shifted by this execution. */
  readonly shifted: boolean;
  readonly events: ReadonlyArray<{ readonly t: string; readonly text: string }>;
}

/**
 * Each shifter's own states inside a step's or the rollback's shift (`<prefix> <state>`): the change, its read-back
 * and the polling — Route 53 (ChangeResourceRecordSets, GetChange until INSYNC), the load balancer (ModifyListener,
 * DescribeListeners until the listener shows the weights) and Global Accelerator (the dials through
 * UpdateEndpointGroup, read back until DEPLOYED). The step's own `set split` line says what they apply; their
 * failures (`InsyncTimeout`, `NotInEffect`, `InvalidSplit`) stay events.
 */
const SHIFT_STATES = [
  'ValidateSplit', 'CountPoll', 'Shifted', 'InEffect\\?',
  'ChangeRecordSets', 'GetChange', 'InSync\\?', 'WaitForInsync',
  'ModifyListener', 'DescribeListeners', 'WaitForListener',
  'ReadTargetDial', 'TargetDialUp\\?', 'RaiseTargetFirst', 'RaiseSourceFirst', 'RaiseDial', 'LowerDial', 'WaitForDeploy',
  'ReadSourceGroup', 'ReadTargetGroup', 'ReadAccelerator', 'UpdateEndpointGroup',
];

/** The bake loop's and bookkeeping states: not worth a line in the events. */
const NOISE = new RegExp(`^(Step \\d+ \\(\\d+%\\)|Rollback) (${SHIFT_STATES.join('|')})$|` + /: (wait|read operator control|read gating alarms|evaluate gates|gates and control OK\?|gates OK\?|count down|baked\?|pause budget left\?|record|checkpoint|publish split)$| done$|\(ignored\)$|^Start cutover$|^Another cutover running\?$|control at RUN\?$|^Cutover$|^Writer( moved)?: .*(: (describe|budget|count|wait|exists\?|found|missing|read|evaluate|stopped\?|running\?|time left\?|two datapoints\?|datapoints well formed\?|drained\?|fenced at|let the fleets see the fence|read the backlog|not drained)|still running\?)$/.source);

const ERROR_PHASE: Record<string, Phase> = {
  CutoverRolledBack: 'rolled-back',
  RollbackFailed: 'rollback-failed',
  WriterRollbackFailed: 'rollback-failed',
  CutoverAlreadyRunning: 'refused',
  PreCheckFailed: 'refused',
  NotApproved: 'refused',
};

function iso(t: Date | string | undefined): string {
  if (t === undefined) return new Date(0).toISOString();
  return (t instanceof Date ? t : new Date(t)).toISOString();
}

function json(text: string | undefined): any {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The task token in a waitForTaskToken SNS publish's parameters (the approve command carries it). */
export function taskTokenOf(parameters: string | undefined): string | undefined {
  if (!parameters) return undefined;
  const p = json(parameters);
  if (typeof p?.TaskToken === 'string') return p.TaskToken;
  const m = /--task-token\s+([^\s"'\\]+)/.exec(parameters);
  return m?.[1];
}

/** Interprets a history (any order; at most the last page is enough). */
export function progressOf(history: ReadonlyArray<HistoryEvent>, maxEvents = 8): CutoverProgress {
  const events = [...history].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  let state: string | undefined;
  let step: { index: number; percent: number } | undefined;
  let bake: { remaining: number; asOf: string } | undefined;
  let split: { source: number; target: number } | undefined;
  let phase: Phase = 'pre-checks';
  let shifted = false;
  let error: string | undefined;
  let cause: string | undefined;
  let pendingApproval: CutoverProgress['pendingApproval'];
  let rollingBack = false;
  let writerBake = false;
  const lines: Array<{ t: string; text: string }> = [];

  for (const e of events) {
    const t = iso(e.timestamp);
    const entered = e.stateEnteredEventDetails?.name;
    const exited = e.stateExitedEventDetails?.name;
    if (e.type === 'TaskScheduled' && /waitForTaskToken$/.test(e.taskScheduledEventDetails?.resource ?? '') && state && /^Approval: /.test(state)) {
      const token = taskTokenOf(e.taskScheduledEventDetails?.parameters);
      if (token) pendingApproval = { what: state.replace(/^Approval: before /, ''), token, state, since: t };
    }
    if (exited && pendingApproval && exited === pendingApproval.state) pendingApproval = undefined;
    if (/^Task(Failed|TimedOut)$/.test(e.type ?? '') && pendingApproval) pendingApproval = undefined;
    const data = json(e.stateExitedEventDetails?.output) ?? json(e.stateEnteredEventDetails?.input);
    if (data?.split && typeof data.split.targetWeight === 'number') split = { source: data.split.sourceWeight, target: data.split.targetWeight };
    if (exited && /: count down$/.test(exited) && typeof data?.bake?.remaining === 'number') bake = { remaining: data.bake.remaining, asOf: t };
    if (entered) {
      state = entered;
      const m = STEP_STATE.exec(entered);
      if (/^Rollback/.test(entered)) {
        rollingBack = true;
        phase = 'rollback';
      } else if (rollingBack) {
        phase = 'rollback';
      } else if (/^Approval: /.test(entered)) {
        phase = 'approval';
      } else if (m) {
        step = { index: Number(m[1]), percent: Number(m[2]) };
        const what = m[3];
        if (what === 'set split') {
          shifted = true;
          bake = undefined;
          phase = 'shift';
          lines.push({ t, text: `step ${m[1]}: shift to ${m[2]} % on the target` });
        } else if (what === 'bake') {
          phase = 'bake';
          bake = undefined;
        } else if (what === 'pause') {
          phase = 'paused';
        } else if (/wait|read|count down|gates|baked|evaluate/.test(what)) {
          if (phase !== 'paused' || what === 'count down') phase = 'bake';
        } else if (what === 'operator abort' || /in ALARM|missing|insufficient|paused too long/.test(what)) {
          lines.push({ t, text: `step ${m[1]}: ${what}` });
        }
      } else if (/^Writer moved: /.test(entered)) {
        // the bake on the new writer: the same loop as a step's (count down, pause)
        const what = entered.replace(/^Writer moved: /, '');
        if (what === 'bake') bake = undefined;
        if (what === 'bake') writerBake = true;
        phase = what === 'pause' ? 'paused' : 'writer-move';
      } else if (/^Writer: /.test(entered)) {
        phase = 'writer-move';
      } else if (/^Switchover/.test(entered)) {
        phase = 'switchover';
      } else if (entered === 'Cutover steps done' || /complete$/.test(entered) || entered === 'Reset control') {
        // the end of the run; the terminal event decides
      } else if (!shifted) {
        phase = 'pre-checks';
      }
      if (!NOISE.test(entered) && !(m && /^(set split|bake|pause|operator abort)$/.test(m[3])) && !(m && /in ALARM|missing|insufficient|paused too long|notify/.test(m[3]))) {
        lines.push({ t, text: entered });
      }
    }
    if (e.type === 'ExecutionSucceeded') {
      phase = 'succeeded';
      lines.push({ t, text: 'cutover complete' });
    }
    const failed = e.executionFailedEventDetails ?? e.executionAbortedEventDetails ?? e.executionTimedOutEventDetails;
    if (/^Execution(Failed|Aborted|TimedOut)$/.test(e.type ?? '')) {
      error = failed?.error;
      cause = failed?.cause;
      if (e.type === 'ExecutionFailed') {
        phase = ERROR_PHASE[error ?? ''] ?? (shifted ? 'failed' : 'refused');
      } else {
        phase = 'stopped';
      }
      pendingApproval = undefined;
      lines.push({ t, text: `${e.type === 'ExecutionFailed' ? 'failed' : e.type === 'ExecutionAborted' ? 'stopped' : 'timed out'}: ${error ?? ''}${cause ? ` — ${cause}` : ''}` });
    }
  }
  if (phase === 'pre-checks' && events.length === 0) phase = 'idle';
  return {
    phase, state, step, bake, writerBake: writerBake || undefined, pendingApproval, split, error, cause, shifted, events: lines.slice(-maxEvents),
  };
}

/** Whether the phase is the end of an execution. */
export function isTerminal(phase: Phase): boolean {
  return ['succeeded', 'rolled-back', 'rollback-failed', 'refused', 'stopped', 'failed', 'idle'].includes(phase);
}

/**
 * The bake running now, as a child execution of the cutover (`<step>: bake`, `StartExecution.sync:2`): its execution
 * ARN from the task's TaskSubmitted event, while the bake state has not exited. Undefined when no bake runs.
 */
export function runningBakeOf(history: ReadonlyArray<HistoryEvent>): string | undefined {
  let arn: string | undefined;
  for (const e of [...history].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
    const submitted = e.taskSubmittedEventDetails;
    if (e.type === 'TaskSubmitted' && /startExecution\.sync/.test(submitted?.resource ?? '')) {
      const out = json(submitted?.output);
      if (typeof out?.ExecutionArn === 'string') arn = out.ExecutionArn;
    }
    if (/: bake$/.test(e.stateExitedEventDetails?.name ?? '')) arn = undefined;
  }
  return arn;
}

/**
 * A bake's count-down and pause, read off the bake execution's own history (its `Bake: …` states): the seconds left
 * at its last count-down, and whether its last decision was to hold (PAUSE).
 */
export function bakeProgressOf(history: ReadonlyArray<HistoryEvent>): { bake?: { remaining: number; asOf: string }; paused: boolean } {
  let bake: { remaining: number; asOf: string } | undefined;
  let paused = false;
  for (const e of [...history].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
    const t = e.timestamp ? new Date(e.timestamp).toISOString() : '';
    const exited = e.stateExitedEventDetails?.name;
    const entered = e.stateEnteredEventDetails?.name;
    const data = json(e.stateExitedEventDetails?.output);
    if (exited === 'Bake: count down' && typeof data?.bake?.remaining === 'number') bake = { remaining: data.bake.remaining, asOf: t };
    if (entered === 'Bake: pause') paused = true;
    if (entered === 'Bake: count down' || entered === 'Bake: take skip' || entered === 'Bake: done') paused = false;
  }
  return { bake, paused };
}
