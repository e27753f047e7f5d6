import { Duration, Fn, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as rds from 'aws-cdk-lib/aws-rds';
import {
  AuroraGlobalCluster, AuroraGlobalClusterProps, AuroraGlobalSecondary, AuroraGlobalSecondaryProps,
  RegionalNetwork,
} from '../../src';
import { AZS, Control, expectAccepted, expectRefused, foreignKey, foreignTopic, newStack, Row } from '../support/bad-input';

// GIVEN one stack in eu-west-1 with one network, shared by every row
const stack = newStack('Database');
const network = new RegionalNetwork(stack, 'Network', { cidr: '10.1.0.0/16', availabilityZones: AZS });

function cluster(id: string, props: Partial<AuroraGlobalClusterProps> | Record<string, unknown>): AuroraGlobalCluster {
  return new AuroraGlobalCluster(stack, id, {
    sourceClusterArn: 'arn:aws:rds:eu-west-1:111111111111:cluster:payments',
    globalClusterIdentifier: 'payments-global',
    ...props,
  } as AuroraGlobalClusterProps);
}
function secondary(id: string, props: Partial<AuroraGlobalSecondaryProps> | Record<string, unknown>): AuroraGlobalSecondary {
  return new AuroraGlobalSecondary(stack, id, { vpc: network.vpc, globalClusterIdentifier: 'payments-global', primaryRegion: 'us-east-1', ...props } as AuroraGlobalSecondaryProps);
}

const GC = 'AuroraGlobalCluster';
const GS = 'AuroraGlobalSecondary';
const rows: Row[] = [
  // --- AuroraGlobalCluster
  ['a primary cluster in another region', (id) => cluster(id, { sourceClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:payments' }), GC,
    /`sourceClusterArn` must be a cluster in this stack's region eu-west-1.*got: "arn:aws:rds:us-east-1:111111111111:cluster:payments"/],
  ['a primary given as an instance ARN', (id) => cluster(id, { sourceClusterArn: 'arn:aws:rds:eu-west-1:111111111111:db:payments-1' }), GC, /`sourceClusterArn` must be the ARN of an Aurora DB cluster.*got: "arn:aws:rds:eu-west-1:111111111111:db:payments-1"/],
  ['a primary given by its identifier only', (id) => cluster(id, { sourceClusterArn: 'payments' }), GC, /`sourceClusterArn` must be the ARN of an Aurora DB cluster.*got: "payments"/],
  ['a global identifier with a double hyphen', (id) => cluster(id, { globalClusterIdentifier: 'payments--global' }), GC, /`globalClusterIdentifier` must be 1–63 letters, digits or hyphens.*got: "payments--global"/],
  ['a primary ARN as a number', (id) => cluster(id, { sourceClusterArn: 42 as any }), GC, /`sourceClusterArn` must be a string, got: 42/],
  ['no global identifier', (id) => cluster(id, { globalClusterIdentifier: undefined as any }), GC, /`globalClusterIdentifier` is required: it must be a string, got: undefined/],

  // --- AuroraGlobalSecondary: regions
  ['a primary region equal to the stack\'s', (id) => secondary(id, { primaryRegion: 'eu-west-1' }), GS, /`primaryRegion` must differ from the stack's region eu-west-1.*got: "eu-west-1"/],
  ['a primary region that is no region name', (id) => secondary(id, { primaryRegion: 'us-east1' }), GS, /`primaryRegion` must be a region name such as us-east-1, got: "us-east1"/],
  ['a key from the primary\'s region', (id) => secondary(id, { encryptionKey: foreignKey(stack) }), GS, /`encryptionKey` must be a key in the stack's region eu-west-1: a secondary needs a region-local key, got: "us-east-1"/],
  // --- units
  ['a lag threshold in seconds meant as milliseconds', (id) => secondary(id, { replicationLagThreshold: Duration.seconds(500) }), GS,
    /`replicationLagThreshold` must be at least 1 millisecond and at most 60 seconds.*milliseconds meant\? use Duration.millis.*got: "8 minutes 20 seconds"/],
  ['a lag threshold of minutes', (id) => secondary(id, { replicationLagThreshold: Duration.minutes(5) }), GS, /`replicationLagThreshold` must be at least 1 millisecond and at most 60 seconds.*got: "5 minutes"/],
  ['a lag threshold under a millisecond', (id) => secondary(id, { replicationLagThreshold: Duration.millis(0.5) }), GS, /`replicationLagThreshold` must be at least 1 millisecond/],
  ['lag evaluated over more than a day', (id) => secondary(id, { replicationLagEvaluationPeriods: 2000 }), GS, /`replicationLagEvaluationPeriods` must be at most 1440.*got: 2000/],
  ['a lag alarm action on a topic of another region', (id) => secondary(id, { alarmActions: [new actions.SnsAction(foreignTopic(stack))] }), GS, /`alarmActions\[0\]` must notify a topic in the stack's region eu-west-1.*not us-east-1/],
  ['a monitoring interval RDS does not offer', (id) => secondary(id, { monitoringInterval: Duration.seconds(45) }), GS, /`monitoringInterval` must be one of 1, 5, 10, 15, 30, 60 seconds, got: "45 seconds"/],
  ['backups kept 0 days', (id) => secondary(id, { backupRetention: Duration.days(0) }), GS, /`backupRetention` must be a whole number of days between 1 and 35, got: "0 days"/],
  // --- almost right
  ['a global writer endpoint with a port', (id) => secondary(id, { globalWriterEndpoint: 'payments-global.global-abc123.global.rds.amazonaws.com:3306' }), GS,
    /`globalWriterEndpoint` must be a host name without a port \(`host:port`\), got: "payments-global.global-abc123.global.rds.amazonaws.com:3306"/],
  ['a global writer endpoint with a scheme', (id) => secondary(id, { globalWriterEndpoint: 'mysql://payments-global.global-abc123.global.rds.amazonaws.com' }), GS, /`globalWriterEndpoint` must be a host name, without a scheme/],
  ['the standard MySQL port', (id) => secondary(id, { port: 3306 }), GS, /`port` must not be the default MySQL port 3306.*got: 3306/],
  ['a headless secondary with instances', (id) => secondary(id, { headless: true, instances: 2 }), GS, /`instances` must not be set for a headless secondary.*got: 2/],
  // --- plain JavaScript
  ['an engine version as a string', (id) => secondary(id, { engineVersion: '8.0.mysql_aurora.3.10.0' as any }), GS, /`engineVersion` must be an object, got: "8.0.mysql_aurora.3.10.0"/],
  ['instances as a string', (id) => secondary(id, { instances: '2' as any }), GS, /`instances` must be a number, got: "2"/],
  ['a backup retention as a number of days', (id) => secondary(id, { backupRetention: 7 as any }), GS, /`backupRetention` must be a Duration.*got: 7/],
  ['a lag threshold as a number', (id) => secondary(id, { replicationLagThreshold: 500 as any }), GS, /`replicationLagThreshold` must be a Duration.*got: 500/],
  ['evaluation periods as a token', (id) => secondary(id, { replicationLagEvaluationPeriods: Lazy.number({ produce: () => 3 }) }), GS,
    /`replicationLagEvaluationPeriods` must be a number known at synth time, not a token: a cutover's bakes are checked against the evaluation window.*got: <token>/],
  ['no VPC', (id) => secondary(id, { vpc: undefined }), GS, /`vpc` is required: it must be an object, got: undefined/],
  // --- values from context (issue 20)
  ['a removal policy in upper case from cdk.json', (id) => secondary(id, { removalPolicy: 'DESTROY' as any }), GS, /`removalPolicy` must be a RemovalPolicy \(from cdk\.json context, the string of one: "destroy".*got: "DESTROY"/],
  ['deletion protection with RemovalPolicy.DESTROY', (id) => secondary(id, { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true }), GS,
    /`deletionProtection` must not be true with `removalPolicy: RemovalPolicy\.DESTROY`: CloudFormation could not delete the protected cluster.*got: true/],
];

const controls: Control[] = [
  ['a global cluster from a primary of the stack\'s region', (id) => cluster(id, { globalClusterIdentifier: `g-${id.toLowerCase()}` })],
  ['a primary ARN as a token', (id) => cluster(id, { sourceClusterArn: Fn.importValue('PrimaryArn'), globalClusterIdentifier: `g-${id.toLowerCase()}` })],
  ['a lag threshold of 60 s and one of 1 ms', (id) => {
    secondary(`${id}a`, { replicationLagThreshold: Duration.seconds(60), clusterIdentifier: `a-${id.toLowerCase()}` });
    secondary(`${id}b`, { replicationLagThreshold: Duration.millis(1), clusterIdentifier: `b-${id.toLowerCase()}` });
  }],
  ['a global writer endpoint as a token', (id) => secondary(id, { globalWriterEndpoint: Fn.importValue('GlobalWriter'), engineVersion: rds.AuroraMysqlEngineVersion.VER_3_10_0, clusterIdentifier: `c-${id.toLowerCase()}` })],
];

describe('AuroraGlobalCluster and AuroraGlobalSecondary: bad input is refused at synth time', () => {
  test.each(rows)('%s', (...row) => expectRefused(stack, row as Row));
});

describe('AuroraGlobalCluster and AuroraGlobalSecondary: inputs near the limits, and tokens, are accepted', () => {
  test.each(controls)('%s', (...control) => expectAccepted(control as Control));
});
