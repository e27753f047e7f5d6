import { Aws, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** AWS services that may use a region-local key on behalf of this account. */
export type KeyService = 'logs' | 'rds' | 'ec2';

/**
 * A customer-managed key, with rotation, for the services listed. Services act through `kms:ViaService` in this
 * region for this account only; CloudWatch Logs (which calls KMS itself) is limited to this account's log groups.
 * @internal
 */
export function createRegionalKey(
  scope: Construct,
  id: string,
  props: { readonly description: string; readonly services: KeyService[]; readonly removalPolicy: RemovalPolicy },
): kms.Key {
  const key = new kms.Key(scope, id, {
    description: props.description,
    enableKeyRotation: true,
    removalPolicy: props.removalPolicy,
  });
  denyGrantsExceptToAwsServices(key);
  const via = props.services.filter((s) => s !== 'logs').map((s) => `${s}.${Aws.REGION}.amazonaws.com`);
  if (via.length > 0) {
    allowUseThroughServices(key, 'AllowUseThroughServicesOfThisAccount', Aws.ACCOUNT_ID, via);
  }
  if (props.services.includes('logs')) {
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
  }
  return key;
}

/**
 * Lets the services named by `viaService` (`kms:ViaService`) use the key for `account` (`kms:CallerAccount`): encrypt,
 * decrypt, generate data keys, create grants, describe.
 * @internal
 */
export function allowUseThroughServices(key: kms.IKey, sid: string, account: string, viaService: string | string[]): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': viaService },
      },
    }),
  );
}

/**
 * Grants on the key only for AWS resources or by AWS services (AWS Control Tower CT.KMS.PR.3): a principal that may
 * use the key cannot hand that use to another principal with `kms:CreateGrant`. EBS, RDS, DMS and Secrets Manager
 * create their grants for AWS resources, which the statement lets through.
 * @internal
 */
export function denyGrantsExceptToAwsServices(key: kms.IKey): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyGrantsExceptForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
}

/**
 * The region of a key when it is known at synth time and differs from the stack's, else undefined.
 * @internal
 */
export function foreignKeyRegion(scope: Construct, key: kms.IKey | undefined): string | undefined {
  if (!key) return undefined;
  const stackRegion = Stack.of(scope).region;
  const keyRegion = key.env.region;
  if (Token.isUnresolved(stackRegion) || Token.isUnresolved(keyRegion)) return undefined;
  return keyRegion !== stackRegion ? keyRegion : undefined;
}
