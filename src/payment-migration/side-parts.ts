import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FleetOptions } from './side-options';
import { PaymentFleet } from '../payment-fleet/payment-fleet';
import { PaymentFleetProps } from '../payment-fleet/payment-fleet-props';
import { RegionalNetwork } from '../regional-network/regional-network';
import { RegionalNetworkOptions, RegionalNetworkProps } from '../regional-network/regional-network-props';

/** What every part of a side that receives traffic is given: where its alarms go, and what a teardown removes. */
export interface SideParts {
  readonly scope: Construct;
  readonly alarmActions: cloudwatch.IAlarmAction[];
  readonly removalPolicy?: RemovalPolicy;
  /** The topic the side's alarms and cutover notify, when the user gives one. */
  readonly alarmTopic?: sns.ITopic;
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
