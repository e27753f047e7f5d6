import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeInPacks, NagPackPrefix } from './nag';

/** Why each finding a log-destination bucket cannot fix is acknowledged, in the caller's words. */
export interface LogBucketReasons {
  /** Why SSE-S3, not SSE-KMS (the log delivery service's limit). */
  readonly sseS3: string;
  /** Why the bucket has no server access logs of its own. */
  readonly noAccessLogs: string;
  /** Why the bucket is not replicated. */
  readonly noReplication: string;
}

/**
 * A bucket that AWS log delivery (ALB access logs, S3 server access logs) writes to: SSE-S3 (those services support
 * no other default encryption), public access blocked, TLS only, owner-enforced (no ACL: delivery is granted by the
 * bucket policy), versioned with Object Lock on, every version kept `retention`, object events to EventBridge. The
 * findings such a bucket cannot fix are acknowledged on it with the caller's reasons.
 *
 * Object Lock is enabled without a default retention: S3 refuses a default retention on a server access log
 * destination, and log delivery sends no checksum header (which uploads under a default retention need); locked
 * versions and legal holds stay available.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 * @internal
 */
export function createLogDestinationBucket(
  scope: Construct,
  id: string,
  props: {
    readonly retention: Duration;
    readonly removalPolicy: RemovalPolicy;
    readonly objectOwnership?: s3.ObjectOwnership;
    readonly reasons: LogBucketReasons;
  },
): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: props.objectOwnership ?? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    versioned: true,
    objectLockEnabled: true,
    removalPolicy: props.removalPolicy,
    // a bucket removed with its stack is emptied first (a non-empty bucket cannot be deleted)
    autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    lifecycleRules: [{ id: 'ExpireLogs', expiration: props.retention, noncurrentVersionExpiration: props.retention }],
  });
  notifyEventBridge(bucket);
  const packs = [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5];
  acknowledgeInPacks(bucket, packs, 'S3DefaultEncryptionKMS', props.reasons.sseS3);
  acknowledge(bucket, { id: 'AwsSolutions-S1', reason: props.reasons.noAccessLogs });
  acknowledgeInPacks(bucket, packs, 'S3BucketLoggingEnabled', props.reasons.noAccessLogs);
  acknowledgeInPacks(bucket, packs, 'S3BucketReplicationEnabled', props.reasons.noReplication);
  return bucket;
}

/**
 * Object events (created, deleted, restored…) go to EventBridge (AWS Control Tower CT.S3.PR.4). Set on the L1: the
 * L2's `eventBridgeEnabled` adds a notifications Lambda function. @internal
 */
export function notifyEventBridge(bucket: s3.Bucket): void {
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
}

/**
 * `source` delivers its server access logs to `destination` under `prefix`, granted by `destination`'s bucket policy
 * to the logging service for that source bucket and account only — never by the `LogDeliveryWrite` ACL, which the L2
 * falls back to unless the app sets the `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy` feature flag (AWS Control
 * Tower CT.S3.PR.5; a library cannot rely on its consumer's flags). @internal
 */
export function deliverServerAccessLogs(source: s3.Bucket, destination: s3.Bucket, prefix: string): void {
  (source.node.defaultChild as s3.CfnBucket).loggingConfiguration = { destinationBucketName: destination.bucketName, logFilePrefix: prefix };
  destination.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowServerAccessLogDelivery',
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [destination.arnForObjects(`${prefix}*`)],
    conditions: { ArnLike: { 'aws:SourceArn': source.bucketArn }, StringEquals: { 'aws:SourceAccount': Stack.of(source).account } },
  }));
}
