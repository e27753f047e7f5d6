import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildDmsFixture } from './dms-fixture';
import { buildFixture, templateOf } from './fixture';
import { longest } from './history-bound';
import { CutoverSteps } from '../../src';
import { BAKE_FIXED_EVENTS, BAKE_PARENT_EVENTS, BAKE_POLL_EVENTS, BAKE_POLLS_PER_EXECUTION } from '../../src/migration-orchestrator/state-machine/bake';
import { stateMachinesOf } from '../../src/rehearsal/resolve-template';
import { allStates } from '../support/asl';

/** A Standard execution's history holds at most this many events. */
const HISTORY_LIMIT = 25_000;


function definitions(json: any): { cutover: any; bake: any } {
  const machines = Object.values(stateMachinesOf(json));
  return {
    cutover: machines.find((m: any) => /^Payment migration cutover/.test(m.Comment)),
    bake: machines.find((m: any) => /^Payment migration bake/.test(m.Comment)),
  };
}

// GIVEN the seed S1 cutover (four 5-minute bakes, then the Aurora switchover and a 10-minute bake on the new writer)
const json = templateOf(buildFixture());
const { cutover, bake } = definitions(json);
const states = allStates(cutover);
const bakeStates = allStates(bake);

describe('the Bake state machine', () => {
  test('a standard workflow like the others: logging ALL without execution data, X-Ray, named so it can start its successor', () => {
    const template = Template.fromJSON(json);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'Target-Orchestrator-94D0E060-bake',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
    // it only reads: DescribeAlarms, GetParameter, and its own successor
    const tasks = Object.values(bakeStates).filter((s) => s.Type === 'Task').map((s) => s.Resource);
    expect(new Set(tasks)).toEqual(new Set([
      'arn:aws:states:::aws-sdk:cloudwatch:describeAlarms',
      'arn:aws:states:::aws-sdk:ssm:getParameter',
      'arn:aws:states:::states:startExecution.sync:2',
    ]));
    expect(bakeStates['Bake: continue in a fresh execution'].Parameters.StateMachineArn)
      .toBe('arn:aws:states:eu-west-1:111111111111:stateMachine:Target-Orchestrator-94D0E060-bake');
  });

  test('every Bake execution fits its history, whatever the bake\'s length: at most 500 polls, then a fresh execution', () => {
    const wait = 'Bake: wait';
    const restart = 'Bake: successor: before starting the bake again';
    const cut = new Set([wait, restart]);
    // the polls: every loop passes through the Wait (the graph without it and the restart's wait has no loop)
    const perPoll = longest(bakeStates, wait, cut, wait);
    const entry = longest(bakeStates, bake.StartAt, cut, wait) - 0;
    const exit = longest(bakeStates, wait, cut);
    const restarts = 4 * longest(bakeStates, restart, cut, restart);
    expect(perPoll).toBeLessThanOrEqual(BAKE_POLL_EVENTS);
    // both ways a poll can go on lead to the successor once the execution's polls are spent
    expect(bakeStates['Bake: start'].Parameters.bake.pollsLeft).toBe(BAKE_POLLS_PER_EXECUTION);
    for (const [choice, counter] of [['Bake: baked?', 'Bake: count down'], ['Bake: pause budget left?', 'Bake: pause']]) {
      expect(bakeStates[counter].Parameters['pollsLeft.$']).toBe('States.MathAdd($.bake.pollsLeft, -1)');
      expect(bakeStates[choice].Choices).toContainEqual({ Variable: '$.bake.pollsLeft', NumericLessThanEquals: 0, Next: 'Bake: successor: start the bake' });
    }
    // execution started and ended (2), the way in, 499 polls, the last poll and the way out, the successor's restarts
    const worst = 2 + entry + (BAKE_POLLS_PER_EXECUTION - 1) * perPoll + exit + restarts;
    expect(2 + entry + exit + restarts - perPoll).toBeLessThanOrEqual(BAKE_FIXED_EVENTS);
    expect(worst).toBeLessThanOrEqual(HISTORY_LIMIT);
    expect(BAKE_POLLS_PER_EXECUTION * BAKE_POLL_EVENTS + BAKE_FIXED_EVENTS).toBeLessThanOrEqual(HISTORY_LIMIT);
  });

  test('a verdict keeps the error names of the rollback, and its cause says which bake', () => {
    const verdicts = Object.entries(bakeStates).filter(([, s]) => s.Next === 'Bake: roll the cutover back');
    expect(Object.fromEntries(verdicts.map(([name, s]) => [name, s.Parameters.Error]))).toEqual({
      'Bake: a gating alarm is missing': 'GateAlarmMissing',
      'Bake: a gating alarm is in ALARM': 'GateAlarm',
      'Bake: a gating alarm has insufficient data': 'GateInsufficientData',
      'Bake: operator abort': 'OperatorAbort',
      'Bake: paused too long': 'PausedTooLong',
    });
    for (const [, s] of verdicts) expect(s.Parameters['Cause.$']).toContain('$.where');
    expect(bakeStates['Bake: roll the cutover back']).toEqual({ Type: 'Fail', ErrorPath: '$.verdict.Error', CausePath: '$.verdict.Cause' });
  });
});

