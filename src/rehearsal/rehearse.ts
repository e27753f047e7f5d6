import { AcceleratorEndpointGroups, AcceleratorWorld } from './accelerator-world';
import { unknownMembers } from './api-shapes';
import { bakeMachineOf, childInput, endingOf, isNamed, syncAnswer } from './child-execution';
import { isoAt } from './dms-world';
import { LocalHandler, loadLocalStepFunctions, localOverrides, polyfillPromiseWithResolvers } from './local-stepfunctions';
import { CfnTemplate, ResolveOptions, workflowMachinesOf } from './resolve-template';
import { RehearsalResult, Scenario, Workflow } from './scenario';
import { findDmsRefs, RetryTracker } from './simulation-support';
import { awsError, PRIMARY_CLUSTER_ARN, round, World } from './world';

const WAIT_RESOURCE = 'arn:aws:states:::aws-sdk:rehearsal:wait';

/** Options for {@link rehearse}. */
export interface RehearseOptions extends ResolveOptions {
  /** The synthesized template holding a MigrationOrchestrator. */
  readonly template: CfnTemplate;
  readonly scenario: Scenario;
}

/**
 * Runs the real synthesized cutover state machine on `aws-local-stepfunctions` against a scenario, on a virtual
 * clock (a 25-minute cutover rehearses in well under a second), and returns the end state with a timeline.
 */
