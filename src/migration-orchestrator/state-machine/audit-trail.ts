import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createLogDestinationBucket, deliverServerAccessLogs, notifyEventBridge } from '../../private/log-bucket';
import { acknowledgeInPacks, NagPackPrefix } from '../../private/nag';

/**
 * Where a cutover leaves its trace: an SNS topic for people and an S3 bucket of checkpoints for auditors.
 * @internal
 */
export interface AuditTrail {
  readonly topic: sns.ITopic;
  readonly bucket: s3.IBucket;
}

/** @internal */
export function createAuditTrail(
  scope: Construct,
  key: kms.IKey,
  props: { readonly topic?: sns.ITopic; readonly checkpointRetention: Duration; readonly removalPolicy: RemovalPolicy },
): AuditTrail {
  const topic =
    props.topic ??
    new sns.Topic(scope, 'Notifications', {
      displayName: 'Payment migration cutover',
      masterKey: key,
      enforceSSL: true,
    });
  // CloudWatch alarms and EventBridge may publish to the encrypted topic.
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowNotificationServicesToUseTheKey',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }),
  );

  const replication =
    'Checkpoints record one region\'s cutover and live in the region whose orchestrator wrote them; they are ' +
    'versioned and retained, and the migration\'s other region keeps its own trail.';
  const accessLogs = createLogDestinationBucket(scope, 'CheckpointAccessLogs', {
    retention: props.checkpointRetention,
    removalPolicy: props.removalPolicy,
    reasons: {
      sseS3: 'S3 server access log delivery supports only SSE-S3 on the destination bucket; the logs hold request metadata, no payment data.',
      noAccessLogs:
        'This bucket receives the server access logs of the checkpoint bucket; logging it to itself would loop. It is ' +
        'versioned, TLS-only, non-public and kept as long as the checkpoints (PCI DSS 10.5.1).',
      noReplication: replication,
    },
  });

  const bucket = new s3.Bucket(scope, 'Checkpoints', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    // WORM (PCI DSS 10.5): every checkpoint version is locked for the retention, in governance mode (only a principal
    // allowed s3:BypassGovernanceRetention can shorten it). Uploads under a default retention need a checksum header:
    // the checkpoint PutObject sends ChecksumAlgorithm.
    objectLockEnabled: true,
    // a stack meant to be torn down (DESTROY) keeps Object Lock on but no default retention: emptying the bucket
    // could not delete versions still under retention
    objectLockDefaultRetention: props.removalPolicy === RemovalPolicy.DESTROY
      ? undefined
      : s3.ObjectLockRetention.governance(props.checkpointRetention),
    lifecycleRules: [{ expiration: props.checkpointRetention, noncurrentVersionExpiration: props.checkpointRetention }],
    removalPolicy: props.removalPolicy,
    autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
  });
  deliverServerAccessLogs(bucket, accessLogs, 'checkpoints/');
  notifyEventBridge(bucket);
  acknowledgeInPacks(bucket, [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5], 'S3BucketReplicationEnabled', replication);
  return { topic, bucket };
}
