/**
 * What a cutover state machine will do, read from its definition (DescribeStateMachine): the steps with their
 * percentages and bake times, the poll interval, the approvals and the database phase. The definition is the
 * authority — the console never needs to be told the plan.
 */
export interface CutoverPlan {
  readonly steps: ReadonlyArray<{ readonly index: number; readonly percent: number; readonly bakeSeconds: number }>;
  readonly pollSeconds: number;
  readonly approvals: string[];
  /** `switchover` (Aurora global), `writer-move` (DMS) or none. */
  readonly database?: 'switchover' | 'writer-move';
  /** The gating alarms the bakes read (DescribeAlarms' AlarmNames), as the definition names them. */
  readonly gateAlarms: string[];
  /** The DMS path's bake on the new writer, in seconds. */
  readonly writerBakeSeconds?: number;
}

/** Every state of a definition, nested branches included. */
export function allStates(definition: any): Array<[string, any]> {
  const out: Array<[string, any]> = [];
  const walk = (states: Record<string, any> | undefined) => {
    for (const [name, state] of Object.entries(states ?? {})) {
      out.push([name, state]);
      if (state.Type === 'Parallel') for (const b of state.Branches ?? []) walk(b.States);
      if (state.Type === 'Map') walk((state.ItemProcessor ?? state.Iterator)?.States);
    }
  };
  walk(definition?.States);
  return out;
}

export const STEP_STATE = /^Step (\d+) \((\d+)%\): (.*)$/;

/** The plan of a cutover definition (an ASL document, parsed). */
export function planOf(definition: any): CutoverPlan {
  const states = allStates(definition);
  const steps = new Map<number, { index: number; percent: number; bakeSeconds: number }>();
  let pollSeconds = 10;
  const gateAlarms = new Set<string>();
  let writerBakeSeconds: number | undefined;
  // A bake's length: the seconds its child execution is given (`startExecution.sync:2`), or an inline bake's counter.
  const bakeSeconds = (state: any): unknown => state.Parameters?.Input?.remaining ?? state.Result?.remaining;
  for (const [name, state] of states) {
    if (name === 'Writer moved: bake' && typeof bakeSeconds(state) === 'number') writerBakeSeconds = bakeSeconds(state) as number;
    const m = STEP_STATE.exec(name);
    if (m) {
      const index = Number(m[1]);
      const entry = steps.get(index) ?? { index, percent: Number(m[2]), bakeSeconds: 0 };
      if (m[3] === 'bake' && typeof bakeSeconds(state) === 'number') entry.bakeSeconds = bakeSeconds(state) as number;
      if (m[3] === 'wait' && typeof state.Seconds === 'number') pollSeconds = state.Seconds;
      steps.set(index, entry);
    }
    if (/describeAlarms$/.test(state.Resource ?? '')) for (const a of state.Parameters?.AlarmNames ?? []) gateAlarms.add(a);
  }
  const names = states.map(([n]) => n);
  return {
    steps: [...steps.values()].sort((a, b) => a.index - b.index),
    pollSeconds,
    approvals: names.filter((n) => /^Approval: /.test(n)).map((n) => n.replace(/^Approval: (before )?/, '')),
    database: names.some((n) => /^Writer: /.test(n)) ? 'writer-move' : names.some((n) => /^Switchover: start/.test(n) || /^Switchover/.test(n)) ? 'switchover' : undefined,
    gateAlarms: [...gateAlarms],
    ...(writerBakeSeconds !== undefined ? { writerBakeSeconds } : {}),
  };
}
