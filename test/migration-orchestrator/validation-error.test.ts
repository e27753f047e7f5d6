import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  CutoverGate, CutoverSteps, DatabaseSwitchover, MigrationOrchestrator, MigrationOrchestratorProps, PaymentMigrationErrors,
  RegionalNetwork, RegionalNetworkProps, ValidationFailure,
} from '../../src';
import { PaymentMigrationValidationError } from '../../src/private/validation-error';
import { shifterIn, stackIn } from '../accelerator-cutover/fixture';
import { ACCOUNT, AZS, errorOf, newStack, REGION } from '../support/bad-input';
import { threeMinuteAlarm, weightedShifter } from '../support/world';
import { bundleHandler } from '../weighted-cutover/bundle';

// GIVEN one stack with a weighted shifter, an alarm and a writer parameter, shared by every row
bundleHandler();
const stack = newStack('Errors');
const shifter = weightedShifter(stack);
const alarm = threeMinuteAlarm(stack, 'Errors', 'Payments', 'Errors');
const writer = ssm.StringParameter.fromStringParameterName(stack, 'Writer', '/payments/database/writer');
// a replication without a reverse task: what the writer move refuses (the factory recognises it by these members)
const forwardOnly = { replicationTaskArn: `arn:aws:dms:${REGION}:${ACCOUNT}:task:forward`, replicationTaskIdentifier: 'forward', replicationInstanceIdentifier: 'payments' } as any;
const accelerator = shifterIn(stackIn());

function network(id: string, props: Record<string, unknown>): RegionalNetwork {
  return new RegionalNetwork(stack, id, { cidr: '10.1.0.0/16', availabilityZones: AZS, ...props } as RegionalNetworkProps);
}
function orchestrator(id: string, props: Record<string, unknown>): MigrationOrchestrator {
  return new MigrationOrchestrator(stack, id, { shifter, gates: [CutoverGate.alarm(alarm)], ...props } as MigrationOrchestratorProps);
}

/**
 * [style, what is refused, component, construct path (undefined for a factory), the first failures by field, whether the
 * message prints each failure as `` `prop` rule, got: value `` (an accessor's message is a sentence of its own)].
 */
type Case = [string, () => unknown, string, string | undefined, Array<Partial<ValidationFailure>>, boolean?];

const cases: Case[] = [
  ['Validator (a construct\'s rules)', () => network('BadCidr', { cidr: '10.1.0.1/16' }), 'RegionalNetwork', 'Errors/BadCidr',
    [{ prop: 'cidr', rule: 'must be an IPv4 CIDR block with no host bits set, such as 10.1.0.0/16', value: '"10.1.0.1/16"' }]],
  ['requireShapes (a construct\'s prop shapes)', () => network('NumberCidr', { cidr: 10 }), 'RegionalNetwork', 'Errors/NumberCidr',
    [{ prop: 'cidr', rule: 'must be a string', value: '10' }]],
  ['requireFactoryShapes (a factory, no construct yet)', () => CutoverSteps.fromSteps(undefined as any), 'CutoverSteps.fromSteps', undefined,
    [{ prop: 'steps', rule: 'is required: it must be a list (array)', value: 'undefined' }]],
  ['Validator (a factory\'s rules)', () => CutoverGate.healthyTargets({ targetGroupArn: 'arn' } as any, 0), 'CutoverGate.healthyTargets', undefined,
    [{ prop: 'minimum', rule: 'must be a positive integer (the number of healthy targets)', value: '0' }]],
  ['Validator at a path (a factory that creates a construct)', () => CutoverGate.highResolutionMetric(stack, 'HiRes', { metric: 'failed' as any, threshold: 2 }),
    'CutoverGate.highResolutionMetric', 'Errors/HiRes', [{ prop: 'metric', value: '"failed"' }]],
  ['CutoverSteps\' rules, through the orchestrator', () => orchestrator('NoHundred', { steps: CutoverSteps.of([25, 50]) }), 'MigrationOrchestrator', 'Errors/NoHundred',
    [{ prop: 'steps', rule: 'must end at 100' }]],
  ['splitFor (WeightedCutover)', () => shifter.splitFor(101), 'WeightedCutover.splitFor', 'Errors/Dns',
    [{ prop: 'targetPercent', value: '101' }]],
  ['splitFor (AcceleratorCutover)', () => accelerator.splitFor(-5), 'AcceleratorCutover.splitFor', 'Target/Edge',
    [{ prop: 'targetPercent', value: '-5' }]],
  ['a factory\'s rule after its shapes (the writer move)', () => DatabaseSwitchover.dmsWriterMove(forwardOnly, { writerParameter: writer }), 'DatabaseSwitchover.dmsWriterMove', undefined,
    [{ prop: 'replication', rule: 'must prepare the reverse task (DmsReplication `reverseReplication: true`): without it a rollback after the writer moved would lose the payments written to Aurora', value: undefined }]],
  ['an accessor the configuration does not support', () => network('NoVpn', {}).metricVpnTunnelState(), 'RegionalNetwork.metricVpnTunnelState', 'Errors/NoVpn',
    [{ prop: 'onPremises.vpnConnectionId', rule: 'must be given for metricVpnTunnelState(): the tunnels are the VPN connection\'s', value: 'undefined' }]],
];

describe('one validation error, testable by its fields', () => {
  test.each(cases)('%s', (_style, build, component, constructPath, failures, listed = true) => {
    // WHEN
    const error = errorOf(build);
    // THEN the library's error, its fields agreeing with its message
    expect(error).toBeInstanceOf(PaymentMigrationValidationError);
    expect(error).toBeInstanceOf(Error);
    expect(PaymentMigrationErrors.isValidationError(error)).toBe(true);
    if (!PaymentMigrationErrors.isValidationError(error)) return;
    expect(error.component).toBe(component);
    expect(error.constructPath).toBe(constructPath);
    expect(error.failures.length).toBeGreaterThanOrEqual(failures.length);
    failures.forEach((expected, i) => {
      for (const [field, value] of Object.entries(expected)) {
        expect(error.failures[i][field as keyof ValidationFailure]).toBe(value);
      }
    });
    for (const f of listed ? error.failures : []) {
      expect(error.message).toContain(PaymentMigrationValidationError.line(f));
    }
  });

  test('every failure of one construct is in one error, in the order of its message', () => {
    const error = errorOf(() => network('Two', { cidr: '10.1.0.1/16', natGateways: 7 })) as PaymentMigrationValidationError;
    expect(error.failures.map((f) => f.prop)).toEqual(['cidr', 'natGateways']);
    expect(error.message.split('\n').slice(1)).toEqual(error.failures.map((f) => `- ${PaymentMigrationValidationError.line(f)}`));
  });

  test('other errors are not validation errors', () => {
    expect(PaymentMigrationErrors.isValidationError(new Error('boom'))).toBe(false);
    expect(PaymentMigrationErrors.isValidationError(undefined)).toBe(false);
    expect(PaymentMigrationErrors.isValidationError('`cidr` must be a string')).toBe(false);
  });
});