describe('a bake in the cutover: a child execution, the same events whatever its length', () => {
  test.each(['Step 1 (25%)', 'Step 4 (100%)', 'Switched over'])('%s: at most BAKE_PARENT_EVENTS, counted on the definition', (prefix) => {
    const task = states[`${prefix}: bake`];
    expect(task.Resource).toBe('arn:aws:states:::states:startExecution.sync:2');
    // no Retry: States.TaskFailed would also match the child's verdicts; a failed start is started again by states
    expect(task.Retry).toBeUndefined();
    const after = states[`${prefix}: baked`].Next;
    const restart = `${prefix}: before starting the bake again`;
    const cut = new Set([restart, after]);
    const once = longest(states, `${prefix}: start the bake`, cut);
    const restarts = 4 * longest(states, restart, cut, restart);
    expect(once + restarts).toBeLessThanOrEqual(BAKE_PARENT_EVENTS);
  });

  test('the child\'s verdict becomes the cutover\'s failure (its catch rolls back), a failed start is tried again', () => {
    const why = states['Step 2 (50%): why did the bake end?'];
    expect(states['Step 2 (50%): bake'].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.bakeError', Next: 'Step 2 (50%): why did the bake end?' }]);
    // a child's DescribeExecution (JSON, with its Status) is read; anything else is the start failing
    expect(why.Choices.map((c: any) => c.Next)).toEqual(['Step 2 (50%): start the bake again?', 'Step 2 (50%): start the bake again?', 'Step 2 (50%): read the bake\'s verdict']);
    expect(why.Choices[2]).toEqual({ Variable: '$.bakeError.Cause', StringMatches: '{*"Status":*}', Next: 'Step 2 (50%): read the bake\'s verdict' });
    expect(states['Step 2 (50%): read the bake\'s verdict'].Parameters).toEqual({ 'child.$': 'States.StringToJson($.bakeError.Cause)' });
    expect(states['Step 2 (50%): the bake\'s verdict']).toEqual({ Type: 'Fail', ErrorPath: '$.bakeVerdict.child.Error', CausePath: '$.bakeVerdict.child.Cause' });
    expect(states['Step 2 (50%): start the bake again?'].Default).toBe('Step 2 (50%): bake not started');
  });

  test('a 4-hour bake makes the same cutover definition as a 5-minute one, but for the seconds it is given', () => {
    const long = definitions(templateOf(buildFixture({ bakeTime: Duration.hours(4) }))).cutover;
    const seconds = (asl: any) => JSON.stringify(asl).replace(/"remaining":\d+/g, '"remaining":N');
    expect(seconds(long)).toBe(seconds(cutover));
    expect(JSON.stringify(long)).toContain('"remaining":14400');
  });
});

describe('the execution-history budget: bakes of any length, a refusal names what costs', () => {
  test('bakes of hours synthesize: 2-hour step bakes, a 4-hour post-move bake', () => {
    expect(() => buildFixture({ bakeTime: Duration.hours(2) })).not.toThrow();
    expect(() => buildDmsFixture({}, { move: { postMoveBake: Duration.hours(4) } })).not.toThrow();
  });

  test.each<[string, () => unknown, RegExp]>([
    ['twenty steps', () => buildFixture({ steps: CutoverSteps.of(Array.from({ length: 20 }, (_, i) => (i + 1) * 5)) }), /`steps` must fit one execution's history/],
    ['a drain read every second for an hour', () => buildDmsFixture({}, { move: { drainTimeout: Duration.hours(1), postMoveBake: Duration.hours(4) } }),
      /`switchover\.drainTimeout` must fit one execution's history: the worst case needs ~\d+ events, ~\d+ of them for it.*got: "1 hour"/],
    ['a full load polled every minute for a day', () => buildDmsFixture({}, { gate: { fullLoadTimeout: Duration.hours(24), pollInterval: Duration.minutes(1) } }),
      /`gates\[0\]\.fullLoadTimeout` must fit one execution's history.*got: "1 day"/],
  ])('%s: refused, naming the prop', (_name, build, message) => {
    expect(build).toThrow(message);
    expect(build).not.toThrow(/bakeTime|postMoveBake/);
  });
});
