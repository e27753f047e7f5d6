import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PaymentProcessorImage } from './container-image';
import { denyGrantsExceptToAwsServices } from '../private/kms';
import { acknowledge } from '../private/nag';

/**
 * A key for the fleet's EBS volumes, log groups and topic, usable by the services that need it.
 * @internal
 */
export function createFleetKey(scope: Construct, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, 'Key', {
    description: `Encrypts the EBS volumes, logs and notifications of the payment fleet ${scope.node.path}`,
    enableKeyRotation: true,
    removalPolicy,
  });
  denyGrantsExceptToAwsServices(key);
  // EC2 Auto Scaling launches instances with its service-linked role, which has no access to customer-managed keys
  // unless the key policy grants it. The role is matched by condition rather than named as principal: KMS rejects
  // a policy naming a role that does not exist yet, and the role is created with the account's first group.
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
  const autoScalingRole = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
  const asPrincipal = { StringEquals: { 'aws:PrincipalArn': autoScalingRole, 'kms:CallerAccount': Aws.ACCOUNT_ID } };
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowAutoScalingServiceLinkedRoleUseOfTheKey',
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
    resources: ['*'],
    conditions: asPrincipal,
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowAutoScalingServiceLinkedRoleGrantsForAwsResources',
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { ...asPrincipal, Bool: { 'kms:GrantIsForAWSResource': true } },
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsOfThisAccount',
    principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` },
    },
  }));
  // Alarm actions publish to the encrypted notification topic.
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
  }));
  return key;
}

/** What the instances need at run time. */
export interface FleetPermissionOptions {
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly image: PaymentProcessorImage;
  readonly databaseSecret?: secretsmanager.ISecret;
  readonly parameterNames?: string[];
}

/**
 * Customer-managed policies (not inline: PCI DSS 3.2.1 / NIST 800-53 r5 IAMNoInlinePolicy, not AWS-managed:
 * AwsSolutions-IAM4) for Session Manager and the payment processor's run-time needs.
 * @internal
 */
export function attachFleetPolicies(scope: Construct, options: FleetPermissionOptions): void {
  const stack = Stack.of(scope);
  const sessionManager = new iam.ManagedPolicy(scope, 'SessionManagerPolicy', {
    description: 'Session Manager agent on the payment fleet (replaces SSH; no key pairs, no port 22)',
    roles: [options.role],
    statements: [
      new iam.PolicyStatement({
        sid: 'SsmAgent',
        actions: [
          'ssm:UpdateInstanceInformation',
          'ssmmessages:CreateControlChannel',
          'ssmmessages:CreateDataChannel',
          'ssmmessages:OpenControlChannel',
          'ssmmessages:OpenDataChannel',
          'ec2messages:AcknowledgeMessage',
          'ec2messages:DeleteMessage',
          'ec2messages:FailMessage',
          'ec2messages:GetEndpoint',
          'ec2messages:GetMessages',
          'ec2messages:SendReply',
        ],
        resources: ['*'],
      }),
    ],
  });
  acknowledge(sessionManager, {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'The Session Manager agent actions (ssm:UpdateInstanceInformation, ssmmessages:*Channel, ec2messages:*) do not ' +
      'support resource-level permissions; they are the minimum of AmazonSSMManagedInstanceCore and replace SSH (PCI DSS 2.2.7).',
  });

  const statements = [
    new iam.PolicyStatement({
      sid: 'ContainerLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [options.logGroup.logGroupArn],
    }),
  ];
  const repository = options.image.repository;
  if (repository) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'PullPaymentProcessorImage',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [repository.repositoryArn],
      }),
      new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );
  }
  const secret = options.databaseSecret;
  if (secret) {
    statements.push(new iam.PolicyStatement({
      sid: 'ReadDatabaseSecret',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
    }));
    if (secret.encryptionKey) {
      statements.push(new iam.PolicyStatement({
        sid: 'DecryptDatabaseSecret',
        actions: ['kms:Decrypt'],
        resources: [secret.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}` } },
      }));
    }
  }
  const parameterNames = options.parameterNames ?? [];
  if (parameterNames.length > 0) {
    statements.push(new iam.PolicyStatement({
      sid: 'ReadParameters',
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resources: parameterNames.map((name) =>
        stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, '') })),
    }));
  }
  const runtime = new iam.ManagedPolicy(scope, 'RuntimePolicy', {
    description: 'Payment processor at run time: its log group, its image, its database secret and parameters',
    roles: [options.role],
    statements,
  });
  if (repository) {
    acknowledge(runtime, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken has no resource-level permissions (it returns a registry login token); image pulls ' +
        'themselves are scoped to the one payment processor repository.',
    });
  }
  if (secret && !secret.secretFullArn) {
    acknowledge(runtime, {
      id: `AwsSolutions-IAM5[Resource::${secret.secretArn}-??????]`,
      reason:
        'An imported secret known by name only: the six-character suffix Secrets Manager appends is matched by `-??????`, ' +
        'which names exactly one secret and no other.',
    });
  }
}
