import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { BuildContext } from './contracts';
import { readControl, TRANSIENT_RETRY } from './state-builders';
import { InsufficientDataPolicy, OperatorCommand } from '../operator-command';

/*
 * Bakes of any length, within the execution-history limit by construction.
 *
 * A Standard execution keeps at most 25,000 history events, and a bake polls (every `pollInterval`: the gating alarms,
 * then the operator control) for as long as it lasts. Polled inside the cutover, an hour-long bake at 10 s polls spent
 * ~7,000 of them: long bakes (hours at 100 % before the writer moves) could not be configured. So each bake runs as a
 * *child execution* of a small Bake state machine, started by the cutover with the Step Functions integration
 * `startExecution.sync:2` (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html): the
 * cutover's history grows by the same events per bake whatever its length ({@link BAKE_PARENT_EVENTS}: 71 at worst,
 * 10 when nothing fails; polled inside the cutover, each poll spent 20).
 *
 * The child itself must fit too. It counts its polls and, after {@link BAKE_POLLS_PER_EXECUTION} of them, continues in
 * a fresh child — it starts its successor the same way (`.sync:2`) and returns what the successor returns. Chosen over
 * the parent looping over chunks, whose cost grows with the bake's length again (one chunk every ~500 polls): here
 * every execution is bounded — the parent by a constant per bake, each child by its poll count (see
 * {@link BAKE_POLLS_PER_EXECUTION}) — and a bake of any length is a chain of children, ceil(polls / 500) deep.
 *
 * What differs between bakes is the child's input: the seconds to bake, the alarm names to read and how many must come
 * back (after a database move fewer alarms are baked on), where it bakes (for messages), the operator control version
 * seen and the pause budget left; it returns the last two. What is the orchestrator's own — the poll interval, the
 * insufficient-data policy, the pause budget's size — is in the Bake definition, as literals: one Wait of
 * `pollInterval` seconds, readable in the definition.
 *
 * A rollback reason crosses the execution boundary intact: the child fails with the bake's error names
 * (`GateAlarm`, `GateAlarmMissing`, `GateInsufficientData`, `OperatorAbort`, `PausedTooLong`) and a cause saying
 * which bake; the parent's task then fails with `States.TaskFailed` whose cause is the JSON of the child's
 * DescribeExecution (its `Status`, `Error` and `Cause` among it). The parent reads them back and fails with the
 * child's error and cause, so its catch rolls back as before and the rollback's cause says why. A child that ended
 * without a verdict (stopped, failed at run time) fails the bake as `BakeFailed`; a start that failed (refused,
 * throttled, its answer lost) is tried again, then fails as `BakeNotStarted`: both roll back too.
 *
 * Stopping the parent: AWS documents the `.sync` integration's policy with `states:StopExecution` on the child's
 * executions (https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html), the permission Step
 * Functions uses to stop the child of a task that is cancelled; aws-cdk-lib's StepFunctionsStartExecution grants it.
 * Nothing found in the Step Functions guide promises it, and nothing here relies on it: a bake only reads
 * (DescribeAlarms, GetParameter), so a child left running after its parent was stopped (by hand, or by the alarm
 * rollback) changes nothing, and ends by itself when its time is spent or at its first verdict.
 */

/** The Bake state machine is recognised by its `Comment` (the rehearsal and the simulation find it so). */
export const BAKE_COMMENT = 'Payment migration bake: polls the gating alarms and the operator control for one bake (a child of the cutover)';

/** Starts of a bake tried again after the first failed (the call refused, throttled, or its answer lost). */
const START_AGAIN = 4;
/** Seconds between them. */
const START_PAUSE = Duration.seconds(5);

/**
 * Worst-case events one bake adds to the cutover's history, whatever its length and its pauses: the attempts counted
 * (2); per start that failed, the `.sync:2` task (entered, scheduled, started, failed, exited: at most 6), why (2),
 * again? (2), the count (2) and the wait (2): 14, {@link START_AGAIN} times; then the last start (6) and either the
 * merge of the answer (2) or the verdict read (why 2, read 2, a verdict? 2, the fail 1: 7).
 */
