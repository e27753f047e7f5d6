import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_RUNTIME } from './lambda-runtime';

/** A service role and what its one policy allows. @internal */
export interface ServiceRoleOptions {
  /** The service principal that assumes the role (`lambda.amazonaws.com`). */
  readonly service: string;
  /** Only the service acting for this account may assume it (`aws:SourceAccount`). @default false */
  readonly thisAccountOnly?: boolean;
  readonly roleDescription: string;
  readonly policyDescription: string;
  readonly statements: iam.PolicyStatement[];
}

/**
 * A role for one service, with one customer-managed policy rather than an inline one (PCI DSS 3.2.1
 * IAMNoInlinePolicy): `<id>Role` and `<id>Policy`. What uses the role should depend on the policy. @internal
 */
export function createServiceRole(scope: Construct, id: string, options: ServiceRoleOptions): { role: iam.Role; policy: iam.ManagedPolicy } {
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal(options.service, options.thisAccountOnly
      ? { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }
      : undefined),
    description: options.roleDescription,
  });
  const policy = new iam.ManagedPolicy(scope, `${id}Policy`, {
    description: options.policyDescription,
    roles: [role],
    statements: options.statements,
  });
  return { role, policy };
}

/** A custom-resource handler: its code, log group and timeout, and what it may do besides writing its own logs. @internal */
export interface HandlerFunctionOptions {
  readonly description: string;
  /** The bundled handler (`index.handler` in this directory). */
  readonly assetDir: string;
  readonly logGroup: logs.ILogGroup;
  readonly timeout: Duration;
  readonly roleDescription: string;
  readonly policyDescription: string;
  readonly statements: iam.PolicyStatement[];
}

/** A handler's first statement: it writes to its own log group, and nowhere else. @internal */
export function writeOwnLogs(logGroupArn: string): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroupArn] });
}

/**
 * A custom-resource handler (`<id>`, arm64, 256 MB) with its own role (`<id>Role`) and customer-managed policy
 * (`<id>Policy`: its own log group, then `statements`); the function is created only once the policy is. @internal
 */
export function createHandlerFunction(
  scope: Construct,
  id: string,
  options: HandlerFunctionOptions,
): { fn: lambda.Function; policy: iam.ManagedPolicy } {
  const { role, policy } = createServiceRole(scope, id, {
    service: 'lambda.amazonaws.com',
    roleDescription: options.roleDescription,
    policyDescription: options.policyDescription,
    statements: [
      writeOwnLogs(options.logGroup.logGroupArn),
      ...options.statements,
    ],
  });
  const fn = new lambda.Function(scope, id, {
    description: options.description,
    runtime: LAMBDA_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(options.assetDir),
    role,
    logGroup: options.logGroup,
    timeout: options.timeout,
    memorySize: 256,
  });
  fn.node.addDependency(policy);
  return { fn, policy };
}
