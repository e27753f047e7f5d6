/**
 * Seeds S1–S3 ask that every resource carries its environment: a suffix on every name, a tag on everything. The CDK
 * way, proved here on the reference migrations: `Tags.of(stack)` reaches every taggable resource the library creates
 * (what its custom resources create included), and two migrations of different `name`s deploy side by side in one
 * account and Region without a physical-name collision.
 *
 * "Taggable" is read from the CloudFormation resource schemas cfn-lint ships (the Python package the compliance
 * tests run): a type is taggable when its schema says so (`tagging.taggable`, on `tagging.tagProperty`), or, for a
 * schema without `tagging`, when it has a `Tags` property.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { buildOnPremisesMigration } from '../../../examples/on-premises/app';
import { buildReferenceMigration } from '../../../examples/reference/app';
import { MigrationSide, PaymentMigration, PaymentProcessorImage } from '../../../src';
import { bundlePeerRoutesHandler } from '../../regional-network/bundle';
import { bundleHandler } from '../../weighted-cutover/bundle';

type Resource = { Type: string; Properties?: any; Metadata?: Record<string, unknown> };
interface Synthesized { readonly stack: Stack; readonly resources: Record<string, Resource> }

// --- The resource schemas (cfn-lint's: `data/schemas/providers/<region>.py` maps a type to its schema file)
const SCHEMAS = path.join(
  execFileSync('python3', ['-c', 'import cfnlint, os; print(os.path.dirname(cfnlint.__file__))'], { encoding: 'utf-8' }).trim(),
  'data', 'schemas',
);
const providerIndex = new Map<string, Map<string, string>>();
function schemaOf(type: string, region: string): any {
  const file = (r: string) => path.join(SCHEMAS, 'providers', `${r.replace(/-/g, '_')}.py`);
  const index = providerIndex.get(region) ?? new Map([...fs.readFileSync(file(fs.existsSync(file(region)) ? region : 'us-east-1'), 'utf-8')
    .matchAll(/"([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)": "([0-9a-f]+)"/g)].map((m) => [m[1], m[2]] as [string, string]));
  providerIndex.set(region, index);
  const id = index.get(type);
  if (!id) throw new Error(`cfn-lint has no schema for ${type} in ${region}`);
  return JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'resources', `${id}.json`), 'utf-8'));
}

/** The property that holds a type's tags, or undefined when the type takes none. */
function tagPropertyOf(type: string, region: string): string | undefined {
  const schema = schemaOf(type, region);
  const tagging = schema.tagging;
  if (tagging ? tagging.taggable === false : !schema.properties.Tags) return undefined;
  const property = String(tagging?.tagProperty ?? '/properties/Tags').replace('/properties/', '');
  return schema.properties[property] ? property : undefined;
}

/** Whether `tags` ([{Key, Value}] or { key: value }) holds `key` = `value`. */
function carries(tags: unknown, key: string, value: string): boolean {
  if (Array.isArray(tags)) return tags.some((t) => t?.Key === key && t?.Value === value);
  return typeof tags === 'object' && tags !== null && (tags as Record<string, unknown>)[key] === value;
}

/**
 * What each custom resource of the library creates in AWS, and where it puts the tags it is given. A custom
 * resource missing here fails the test: say what it creates.
 */
const CUSTOM_RESOURCES: Record<string, { readonly creates: string; readonly tags?: (props: any) => unknown }> = {
  'Custom::WeightedRecords': { creates: 'AWS::Route53::RecordSet' },
  'Custom::PeerRoutes': { creates: 'AWS::EC2::Route' },
  'Custom::DatabaseWriterParameter': { creates: 'AWS::SSM::Parameter', tags: (p) => JSON.parse(p.Create).parameters.Tags },
};

// --- The reference migrations, every stack tagged
const TAG = { key: 'env', value: 'x' };
function synthesize(build: (app: App) => unknown): Synthesized[] {
  const app = new App();
  build(app);
  const stacks = app.node.findAll().filter(Stack.isStack);
  for (const stack of stacks) Tags.of(stack).add(TAG.key, TAG.value);
  return stacks.map((stack) => ({ stack, resources: Template.fromStack(stack).toJSON().Resources }));
}

