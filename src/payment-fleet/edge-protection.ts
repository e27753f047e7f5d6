import { Duration, Names, RemovalPolicy, Stack, ArnFormat } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { createLogDestinationBucket } from '../private/log-bucket';

/** The AWS managed rule groups of the web ACL, in priority order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesSQLiRuleSet',
];

/**
 * The bucket for ALB access logs. SSE-S3, because ALB access logs support no other default encryption.
 * @internal
 */
export function createAccessLogBucket(scope: Construct, retention: Duration, removalPolicy: RemovalPolicy): s3.Bucket {
  return createLogDestinationBucket(scope, 'AccessLogs', {
    retention,
    removalPolicy,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    reasons: {
      sseS3:
        'ALB access logs can only be delivered to buckets encrypted with SSE-S3 (Amazon S3-managed keys); SSE-KMS is ' +
        'not supported (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html). ' +
        'Objects are still encrypted at rest with AES-256, and the bucket accepts TLS requests only.',
      noAccessLogs:
        'This bucket is itself the audit-log store for the load balancer (PCI DSS 10.2); it is written only by the ELB ' +
        'log-delivery principal, blocks public access, is versioned and kept at least a year. Server access logs to yet ' +
        'another bucket would only move the same finding one bucket further. This library creates no CloudTrail trail: ' +
        'changes to the bucket (policy, lifecycle, deletion) appear in the account\'s CloudTrail event history (management ' +
        'events, 90 days); auditing object reads needs S3 data events on the organisation\'s own trail.',
      noReplication:
        'Access logs are region-local evidence, versioned and retained (RemovalPolicy.RETAIN by default) for at least a ' +
        'year; the other region of the migration keeps its own. Cross-region replication of logs is left to the ' +
        'organisation\'s central log archive.',
    },
  });
}

/**
 * A REGIONAL web ACL with the AWS managed rule groups, logging to a KMS-encrypted log group.
 * @internal
 */
export function createWebAcl(scope: Construct, key: kms.IKey, retention: logs.RetentionDays, removalPolicy: RemovalPolicy): wafv2.CfnWebACL {
  const metricPrefix = Names.uniqueId(scope).slice(-100);
  const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
    cloudWatchMetricsEnabled: true,
    metricName: `${metricPrefix}-${name}`.slice(0, 128),
    sampledRequestsEnabled: true,
  });
  const acl = new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: 'REGIONAL',
    description: `Protects the payment fleet ${scope.node.path} - PCI DSS 6.4.2`,
    defaultAction: { allow: {} },
    visibilityConfig: visibility('WebAcl'),
    rules: MANAGED_RULE_GROUPS.map((name, priority) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    })),
  });
  // WAF requires log groups named aws-waf-logs-*.
  const logGroup = new logs.LogGroup(scope, 'WebAclLogs', {
    logGroupName: `aws-waf-logs-${Names.uniqueResourceName(scope, { maxLength: 200 })}`,
    encryptionKey: key,
    retention,
    removalPolicy,
  });
  // No explicit DependsOn on the log group: the destination names it, which orders it first (cfn-lint W3005).
  new wafv2.CfnLoggingConfiguration(scope, 'WebAclLogging', {
    resourceArn: acl.attrArn,
    // The log group's ARN without the trailing `:*` that its Arn attribute carries: WAF rejects that form.
    logDestinationConfigs: [
      Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    ],
    // No credentials or session tokens in the logs.
    redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
  });
  return acl;
}
