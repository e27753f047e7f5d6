import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { addConsoleOutputs, ConsoleOutputParts } from './console-outputs';
import { createMigrationDashboard, DashboardParts } from './dashboard';
import { CutoverOptions, FleetOptions } from './side-options';
import { MigrationOrchestrator } from '../migration-orchestrator/migration-orchestrator';
import { ITrafficShifter } from '../migration-orchestrator/traffic-shifter';
import { PaymentFleet } from '../payment-fleet/payment-fleet';
import { PaymentFleetProps } from '../payment-fleet/payment-fleet-props';
import { RegionalNetwork } from '../regional-network/regional-network';
import { RegionalNetworkOptions, RegionalNetworkProps } from '../regional-network/regional-network-props';
import { WeightedCutover } from '../weighted-cutover/weighted-cutover';

/** What every part of a side that receives traffic is given: where its alarms go, and what a teardown removes. */
export interface SideParts {
  readonly scope: Construct;
  readonly alarmActions: cloudwatch.IAlarmAction[];
  readonly removalPolicy?: RemovalPolicy;
  /** The topic the side's alarms and cutover notify, when the user gives one. */
  readonly alarmTopic?: sns.ITopic;
}

/** Whether the cutover ends with the database phase (`side.cutover.switchover`, true by default). @internal */
export function databasePhase(cutover: CutoverOptions | undefined): boolean {
  return cutover?.switchover ?? true;
}

/** The side's network: the user's options, the payment fleet's endpoints, and how it reaches the source. @internal */
export function sideNetwork(p: SideParts, options: RegionalNetworkOptions, reach: Pick<RegionalNetworkProps, 'peering' | 'onPremises'>): RegionalNetwork {
  return new RegionalNetwork(p.scope, 'Network', {
    ...options,
    removalPolicy: p.removalPolicy,
    alarmActions: p.alarmActions,
    interfaceEndpoints: RegionalNetwork.paymentFleetEndpoints(),
    ...reach,
  });
}

/** The side's fleet in the network's public and private subnets: the user's options, and what writes where. @internal */
export function sideFleet(p: SideParts, network: RegionalNetwork, options: FleetOptions, database: Partial<PaymentFleetProps>): PaymentFleet {
  return new PaymentFleet(p.scope, 'Fleet', {
    ...options,
    alarmActions: p.alarmActions,
    vpc: network.vpc,
    publicSubnets: network.publicSubnets,
    applicationSubnets: network.privateSubnets,
    removalPolicy: p.removalPolicy,
    deletionProtection: p.removalPolicy === RemovalPolicy.DESTROY ? false : undefined,
    ...database,
  });
}

/** The runbook's sections and the dashboard's name as stack outputs. @internal */
export function runbookOutputs(scope: Construct, runbook: Record<string, string>, dashboardName: string): void {
  for (const [name, text] of Object.entries(runbook)) {
    new CfnOutput(scope, name, { value: text, description: `Migration runbook: ${name.replace('Runbook', '')}` });
  }
  new CfnOutput(scope, 'DashboardName', { value: dashboardName, description: 'Migration dashboard' });
}

/** What a side's dashboard, runbook and console outputs are about, and what each side adds to them. @internal */
export interface SideOutputParts {
  readonly orchestrator: MigrationOrchestrator;
  readonly dns: WeightedCutover;
  readonly shifter: ITrafficShifter;
  readonly fleet: PaymentFleet;
  /** The side's own parts of the dashboard (its title, replication widgets, …). */
  readonly dashboard: Omit<DashboardParts, 'fleet' | 'orchestrator' | 'shifterDescription'>;
  /** The runbook's sections (read once the dashboard is there). */
  readonly runbook: () => Record<string, string>;
  /** The side's own parts of the console's outputs (the source region and clusters, or the writer parameter and DMS tasks). */
  readonly console: Omit<ConsoleOutputParts, 'orchestrator' | 'dns' | 'shifter' | 'dashboard' | 'targetLoadBalancer'>;
}

/**
 * A side's closing outputs: the migration dashboard, the runbook's sections and the dashboard's name, the writer
 * parameter's name (on-premises), and what the operator console reads. Returns the dashboard. @internal
 */
export function sideOutputs(scope: Construct, p: SideOutputParts): cloudwatch.Dashboard {
  const { orchestrator, dns, shifter, fleet } = p;
  const dashboard = createMigrationDashboard(scope, { ...p.dashboard, fleet, orchestrator, shifterDescription: shifter.description });
  runbookOutputs(scope, p.runbook(), dashboard.dashboardName);
  const writerParameter = p.console.writerParameter;
  if (writerParameter) {
    new CfnOutput(scope, 'WriterParameterName', { value: writerParameter.parameterName, description: 'Where the fleet writes (SOURCE, FENCED, TARGET)' });
  }
  // what the operator console (`payment-migration --stack …`) reads: every name it needs, no ARN copied by hand
  addConsoleOutputs(scope, { ...p.console, orchestrator, dns, shifter, dashboard, targetLoadBalancer: fleet.loadBalancer });
  return dashboard;
}