bundleHandler();
bundlePeerRoutesHandler();
const APPS: Array<[string, Synthesized[]]> = [
  ['cross-region (Route 53)', synthesize((app) => buildReferenceMigration(app, undefined, 'dns'))],
  ['cross-region (Global Accelerator)', synthesize((app) => buildReferenceMigration(app, undefined, 'global-accelerator'))],
  ['on-premises (Route 53)', synthesize((app) => buildOnPremisesMigration(app, undefined, 'dns'))],
  ['on-premises (load balancer)', synthesize((app) => buildOnPremisesMigration(app, undefined, 'load-balancer'))],
];
const where = (s: Synthesized, id: string) => `${s.stack.stackName}/${s.resources[id].Metadata?.['aws:cdk:path'] ?? id}`;
const each = (all: Synthesized[]) => all.flatMap((s) => Object.keys(s.resources).map((id) => ({ s, id, r: s.resources[id] })));

describe.each(APPS)('Tags.of(stack) on the %s reference migration', (_, synthesized) => {
  test('reaches every resource whose CloudFormation type takes tags', () => {
    // GIVEN every stack tagged env=x (above), THEN every taggable resource carries it
    const checked = each(synthesized).filter(({ s, r }) => !r.Type.startsWith('Custom::') && tagPropertyOf(r.Type, s.stack.region));
    expect(checked.length).toBeGreaterThan(20);
    const untagged = checked
      .filter(({ s, r }) => !carries(r.Properties?.[tagPropertyOf(r.Type, s.stack.region)!], TAG.key, TAG.value))
      .map(({ s, id, r }) => `${r.Type} ${where(s, id)}`);
    expect(untagged).toEqual([]);
  });

  test('every custom resource is known: what it creates, and whether that takes tags', () => {
    const unknown = each(synthesized).filter(({ r }) => r.Type.startsWith('Custom::') && !CUSTOM_RESOURCES[r.Type]);
    expect(unknown.map(({ s, id, r }) => `${r.Type} ${where(s, id)}`)).toEqual([]);
  });

  test('a custom resource that creates a taggable resource passes the tags on (or creates nothing taggable)', () => {
    const custom = each(synthesized).filter(({ r }) => r.Type.startsWith('Custom::') && r.Type !== 'Custom::DatabaseWriterParameter');
    for (const { s, r } of custom) {
      const { creates, tags } = CUSTOM_RESOURCES[r.Type];
      if (tagPropertyOf(creates, s.stack.region)) expect(carries(tags?.(r.Properties), TAG.key, TAG.value)).toBe(true);
    }
  });

  test('every Lambda function logs to a log group of the template (none is created untagged at run time)', () => {
    expect(implicitLogGroups(synthesized)).toEqual([]);
  });
});

/** Where each Lambda function that names no log group of its template runs (Lambda then creates one, untagged). */
function implicitLogGroups(all: Synthesized[]): string[] {
  return each(all)
    .filter(({ s, r }) => {
      if (r.Type !== 'AWS::Lambda::Function') return false;
      const ref = r.Properties?.LoggingConfig?.LogGroup?.Ref;
      return !ref || s.resources[ref]?.Type !== 'AWS::Logs::LogGroup';
    })
    .map(({ s, id }) => where(s, id));
}

// aws-cdk-lib's CallAwsServiceCrossRegion (the Global Accelerator calls, src/accelerator-cutover) makes a singleton
// function with no log group of its own (Lambda would create `/aws/lambda/<function>` on first run, untagged and kept
// forever): AcceleratorCutover gives it one, encrypted and kept a year, through its LoggingConfig.
const CROSS_REGION_CALL = /\/CrossRegionAwsSdk[0-9a-f]{32}/;
test('the Global Accelerator calls\' function (CallAwsServiceCrossRegion) logs to a log group of the template', () => {
  const [, accelerated] = APPS[1];
  expect(implicitLogGroups(accelerated).filter((at) => CROSS_REGION_CALL.test(at))).toEqual([]);
});

