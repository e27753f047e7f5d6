import { Template } from 'aws-cdk-lib/assertions';
import { bakeMachineOf, childInput, endingOf, isNamed, syncAnswer } from '../../src/rehearsal/child-execution';
import { buildFixture } from '../migration-orchestrator/fixture';

const description = {
  ExecutionArn: 'arn:aws:states:eu-west-1:111111111111:execution:bake:e1',
  StateMachineArn: 'arn:aws:states:eu-west-1:111111111111:stateMachine:bake',
  Name: 'e1',
  Input: { remaining: 300 },
  StartDate: '2026-01-01T00:00:00.000Z',
};

describe('startExecution.sync:2 as the rehearsal and the simulation answer it', () => {
  test('a child that succeeded: its DescribeExecution, Output as JSON (not a string)', () => {
    // WHEN
    const answer = syncAnswer(description, { status: 'SUCCEEDED', stopDate: '2026-01-01T00:05:00.000Z', output: { controlSeen: 3 } });
    // THEN
    expect(answer).toMatchObject({ Status: 'SUCCEEDED', Output: { controlSeen: 3 }, Input: { remaining: 300 }, ExecutionArn: description.ExecutionArn });
  });

  test('a child that failed: States.TaskFailed, the cause its DescribeExecution as JSON with its Error and Cause', () => {
    // WHEN
    let thrown: any;
    try {
      syncAnswer(description, { status: 'FAILED', stopDate: '2026-01-01T00:05:00.000Z', error: 'GateAlarm', cause: 'A gating alarm is in ALARM (Step 2 (50%))' });
    } catch (e) {
      thrown = e;
    }
    // THEN
    expect(thrown.name).toBe('States.TaskFailed');
    expect(JSON.parse(thrown.message)).toMatchObject({ Status: 'FAILED', Error: 'GateAlarm', Cause: 'A gating alarm is in ALARM (Step 2 (50%))' });
  });

  test('a child stopped without an error: States.TaskFailed with Status ABORTED and no Error (the parent fails it as BakeFailed)', () => {
    expect(() => syncAnswer(description, { status: 'ABORTED', stopDate: '2026-01-01T00:05:00.000Z' })).toThrow(/^\{.*"Status":"ABORTED".*\}$/);
    try {
      syncAnswer(description, { status: 'ABORTED', stopDate: '2026-01-01T00:05:00.000Z' });
    } catch (e: any) {
      expect(JSON.parse(e.message).Error).toBeUndefined();
    }
    // how aws-local-stepfunctions ends a run: aborted, or failed with the Fail state's error and cause
    expect(endingOf(Object.assign(new Error('stopped'), { constructor: { name: 'ExecutionAbortedError' } }))).toEqual({ status: 'ABORTED' });
    const failed = Object.assign(new Error('failed'), { cause: Object.assign(new Error('A gating alarm is in ALARM (Writer moved)'), { name: 'GateAlarm' }) });
    expect(endingOf(failed)).toEqual({ status: 'FAILED', error: 'GateAlarm', cause: 'A gating alarm is in ALARM (Writer moved)' });
  });

  test('the Bake state machine is found by its workflow metadata, and named by its resolved ARN', () => {
    const json = Template.fromStack(buildFixture().stack).toJSON() as any;
    const bake = bakeMachineOf(json)!;
    expect(bake.asl.StartAt).toBe('Bake: start');
    expect(isNamed(bake, 'arn:aws:states:eu-west-1:111111111111:stateMachine:Target-Orchestrator-94D0E060-bake')).toBe(true);
    expect(isNamed(bake, 'arn:aws:states:eu-west-1:111111111111:stateMachine:Target-Orchestrator-94D0E060-cutover')).toBe(false);
    expect(childInput('{"remaining":30}')).toEqual({ remaining: 30 });
    expect(childInput({ remaining: 30 })).toEqual({ remaining: 30 });
  });
});
