import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AuroraTargetCluster, AuroraTargetClusterProps, RegionalNetwork } from '../../src';
import { AZS, Control, expectAccepted, expectRefused, foreignKey, foreignTopic, newStack, Row } from '../support/bad-input';

// GIVEN one stack in eu-west-1 with one network, shared by every row
const stack = newStack('Database');
const network = new RegionalNetwork(stack, 'Network', { cidr: '10.1.0.0/16', availabilityZones: AZS });

function target(id: string, props: Partial<AuroraTargetClusterProps> | Record<string, unknown>): AuroraTargetCluster {
  return new AuroraTargetCluster(stack, id, { vpc: network.vpc, ...props } as AuroraTargetClusterProps);
}

const TC = 'AuroraTargetCluster';
const rows: Row[] = [
  ['a CPU threshold as a fraction', (id) => target(id, { cpuAlarmThreshold: 0.8 }), TC, /`cpuAlarmThreshold` must be a percentage \(80 means 80 %\), at least 1: a value below 1 reads as a fraction.*got: 0.8/],
  ['a CPU threshold above 100', (id) => target(id, { cpuAlarmThreshold: 120 }), TC, /`cpuAlarmThreshold` must be a percentage above 0 and at most 100, got: 120/],
  ['a replica-lag threshold in seconds meant as milliseconds', (id) => target(id, { replicaLagAlarmThreshold: Duration.seconds(200) }), TC, /`replicaLagAlarmThreshold` must be at least 1 millisecond and at most 60 seconds.*got: "3 minutes 20 seconds"/],
  ['a key from another region', (id) => target(id, { encryptionKey: foreignKey(stack) }), TC, /`encryptionKey` must be a key in the stack's region eu-west-1.*got: "us-east-1"/],
  ['an alarm action on a topic of another region', (id) => target(id, { alarmActions: [new actions.SnsAction(foreignTopic(stack))] }), TC, /`alarmActions\[0\]` must notify a topic in the stack's region eu-west-1.*not us-east-1/],
  ['a reserved master user name', (id) => target(id, { masterUsername: 'rdsadmin' }), TC, /`masterUsername` must be 1–16 letters or digits.*got: "rdsadmin"/],
  ['the standard PostgreSQL port', (id) => target(id, { engine: 'postgresql' as any, port: 5432 }), TC, /`port` must not be the default PostgreSQL port 5432.*got: 5432/],
  ['readers as a string', (id) => target(id, { readers: '2' as any }), TC, /`readers` must be a number, got: "2"/],
  ['a backup retention as a number', (id) => target(id, { backupRetention: 7 as any }), TC, /`backupRetention` must be a Duration.*got: 7/],
  ['a connections threshold of 0', (id) => target(id, { connectionsAlarmThreshold: 0 }), TC, /`connectionsAlarmThreshold` must be a positive integer, got: 0/],
  ['no VPC', (id) => target(id, { vpc: undefined }), TC, /`vpc` is required: it must be an object, got: undefined/],
  ['a removal policy as a word from cdk.json', (id) => target(id, { removalPolicy: 'delete' as any }), TC, /`removalPolicy` must be a RemovalPolicy.*got: "delete"/],
  ['deletion protection with "destroy" from cdk.json', (id) => target(id, { removalPolicy: 'destroy' as any, deletionProtection: true }), TC,
    /`deletionProtection` must not be true with `removalPolicy: RemovalPolicy\.DESTROY`.*got: true/],
];

const controls: Control[] = [
  ['"destroy" from cdk.json, without deletion protection', (id) => target(id, { removalPolicy: 'destroy' as any, deletionProtection: false, clusterIdentifier: `d-${id.toLowerCase()}` })],
  ['RemovalPolicy.SNAPSHOT with deletion protection (the defaults, spelled out)', (id) => target(id, { removalPolicy: RemovalPolicy.SNAPSHOT, deletionProtection: true, clusterIdentifier: `s-${id.toLowerCase()}` })],
  ['a CPU threshold of 1 % and a replica lag of 60 s', (id) => target(id, { cpuAlarmThreshold: 1, replicaLagAlarmThreshold: Duration.seconds(60), clusterIdentifier: `t-${id.toLowerCase()}` })],
];

describe('AuroraTargetCluster: bad input is refused at synth time', () => {
  test.each(rows)('%s', (...row) => expectRefused(stack, row as Row));
});

describe('AuroraTargetCluster: inputs near the limits, and tokens, are accepted', () => {
  test.each(controls)('%s', (...control) => expectAccepted(control as Control));
});
