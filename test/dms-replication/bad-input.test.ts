import { Duration, Fn } from 'aws-cdk-lib';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DmsReplication, DmsReplicationProps } from '../../src';
import { ACCOUNT, Control, expectAccepted, expectRefused, foreignKey, foreignTopic, newStack, nextId, OTHER_REGION, REGION, Row } from '../support/bad-input';
import { datacenterNetwork } from '../support/world';

// GIVEN one stack in eu-west-1: the network with the VPN to the datacenter, the Aurora target's security group
const stack = newStack('Dms');
const network = datacenterNetwork(stack);
const auroraSg = new ec2.SecurityGroup(stack, 'AuroraSg', { vpc: network.vpc, description: 'Aurora target', allowAllOutbound: false });
const secretArn = (region: string, name: string) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-AbCdEf`;
const secret = (arn: string) => secretsmanager.Secret.fromSecretCompleteArn(stack, nextId('Secret'), arn);
const DATACENTER = { host: '192.168.10.20', databaseName: 'payments', secret: secret(secretArn(REGION, 'dms/onprem')), certificateArn: `arn:aws:dms:${REGION}:${ACCOUNT}:cert:onprem-ca` };
const AURORA = { host: 'payments.cluster-abc.eu-west-1.rds.amazonaws.com', port: 3307, secret: secret(secretArn(REGION, 'dms/aurora')), connections: auroraSg };

function dms(id: string, props: Partial<DmsReplicationProps> | Record<string, unknown>): DmsReplication {
  return new DmsReplication(stack, id, { vpc: network.vpc, datacenter: DATACENTER, datacenterCidrs: ['192.168.10.0/24'], aurora: AURORA, ...props } as DmsReplicationProps);
}

const D = 'DmsReplication';
const rows: Row[] = [
  // --- Region mismatches
  ['a datacenter secret from another region', (id) => dms(id, { datacenter: { ...DATACENTER, secret: secret(secretArn(OTHER_REGION, 'dms/onprem')) } }), D,
    /`datacenter.secret` must be a secret in the stack's region eu-west-1 \(DMS reads secrets in its own region\), got: "arn:aws:secretsmanager:us-east-1:/],
  ['the datacenter secret\'s key from another region', (id) => dms(id, { datacenter: { ...DATACENTER, secretEncryptionKey: foreignKey(stack) } }), D,
    /`datacenter.secretEncryptionKey` must be in the stack's region eu-west-1 \(KMS keys are regional.*\), not us-east-1/],
  ['a secret imported with a key of another region', (id) => dms(id, {
    aurora: { ...AURORA, secret: secretsmanager.Secret.fromSecretAttributes(stack, nextId('S'), { secretCompleteArn: secretArn(REGION, 'dms/aurora'), encryptionKey: foreignKey(stack) }) },
  }), D, /`aurora.secret.encryptionKey` must be in the stack's region eu-west-1 .*not us-east-1/],
  ['a replication key from another region', (id) => dms(id, { encryptionKey: foreignKey(stack) }), D, /`encryptionKey` must be a key in the stack's region eu-west-1 \(KMS keys are regional\), got: "us-east-1"/],
  ['a notification topic from another region', (id) => dms(id, { notificationTopic: foreignTopic(stack) }), D, /`notificationTopic` must be in the stack's region eu-west-1 .*not us-east-1/],
  ['a DMS certificate from another region', (id) => dms(id, { datacenter: { ...DATACENTER, certificateArn: `arn:aws:dms:${OTHER_REGION}:${ACCOUNT}:cert:onprem-ca` } }), D, /`datacenter.certificateArn` must be a DMS certificate in the stack's region eu-west-1/],
  ['an alarm action on a topic of another region', (id) => dms(id, { alarmActions: [new actions.SnsAction(foreignTopic(stack))] }), D, /`alarmActions\[0\]` must notify a topic in the stack's region eu-west-1.*not us-east-1/],
  ['a partial secret ARN', (id) => dms(id, { datacenter: { ...DATACENTER, secret: secretsmanager.Secret.fromSecretPartialArn(stack, nextId('S'), `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:dms/onprem`) } }), D,
    /`datacenter.secret` must be referenced by its complete ARN/],
  ['a complete ARN with a short account id (aws-cdk-lib refuses one without its suffix)', (id) => dms(id, { datacenter: { ...DATACENTER, secret: secret('arn:aws:secretsmanager:eu-west-1:1234:secret:dms/onprem-AbCdEf') } }), D,
    /`datacenter.secret` must be a complete Secrets Manager ARN, `arn:aws:secretsmanager:<region>:<12-digit account>:secret:<name>-AbCdEf`, got: "arn:aws:secretsmanager:eu-west-1:1234:secret:dms\/onprem-AbCdEf"/],

  // --- Strings that are almost right
  ['a datacenter host with a port', (id) => dms(id, { datacenter: { ...DATACENTER, host: 'db1.dc1.example.net:3306' } }), D, /`datacenter.host` must be a host name without a port \(`host:port`\): give the port in `datacenter.port`, got: "db1.dc1.example.net:3306"/],
  ['an IP and port as the datacenter host', (id) => dms(id, { datacenter: { ...DATACENTER, host: '192.168.10.20:3306' } }), D, /`datacenter.host` must be a host name without a port.*got: "192.168.10.20:3306"/],
  ['a datacenter host with a scheme', (id) => dms(id, { datacenter: { ...DATACENTER, host: 'mysql://db1.dc1.example.net' } }), D, /`datacenter.host` must be a host name, without a scheme/],
  ['localhost as the datacenter host', (id) => dms(id, { datacenter: { ...DATACENTER, host: 'localhost' } }), D, /`datacenter.host` must be the on-premises database, not a loopback address.*got: "localhost"/],
  ['an Aurora endpoint with a port', (id) => dms(id, { aurora: { ...AURORA, host: `${AURORA.host}:3307` } }), D, /`aurora.host` must be a host name without a port \(`host:port`\): give the port in `aurora.port`/],
  ['a datacenter host outside the datacenter CIDRs', (id) => dms(id, { datacenter: { ...DATACENTER, host: '192.168.99.20' } }), D, /`datacenter.host` must lie inside `datacenterCidrs` \(192.168.10.0\/24\).*got: "192.168.99.20"/],
  ['a datacenter CIDR overlapping the VPC', (id) => dms(id, { datacenterCidrs: ['10.1.0.0/24'], datacenter: { ...DATACENTER, host: 'db1.dc1.example.net' } }), D, /`datacenterCidrs\[0\]` must not overlap the VPC's CIDR 10.1.0.0\/16/],
  ['an instance class without the dms. prefix', (id) => dms(id, { replicationInstanceClass: 'r6i.large' }), D, /`replicationInstanceClass` must be a DMS instance class such as dms.r6i.large, got: "r6i.large"/],
  ['SSL switched off', (id) => dms(id, { datacenter: { ...DATACENTER, sslMode: 'none' as any, certificateArn: undefined } }), D, /`datacenter.sslMode` must not be NONE/],

  // --- Units and scales
  ['a CDC threshold in milliseconds', (id) => dms(id, { cdcLatencyThreshold: Duration.millis(500) }), D, /`cdcLatencyThreshold` must be at least 1 second: DMS reports CDCLatencySource and CDCLatencyTarget in whole seconds.*got: "500 millis"/],
  ['a CDC threshold of hours', (id) => dms(id, { cdcLatencyThreshold: Duration.hours(2) }), D, /`cdcLatencyThreshold` must be at most 60 minutes.*got: "2 hours"/],
  ['a CDC threshold of zero', (id) => dms(id, { cdcLatencyThreshold: Duration.seconds(0) }), D, /`cdcLatencyThreshold` must be more than 0 seconds, got: "0 seconds"/],
  ['storage in TiB', (id) => dms(id, { allocatedStorage: 10000 }), D, /`allocatedStorage` must be a whole number of GiB between 5 and 6144, got: 10000/],
  ['evaluation periods beyond a day', (id) => dms(id, { alarmEvaluationPeriods: 2000 }), D, /`alarmEvaluationPeriods` must be at most 1440: CloudWatch evaluates at most a day.*got: 2000/],
  ['evaluation periods of zero', (id) => dms(id, { alarmEvaluationPeriods: 0 }), D, /`alarmEvaluationPeriods` must be a positive integer, got: 0/],

  // --- Plain JavaScript callers
  ['datacenter CIDRs as one string', (id) => dms(id, { datacenterCidrs: '192.168.10.0/24' as any }), D, /`datacenterCidrs` must be a list \(array\) of strings, got: "192.168.10.0\/24"/],
  ['no datacenter', (id) => dms(id, { datacenter: undefined }), D, /`datacenter` is required: it must be an object, got: undefined/],
  ['a datacenter without its secret', (id) => dms(id, { datacenter: { ...DATACENTER, secret: undefined } }), D, /`datacenter.secret` is required: it must be an object, got: undefined/],
  ['a secret ARN where a secret is asked', (id) => dms(id, { datacenter: { ...DATACENTER, secret: secretArn(REGION, 'dms/onprem') as any } }), D, /`datacenter.secret` must be an object, got: "arn:aws:secretsmanager:/],
  ['a port as a string', (id) => dms(id, { datacenter: { ...DATACENTER, port: '3306' as any } }), D, /`datacenter.port` must be a number, got: "3306"/],
  ['an Aurora port missing', (id) => dms(id, { aurora: { ...AURORA, port: undefined } }), D, /`aurora.port` is required: it must be a number, got: undefined/],
  ['schemas as one string', (id) => dms(id, { includedSchemas: 'payments' as any }), D, /`includedSchemas` must be a list \(array\) of strings, got: "payments"/],
  ['a CDC threshold as a number of seconds', (id) => dms(id, { cdcLatencyThreshold: 5 as any }), D, /`cdcLatencyThreshold` must be a Duration.*got: 5/],
  ['storage as a string', (id) => dms(id, { allocatedStorage: '100' as any }), D, /`allocatedStorage` must be a number, got: "100"/],
  ['reverse replication as a string', (id) => dms(id, { reverseReplication: 'true' as any }), D, /`reverseReplication` must be a boolean \(true or false\), got: "true"/],
];

const controls: Control[] = [
  ['a CDC threshold of 1 second, and one of 60 minutes', (id) => {
    dms(`${id}a`, { cdcLatencyThreshold: Duration.seconds(1), replicationInstanceIdentifier: `a-${id.toLowerCase()}` });
    dms(`${id}b`, { cdcLatencyThreshold: Duration.minutes(60), replicationInstanceIdentifier: `b-${id.toLowerCase()}` });
  }],
  ['a datacenter host name, and hosts as tokens', (id) => {
    dms(`${id}a`, { datacenter: { ...DATACENTER, host: 'db1.dc1.example.net' }, replicationInstanceIdentifier: `c-${id.toLowerCase()}` });
    dms(`${id}b`, { datacenter: { ...DATACENTER, host: Fn.importValue('DcHost') }, aurora: { ...AURORA, host: Fn.importValue('AuroraHost') }, replicationInstanceIdentifier: `d-${id.toLowerCase()}` });
  }],
  ['storage at its limits (5 and 6144 GiB)', (id) => {
    dms(`${id}a`, { allocatedStorage: 5, replicationInstanceIdentifier: `e-${id.toLowerCase()}` });
    dms(`${id}b`, { allocatedStorage: 6144, replicationInstanceIdentifier: `f-${id.toLowerCase()}` });
  }],
];

describe('DmsReplication: bad input is refused at synth time', () => {
  test.each(rows)('%s', (...row) => expectRefused(stack, row as Row));
});

describe('DmsReplication: inputs near the limits, and tokens, are accepted', () => {
  test.each(controls)('%s', (...control) => expectAccepted(control as Control));
});
