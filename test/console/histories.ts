/**
 * Execution histories as Step Functions records them (GetExecutionHistory events), built from the state names of
 * the synthesized cutover definition. moto returns a canned history whatever ran, so the console's reading of a
 * history is tested on these; their shape follows the Step Functions API reference (HistoryEvent).
 */
export const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAeXample+TaskToken/ForTheSwitchoverApproval==';

type Event = Record<string, any>;

/** Writes events one second apart, ending at `end`. */
class Recorder {
  private readonly events: Event[] = [];
  constructor(private readonly exec: { arn: string; stateMachineArn: string }) {}

  public add(type: string, details: Record<string, any> = {}): this {
    this.events.push({ type, ...details });
    return this;
  }

  public state(kind: 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Parallel' | 'Fail' | 'Succeed', name: string, data: any = {}): this {
    this.add(`${kind}StateEntered`, { stateEnteredEventDetails: { name, input: JSON.stringify(data) } });
    if (kind !== 'Fail') this.add(`${kind}StateExited`, { stateExitedEventDetails: { name, output: JSON.stringify(data) } });
    return this;
  }

  public started(): this {
    return this.add('ExecutionStarted', { executionStartedEventDetails: { input: '{}', roleArn: 'arn:aws:iam::111111111111:role/cutover' } });
  }

  public preChecks(): this {
    return this.started()
      .state('Pass', 'Start cutover')
      .state('Task', 'Only one cutover at a time', { lock: { running: 1 } })
      .state('Choice', 'Another cutover running?')
      .state('Task', 'Notify: cutover starting')
      .state('Task', 'Pre-check: operator control', { control: { value: 'RUN' } })
      .state('Choice', 'Pre-check: control at RUN?')
      .state('Task', 'Pre-check: target database available')
      .state('Task', 'Pre-check: read gating alarms')
      .state('Choice', 'Pre-check: gates OK?')
      .add('ParallelStateEntered', { stateEnteredEventDetails: { name: 'Cutover', input: '{}' } });
  }

  /** One step: shift, notify, checkpoint, then `polls` bake polls counting down from `bake`. */
  public step(index: number, percent: number, bake: number, polls: number, poll = 10): this {
    const prefix = `Step ${index} (${percent}%)`;
    const split = { sourceWeight: 100 - percent, targetWeight: percent };
    this.state('Pass', `${prefix}: set split`, { split })
      .state('Task', `${prefix} ChangeRecordSets`, { split })
      .state('Wait', `${prefix} WaitForInsync`, { split })
      .state('Task', `${prefix} GetChange`, { split })
      .state('Choice', `${prefix} InSync?`, { split })
      .state('Task', `${prefix}: publish split`, { split })
      .state('Task', `${prefix}: notify`, { split })
      .state('Task', `${prefix}: checkpoint`, { split })
      .state('Pass', `${prefix}: bake`, { split, bake: { remaining: bake } });
    for (let i = 1; i <= polls; i++) {
      this.state('Wait', `${prefix}: wait`, { split })
        .state('Task', `${prefix}: read gating alarms`, { split })
        .state('Task', `${prefix}: read operator control`, { split, control: { value: 'RUN' } })
        .state('Choice', `${prefix}: gates and control OK?`, { split })
        .state('Pass', `${prefix}: count down`, { split, bake: { remaining: bake - i * poll } })
        .state('Choice', `${prefix}: baked?`, { split });
    }
    return this;
  }

  public approval(what: string): this {
    const name = `Approval: before ${what}`;
    this.add('TaskStateEntered', { stateEnteredEventDetails: { name, input: '{}' } });
    return this.add('TaskScheduled', {
      taskScheduledEventDetails: {
        resourceType: 'sns',
        resource: 'publish.waitForTaskToken',
        region: 'eu-west-1',
        parameters: JSON.stringify({
          TopicArn: 'arn:aws:sns:eu-west-1:111111111111:PaymentTarget-topic',
          Subject: `Approval needed: ${what}`,
          Message: {
            approvalNeededFor: what,
            execution: this.exec.arn,
            approve: `aws stepfunctions send-task-success --task-token ${TOKEN} --task-output '{}'`,
            reject: `aws stepfunctions send-task-failure --task-token ${TOKEN} --error Rejected --cause 'rejected by operator'`,
          },
        }),
      },
    })
      .add('TaskStarted', { taskStartedEventDetails: { resourceType: 'sns', resource: 'publish.waitForTaskToken' } })
      .add('TaskSubmitted', { taskSubmittedEventDetails: { resourceType: 'sns', resource: 'publish.waitForTaskToken' } });
  }

  public rollback(error: string, cause: string, outcome: 'CutoverRolledBack' | 'RollbackFailed'): this {
    const split = { sourceWeight: 100, targetWeight: 0 };
    this.state('Pass', 'Rollback: set split to source', { split })
      .state('Parallel', 'Rollback: shift to source', { split, error: { Error: error, Cause: cause } });
    if (outcome === 'RollbackFailed') {
      return this.state('Task', 'Rollback: notify failure').state('Fail', 'Rollback failed')
        .add('ExecutionFailed', { executionFailedEventDetails: { error: 'RollbackFailed', cause: 'The weights could not be set back to the source: act by hand' } });
    }
    return this.state('Task', 'Rollback: publish split', { split })
      .state('Task', 'Rollback: notify', { split })
      .state('Fail', 'Cutover rolled back')
      .add('ExecutionFailed', { executionFailedEventDetails: { error: 'CutoverRolledBack', cause } });
  }

