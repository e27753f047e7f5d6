import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { CutoverGate, MigrationOrchestrator } from '../../src';
import { AcceleratorCutover } from '../../src/accelerator-cutover';
import { CfnTemplate, stateMachinesOf } from '../../src/rehearsal/resolve-template';

export const ACCELERATOR = 'arn:aws:globalaccelerator::111111111111:accelerator/1234abcd-abcd-1234-abcd-1234abcdefgh';
export const SOURCE_GROUP = `${ACCELERATOR}/listener/0123abcd/endpoint-group/aaaa1111`;
export const TARGET_GROUP = `${ACCELERATOR}/listener/0123abcd/endpoint-group/bbbb2222`;

export function stackIn(region = 'eu-west-1'): Stack {
  return new Stack(new App(), 'Target', { env: { account: '111111111111', region } });
}

export function shifterIn(stack: Stack): AcceleratorCutover {
  return new AcceleratorCutover(stack, 'Edge', {
    acceleratorArn: ACCELERATOR,
    sourceEndpointGroupArn: SOURCE_GROUP,
    targetEndpointGroupArn: TARGET_GROUP,
  });
}

/** A MigrationOrchestrator (steps 25/50/75/100, one gating alarm) that shifts with an AcceleratorCutover. */
export function orchestratedStack(): { stack: Stack; shifter: AcceleratorCutover; template: any; machines: Record<string, any> } {
  const stack = stackIn();
  const shifter = shifterIn(stack);
  const alarm = new cloudwatch.Alarm(stack, 'Errors', {
    metric: new cloudwatch.Metric({ namespace: 'Payments', metricName: 'Errors', period: Duration.minutes(1) }),
    threshold: 1,
    evaluationPeriods: 1,
  });
  new MigrationOrchestrator(stack, 'Orchestrator', { shifter, gates: [CutoverGate.alarm(alarm)] });
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  return { stack, shifter, template, machines: stateMachinesOf(template) };
}

/** One state machine: a Pass that sets `$.split` (the dials of a target percentage, or a split as given), then the fragment. */
export function fragmentMachine(
  target: number | { sourceWeight: number; targetWeight: number },
  options: { pollInterval?: Duration; timeout?: Duration } = {},
): { stack: Stack; asl: any } {
  const stack = stackIn();
  const shifter = shifterIn(stack);
  const split = typeof target === 'number' ? shifter.splitFor(target) : target;
  const set = new sfn.Pass(stack, 'SetSplit', { parameters: { 'split': split, 'input.$': '$' } });
  new sfn.StateMachine(stack, 'Machine', {
    definitionBody: sfn.DefinitionBody.fromChainable(set.next(shifter.shiftFragment(stack, 'Shift', options))),
  });
  const machines = stateMachinesOf(Template.fromStack(stack).toJSON() as CfnTemplate);
  return { stack, asl: Object.values(machines)[0] };
}