export const BAKE_PARENT_EVENTS = 2 + START_AGAIN * 14 + 6 + 7;

/**
 * Polls one Bake execution makes before it continues in a fresh one. Its worst-case history, counted state by state
 * on the loop (every read retried 4 times, the pause path no dearer than the count-down): wait 2, any alarm? 2,
 * DescribeAlarms 5 + 4 × 3, evaluate 2, GetParameter 5 + 4 × 3, decide 2, count down 2, baked? 2 =
 * {@link BAKE_POLL_EVENTS}; 500 × 46 = 23,000, plus {@link BAKE_FIXED_EVENTS} for its start, the successor's start
 * (as the parent's, {@link BAKE_PARENT_EVENTS}), the verdict or the answer, and its own start and end events: inside
 * 25,000 with 1,900 to spare. test/migration-orchestrator/bake.test.ts counts both again on the synthesized definition.
 */
export const BAKE_POLLS_PER_EXECUTION = 500;
/** Worst-case history events of one poll of a Bake execution (see {@link BAKE_POLLS_PER_EXECUTION}). */
export const BAKE_POLL_EVENTS = 46;
/** Worst-case history events of a Bake execution outside its polls. */
export const BAKE_FIXED_EVENTS = 2 + 2 + BAKE_PARENT_EVENTS + 3;

/** The child's answer, as the `.sync:2` task returns it (`Output` is the child's output, parsed). */
const ANSWER = { 'controlSeen.$': '$.Output.controlSeen', 'pauseBudget.$': '$.Output.pauseBudget' };

/**
 * The bake of one step in the cutover: a child execution of the Bake state machine, started and waited for
 * (`startExecution.sync:2`). It reads `$.controlSeen` and `$.pauseBudget`, writes them back, and continues to `next`;
 * a verdict (ALARM, ABORT, a pause too long, …) fails with the child's error and cause. `ctx.alarms` are the alarms
 * this bake reads.
 * @internal
 */
export function bake(ctx: BuildContext, prefix: string, bakeTime: Duration, next: sfn.IChainable): sfn.IChainable {
  if (!ctx.bakeStateMachine) throw new Error(`${prefix}: a bake needs the orchestrator's Bake state machine`);
  const start = new tasks.StepFunctionsStartExecution(ctx.scope, `${prefix}: bake`, {
    stateMachine: ctx.bakeStateMachine,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    associateWithParent: true,
    input: sfn.TaskInput.fromObject({
      remaining: bakeTime.toSeconds(),
      alarms: ctx.alarms.map((a) => a.alarmName),
      alarmCount: ctx.alarms.length,
      where: prefix,
      controlSeen: sfn.JsonPath.numberAt('$.controlSeen'),
      pauseBudget: sfn.JsonPath.objectAt('$.pauseBudget'),
    }),
    resultSelector: ANSWER,
    resultPath: '$.baked',
  });
  // `$.controlSeen` and `$.pauseBudget` taken back from the answer, everything else kept
  const merge = new sfn.Pass(ctx.scope, `${prefix}: baked`, {
    parameters: { 'state.$': 'States.JsonMerge($, $.baked, false)' },
    outputPath: '$.state',
  });
  start.next(merge).next(next);
  return waitForChild(ctx.scope, prefix, start);
}

