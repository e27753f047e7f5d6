import { Duration, RemovalPolicy } from 'aws-cdk-lib';
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
 * no other default encryption), public access blocked, TLS only, versioned, every version kept `retention`. The
 * findings such a bucket cannot fix are acknowledged on it with the caller's reasons.
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
    objectOwnership: props.objectOwnership,
    enforceSSL: true,
    versioned: true,
    removalPolicy: props.removalPolicy,
    // a bucket removed with its stack is emptied first (a non-empty bucket cannot be deleted)
    autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    lifecycleRules: [{ id: 'ExpireLogs', expiration: props.retention, noncurrentVersionExpiration: props.retention }],
  });
  const packs = [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5];
  acknowledgeInPacks(bucket, packs, 'S3DefaultEncryptionKMS', props.reasons.sseS3);
  acknowledge(bucket, { id: 'AwsSolutions-S1', reason: props.reasons.noAccessLogs });
  acknowledgeInPacks(bucket, packs, 'S3BucketLoggingEnabled', props.reasons.noAccessLogs);
  acknowledgeInPacks(bucket, packs, 'S3BucketReplicationEnabled', props.reasons.noReplication);
  return bucket;
}