  /** The events, numbered, timestamped one second apart so that the last one is at `end`. */
  public build(end: Date): Event[] {
    const n = this.events.length;
    const at = (i: number) => new Date(end.getTime() - (n - 1 - i) * 1000).toISOString();
    return this.events.map((e, i) => ({ id: i + 1, previousEventId: i, timestamp: at(i), ...e }));
  }
}

export interface Exec {
  readonly arn: string;
  readonly stateMachineArn: string;
}

/** Baking step 2 (50 %) of 4 five-minute bakes, `remaining` seconds of it left at `end`. */
export function bakingStep2(exec: Exec, remaining: number, end: Date): Event[] {
  return new Recorder(exec).preChecks().step(1, 25, 300, 30).step(2, 50, 300, (300 - remaining) / 10).build(end);
}

/** Every step baked; waiting for the approval before the database switchover. */
export function waitingForSwitchoverApproval(exec: Exec, end: Date): Event[] {
  return new Recorder(exec).preChecks().step(1, 25, 300, 30).step(2, 50, 300, 30).step(3, 75, 300, 30).step(4, 100, 300, 30).approval('switchover').build(end);
}

/** An alarm during the bake of step 2, rolled back (or the rollback failed). */
export function rolledBackAtStep2(exec: Exec, end: Date, outcome: 'CutoverRolledBack' | 'RollbackFailed' = 'CutoverRolledBack'): Event[] {
  return new Recorder(exec).preChecks().step(1, 25, 300, 30).step(2, 50, 300, 17)
    .state('Fail', 'Step 2 (50%): a gating alarm is in ALARM')
    .rollback('GateAlarm', 'A gating alarm is in ALARM (Step 2 (50%))', outcome)
    .build(end);
}

/** Waiting for the approval before the first traffic shift (no traffic moved yet). */
export function waitingForFirstStepApproval(exec: Exec, end: Date): Event[] {
  return new Recorder(exec).started().state('Pass', 'Start cutover').state('Task', 'Only one cutover at a time').state('Task', 'Pre-check: operator control')
    .approval('first step').build(end);
}

/** Every step baked; the database phase running: the Aurora switchover, or the DMS writer move. */
export function inDatabasePhase(exec: Exec, end: Date, kind: 'switchover' | 'writer-move'): Event[] {
  const r = new Recorder(exec).preChecks().step(1, 25, 300, 30).step(2, 50, 300, 30).step(3, 75, 300, 30).step(4, 100, 300, 30);
  if (kind === 'switchover') {
    r.state('Task', 'Switchover: read gating alarms').state('Task', 'Switchover: mark in progress').state('Task', 'Switchover: start').state('Wait', 'Switchover: wait');
  } else {
    r.state('Task', 'Writer: fence').state('Task', 'Writer: notify fence').state('Task', 'Writer: drain forward');
  }
  return r.build(end);
}

/** The 10-second rounds of a bake after the database phase (`<prefix>: wait` … `<prefix>: baked?`) until `remaining` seconds are left. */
function bakedFor(r: Recorder, prefix: string, bake: number, remaining: number): Recorder {
  for (let i = 1; i <= (bake - remaining) / 10; i++) {
    r.state('Wait', `${prefix}: wait`).state('Task', `${prefix}: read gating alarms`).state('Task', `${prefix}: read operator control`)
      .state('Choice', `${prefix}: gates and control OK?`).state('Pass', `${prefix}: count down`, { bake: { remaining: bake - i * 10 } })
      .state('Choice', `${prefix}: baked?`);
  }
  return r;
}

/** The DMS path: the writer moved to Aurora; baking on the new writer with `remaining` seconds left at `end`. */
export function bakingOnNewWriter(exec: Exec, remaining: number, end: Date, bake = 600): Event[] {
  const r = new Recorder(exec).preChecks().step(1, 25, 300, 30).step(2, 50, 300, 30).step(3, 75, 300, 30).step(4, 100, 300, 30)
    .state('Task', 'Switchover: read gating alarms').state('Task', 'Switchover: mark in progress')
    .state('Task', 'Writer: fence').state('Task', 'Writer: notify fence').state('Task', 'Writer: drain forward: read the backlog')
    .state('Task', 'Writer: stop the forward task').state('Task', 'Writer: start the reverse task').state('Task', 'Writer: reverse task: describe')
    .state('Task', 'Writer: move to the target').state('Task', 'Writer: notify moved')
    .state('Pass', 'Writer moved: bake', { bake: { remaining: bake } });
  return bakedFor(r, 'Writer moved', bake, remaining).build(end);
}

/**
 * The cross-region path: every step baked, the Aurora switchover done (the record claimed SWITCHING); baking on the
 * new writer ('Switched over: …', the same loop as a step's bake) with `remaining` seconds left at `end`.
 */
export function bakingAfterSwitchover(exec: Exec, remaining: number, end: Date, bake = 600): Event[] {
  const r = new Recorder(exec).preChecks().step(1, 25, 300, 30).step(2, 50, 300, 30).step(3, 75, 300, 30).step(4, 100, 300, 30)
    .state('Task', 'Switchover: read gating alarms').state('Choice', 'Switchover: gates OK?')
    .state('Task', 'Switchover: operator control', { control: { value: 'RUN', version: 1 } }).state('Choice', 'Switchover: not aborted?')
    .state('Task', 'Switchover: claim the record').state('Task', 'Switchover: start').state('Wait', 'Switchover: wait')
    .state('Pass', 'Switched over: bake', { bake: { remaining: bake } });
  return bakedFor(r, 'Switched over', bake, remaining).build(end);
}