/**
 * What surrounds a `.sync:2` start of a child: the child's end, told apart from the start's own failure.
 * - The child ended without succeeding: the task fails with `States.TaskFailed` and the child's DescribeExecution as
 *   its cause (JSON, with `Status`). Its `Error` and `Cause` become this state's failure (the verdict); a child that
 *   ended without one (stopped, failed at run time) fails as `BakeFailed`.
 * - Anything else is the start itself failing (refused, throttled, its answer lost): started again, {@link START_AGAIN}
 *   times, {@link START_PAUSE} apart, then `BakeNotStarted`. A second child where the first one did start after all
 *   only reads, and is not waited for. (`States.TaskFailed` in a Retry would also match the verdicts: hence no Retry.)
 * Each value is checked before it is read: a missing path would be a `States.Runtime` error, which no catch handles.
 * Returns the entry: the attempts counted, then `task`.
 */
function waitForChild(scope: Construct, prefix: string, task: tasks.StepFunctionsStartExecution): sfn.IChainable {
  const cause = '$.bakeError.Cause';
  const verdict = '$.bakeVerdict.child';
  const attempts = new sfn.Pass(scope, `${prefix}: start the bake`, { result: sfn.Result.fromObject({ left: START_AGAIN }), resultPath: '$.bakeStarts' });
  const notStarted = new sfn.Fail(scope, `${prefix}: bake not started`, {
    error: 'BakeNotStarted',
    cause: `The bake's child execution could not be started (${START_AGAIN + 1} attempts): StartExecution was refused, or its answer lost`,
  });
  const again = new sfn.Choice(scope, `${prefix}: start the bake again?`)
    .when(sfn.Condition.numberGreaterThan('$.bakeStarts.left', 0), new sfn.Pass(scope, `${prefix}: bake start failed`, {
      parameters: { 'left.$': 'States.MathAdd($.bakeStarts.left, -1)' },
      resultPath: '$.bakeStarts',
    }).next(new sfn.Wait(scope, `${prefix}: before starting the bake again`, { time: sfn.WaitTime.duration(START_PAUSE) })).next(task))
    .otherwise(notStarted);
  const noVerdict = new sfn.Fail(scope, `${prefix}: bake ended without a verdict`, {
    error: 'BakeFailed',
    cause: 'The bake\'s child execution ended without a verdict (stopped, or failed at run time): see its history',
  });
  const relay = new sfn.Fail(scope, `${prefix}: the bake's verdict`, { errorPath: `${verdict}.Error`, causePath: `${verdict}.Cause` });
  const read = new sfn.Pass(scope, `${prefix}: read the bake's verdict`, {
    parameters: { 'child.$': `States.StringToJson(${cause})` },
    resultPath: '$.bakeVerdict',
  });
  // Choice rules are tried in order: each is read only once the ones before it did not match.
  read.next(new sfn.Choice(scope, `${prefix}: a verdict?`)
    .when(sfn.Condition.not(sfn.Condition.isPresent(`${verdict}.Error`)), noVerdict)
    .when(sfn.Condition.not(sfn.Condition.isString(`${verdict}.Error`)), noVerdict)
    .when(sfn.Condition.not(sfn.Condition.isPresent(`${verdict}.Cause`)), noVerdict)
    .when(sfn.Condition.not(sfn.Condition.isString(`${verdict}.Cause`)), noVerdict)
    .otherwise(relay));
  const why = new sfn.Choice(scope, `${prefix}: why did the bake end?`)
    .when(sfn.Condition.not(sfn.Condition.isPresent(cause)), again)
    .when(sfn.Condition.not(sfn.Condition.isString(cause)), again)
    .when(sfn.Condition.stringMatches(cause, '{*"Status":*}'), read)
    .otherwise(again);
  task.addCatch(why, { errors: ['States.ALL'], resultPath: '$.bakeError' });
  return attempts.next(task);
}

/**
 * The Bake state machine: every `pollInterval`, DescribeAlarms on the bake's alarms and GetParameter on the operator
 * control; fail on a missing alarm, ALARM, INSUFFICIENT_DATA (when the policy blocks in bakes), a fresh ABORT, or a
 * pause longer than the pause budget; hold on a fresh PAUSE; end early on a fresh SKIP_BAKE (its version taken); end
 * when the bake time is spent. After {@link BAKE_POLLS_PER_EXECUTION} polls it continues in a fresh execution of
 * itself (`self`) and returns its answer.
 * @internal
 */
