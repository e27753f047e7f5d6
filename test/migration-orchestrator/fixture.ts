import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  AuroraGlobalSecondary,
  AuroraSwitchoverOptions,
  CutoverGate,
  DatabaseSwitchover,
  MigrationOrchestrator,
  MigrationOrchestratorProps,
  RegionalNetwork,
  WeightedCutover,
} from '../../src';
import { healthyHostsAlarm, weightedShifter } from '../support/world';
import { bundleHandler } from '../weighted-cutover/bundle';

export interface Fixture {
  readonly stack: Stack;
  readonly orchestrator: MigrationOrchestrator;
  readonly cutover: WeightedCutover;
  readonly database: AuroraGlobalSecondary;
  readonly healthyHosts: cloudwatch.Alarm;
}

/**
 * The target region of seed S1: network, Aurora secondary, weighted records for two names, a healthy-hosts alarm
 * standing in for the fleet's, and the orchestrator gated on both with an Aurora switchover.
 */
export interface FixtureOptions {
  /** @default true */
  readonly switchover?: boolean;
  /** Options of the Aurora switchover. */
  readonly switchoverOptions?: AuroraSwitchoverOptions;
  /** Gates made from the fixture's own parts, instead of the database and healthy-hosts gates. */
  readonly gates?: (parts: { database: AuroraGlobalSecondary; healthyHosts: cloudwatch.Alarm }) => CutoverGate[];
}

export function buildFixture(props: Partial<MigrationOrchestratorProps> = {}, options: FixtureOptions = {}): Fixture {
  bundleHandler();
  const stack = new Stack(new App(), 'Target', { env: { account: '111111111111', region: 'eu-west-1' } });
  const network = new RegionalNetwork(stack, 'Network', { cidr: '10.1.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
  const database = new AuroraGlobalSecondary(stack, 'Database', { vpc: network.vpc, globalClusterIdentifier: 'payments-global', primaryRegion: 'us-east-1' });
  const healthyHosts = healthyHostsAlarm(stack, 2);
  const cutover = weightedShifter(stack, 'Dns', ['api', 'checkout']);
  const orchestrator = new MigrationOrchestrator(stack, 'Orchestrator', {
    shifter: cutover,
    gates: options.gates ? options.gates({ database, healthyHosts }) : [CutoverGate.auroraGlobalSecondary(database), CutoverGate.alarm(healthyHosts)],
    switchover: options.switchover === false ? undefined : DatabaseSwitchover.auroraGlobal(database, options.switchoverOptions),
    ...props,
  });
  return { stack, orchestrator, cutover, database, healthyHosts };
}

export function templateOf(f: Fixture): any {
  return Template.fromStack(f.stack).toJSON();
}
