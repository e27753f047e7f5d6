import * as path from 'path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createRegionalKey } from '../private/kms';
import { acknowledge, acknowledgeInPacks, NagPackPrefix } from '../private/nag';
import { createHandlerFunction } from '../private/service-role';

/**
 * The bundled custom-resource handler (`weighted-records-handler.ts` bundled by esbuild to `index.js`).
 * The same relative path holds from `src/weighted-cutover` and from `lib/weighted-cutover`.
 */
const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'weighted-records');

/** @internal */
export interface RecordsFunctionOptions {
  readonly hostedZoneArn: string;
  /** Normalized FQDNs. */
  readonly recordNames: string[];
  /** `arn:<partition>:route53:::change/*`. */
  readonly changeArn: string;
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * What the records function may do besides writing its logs: change these names (A, AAAA, CNAME) in this zone, delete
 * the records of names dropped since, read the live weights, and wait for INSYNC. @internal
 */
export function recordsStatements(opts: Pick<RecordsFunctionOptions, 'hostedZoneArn' | 'recordNames' | 'changeArn'>): iam.PolicyStatement[] {
  const change = (sid: string, conditions: Record<string, string[]>) => new iam.PolicyStatement({
    sid, actions: ['route53:ChangeResourceRecordSets'], resources: [opts.hostedZoneArn], conditions: { 'ForAllValues:StringEquals': conditions },
  });
  // The previous type too: an update that changes an endpoint's type deletes the old records.
  const types = { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'] };
  return [
    change('ChangeTheseRecordsOnly', {
      'route53:ChangeResourceRecordSetsNormalizedRecordNames': opts.recordNames, ...types, 'route53:ChangeResourceRecordSetsActions': ['CREATE', 'UPSERT', 'DELETE'],
    }),
    // Names dropped from `recordNames` are no longer in the statement above when their records are deleted.
    change('DeleteRecordsOfRemovedNames', { ...types, 'route53:ChangeResourceRecordSetsActions': ['DELETE'] }),
    new iam.PolicyStatement({ sid: 'ReadLiveWeights', actions: ['route53:ListResourceRecordSets'], resources: [opts.hostedZoneArn] }),
    new iam.PolicyStatement({ sid: 'WaitForInsync', actions: ['route53:GetChange'], resources: [opts.changeArn] }),
  ];
}

/**
 * The records function: its own role and customer-managed policy, its own encrypted log group kept a year.
 * @internal
 */
export function createRecordsFunction(scope: Construct, opts: RecordsFunctionOptions): lambda.Function {
  const removalPolicy = opts.removalPolicy;
  const key = opts.encryptionKey ??
    createRegionalKey(scope, 'LogKey', { description: `Encrypts the records function logs of ${scope.node.path}`, services: ['logs'], removalPolicy });
  const logGroup = new logs.LogGroup(scope, 'RecordsFunctionLogs', { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy });
  const { fn, policy } = createHandlerFunction(scope, 'RecordsFunction', {
    description: `Owns the weighted records of ${scope.node.path}; keeps live weights on update`,
    assetDir: HANDLER_ASSET_DIR,
    logGroup,
    timeout: Duration.minutes(5),
    roleDescription: `Manages the weighted records of ${scope.node.path}`,
    policyDescription: `Weighted records of ${scope.node.path}: these names and type only, and the function's own log group`,
    statements: recordsStatements(opts),
  });
  acknowledge(policy, {
    id: `${NagPackPrefix.AWS_SOLUTIONS}-IAM5[Resource::arn:<AWS::Partition>:route53:::change/*]`,
    reason:
      'route53:GetChange takes a change id that Route 53 issues per ChangeResourceRecordSets call, so it cannot be ' +
      'named in advance; GetChange only reads the propagation status of a change (PENDING/INSYNC).',
  });
  acknowledgeInPacks(
    fn,
    [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5],
    'LambdaDLQ',
    'The function is a CloudFormation custom-resource handler invoked synchronously by CloudFormation; a dead-letter ' +
      'queue only receives failed asynchronous invocations. Every failure is reported to CloudFormation as FAILED with a reason.',
  );
  acknowledgeInPacks(
    fn,
    [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5],
    'LambdaInsideVPC',
    'The function only calls the Route 53 control-plane API, which has no VPC endpoint, and handles no cardholder data; ' +
      'placing it in a VPC would only add a NAT dependency to stack deployments.',
  );
  acknowledgeInPacks(
    fn,
    [NagPackPrefix.NIST_800_53_R5],
    'LambdaConcurrency',
    'Invoked only by CloudFormation during deployments of this stack (a few calls per deployment); reserving ' +
      'concurrency would take capacity from the account pool and can fail deployment on accounts with low limits.',
  );
  return fn;
}