export async function rehearse(options: RehearseOptions): Promise<RehearsalResult> {
  polyfillPromiseWithResolvers();
  const { StateMachine } = loadLocalStepFunctions();
  const workflows = workflowMachinesOf(options.template, options);
  const cutoverAsl = workflows.cutover?.asl;
  const rollbackAsl = workflows['alarm-rollback']?.asl;
  const recoveryAsl = workflows.recovery?.asl;
  if (!cutoverAsl) throw new Error('The template has no MigrationOrchestrator cutover state machine');
  const bakeMachine = bakeMachineOf(options.template, options);

  const scenario = options.scenario;
  const cutoverArn = 'arn:aws:states:eu-west-1:111111111111:execution:cutover:rehearsal';
  let cutoverExecution: { abort: () => void } | undefined;
  let stoppedBy: string | undefined;
  let stoppedError: string | undefined;
  let ended: { Status: string; Error?: string } | undefined;

  const relays: Array<Promise<void>> = [];
  const world: World = new World(
    scenario,
    (alarm) => {
      const relay = runAlarmRollback(alarm);
      relays.push(relay);
      return relay;
    },
    () => {
      stoppedBy = 'stopped by hand';
      stoppedError = undefined;
      world.cutoverRunning = false;
      cutoverExecution?.abort();
    },
  );

  async function runAlarmRollback(alarm: string): Promise<void> {
    if (!rollbackAsl) {
      world.log('world', 'alarm', 'no alarm-rollback workflow in the template: the event is not acted on');
      return;
    }
    await runWorkflow(rollbackAsl, 'alarm-rollback', { alarm, time: new Date().toISOString() });
  }

  async function runWorkflow(asl: any, actor: Workflow, input: any): Promise<void> {
    const relay = prepare(asl, actor);
    const machine = new StateMachine(relay.definition, { validationOptions: { checkArn: false } });
    const run = machine.run(input, { overrides: relay.overrides, context: context(actor) });
    const counting = countTransitions(run.eventLogs, false);
    try {
      await run.result;
      world.log(actor, 'end', `${actor} workflow succeeded`);
    } catch (e) {
      world.log(actor, 'end', `${actor} workflow failed: ${(e as Error).message}`);
    }
    await counting;
  }

  /** Replaces Wait states by tasks that advance the virtual clock, and routes every Task to the mocked world. */
  function prepare(asl: any, actor: Workflow): { definition: any; overrides: any } {
    const definition = JSON.parse(JSON.stringify(asl));
    const overrides = localOverrides(definition.States, (name, state): LocalHandler | undefined => {
      if (state.Type === 'Wait') {
        const seconds = Number(state.Seconds ?? 0);
        delete state.Seconds;
        state.Type = 'Task';
        state.Resource = WAIT_RESOURCE;
        return async (input) => {
          await world.advance(seconds);
          return input;
        };
      }
      if (state.Type !== 'Task') return undefined;
      const resource = String(state.Resource);
      // A retry waits its interval on the virtual clock, as Step Functions would (retries only for the states
      // whose interval the world needs: the fence acknowledgement's; the others retry at once, as before).
      const retries = new RetryTracker(state);
      const timedRetry = /every fleet acknowledged$/.test(name);
      return async (input) => {
        await world.advance((scenario.apiLatency ?? 0.1) + (timedRetry ? retries.delay() : 0));
        if (actor === 'cutover' && !world.cutoverRunning) throw awsError('States.Runtime', 'execution stopped');
        if (/^(Pre-check|Only one|Switchover: start|Find running|Approval)/.test(name) || actor === 'recovery') world.log(actor, 'state', name);
        return retries.attempt(() => call(resource, input, name, actor));
      };
    });
    return { definition, overrides };
  }

  function call(resource: string, params: any, state: string, actor: Workflow): any {
    // Global Accelerator: CallAwsServiceCrossRegion's function (us-west-2), invoked with { region, service, action, parameters }
    if (CROSS_REGION_FUNCTION.test(resource)) return callAccelerator(params, state, actor);
    const api = resource.replace(/^arn:aws:states:::(aws-sdk:)?/, '');
    const unknown = unknownMembers(api, params);
    if (unknown.length > 0) {
      world.parameterErrors.push(`${state}: ${api} does not accept ${unknown.join(', ')}`);
      throw awsError('States.Runtime', `${api} does not accept ${unknown.join(', ')}`);
    }
    switch (api) {
      case 'cloudwatch:describeAlarms': {
        if (actor === 'cutover') world.gateReads.push(round(world.now));
        const present = (params.AlarmNames as string[]).filter((n) => !(scenario.missingAlarms ?? []).some((m) => n.includes(m)));
        const alarms = present.map((AlarmName) => ({ AlarmName, StateValue: world.alarmState(AlarmName) }));
        const bad = alarms.filter((a) => a.StateValue !== 'OK');
        if (bad.length || present.length < params.AlarmNames.length) {
          world.log(actor, 'gates', `${state}: ${bad.map((a) => `${short(a.AlarmName)}=${a.StateValue}`).join(', ') || `${params.AlarmNames.length - present.length} alarm(s) missing`}`);
        }
        return { MetricAlarms: alarms, CompositeAlarms: [] };
      }
      case 'cloudwatch:putMetricData':
        world.log(actor, 'weights', `metric ${params.Namespace}/${params.MetricData[0].MetricName} = ${params.MetricData[0].Value}`);
        return {};
      case 'ssm:getParameter':
        return params.Name === dmsRefs.writer
          ? { Parameter: { Name: params.Name, Value: world.dms.writer, Version: world.dms.writerVersion } }
          : { Parameter: { Name: params.Name, Value: world.control, Version: world.controlVersion } };
      case 'dynamodb:updateItem': {
        world.record.setStrings('fences', world.dms.fenceAcknowledgements());
        const before = world.record.item()?.phase?.S ?? 'IDLE';
        try {
          const answer = world.record.updateItem(params);
          const after = world.record.item()?.phase?.S;
          if (after !== before || /Only one|claim the record|Take the record|release/.test(state)) world.log(actor, 'state', `${state}: record ${before} → ${after}`);
          return answer;
        } catch (e) {
          world.log(actor, 'state', `${state}: record ${before}, claim refused`);
          throw e;
        }
      }
      case 'dynamodb:getItem':
        return world.record.getItem(params);
      case 'ssm:putParameter':
        if (params.Name === dmsRefs.writer) {
          world.dms.putWriter(actor, params.Value);
          return { Version: 2 };
        }
        world.control = params.Value;
        world.controlVersion++;
        world.log(actor, 'operator', `control parameter reset to ${params.Value}`);
        return { Version: world.controlVersion };
      case 'route53:changeResourceRecordSets':
        return world.changeRecordSets(actor, params);
      case 'route53:getChange':
        return world.getChange(params);
      case 'elasticloadbalancingv2:modifyListener':
        return world.listener.modifyListener(actor, params);
      case 'elasticloadbalancingv2:describeListeners':
        return world.listener.describeListeners(params);
      case 'sfn:listExecutions': {
        const executions = [];
        if (world.cutoverRunning) executions.push({ ExecutionArn: cutoverArn, Status: 'RUNNING' });
        for (let i = 0; i < (actor === 'cutover' ? scenario.otherRunningCutovers ?? 0 : 0); i++) {
          executions.push({ ExecutionArn: `${cutoverArn}-other-${i}`, Status: 'RUNNING' });
        }
        return { Executions: executions };
      }
      case 'states:startExecution.sync:2':
        return runChild(params, state, actor);
      case 'sfn:describeExecution':
        // Only this rehearsal's cutover ends; any other execution (another cutover holding the record) still runs.
        return params.ExecutionArn === cutoverArn
          ? { ExecutionArn: params.ExecutionArn, Status: ended?.Status ?? 'RUNNING', ...(ended?.Error ? { Error: ended.Error } : {}) }
          : { ExecutionArn: params.ExecutionArn, Status: 'RUNNING' };
      case 'sfn:stopExecution':
        world.log(actor, 'state', `StopExecution of the cutover (${params.Error}: ${params.Cause})`);
        stoppedBy = params.Cause;
        stoppedError = params.Error;
        world.cutoverRunning = false;
        cutoverExecution?.abort();
        return { StopDate: world.now };
      case 'sns:publish':
        world.log(actor, 'notify', `SNS: ${params.Subject ?? ''}`);
        world.notifications.push({ t: round(world.now), actor, subject: params.Subject ?? '', message: params.Message });
        return { MessageId: `m-${world.timeline.length}` };
      case 'sns:publish.waitForTaskToken':
        world.log(actor, 'notify', `approval requested: ${params.Subject ?? ''} → ${scenario.approvals ?? 'approve'}`);
        if (scenario.approvals === 'reject') throw awsError('Rejected', 'rejected by operator');
        return {};
      case 's3:putObject':
        world.log(actor, 'checkpoint', `checkpoint ${params.Key}`);
        return { ETag: '"rehearsal"' };
      case 'rds:describeDBClusters':
        return { DbClusters: [{ Status: scenario.databaseStatus ?? 'available' }] };
      case 'rds:describeGlobalClusters':
        return world.globalCluster(targetClusterArn);
      case 'rds:switchoverGlobalCluster': {
        const to = params.TargetDbClusterIdentifier === PRIMARY_CLUSTER_ARN ? 'source' : 'target';
        if (to === 'target') targetClusterArn = params.TargetDbClusterIdentifier;
        return world.switchoverStart(to);
      }
      case 'databasemigration:describeReplicationTasks':
        return world.dms.describe(params.Filters[0].Values[0] === dmsRefs.reverse ? 'reverse' : 'forward');
      case 'databasemigration:startReplicationTask':
        return world.dms.start(params.ReplicationTaskArn === dmsRefs.reverse ? 'reverse' : 'forward', params.StartReplicationTaskType, actor, params.CdcStartTime);
      case 'databasemigration:stopReplicationTask':
        return world.dms.stop(params.ReplicationTaskArn === dmsRefs.reverse ? 'reverse' : 'forward', actor);
      case 'databasemigration:describeTableStatistics':
        return world.dms.tableStatistics(params.ReplicationTaskArn === dmsRefs.reverse ? 'reverse' : 'forward', { MaxRecords: params.MaxRecords, Marker: params.Marker });
      case 'cloudwatch:getMetricData':
        return world.dms.backlog(/reverse/.test(state) ? 'reverse' : 'forward', params.StartTime, params.EndTime);
      case 'elasticloadbalancingv2:describeTargetHealth':
        return {
          TargetHealthDescriptions: Array.from({ length: (scenario.healthyTargets ?? 6) + (scenario.unhealthyTargets ?? 0) }, (_, i) => ({
            Target: { Id: `i-${i}` },
            TargetHealth: { State: i < (scenario.healthyTargets ?? 6) ? 'healthy' : 'unhealthy' },
          })),
        };
      default:
        throw awsError('States.TaskFailed', `The rehearsal does not simulate ${api}`);
    }
  }
  /**
   * A bake: a child execution of the Bake state machine, run here as a nested local execution on the same clock (its
   * reads count as the cutover's). Stopped with the cutover: its next call fails once the cutover no longer runs.
   */
  async function runChild(params: any, state: string, actor: Workflow): Promise<any> {
    if (!bakeMachine || !isNamed(bakeMachine, params.StateMachineArn)) {
      throw awsError('StepFunctions.StateMachineDoesNotExistException', `${state}: no state machine ${params.StateMachineArn} in the template`);
    }
    const input = childInput(params.Input);
    const relay = prepare(bakeMachine.asl, actor);
    const ctx = context('bake');
    world.bakeExecutions++;
    const description = { ExecutionArn: ctx.Execution.Id, StateMachineArn: params.StateMachineArn, Name: ctx.Execution.Id.split(':').pop(), Input: input, StartDate: isoAt(world.now) };
    const machine = new StateMachine(relay.definition, { validationOptions: { checkArn: false } });
    const run = machine.run(input, { overrides: relay.overrides, context: ctx });
    const counting = countTransitions(run.eventLogs, false);
    try {
      const output = await run.result;
      return syncAnswer(description, { status: 'SUCCEEDED', stopDate: isoAt(world.now), output });
    } catch (e) {
      const ending = endingOf(e);
      world.log(actor, 'state', `${state}: the bake execution ended ${ending.status}${ending.error ? ` (${ending.error})` : ''}`);
      return syncAnswer(description, { ...ending, stopDate: isoAt(world.now) });
    } finally {
      await counting.catch(() => undefined);
    }
  }

  const acceleratorRefs = findAcceleratorRefs(cutoverAsl);
  const accelerator = acceleratorRefs
    ? new AcceleratorWorld(scenario.accelerator ?? {}, () => world.now, (actor, text) => world.log(actor as Workflow, 'weights', text), acceleratorRefs)
    : undefined;
  /** One Global Accelerator call; the second dial update of a shift is the change (both dials as the step wants them). */
  function callAccelerator(params: any, state: string, actor: Workflow): any {
    if (!accelerator) throw awsError('States.TaskFailed', `${state}: no AcceleratorCutover in the cutover`);
    try {
      return accelerator.invoke(params);
    } finally {
      if (/ LowerDial$/.test(state) && accelerator.updates.length > 0) {
        const dials = accelerator.configuredDials();
        const deployAt = Math.max(...accelerator.updates.slice(-2).map((u) => u.deployAt ?? Infinity));
        world.recordChange(actor, dials.source, dials.target, 'accelerator', Number.isFinite(deployAt) ? round(deployAt) : undefined);
      }
    }
  }

  // A scenario written for a shifter rehearses only a cutover that has it (or it would pass without testing anything).
  if (scenario.loadBalancer && !JSON.stringify(cutoverAsl).includes('elasticloadbalancingv2:modifyListener')) {
    throw new Error(`Scenario "${scenario.name}" is for load-balancer shifting, and this cutover does not shift on a listener`);
  }
  if (scenario.accelerator && !accelerator) {
    throw new Error(`Scenario "${scenario.name}" is for Global Accelerator shifting, and this cutover does not move traffic dials`);
  }
  let targetClusterArn = findTargetClusterArn(cutoverAsl);
  const dmsRefs = findDmsRefs(cutoverAsl);

  let executions = 0;
  function context(name: string): any {
    const id = name === 'cutover' ? cutoverArn : `arn:aws:states:eu-west-1:111111111111:execution:${name}:rehearsal-${++executions}`;
    return {
      Execution: { Id: id, Name: `rehearsal-${name}`, StartTime: '2026-01-01T00:00:00Z', RoleArn: 'arn:aws:iam::111111111111:role/rehearsal' },
      StateMachine: { Id: `arn:aws:states:eu-west-1:111111111111:stateMachine:${name}`, Name: name },
      // The virtual clock, read when a state reads it (`$$.State.EnteredTime`).
      State: { get EnteredTime() { return isoAt(world.now); }, Name: 'state' },
      Task: { Token: 'rehearsal-task-token' },
    };
  }

  /** Counts states entered (what Step Functions bills). Event logs are read lazily, so they carry no virtual time. */
  async function countTransitions(logs: AsyncGenerator<any>, cutover: boolean): Promise<void> {
    for await (const event of logs) {
      if (event.type !== 'StateEntered') continue;
      world.transitions++;
      if (cutover) world.cutoverTransitions++;
    }
  }

  const main = prepare(cutoverAsl, 'cutover');
  world.log('cutover', 'state', 'cutover starts; weights source 100 / target 0');
  const run = new StateMachine(main.definition, { validationOptions: { checkArn: false } }).run({}, { overrides: main.overrides, context: context('cutover') });
  cutoverExecution = run;
  const counting = countTransitions(run.eventLogs, true);
  let outcome: [RehearsalResult['status'], string?, string?];
  try {
    await run.result;
    outcome = ['SUCCEEDED'];
  } catch (e: any) {
    if (e?.constructor?.name === 'ExecutionAbortedError') {
      outcome = ['ABORTED', 'AlarmRollback', stoppedBy];
    } else {
      const cause = e?.cause;
      outcome = ['FAILED', cause?.name ?? e?.name, cause?.message ?? e?.message];
    }
  }
  world.cutoverRunning = false;
  const endedAt = world.now;
  // A stopped cutover's alarm-rollback workflow is still running: let it finish.
  await Promise.all(relays);
  // The execution's "Execution Status Change" event (ABORTED, FAILED) starts the recovery workflow, which must act
  // only when the execution ended without its own rollback.
  if (recoveryAsl && outcome[0] !== 'SUCCEEDED') {
    ended = { Status: outcome[0], Error: outcome[0] === 'ABORTED' ? stoppedError : outcome[1] };
    await runWorkflow(recoveryAsl, 'recovery', { execution: cutoverArn });
  }
  await counting.catch(() => undefined);
  // Alarm events after the cutover ended still reach the alarm-rollback workflow, which must then do nothing.
  const pending = (scenario.alarmEvents ?? []).map((e) => e.at).filter((at) => at > world.now);
  if (pending.length > 0) await world.advance(Math.max(...pending) - world.now);
  await Promise.all(relays);
  const result = world.result(...outcome);
  world.log('cutover', 'end', `${result.status}${result.error ? ` (${result.error})` : ''}; weights source ${world.weights.source} / target ${world.weights.target}`);
  return { ...result, duration: round(endedAt), stateTransitions: world.transitions, timeline: world.timeline };
}

