import { awsError } from './aws-values';
import { CfnTemplate, resolveIntrinsics, ResolveOptions, workflowMachinesOf } from './resolve-template';

/*
 * The cutover runs each bake as a child execution of the Bake state machine, started and waited for with the
 * optimized integration `arn:aws:states:::states:startExecution.sync:2`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html). The rehearsal and the
 * simulation run the child as a nested local execution on the same virtual clock, and answer as Step Functions does:
 * - the child succeeded: the task's result is the child's DescribeExecution, with `Input` and `Output` as JSON
 *   (`.sync:2`; `.sync` would give them as strings);
 * - it did not: the task fails with `States.TaskFailed`, and its cause is that DescribeExecution as a JSON string —
 *   `Status`, and the child's `Error` and `Cause` when it has them. (How LocalStack, whose Step Functions tests are
 *   recorded against AWS, reports it too: `StateTaskServiceSfn._build_sync2_resolver`.)
 */

/** The Bake state machine of a template: its definition, and what its ARN may be resolved to. */
export interface ChildMachine {
  readonly asl: any;
  /** The logical id (what a `Ref` resolves to in the rehearsal's placeholders). */
  readonly logicalId: string;
  /** Its `StateMachineName`, when the template gives it. */
  readonly name?: string;
}

/** The template's Bake state machine (see {@link workflowMachinesOf}), if it has one. */
export function bakeMachineOf(template: CfnTemplate, options: ResolveOptions = {}): ChildMachine | undefined {
  const bake = workflowMachinesOf(template, options).bake;
  if (!bake) return undefined;
  const name = resolveIntrinsics(template.Resources[bake.logicalId]?.Properties?.StateMachineName, options);
  return { asl: bake.asl, logicalId: bake.logicalId, name: typeof name === 'string' ? name : undefined };
}

/** Whether a StartExecution request names this state machine (by its resolved ARN, or its placeholder). */
export function isNamed(machine: ChildMachine, stateMachineArn: unknown): boolean {
  const arn = String(stateMachineArn);
  return arn === machine.logicalId || (machine.name !== undefined && arn.endsWith(`:stateMachine:${machine.name}`));
}

/** A child execution as DescribeExecution describes it once it started. */
export interface ChildDescription {
  readonly ExecutionArn: string;
  readonly StateMachineArn: string;
  readonly Name: string;
  readonly Input: unknown;
  readonly StartDate: string;
}

/** How a child execution ended. */
export interface ChildEnding {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  readonly stopDate: string;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

/** The request's `Input`: JSON text or, through the optimized integration, the object itself. */
export function childInput(input: unknown): unknown {
  return typeof input === 'string' ? JSON.parse(input) : input ?? {};
}

/** What `startExecution.sync:2` answers once the child ended: its description, or `States.TaskFailed` with it. */
export function syncAnswer(description: ChildDescription, ending: ChildEnding): any {
  const described = {
    ...description,
    InputDetails: { Included: true },
    Status: ending.status,
    StopDate: ending.stopDate,
  };
  if (ending.status === 'SUCCEEDED') return { ...described, Output: ending.output, OutputDetails: { Included: true } };
  throw awsError('States.TaskFailed', JSON.stringify({
    ...described,
    ...(ending.error !== undefined ? { Error: ending.error } : {}),
    ...(ending.cause !== undefined ? { Cause: ending.cause } : {}),
  }));
}

/** How an aws-local-stepfunctions run ended, from its `result` promise's rejection. */
export function endingOf(e: any): { status: 'FAILED' | 'ABORTED'; error?: string; cause?: string } {
  if (e?.constructor?.name === 'ExecutionAbortedError') return { status: 'ABORTED' };
  return { status: 'FAILED', error: e?.cause?.name ?? e?.name, cause: e?.cause?.message ?? e?.message };
}
