import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { DmsReplicationProps } from './props';
import { allowUseThroughServices, createRegionalKey } from '../private/kms';

/** The replication's own key: instance storage, endpoint settings, task logs; DMS of this account may use it. @internal */
export function createDmsKey(scope: Construct, instanceId: string, removalPolicy: RemovalPolicy): kms.Key {
  const key = createRegionalKey(scope, 'Key', {
    description: `Encrypts the DMS replication ${instanceId}: instance storage, endpoint settings, task logs`,
    services: ['logs'],
    removalPolicy,
  });
  allowUseThroughServices(key, 'AllowDmsOfThisAccount', Stack.of(scope).account, `dms.${Stack.of(scope).region}.amazonaws.com`);
  return key;
}

/** The role DMS reads the two endpoint secrets through, and nothing else. @internal */
export function createSecretsAccessRole(scope: Construct, instanceId: string, props: DmsReplicationProps): iam.Role {
  const role = new iam.Role(scope, 'SecretsAccessRole', {
    description: `AWS DMS reads the source and target credentials of ${instanceId} (nothing else)`,
    assumedBy: new iam.ServicePrincipal(`dms.${Stack.of(scope).region}.amazonaws.com`, {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  });
  const statements = [
    new iam.PolicyStatement({
      sid: 'ReadTheTwoEndpointSecrets',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [props.datacenter.secret.secretFullArn!, props.aurora.secret.secretFullArn!],
    }),
  ];
  const keys = [
    props.datacenter.secretEncryptionKey ?? props.datacenter.secret.encryptionKey,
    props.aurora.secretEncryptionKey ?? props.aurora.secret.encryptionKey,
  ]
    .filter((k): k is kms.IKey => k !== undefined)
    .map((k) => k.keyArn);
  const uniqueKeys = [...new Set(keys)];
  if (uniqueKeys.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'DecryptTheSecretsThroughSecretsManager',
        actions: ['kms:Decrypt'],
        resources: uniqueKeys,
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` } },
      }),
    );
  }
  // A customer-managed policy rather than an inline one (PCI DSS / NIST IAMNoInlinePolicy).
  new iam.ManagedPolicy(scope, 'SecretsAccessPolicy', {
    description: `AWS DMS: read the two endpoint secrets of ${instanceId}`,
    roles: [role],
    statements,
  });
  return role;
}
