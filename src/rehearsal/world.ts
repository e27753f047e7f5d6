import { awsError, round } from './aws-values';
import { DmsWorld } from './dms-world';
import { ListenerWorld } from './listener-world';
import { RecordTable } from './record-item';
import { RehearsalResult, Scenario, TimelineEntry, WeightChange, Workflow } from './scenario';

/**
 * The simulated AWS account of a rehearsal: a virtual clock, and the state every mocked API call reads and writes.
 * Each call advances the clock by the scenario's API latency.
 */
export class World {
  public now = 0;
  public readonly timeline: TimelineEntry[] = [];
  public readonly weightChanges: WeightChange[] = [];
  public weights = { source: 100, target: 0 };
  public control = 'RUN';
  /** The control parameter's version: SSM counts every write. */
  public controlVersion = 1;
  /** The cutover record's table (DynamoDB). */
  public readonly record = new RecordTable();
  public switchedOver = false;
  public cutoverRunning = true;
  public transitions = 0;
  /** States the cutover execution itself entered (not its bakes' child executions). */
  public cutoverTransitions = 0;
  /** Child executions of the Bake state machine started (a long bake continues in fresh ones). */
  public bakeExecutions = 0;
  /** When the cutover read its gating alarms (the poll path's sampling instants). */
  public readonly gateReads: number[] = [];
  /** Requests a real AWS API would reject for their member names (the rehearsal refuses them). */
  public readonly parameterErrors: string[] = [];
  /** Every SNS notification (not the approvals), in order. */
  public readonly notifications: Array<{ t: number; actor: Workflow; subject: string; message: string }> = [];
  private changeCounter = 0;
  private readonly changes = new Map<string, number>();
  private throttlesLeft: number;
  private readonly firedEvents = new Set<number>();
  private readonly firedOperator = new Set<number>();
  private manualStopDone = false;

  /** The DMS tasks and the writer parameter. */
  public readonly dms: DmsWorld;
  /** The fleet's load balancer (load-balancer shifting). */
  public readonly listener: ListenerWorld;
  /** Which cluster writes, and when it changed (S1). */
  public readonly databaseWriterChanges: Array<{ t: number; writer: 'source' | 'target' }> = [];
  private writerCluster: 'source' | 'target' = 'source';
  private switching?: { to: 'source' | 'target'; at: number };

  constructor(
    public readonly scenario: Scenario,
    private readonly onAlarmEvent: (alarm: string) => Promise<void>,
    private readonly onManualStop: () => void = () => undefined,
  ) {
    this.dms = new DmsWorld(scenario.dms ?? {}, () => this.now, (actor, kind, text) => this.log(actor, kind, text));
    this.listener = new ListenerWorld(scenario.loadBalancer ?? {}, () => this.now, (actor, text) => this.log(actor, 'weights', text),
      (actor, source, target, inEffectAt) => this.recordChange(actor, source, target, 'load-balancer', inEffectAt));
    this.throttlesLeft = scenario.route53Throttles ?? 0;
    this.control = scenario.initialControl ?? 'RUN';
    if ((scenario.otherRunningCutovers ?? 0) > 0) {
      // Another cutover holds the record (it started first).
      this.record.updateItem({
        Key: { pk: { S: 'cutover' } },
        UpdateExpression: 'SET phase = :p, #o = :o, cutover = :o',
        ExpressionAttributeNames: { '#o': 'owner' },
        ExpressionAttributeValues: { ':p': { S: 'SHIFTING' }, ':o': { S: 'arn:aws:states:eu-west-1:111111111111:execution:cutover:other' } },
      });
    }
  }

  public log(actor: TimelineEntry['actor'], kind: TimelineEntry['kind'], text: string): void {
    this.timeline.push({ t: round(this.now), actor, kind, text });
  }

  /** Moves the clock forward, delivering alarm events and operator commands that fall due on the way. */
  public async advance(seconds: number): Promise<void> {
    const end = this.now + seconds;
    for (;;) {
      const due = this.nextDue(end);
      if (!due) break;
      this.now = Math.max(this.now, due.at);
      if (due.kind === 'stop') {
        this.manualStopDone = true;
        this.log('operator', 'operator', 'operator stops the cutover execution by hand (StopExecution)');
        this.onManualStop();
      } else if (due.kind === 'operator') {
        this.firedOperator.add(due.index);
        this.control = due.command!;
        this.controlVersion++;
        this.log('operator', 'operator', `operator sets the control parameter to ${due.command}`);
      } else {
        this.firedEvents.add(due.index);
        this.log('world', 'alarm', `EventBridge: "CloudWatch Alarm State Change" ${due.alarm} → ALARM`);
        await this.onAlarmEvent(due.alarm!);
      }
    }
    this.now = Math.max(this.now, end);
  }

