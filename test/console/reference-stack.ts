import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { MigrationSide, PaymentMigration, PaymentProcessorImage } from '../../src';
import { bundlePeerRoutesHandler } from '../regional-network/bundle';
import { bundleHandler } from '../weighted-cutover/bundle';

export const ACCOUNT = '111111111111';
export const SOURCE_ALB_DNS = 'payments-123456789.us-east-1.elb.amazonaws.com';
export const SOURCE_ALB_FULL_NAME = 'app/payments/0123456789abcdef';
export const TARGET_ALB_DNS = 'paymenttarget-alb-987654321.eu-west-1.elb.amazonaws.com';
export const TARGET_ALB_FULL_NAME = 'app/PaymentTarget-alb/fedcba9876543210';

/**
 * The reference target stack (seed S1, as examples/reference builds it) with an approval before the switchover, and
 * the console outputs PaymentMigration adds.
 */
export function referenceTarget(): { stack: Stack; template: any } {
  bundleHandler();
  bundlePeerRoutesHandler();
  const stack = new Stack(new App(), 'PaymentTarget', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  new PaymentMigration(stack, 'Migration', {
    name: 'payments',
    side: MigrationSide.targetRegion({
      source: {
        region: 'us-east-1',
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        cidr: '10.0.0.0/16',
        routeTableIds: ['rtb-0123456789abcdef0'],
        loadBalancerDnsName: SOURCE_ALB_DNS,
        loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K',
        loadBalancerFullName: SOURCE_ALB_FULL_NAME,
        globalWriterEndpoint: 'payments-global.global-abc123.global.rds.amazonaws.com',
      },
      network: { cidr: '10.1.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
      fleet: {
        image: PaymentProcessorImage.fromRegistry('public.ecr.aws/acme/payment-processor:2026.11.1'),
        certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`),
      },
      dns: { zoneName: 'pay.example.com', recordNames: ['api', 'checkout'] },
      cutover: { approveBeforeSwitchover: true },
    }),
  });
  return { stack, template: Template.fromStack(stack).toJSON() };
}

/** What a deployment would make of the template's references (the names moto's resources get). */
export interface Deployed {
  readonly zoneId: string;
}

/** A deployment's values for `Ref` / `Fn::GetAtt` of the reference template's resources. */
export function resolver(template: any, deployed: Deployed): (value: unknown) => any {
  const resources: Record<string, any> = template.Resources;
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::StackName': 'PaymentTarget' };
  const ref = (id: string): string => {
    if (pseudo[id]) return pseudo[id];
    const r = resources[id];
    const p = r?.Properties ?? {};
    switch (r?.Type) {
      case 'AWS::StepFunctions::StateMachine': return `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:${p.StateMachineName ?? `PaymentTarget-${id}`}`;
      case 'AWS::SSM::Parameter': return p.Name ?? `CFN-PaymentTarget-${id}`;
      case 'AWS::CloudWatch::Alarm': return p.AlarmName ?? `PaymentTarget-${id}`;
      case 'AWS::Route53::HostedZone': return deployed.zoneId;
      case 'AWS::SNS::Topic': return `arn:aws:sns:eu-west-1:${ACCOUNT}:PaymentTarget-${id}`;
      case 'AWS::CloudWatch::Dashboard': return p.DashboardName ?? `PaymentTarget-${id}`;
      case 'AWS::RDS::DBCluster': return p.DBClusterIdentifier ?? id.toLowerCase();
      case 'AWS::DynamoDB::Table': return p.TableName ?? `PaymentTarget-${id}`;
      default: return id;
    }
  };
  const getAtt = (id: string, attr: string): string => {
    if (attr === 'LoadBalancerFullName') return TARGET_ALB_FULL_NAME;
    if (attr === 'DNSName') return TARGET_ALB_DNS;
    if (attr === 'DBClusterArn') return `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster:${ref(id)}`;
    if (attr === 'Arn' && resources[id]?.Type === 'AWS::CloudWatch::Alarm') return `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:${ref(id)}`;
    return `arn:aws:test:eu-west-1:${ACCOUNT}:${id}/${attr}`;
  };
  const resolve = (v: unknown): any => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, any>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const [k] = keys;
      const a = o[k];
      if (k === 'Ref') return ref(a);
      if (k === 'Fn::GetAtt') return getAtt(a[0], a[1]);
      if (k === 'Fn::Join') return (resolve(a[1]) as unknown[]).map(String).join(a[0]);
      if (k === 'Fn::Select') return resolve(a[1])[Number(a[0])];
      if (k === 'Fn::Split') return String(resolve(a[1])).split(a[0]);
      if (k === 'Fn::Sub') return String(Array.isArray(a) ? a[0] : a).replace(/\$\{([^}]+)\}/g, (_m, n: string) => pseudo[n] ?? ref(n));
    }
    return Object.fromEntries(keys.map((key) => [key, resolve(o[key])]));
  };
  return resolve;
}

/**
 * The reference template, synthesized once per change of the library's sources (cached in the temp directory, keyed
 * by a hash of src/ and this file): several console test files use it, and a synth takes seconds.
 */
export function referenceTemplate(): any {
  const root = path.join(__dirname, '..', '..');
  const hash = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.ts$/.test(entry.name)) hash.update(p).update(fs.readFileSync(p));
    }
  };
  walk(path.join(root, 'src'));
  hash.update(fs.readFileSync(__filename));
  const file = path.join(os.tmpdir(), `pm-console-reference-${hash.digest('hex').slice(0, 16)}.json`);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf-8'));
  const { template } = referenceTarget();
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(template));
  fs.renameSync(`${file}.tmp`, file);
  return template;
}
