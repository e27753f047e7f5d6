import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, IConstruct } from 'constructs';
import { LAMBDA_RUNTIME } from '../private/lambda-runtime';
import { acknowledge, acknowledgeInPacks, NagPackPrefix } from '../private/nag';

/**
 * The one Region of Global Accelerator's API (and of its CloudFormation resources): "you must specify the US West
 * (Oregon) Region to create, update, or otherwise work with accelerators" (Global Accelerator API Reference).
 */
export const GLOBAL_ACCELERATOR_API_REGION = 'us-west-2';

/**
 * The service name `CallAwsServiceCrossRegion` loads: its handler requires `@aws-sdk/client-${service}`, and the
 * AWS SDK for JavaScript v3 package of Global Accelerator is `@aws-sdk/client-global-accelerator` (with a dash;
 * `globalaccelerator` is only the IAM prefix and the endpoint name, and would fail at run time with "Cannot find
 * module"). IAM actions are therefore always given explicitly (`iamAction`).
 */
export const GLOBAL_ACCELERATOR_SDK_SERVICE = 'global-accelerator';

/**
 * The errors the shift retries, as they reach Step Functions through `CallAwsServiceCrossRegion`.
 *
 * That task runs a Lambda function (Resource: the function's ARN) which rethrows the SDK's error; the Node.js runtime
 * reports the error's `name` as its `errorType`, and Step Functions uses it as the Error name as is — no
 * `GlobalAccelerator.` prefix (that prefix exists only for the `aws-sdk:` integrations, which do not offer Global
 * Accelerator). So:
 * - `ThrottlingException`: the throttling code common to AWS JSON APIs. Global Accelerator models no throttling error
 *   of its own; the SDK inside the function already retries it (standard mode) before it surfaces here.
 * - `InternalServiceErrorException`: Global Accelerator's modeled "internal error" of all three actions used.
 * - `Lambda.TooManyRequestsException`: the shared function itself throttled (account concurrency).
 *
 * aws-cdk-lib adds its own retry of Lambda service errors (`Lambda.ServiceException`, `Lambda.AWSLambdaException`,
 * `Lambda.SdkClientException`, `Lambda.ClientExecutionTimeoutException`) to every such task.
 */
export const GLOBAL_ACCELERATOR_RETRYABLE_ERRORS = ['ThrottlingException', 'InternalServiceErrorException', 'Lambda.TooManyRequestsException'];

/** Retry: 1 s, doubling, 6 attempts. */
export const GLOBAL_ACCELERATOR_RETRY: sfn.RetryProps = {
  errors: GLOBAL_ACCELERATOR_RETRYABLE_ERRORS,
  interval: Duration.seconds(1),
  backoffRate: 2,
  maxAttempts: 6,
};

/** One IAM permission: actions on resources. */
export interface AcceleratorPermission {
  readonly actions: string[];
  readonly resources: string[];
}

/** @internal */
export interface GlobalAcceleratorCallProps {
  readonly stateName: string;
  /** The SDK v3 command, camelCase: `updateEndpointGroup`, `describeEndpointGroup`, `describeAccelerator`. */
  readonly action: string;
  /** The IAM permission of the call (one action). */
  readonly permission: AcceleratorPermission;
  /** Where the stack's one `CallAwsServiceCrossRegion` function logs (the first call of a stack sets it). */
  readonly logGroup: logs.ILogGroup;
  /** The request, with SDK v3 member names (API casing: `EndpointGroupArn`, `TrafficDialPercentage`). */
  readonly parameters: { [key: string]: unknown };
  readonly resultSelector?: { [key: string]: unknown };
  readonly resultPath?: string;
}

/**
 * A Global Accelerator call from a state machine in any Region: `CallAwsServiceCrossRegion` pinned to us-west-2, with
 * the retry above. The task invokes the function by its unqualified ARN, so the state machine may invoke that ARN
 * only (aws-cdk-lib also grants `<arn>:*`, every version and alias, which nothing here uses).
 * @internal
 */