/** The function CallAwsServiceCrossRegion creates, as the rehearsal resolves its `Fn::GetAtt` ARN. */
const CROSS_REGION_FUNCTION = /:CrossRegionAwsSdk[0-9a-f]{32}[0-9A-F]{8}\/Arn$/;

/** The endpoint groups and accelerator an AcceleratorCutover's read-back names, if the cutover has one. */
function findAcceleratorRefs(asl: any): AcceleratorEndpointGroups | undefined {
  const found: Record<string, string> = {};
  const walk = (states: Record<string, any>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Parallel') state.Branches.forEach((b: any) => walk(b.States));
      const p = state.Parameters?.parameters;
      if (/ ReadSourceGroup$/.test(name)) found.source = p?.EndpointGroupArn;
      if (/ ReadTargetGroup$/.test(name)) found.target = p?.EndpointGroupArn;
      if (/ ReadAccelerator$/.test(name)) found.accelerator = p?.AcceleratorArn;
    }
  };
  walk(asl.States);
  if (!found.source || !found.target) return undefined;
  return { sourceEndpointGroupArn: found.source, targetEndpointGroupArn: found.target, acceleratorArn: found.accelerator };
}

/** The target cluster's ARN, as the pre-checks and the switchover name it. */
function findTargetClusterArn(asl: any): string {
  const match = /arn:aws:rds:[a-z0-9-]+:\d{12}:cluster:[a-z][a-z0-9-]*/.exec(JSON.stringify(asl));
  return match ? match[0] : 'arn:aws:rds:eu-west-1:111111111111:cluster:target';
}

function short(name: string): string {
  return name.length > 48 ? `…${name.slice(-47)}` : name;
}