// The writer parameter (on-premises path) is made by an AwsCustomResource's PutParameter: SSM parameters take tags, and
// DatabaseWriterParameter is taggable (ITaggable), so `Tags.of(stack)` reaches the PutParameter's Tags.
test('the writer parameter\'s PutParameter passes the stack\'s tags to the SSM parameter it creates', () => {
  const [, onPremises] = APPS[2];
  const writers = each(onPremises).filter(({ r }) => r.Type === 'Custom::DatabaseWriterParameter');
  expect(writers.length).toBeGreaterThan(0);
  expect(tagPropertyOf('AWS::SSM::Parameter', 'us-east-1')).toBe('Tags');
  for (const { r } of writers) expect(carries(CUSTOM_RESOURCES[r.Type].tags!(r.Properties), TAG.key, TAG.value)).toBe(true);
});

// --- Two migrations side by side in one account and Region
const ACCOUNT = '111111111111';

/** A second cross-region migration, `refunds`, in the same account and Regions as the reference's `payments`. */
function buildRefunds(app: App): void {
  const source = new Stack(app, 'RefundsSource', { env: { account: ACCOUNT, region: 'us-east-1' } });
  new PaymentMigration(source, 'Migration', {
    name: 'refunds',
    side: MigrationSide.sourceRegion({ primaryClusterArn: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:refunds` }),
  });
  const target = new Stack(app, 'RefundsTarget', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  new PaymentMigration(target, 'Migration', {
    name: 'refunds',
    side: MigrationSide.targetRegion({
      source: {
        region: 'us-east-1',
        vpcId: 'vpc-0123456789abcdef0',
        cidr: '10.8.0.0/16',
        routeTableIds: ['rtb-0a1b2c3d4e5f60718'],
        loadBalancerDnsName: 'refunds-123456789.us-east-1.elb.amazonaws.com',
        loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K',
        loadBalancerFullName: 'app/refunds/0123456789abcdef',
        globalWriterEndpoint: 'refunds-global.global-def456.global.rds.amazonaws.com',
      },
      network: { cidr: '10.9.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
      fleet: {
        image: PaymentProcessorImage.fromRegistry('public.ecr.aws/acme/refund-processor:1'),
        certificate: acm.Certificate.fromCertificateArn(target, 'Certificate', `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`),
      },
      dns: { zoneName: 'refunds.example.com', recordNames: ['api'] },
    }),
  });
}

/** A template value as deployed into ACCOUNT: pseudo parameters filled in, another resource's value unique to it. */
function resolve(v: any, stack: Stack): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map((x) => resolve(x, stack)).join(',');
  const [fn] = Object.keys(v ?? {});
  const arg = v?.[fn];
  const pseudo: Record<string, string> = { 'AWS::StackName': stack.stackName, 'AWS::Region': stack.region, 'AWS::AccountId': ACCOUNT, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };
  if (fn === 'Ref') return pseudo[arg] ?? `<${stack.region}/${stack.stackName}/${arg}>`;
  if (fn === 'Fn::GetAtt') return `<${stack.region}/${stack.stackName}/${[arg].flat().join('.')}>`;
  if (fn === 'Fn::Join') return (arg[1] as any[]).map((x) => resolve(x, stack)).join(arg[0]);
  if (fn === 'Fn::Select') return resolve(arg[1], stack).split(',')[Number(arg[0])];
  if (fn === 'Fn::Split') return resolve(arg[1], stack).split(arg[0]).join(',');
  return `<${stack.stackName}/${JSON.stringify(v)}>`;
}

/**
 * Name-like properties that are not the resource's own physical name: a reference to another resource or to an
 * AWS-owned thing, a label, or a name AWS lets several resources share.
 */
const NOT_A_PHYSICAL_NAME = new Set([
  'EngineName', 'DatabaseName', 'ServiceName', 'MetricName', 'DisplayName', 'CACertificateIdentifier', 'VPCZoneIdentifier',
  'SourceDBClusterIdentifier', 'AutomationTargetParameterName', 'AutoScalingGroupName', 'DBClusterParameterGroupName',
  'DBSubnetGroupName', 'ReplicationSubnetGroupIdentifier', 'DBParameterGroupName', 'KmsKeyId', 'TargetGroupName',
  'AWS::SSM::Association/Name', // the SSM document the association runs
  'AWS::RDS::DBCluster/GlobalClusterIdentifier', 'AWS::RDS::DBInstance/DBClusterIdentifier', // membership: refers to the cluster
  'AWS::EC2::FlowLog/LogGroupName', 'AWS::Logs::MetricFilter/LogGroupName', 'AWS::Logs::SubscriptionFilter/LogGroupName', // refer to a log group
  'AWS::Route53::HostedZone/Name', // Route 53 allows several hosted zones of one name (the user gives it)
  'AWS::IAM::Policy/PolicyName', // an inline policy: its name is unique within its role only
]);

/** Every physical name the stacks ask for: `<namespace> <type>.<property> = <value>`, and where. */
function physicalNames(all: Synthesized[]): Array<{ key: string; at: string }> {
  const names: Array<{ key: string; at: string }> = [];
  const push = (s: Synthesized, type: string, property: string, value: string, at: string) => {
    // IAM names are unique per account, S3 bucket names globally, the rest per account and Region
    const space = type.startsWith('AWS::IAM::') ? ACCOUNT : type === 'AWS::S3::Bucket' ? 'global' : `${ACCOUNT}/${s.stack.region}`;
    names.push({ key: `${space} ${type}.${property} = ${value}`, at });
  };
  for (const s of all) {
    push(s, 'AWS::CloudFormation::Stack', 'StackName', s.stack.stackName, s.stack.stackName);
    for (const [id, r] of Object.entries(s.resources)) {
      const at = where(s, id);
      for (const [property, value] of Object.entries<any>(r.Properties ?? {})) {
        if (!/(Name|Identifier)$/.test(property) || NOT_A_PHYSICAL_NAME.has(property) || NOT_A_PHYSICAL_NAME.has(`${r.Type}/${property}`)) continue;
        push(s, r.Type, property, resolve(value, s.stack), at);
      }
      if (r.Type === 'Custom::DatabaseWriterParameter') push(s, 'AWS::SSM::Parameter', 'Name', JSON.parse(r.Properties.Create).parameters.Name, at);
      if (r.Type === 'Custom::WeightedRecords') {
        for (const { Record: rec } of r.Properties.Records) {
          push(s, 'AWS::Route53::RecordSet', 'Name', `${resolve(r.Properties.HostedZoneId, s.stack)} ${rec.Name} ${rec.Type} ${rec.SetIdentifier}`, at);
        }
      }
    }
  }
  return names;
}

describe('two migrations of different names in one account and Region', () => {
  // GIVEN the cross-region reference (`payments`) and a second one (`refunds`) in the same account and Regions, and the
  // on-premises reference's two stages (`payments-legacy-sync`, `payments-aws-production`) as if in that account too.
  // The DmsServiceRoles stacks are left out: DMS's service roles have fixed names, one pair per account by design.
  const side = [
    ...synthesize((app) => { buildReferenceMigration(app); buildRefunds(app); }),
    ...synthesize((app) => buildOnPremisesMigration(app)).filter((s) => !s.stack.stackName.startsWith('DmsServiceRoles')),
  ];
  // WHEN every physical name they ask for is collected
  const names = physicalNames(side);

  test('the collection sees the names the library derives from `name` and from the construct path', () => {
    const keys = names.map((n) => n.key).join('\n');
    expect(keys).toMatch(/AWS::RDS::GlobalCluster\.GlobalClusterIdentifier = payments-global$/m);
    expect(keys).toMatch(/AWS::RDS::GlobalCluster\.GlobalClusterIdentifier = refunds-global$/m);
    expect(keys).toMatch(/AWS::SSM::Parameter\.Name = \/payments-aws-production\/database\/writer$/m);
    expect(keys).toMatch(/AWS::DMS::ReplicationTask\.ReplicationTaskIdentifier = /);
    expect(keys).toMatch(/AWS::StepFunctions::StateMachine\.StateMachineName = /);
    expect(keys).toMatch(/AWS::RDS::DBCluster\.DBClusterIdentifier = /);
    expect(new Set(side.map((s) => s.stack.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
  });

  test('THEN no two resources ask for the same physical name', () => {
    const seen = new Map<string, string[]>();
    for (const n of names) seen.set(n.key, [...seen.get(n.key) ?? [], n.at]);
    const collisions = [...seen].filter(([, at]) => at.length > 1).map(([key, at]) => `${key}: ${at.join(' and ')}`);
    expect(collisions).toEqual([]);
  });
});