export class GlobalAcceleratorCall extends tasks.CallAwsServiceCrossRegion {
  constructor(scope: Construct, id: string, props: GlobalAcceleratorCallProps) {
    super(scope, id, {
      stateName: props.stateName,
      region: GLOBAL_ACCELERATOR_API_REGION,
      service: GLOBAL_ACCELERATOR_SDK_SERVICE,
      action: props.action,
      iamAction: props.permission.actions[0],
      iamResources: props.permission.resources,
      parameters: props.parameters,
      resultSelector: props.resultSelector,
      resultPath: props.resultPath,
    });
    this.taskPolicies?.splice(
      0,
      this.taskPolicies.length,
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.lambdaFunction.functionArn] }),
    );
    this.addRetry(GLOBAL_ACCELERATOR_RETRY);
    hardenHandler(this.lambdaFunction, props.logGroup);
  }
}

/** The shared handlers already seen to (one per stack). */
const HARDENED = new WeakSet<IConstruct>();

/**
 * The function behind every `CallAwsServiceCrossRegion` of a stack is one singleton that aws-cdk-lib creates at the
 * stack's root (its role, its code and its settings are not props). Once per stack: its runtime is set to the
 * library's one Node.js runtime (aws-cdk-lib picks a Region's "latest" from its facts, which may be older: the handler
 * is plain CommonJS using the runtime's AWS SDK v3, as on any Node.js runtime since 18), it logs to `logGroup` (not
 * to the `/aws/lambda/<name>` group Lambda would create on first run, untagged and kept forever), and what can't be
 * fixed is acknowledged on it, with reasons true of what aws-cdk-lib synthesizes.
 */
function hardenHandler(handler: lambda.IFunction, logGroup: logs.ILogGroup): void {
  const singleton = handler as lambda.SingletonFunction;
  const fn = Stack.of(handler).node.tryFindChild(singleton.constructName) as lambda.Function | undefined;
  if (!fn || HARDENED.has(fn)) return;
  HARDENED.add(fn);
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  cfn.runtime = LAMBDA_RUNTIME.name;
  cfn.loggingConfig = { logGroup: logGroup.logGroupName };
  const packs = [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5];
  acknowledgeInPacks(fn, packs, 'LambdaDLQ',
    'Step Functions invokes this function synchronously (RequestResponse, its ARN as the task Resource) and receives its ' +
      'error as the task error, which the task retries and the workflow handles; a dead-letter queue only receives ' +
      'failed asynchronous invocations.');
  acknowledgeInPacks(fn, packs, 'LambdaInsideVPC',
    'The function only calls AWS APIs in the Region its tasks name (here the Global Accelerator control plane in ' +
      'us-west-2) and handles no cardholder data; in a VPC it would need a NAT path to that public endpoint, one more ' +
      'dependency of every traffic shift and rollback.');
  acknowledgeInPacks(fn, [NagPackPrefix.NIST_800_53_R5], 'LambdaConcurrency',
    'Invoked only by this stack\'s state machines, one call at a time per execution (the shift\'s calls are sequential); reserving ' +
      'concurrency would take capacity from the account pool, and a reservation set too low would throttle a rollback.');
  const role = fn.role;
  if (!role) return;
  acknowledge(role, {
    id: `${NagPackPrefix.AWS_SOLUTIONS}-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`,
    reason:
      'aws-cdk-lib gives the role of its CallAwsServiceCrossRegion handler AWSLambdaBasicExecutionRole (CloudWatch Logs ' +
      'CreateLogGroup, CreateLogStream and PutLogEvents only) and takes no role prop; every other permission is a ' +
      'statement naming its resources.',
  });
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy) {
    acknowledgeInPacks(policy, packs, 'IAMNoInlinePolicy',
      'aws-cdk-lib derives this policy from the CallAwsServiceCrossRegion tasks of this stack\'s state machines and ' +
        'attaches it to the role of their one shared handler only; each statement names one action and its resources ' +
        '(for the traffic shift: the accelerator or the two endpoint groups; PCI DSS 7.2 least privilege).');
  }
}
