import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { onPremises, target } from './fixtures';
import { MigrationSide, PaymentMigration, TrafficShifting } from '../../src';
import { nagFindings } from '../support/nag';

const KEEPS = ['Retain', 'Snapshot', 'RetainExceptOnCreate'];
const ACCELERATOR = 'arn:aws:globalaccelerator::111111111111:accelerator/1234abcd-abcd-1234-abcd-1234abcdef00';
const ACCELERATED = {
  acceleratorArn: ACCELERATOR,
  acceleratorDnsName: 'a1234567890abcdef.awsglobalaccelerator.com',
  sourceEndpointGroupArn: `${ACCELERATOR}/listener/0123abcd/endpoint-group/aaaa1111`,
  targetEndpointGroupArn: `${ACCELERATOR}/listener/0123abcd/endpoint-group/bbbb2222`,
};

function sourceRegion(removalPolicy?: RemovalPolicy) {
  const stack = new Stack(new App(), 'Source', { env: { account: '111111111111', region: 'us-east-1' } });
  new PaymentMigration(stack, 'Migration', {
    name: 'payments',
    side: MigrationSide.sourceRegion({ primaryClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:payments' }),
    removalPolicy,
  });
  return { stack, template: Template.fromStack(stack) };
}

const SIDES: Array<[string, (p?: RemovalPolicy) => { stack: Stack; template: Template }]> = [
  ['source region', (p) => sourceRegion(p)],
  ['target region', (p) => target({}, 'eu-west-1', undefined, p)],
  ['target region, Global Accelerator shifting', (p) => target({ shifting: TrafficShifting.globalAccelerator(ACCELERATED) }, 'eu-west-1', undefined, p)],
  ['datacenter to AWS', (p) => onPremises(() => ({}), p)],
];

/** Resources that keep something when deleted or replaced: `<logical id> <type> <DeletionPolicy>/<UpdateReplacePolicy>`. */
function kept(template: Template): string[] {
  return Object.entries<any>(template.toJSON().Resources)
    .filter(([, r]) => KEEPS.includes(r.DeletionPolicy) || KEEPS.includes(r.UpdateReplacePolicy))
    .map(([id, r]) => `${id} ${r.Type} ${r.DeletionPolicy}/${r.UpdateReplacePolicy}`);
}

/** Resources that would refuse a deletion: `<logical id> <type>`. */
function protectedFromDeletion(template: Template): string[] {
  return Object.entries<any>(template.toJSON().Resources)
    .filter(([, r]) =>
      r.Properties?.DeletionProtection === true ||
      r.Properties?.DeletionProtectionEnabled === true ||
      (r.Properties?.LoadBalancerAttributes ?? []).some((a: any) => a.Key === 'deletion_protection.enabled' && a.Value === 'true'))
    .map(([id, r]) => `${id} ${r.Type}`);
}

const deletionPolicies = (template: Template, type: string) => Object.values(template.findResources(type)).map((r) => r.DeletionPolicy ?? 'Delete');

describe('PaymentMigration removalPolicy: DESTROY, the teardown opt-out for non-production stages', () => {
  describe.each(SIDES)('%s', (_, build) => {
    const { stack, template } = build(RemovalPolicy.DESTROY);

    test('no resource is retained or snapshotted on deletion or replacement', () => {
      expect(Object.keys(template.toJSON().Resources).length).toBeGreaterThan(0);
      expect(kept(template)).toEqual([]);
    });

    test('no resource refuses deletion (databases, global cluster, load balancer)', () => {
      expect(protectedFromDeletion(template)).toEqual([]);
    });

    test('every bucket is emptied before it is deleted', () => {
      const buckets = Object.keys(template.findResources('AWS::S3::Bucket'));
      const emptied = Object.values(template.findResources('Custom::S3AutoDeleteObjects')).map((r) => r.Properties.BucketName.Ref);
      expect(new Set(emptied)).toEqual(new Set(buckets));
      // emptying works only on versions no default retention still locks (Object Lock itself stays on)
      for (const bucket of Object.values(template.findResources('AWS::S3::Bucket')) as any[]) {
        expect(bucket.Properties.ObjectLockConfiguration?.Rule).toBeUndefined();
      }
    });

    test('zero unacknowledged findings in the three nag packs', () => {
      expect(nagFindings(stack)).toEqual([]);
    });
  });

  test('the datacenter side: databases, keys and log groups are deleted, with no final snapshot', () => {
    const { template } = onPremises(() => ({}), RemovalPolicy.DESTROY);
    for (const type of ['AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::S3::Bucket']) {
      const policies = deletionPolicies(template, type);
      expect(policies.length).toBeGreaterThan(0);
      expect(new Set(policies)).toEqual(new Set(['Delete']));
    }
  });

  test('any other value keeps the safe defaults', () => {
    expect(kept(onPremises(() => ({}), RemovalPolicy.RETAIN).template)).toEqual(kept(onPremises().template));
  });
});

describe('PaymentMigration without removalPolicy: the safe defaults for payment data', () => {
  test.each(SIDES)('%s: keys, log groups, buckets and the global cluster retained; databases snapshotted; deletion protection on', (name, build) => {
    const { template } = build();
    for (const type of ['AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::S3::Bucket', 'AWS::RDS::GlobalCluster']) {
      expect(deletionPolicies(template, type).filter((p) => p !== 'Retain')).toEqual([]);
    }
    expect(deletionPolicies(template, 'AWS::RDS::DBCluster').filter((p) => p !== 'Snapshot')).toEqual([]);
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    if (name === 'source region') {
      expect(deletionPolicies(template, 'AWS::RDS::GlobalCluster')).toEqual(['Retain']);
      expect(protectedFromDeletion(template)).toEqual([expect.stringMatching(/AWS::RDS::GlobalCluster$/)]);
    } else {
      expect(deletionPolicies(template, 'AWS::KMS::Key').length).toBeGreaterThan(0);
      expect(deletionPolicies(template, 'AWS::S3::Bucket').length).toBeGreaterThan(0);
      expect(deletionPolicies(template, 'AWS::RDS::DBCluster')).toEqual(['Snapshot']);
      const protectedTypes = protectedFromDeletion(template).map((p) => p.split(' ')[1]).sort();
      // the cutover record (the one-cutover lock) is protected too, unless removalPolicy is DESTROY
      expect(protectedTypes).toEqual(['AWS::DynamoDB::Table', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::RDS::DBCluster']);
    }
  });
});

describe('the datacenter side\'s writer parameter is deleted with the stack in every mode (a stack created again creates it)', () => {
  test.each([['without removalPolicy', undefined], ['with DESTROY', RemovalPolicy.DESTROY], ['with RETAIN', RemovalPolicy.RETAIN]])('%s', (_, policy) => {
    const writers = Object.values(onPremises(() => ({}), policy).template.findResources('Custom::DatabaseWriterParameter')) as any[];
    expect(writers).toHaveLength(1);
    // aws-cdk-lib's AwsCustomResource renders the delete call as JSON: the parameter is deleted, a missing one ignored
    expect(JSON.parse(writers[0].Properties.Delete)).toMatchObject({ service: 'SSM', action: 'deleteParameter', ignoreErrorCodesMatching: 'ParameterNotFound' });
  });
});