export function bakeDefinition(ctx: BuildContext, self: sfn.IStateMachine): sfn.IChainable {
  const scope = ctx.scope;
  const poll = Math.max(1, ctx.pollInterval.toSeconds());
  const start = new sfn.Pass(scope, 'Bake: start', {
    parameters: {
      'bake': { 'remaining.$': '$.remaining', 'pollsLeft': BAKE_POLLS_PER_EXECUTION, 'pauseLeft.$': '$.pauseBudget.remaining' },
      'alarms.$': '$.alarms',
      'alarmCount.$': '$.alarmCount',
      'where.$': '$.where',
      'controlSeen.$': '$.controlSeen',
      // read at every poll when there are alarms; what a bake without alarms is judged on
      'gates': { 'count.$': '$.alarmCount', 'alarm': false, 'insufficient': false },
    },
  });
  const wait = new sfn.Wait(scope, 'Bake: wait', { time: sfn.WaitTime.duration(Duration.seconds(poll)) });
  const describe = new tasks.CallAwsService(scope, 'Bake: read gating alarms', {
    service: 'cloudwatch',
    action: 'describeAlarms',
    iamResources: ctx.alarms.map((a) => a.alarmArn),
    parameters: { 'AlarmNames.$': '$.alarms', 'AlarmTypes': ['MetricAlarm'] },
    resultSelector: { 'states.$': '$.MetricAlarms[*].StateValue' },
    resultPath: '$.gates',
  });
  describe.addRetry(TRANSIENT_RETRY);
  const evaluate = new sfn.Pass(scope, 'Bake: evaluate gates', {
    parameters: {
      'count.$': 'States.ArrayLength($.gates.states)',
      'alarm.$': "States.ArrayContains($.gates.states, 'ALARM')",
      'insufficient.$': "States.ArrayContains($.gates.states, 'INSUFFICIENT_DATA')",
    },
    resultPath: '$.gates',
  });
  const control = readControl(ctx, 'Bake: read operator control');
  // DescribeAlarms with no name would answer with every alarm of the account: a bake without alarms reads none.
  wait.next(new sfn.Choice(scope, 'Bake: any gating alarm?')
    .when(sfn.Condition.numberGreaterThan('$.alarmCount', 0), describe)
    .otherwise(control));
  describe.next(evaluate).next(control);

  // --- The verdicts: the error names of the cutover's rollback, and a cause that says which bake
  const rollBack = new sfn.Fail(scope, 'Bake: roll the cutover back', { errorPath: '$.verdict.Error', causePath: '$.verdict.Cause' });
  const verdict = (id: string, error: string, format: string, ...paths: string[]) => new sfn.Pass(scope, `Bake: ${id}`, {
    parameters: { 'Error': error, 'Cause.$': `States.Format('${format}', ${paths.join(', ')})` },
    resultPath: '$.verdict',
  }).next(rollBack);
  const pausedTooLong = verdict('paused too long', 'PausedTooLong',
    `The cutover was paused longer than its pause budget (${ctx.pausePolls} polls, in {}): it rolls back rather than hold traffic split unattended`, '$.where');

  const finish = new sfn.Succeed(scope, 'Bake: baked');
  const done = new sfn.Pass(scope, 'Bake: done', {
    parameters: { 'controlSeen.$': '$.controlSeen', 'pauseBudget': { 'remaining.$': '$.bake.pauseLeft' } },
  }).next(finish);
  const successor = new tasks.StepFunctionsStartExecution(scope, 'Bake: continue in a fresh execution', {
    stateMachine: self,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    associateWithParent: true,
    input: sfn.TaskInput.fromObject({
      remaining: sfn.JsonPath.numberAt('$.bake.remaining'),
      alarms: sfn.JsonPath.listAt('$.alarms'),
      alarmCount: sfn.JsonPath.numberAt('$.alarmCount'),
      where: sfn.JsonPath.stringAt('$.where'),
      controlSeen: sfn.JsonPath.numberAt('$.controlSeen'),
      pauseBudget: { remaining: sfn.JsonPath.numberAt('$.bake.pauseLeft') },
    }),
    resultSelector: ANSWER,
  });
  successor.next(finish);
  const continued = waitForChild(scope, 'Bake: successor', successor);

  // A SKIP_BAKE is taken once: the version taken is remembered, the parameter is not written (an operator's later
  // command is never overwritten by the workflow).
  const takeSkip = new sfn.Pass(scope, 'Bake: take skip', { inputPath: '$.control.version', resultPath: '$.controlSeen' }).next(done);
  // One poll spent (a paused one, or one counted down): the new `remaining` and `pauseLeft`, then `over` when the
  // counter `overAt` reaches 0, a fresh execution when this one's polls run out, otherwise the next wait.
  const spendPoll = (id: string, remaining: string, pauseLeft: string, question: string, overAt: string, over: sfn.IChainable) => {
    const spend = new sfn.Pass(scope, `Bake: ${id}`, {
      parameters: { 'remaining.$': remaining, 'pollsLeft.$': 'States.MathAdd($.bake.pollsLeft, -1)', 'pauseLeft.$': pauseLeft },
      resultPath: '$.bake',
    });
    spend.next(new sfn.Choice(scope, `Bake: ${question}`)
      .when(sfn.Condition.numberLessThanEquals(overAt, 0), over)
      .when(sfn.Condition.numberLessThanEquals('$.bake.pollsLeft', 0), continued)
      .otherwise(wait));
    return spend;
  };
  const pause = spendPoll('pause', '$.bake.remaining', 'States.MathAdd($.bake.pauseLeft, -1)', 'pause budget left?', '$.bake.pauseLeft', pausedTooLong);
  const countDown = spendPoll('count down', `States.MathAdd($.bake.remaining, -${poll})`, '$.bake.pauseLeft', 'baked?', '$.bake.remaining', done);

  const decide = new sfn.Choice(scope, 'Bake: gates and control OK?')
    .when(sfn.Condition.not(sfn.Condition.numberEqualsJsonPath('$.gates.count', '$.alarmCount')), verdict('a gating alarm is missing', 'GateAlarmMissing',
      'DescribeAlarms did not return all {} gating alarms ({}): one was deleted or renamed', '$.alarmCount', '$.where'))
    .when(sfn.Condition.booleanEquals('$.gates.alarm', true), verdict('a gating alarm is in ALARM', 'GateAlarm', 'A gating alarm is in ALARM ({})', '$.where'));
  if (ctx.insufficientData === InsufficientDataPolicy.BLOCK) {
    decide.when(sfn.Condition.booleanEquals('$.gates.insufficient', true), verdict('a gating alarm has insufficient data', 'GateInsufficientData',
      'A gating alarm is in INSUFFICIENT_DATA ({}): no data is no proof of health', '$.where'));
  }
  const fresh = sfn.Condition.numberGreaterThanJsonPath('$.control.version', '$.controlSeen');
  decide
    .when(sfn.Condition.and(sfn.Condition.stringEquals('$.control.value', OperatorCommand.ABORT), fresh),
      verdict('operator abort', 'OperatorAbort', `An operator set the control parameter to ${OperatorCommand.ABORT} ({})`, '$.where'))
    .when(sfn.Condition.and(sfn.Condition.stringEquals('$.control.value', OperatorCommand.PAUSE), fresh), pause)
    .when(sfn.Condition.and(sfn.Condition.stringEquals('$.control.value', OperatorCommand.SKIP_BAKE), fresh), takeSkip)
    .otherwise(countDown);
  control.next(decide);
  return start.next(wait);
}