  private nextDue(end: number): { at: number; kind: 'operator' | 'event' | 'stop'; index: number; command?: string; alarm?: string } | undefined {
    const candidates: Array<{ at: number; kind: 'operator' | 'event' | 'stop'; index: number; command?: string; alarm?: string }> = [];
    const stopAt = this.scenario.manualStopAt;
    if (stopAt !== undefined && !this.manualStopDone && stopAt <= end && this.cutoverRunning) candidates.push({ at: stopAt, kind: 'stop', index: 0 });
    (this.scenario.operator ?? []).forEach((o, index) => {
      if (!this.firedOperator.has(index) && o.at <= end) candidates.push({ at: o.at, kind: 'operator', index, command: o.command });
    });
    (this.scenario.alarmEvents ?? []).forEach((e, index) => {
      if (!this.firedEvents.has(index) && e.at <= end) candidates.push({ at: e.at, kind: 'event', index, alarm: e.alarm });
    });
    return candidates.sort((a, b) => a.at - b.at)[0];
  }

  public alarmState(name: string): string {
    let state = 'OK';
    for (const a of this.scenario.alarms ?? []) {
      if (name.includes(a.alarm) && this.now >= a.from && (a.until === undefined || this.now < a.until)) state = a.state;
    }
    return state;
  }

  /** The first time any alarm of the scenario is in ALARM (for the rollback latency). */
  public firstAlarmAt(): number | undefined {
    const times = (this.scenario.alarms ?? []).filter((a) => a.state === 'ALARM').map((a) => a.from);
    return times.length ? Math.min(...times) : undefined;
  }

  /** A change of a request-level shifter (the load balancer's weights, the accelerator's dials). */
  public recordChange(actor: Workflow, source: number, target: number, via: 'load-balancer' | 'accelerator', inEffectAt?: number): void {
    this.weights = { source, target };
    this.weightChanges.push({ t: round(this.now), actor, source, target, names: [], via, inEffectAt });
  }

  // --- Route 53
  public changeRecordSets(actor: Workflow, params: any): any {
    if (this.throttlesLeft > 0) {
      this.throttlesLeft--;
      this.log(actor, 'weights', 'Route 53 throttles ChangeResourceRecordSets (Rate exceeded)');
      // Route 53's `Throttling` is not a modeled exception: Step Functions reports it as the service's base exception.
      throw awsError('Route53.Route53Exception', 'Rate exceeded');
    }
    const changes: any[] = params.ChangeBatch.Changes;
    const weightOf = (side: string) => changes.find((c) => /source/i.test(c.ResourceRecordSet.SetIdentifier) === (side === 'source'))?.ResourceRecordSet.Weight;
    const source = Number(weightOf('source'));
    const target = Number(weightOf('target'));
    const names = [...new Set(changes.map((c) => String(c.ResourceRecordSet.Name)))];
    if (changes.some((c) => c.Action !== 'UPSERT')) throw awsError('Route53.InvalidChangeBatchException', 'only UPSERT expected');
    this.weights = { source, target };
    const insync = (this.scenario.stuckChanges ?? []).includes(this.changeCounter + 1) ? undefined : this.scenario.insyncAfter ?? 0;
    this.weightChanges.push({ t: round(this.now), actor, source, target, names, via: 'dns', inEffectAt: insync === undefined || insync < 0 ? undefined : round(this.now + insync) });
    const id = `/change/C${++this.changeCounter}`;
    this.changes.set(id, this.now);
    this.log(actor, 'weights', `ChangeResourceRecordSets: source ${source} / target ${target} on ${names.length} record name(s) in one batch`);
    return { ChangeInfo: { Id: id, Status: 'PENDING', SubmittedAt: new Date(Date.UTC(2026, 0, 1) + this.now * 1000).toISOString() } };
  }

