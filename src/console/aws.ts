import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ConsoleManifest, manifestOf, StackDescription } from './manifest';
import { ConsoleError, EXIT } from '../private/exit-codes';

/** Where the console talks to: the standard credential chain, `--profile`, `--region`. */
export interface AwsOptions {
  readonly region?: string;
  readonly profile?: string;
  /** For tests and local emulators: every client's endpoint (also `AWS_ENDPOINT_URL`). */
  readonly endpoint?: string;
}

/** The SDK clients, made once per region on first use. */
export class Aws {
  public readonly region: string;
  private readonly cache = new Map<string, any>();

  constructor(private readonly options: AwsOptions) {
    // The standard chain reads AWS_PROFILE: --profile is exactly that, for every client.
    if (options.profile) process.env.AWS_PROFILE = options.profile;
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) {
      throw new ConsoleError('No AWS region: pass --region <the target region, where the cutover runs> or set AWS_REGION', EXIT.USAGE);
    }
    this.region = region;
  }

  private client<T>(kind: string, make: (config: any) => T, region = this.region): T {
    const key = `${kind}@${region}`;
    if (!this.cache.has(key)) {
      const endpoint = this.options.endpoint ?? process.env.AWS_ENDPOINT_URL;
      this.cache.set(key, make({ region, ...(endpoint ? { endpoint } : {}), maxAttempts: 4 }));
    }
    return this.cache.get(key);
  }

  public cfn(): CloudFormationClient { return this.client('cfn', (c) => new CloudFormationClient(c)); }
  public sfn(): SFNClient { return this.client('sfn', (c) => new SFNClient(c)); }
  public ssm(): SSMClient { return this.client('ssm', (c) => new SSMClient(c)); }
  public cloudwatch(region?: string): CloudWatchClient { return this.client('cw', (c) => new CloudWatchClient(c), region); }
  public rds(): RDSClient { return this.client('rds', (c) => new RDSClient(c)); }
  public dynamodb(): DynamoDBClient { return this.client('ddb', (c) => new DynamoDBClient(c)); }
  public route53(): Route53Client { return this.client('r53', (c) => new Route53Client({ ...c, region: 'us-east-1' })); }

  /** The stack and its console manifest, or an error that says what to do. */
  public async migrationStack(stackName: string): Promise<{ stack: StackDescription; manifest: ConsoleManifest }> {
    const out = await call(`reading stack ${stackName}`, () => this.cfn().send(new DescribeStacksCommand({ StackName: stackName })), this.region, stackName);
    const stack = out.Stacks?.[0];
    if (!stack) throw stackNotFound(stackName, this.region);
    return { stack, manifest: manifestOf(stack, stackName) };
  }
}

function stackNotFound(stackName: string, region: string): ConsoleError {
  return new ConsoleError(
    `Stack ${stackName} not found in ${region}: check the name (aws cloudformation list-stacks --region ${region}) ` +
      'or pass --region with the target region, where the migration stack with the cutover is deployed',
    EXIT.AWS_ERROR,
  );
}

/** Runs one AWS call; turns the SDK's errors into messages that say what to do. */
export async function call<T>(what: string, fn: () => Promise<T>, region: string, stackName?: string): Promise<T> {
  try {
    return await fn();
  } catch (e: any) {
    throw translate(e, what, region, stackName);
  }
}

/** An SDK error as a ConsoleError (exported for tests). */
export function translate(e: any, what: string, region: string, stackName?: string): ConsoleError {
  if (e instanceof ConsoleError) return e;
  const name: string = e?.name ?? e?.Code ?? '';
  const message: string = e?.message ?? String(e);
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(message) && !/security token/i.test(message)) {
    const profile = process.env.AWS_PROFILE ? ` for profile ${process.env.AWS_PROFILE}` : '';
    return new ConsoleError(
      `No AWS credentials${profile} (${what}): the console uses the standard chain — set AWS_PROFILE or pass --profile ` +
        '(a profile of ~/.aws/config), run `aws sso login`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
      EXIT.AWS_ERROR,
    );
  }
  if (/ExpiredToken|RequestExpired/.test(name)) return new ConsoleError(`The AWS credentials have expired (${what}): refresh them (aws sso login, or new session credentials)`, EXIT.AWS_ERROR);
  if (/UnrecognizedClient|InvalidClientTokenId|InvalidSignature|SignatureDoesNotMatch/.test(name)) {
    return new ConsoleError(`AWS rejected the credentials (${what}: ${name}): check the profile or keys; a session token may be missing`, EXIT.AWS_ERROR);
  }
  if (stackName && /does not exist/.test(message)) return stackNotFound(stackName, region);
  if (/AccessDenied|NotAuthorized|Forbidden/.test(name) || /not authorized/.test(message)) {
    return new ConsoleError(
      `Access denied ${what}: ${message}\nThe operator's role needs MigrationOrchestrator.grantOperate (start, read, task responses, the control parameter, the cutover record, recovery) ` +
        'plus cloudformation:DescribeStacks, cloudwatch:DescribeAlarms/GetMetricData and rds:DescribeGlobalClusters',
      EXIT.AWS_ERROR,
    );
  }
  if (/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT/.test(e?.code ?? message)) {
    return new ConsoleError(`Cannot reach AWS ${what} (${e?.code ?? message}): check the network, a proxy, or the region name ${region}`, EXIT.AWS_ERROR);
  }
  return new ConsoleError(`AWS error ${what}: ${name ? `${name}: ` : ''}${message}`, EXIT.AWS_ERROR);
}
