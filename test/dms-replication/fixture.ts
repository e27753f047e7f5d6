import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { RegionalNetwork } from '../../src';
import { DmsReplication, DmsReplicationProps } from '../../src/dms-replication';
import { datacenterNetwork } from '../support/world';

/** Shared by the DmsReplication test files: a target-region stack with the network, the VPN and the Aurora SG. */
export const REGION = 'eu-west-1';
export const ACCOUNT = '111111111111';
export const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
export const SOURCE_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:dms/onprem-payments-AbCdEf`;
export const TARGET_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:dms/aurora-payments-GhIjKl`;
export const CERT_ARN = `arn:aws:dms:${REGION}:${ACCOUNT}:cert:onprem-ca`;
export const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUexample\n-----END CERTIFICATE-----\n';

/**
 * The target endpoint's credentials: the target secret, read through the replication's secrets access role. A
 * function: jest's `expect` exists only inside a test run, and the bench builds its templates from these fixtures.
 */
export const targetSecretAccess = () => ({
  SecretsManagerSecretId: TARGET_SECRET_ARN,
  SecretsManagerAccessRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^DmsSecretsAccessRole/), 'Arn'] },
});

/** A CDC latency alarm's figures (forward and reverse tasks alike): Maximum of 60 s above 5 s, 3 of 3. */
export const CDC_LATENCY_ALARM = {
  Statistic: 'Maximum',
  Period: 60,
  Threshold: 5,
  ComparisonOperator: 'GreaterThanThreshold',
  EvaluationPeriods: 3,
  DatapointsToAlarm: 3,
};

export interface Fixture {
  readonly stack: Stack;
  readonly network: RegionalNetwork;
  readonly targetSg: ec2.SecurityGroup;
  readonly props: DmsReplicationProps;
}

/** A target-region stack: the network with the VPN to the datacenter, the Aurora target's security group. */
export function fixture(overrides: (f: Omit<Fixture, 'props'>) => Partial<DmsReplicationProps> = () => ({})): Fixture {
  const stack = new Stack(new App(), 'Target', { env: { account: ACCOUNT, region: REGION } });
  const network = datacenterNetwork(stack);
  const targetSg = new ec2.SecurityGroup(stack, 'AuroraSg', { vpc: network.vpc, description: 'Aurora target', allowAllOutbound: false });
  const base = { stack, network, targetSg };
  const props: DmsReplicationProps = {
    vpc: network.vpc,
    datacenter: {
      host: '192.168.10.20',
      databaseName: 'payments',
      secret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'SourceSecret', SOURCE_SECRET_ARN),
      certificateArn: CERT_ARN,
    },
    datacenterCidrs: ['192.168.10.0/24'],
    aurora: {
      host: 'payments.cluster-abc.eu-west-1.rds.amazonaws.com',
      port: 3307,
      secret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'TargetSecret', TARGET_SECRET_ARN),
      connections: targetSg,
    },
    ...overrides(base),
  };
  return { ...base, props };
}

export function build(overrides: (f: Omit<Fixture, 'props'>) => Partial<DmsReplicationProps> = () => ({})) {
  const f = fixture(overrides);
  const dms = new DmsReplication(f.stack, 'Dms', f.props);
  return { ...f, dms, template: Template.fromStack(f.stack) };
}

export function only(template: Template, type: string, props: Record<string, unknown> = {}): any {
  const found = Object.values(template.findResources(type, props));
  expect(found).toHaveLength(1);
  return found[0];
}

export function endpoint(template: Template, endpointType: 'source' | 'target'): any {
  return only(template, 'AWS::DMS::Endpoint', { Properties: { EndpointType: endpointType } }).Properties;
}

export function taskSettings(template: Template): any {
  return JSON.parse(only(template, 'AWS::DMS::ReplicationTask').Properties.ReplicationTaskSettings);
}


/** The properties of the one endpoint whose logical id starts with `Dms<id>`. */
export function endpointById(template: Template, id: string): any {
  const found = Object.entries(template.findResources('AWS::DMS::Endpoint')).filter(([logicalId]) => new RegExp(`^Dms${id}[0-9A-F]{8}$`).test(logicalId));
  expect(found).toHaveLength(1);
  return found[0][1].Properties;
}

/** The one replication task whose logical id starts with `Dms<id>`. */
export function taskById(template: Template, id: 'Task' | 'ReverseTask'): any {
  const found = Object.entries(template.findResources('AWS::DMS::ReplicationTask')).filter(([logicalId]) => new RegExp(`^Dms${id}[0-9A-F]{8}$`).test(logicalId));
  expect(found).toHaveLength(1);
  return found[0][1];
}