  public getChange(params: any): any {
    const submitted = this.changes.get(params.Id);
    const ordinal = Number(String(params.Id).replace(/^\/change\/C/, ''));
    const after = (this.scenario.stuckChanges ?? []).includes(ordinal) ? -1 : this.scenario.insyncAfter ?? 0;
    const insync = submitted !== undefined && after >= 0 && this.now - submitted >= after;
    return { ChangeInfo: { Id: params.Id, Status: insync ? 'INSYNC' : 'PENDING' } };
  }

  // --- RDS

  /** An operator's switchover by hand, back to the source cluster (the runbook's manual rollback). */
  public manualSwitchBack(): void {
    this.switching = undefined;
    if (this.writerCluster !== 'source') this.databaseWriterChanges.push({ t: round(this.now), writer: 'source' });
    this.writerCluster = 'source';
  }

  public switchoverStart(to: 'source' | 'target'): any {
    const how = to === 'target' ? this.scenario.switchover : this.scenario.switchBack;
    if (how === 'fails') throw awsError('Rds.InvalidGlobalClusterStateException', 'The global cluster is not in a valid state for switchover');
    if (this.switching || this.writerCluster === to) throw awsError('Rds.InvalidGlobalClusterStateException', `The global cluster is ${this.switching ? 'switching over' : `already written by the ${to}`}`);
    this.switching = { to, at: this.now };
    this.log('cutover', 'database', to === 'target' ? 'SwitchoverGlobalCluster started (planned, RPO 0)' : 'SwitchoverGlobalCluster back to the source cluster started (planned, RPO 0)');
    return {};
  }

  public globalCluster(targetArn: string): any {
    const s = this.switching;
    if (s) {
      const how = s.to === 'target' ? this.scenario.switchover : this.scenario.switchBack;
      const seconds = s.to === 'target' ? this.scenario.switchoverSeconds ?? 60 : this.scenario.switchBackSeconds ?? 60;
      if (how !== 'never' && this.now - s.at >= seconds) {
        this.switching = undefined;
        this.writerCluster = s.to;
        if (s.to === 'target') this.switchedOver = true;
        this.databaseWriterChanges.push({ t: round(this.now), writer: s.to });
        this.log('world', 'database', s.to === 'target' ? 'the target cluster is now the writer' : 'the source cluster is the writer again');
      }
    }
    const status = this.switching ? 'switching-over' : this.scenario.databaseStatus ?? 'available';
    const members = [{ DbClusterArn: PRIMARY_CLUSTER_ARN, IsWriter: this.writerCluster === 'source' }];
    if (this.scenario.databaseIsMember ?? true) members.push({ DbClusterArn: targetArn, IsWriter: this.writerCluster === 'target' });
    return { GlobalClusters: [{ Status: status, GlobalClusterMembers: members }] };
  }

  public result(status: RehearsalResult['status'], error?: string, cause?: string): RehearsalResult {
    const alarmAt = this.firstAlarmAt();
    const rollback = alarmAt === undefined ? undefined : this.weightChanges.find((c) => c.t >= alarmAt && c.target === 0);
    return {
      scenario: this.scenario.name,
      status,
      error,
      cause,
      weightChanges: this.weightChanges,
      finalWeights: this.weights,
      switchedOver: this.switchedOver,
      databaseWriterChanges: this.databaseWriterChanges,
      rollbackLatency: rollback && alarmAt !== undefined ? round(rollback.t - alarmAt) : undefined,
      duration: round(this.now),
      stateTransitions: this.transitions,
      cutoverStateTransitions: this.cutoverTransitions,
      bakeExecutions: this.bakeExecutions,
      gateReads: this.gateReads,
      writerChanges: this.dms.writerChanges,
      dmsTaskCalls: this.dms.taskCalls,
      parameterErrors: this.parameterErrors,
      notifications: this.notifications,
      dataProblems: this.dms.dataProblems,
      reverseStarts: this.dms.reverseStarts,
      auroraWritesFrom: this.dms.auroraWritesFrom,
      timeline: this.timeline,
    };
  }
}

export { awsError, round };

/** The source region's cluster, the primary when a rehearsal starts (S1). */
export const PRIMARY_CLUSTER_ARN = 'arn:aws:rds:us-east-1:111111111111:cluster:primary';
