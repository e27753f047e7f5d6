/*
 * What a custom-resource handler meets in a deployment, minus AWS: CloudFormation events built from the synthesized
 * resource's properties (intrinsics resolved to what exists in moto), a Lambda context, and the presigned
 * ResponseURL — its PUT is caught here, so the handler's own response code (https.request) runs unchanged.
 */
import { EventEmitter } from 'events';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';

/** The host of the presigned response URL the events carry; only requests to it are caught. */
export const RESPONSE_HOST = 'cloudformation-custom-resource-response-moto.s3.amazonaws.com';

/** A response document as CloudFormation receives it. */
export interface CaughtResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, unknown>;
}

/** Catches the PUTs to {@link RESPONSE_HOST} (answering 200); every other https request goes out as usual. */
export function catchResponses(): { readonly responses: CaughtResponse[]; restore(): void } {
  const responses: CaughtResponse[] = [];
  // The core module itself (not an ES-module wrapper): the handlers' `https.request` reads this property at call time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const https = require('https') as { request: (...args: any[]) => unknown };
  const original = https.request;
  https.request = (...args: any[]) => {
    const options = args[0];
    const host = typeof options === 'string' || options instanceof URL ? new URL(String(options)).hostname : options.hostname ?? options.host;
    if (host !== RESPONSE_HOST) return (original as any)(...args);
    const callback = args.find((a) => typeof a === 'function');
    const req = new EventEmitter() as EventEmitter & Record<string, unknown>;
    let body = '';
    req.write = (chunk: unknown) => {
      body += String(chunk);
      return true;
    };
    req.end = (chunk?: unknown) => {
      if (chunk !== undefined && typeof chunk !== 'function') body += String(chunk);
      responses.push(JSON.parse(body));
      const res = new EventEmitter() as EventEmitter & Record<string, unknown>;
      res.statusCode = 200;
      res.headers = {};
      res.resume = () => res;
      res.setEncoding = () => res;
      callback?.(res);
      setImmediate(() => res.emit('end'));
      return req;
    };
    req.destroy = () => req;
    req.setTimeout = () => req;
    return req;
  };
  return { responses, restore: () => { https.request = original; } };
}

/** A Lambda context with `remainingMs` left. */
export function lambdaContext(remainingMs = 300_000): Context {
  const end = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'moto-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:moto-test',
    memoryLimitInMB: '256',
    awsRequestId: 'moto-request',
    logGroupName: '/aws/lambda/moto-test',
    logStreamName: 'moto',
    getRemainingTimeInMillis: () => end - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

let requestCount = 0;

/** The fields every event of one logical resource shares. */
function common(logicalId: string, resourceType: string, serviceToken: string) {
  return {
    ServiceToken: serviceToken,
    ResponseURL: `https://${RESPONSE_HOST}/arn%3Aaws%3Acloudformation/${logicalId}?X-Amz-Signature=moto`,
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/MotoStack/00000000-0000-0000-0000-000000000000',
    RequestId: `moto-${++requestCount}`,
    LogicalResourceId: logicalId,
    ResourceType: resourceType,
  };
}

/**
 * Builds the three events of one custom resource from its (resolved) properties. Each event gets its own copy of
 * them (aws-cdk-lib's provider parses its `Create`/`Update`/`Delete` properties in place).
 */
export function eventsFor(logicalId: string, resourceType: string) {
  const copy = (x: Record<string, any>): any => JSON.parse(JSON.stringify(x));
  return {
    create: (props: Record<string, any>): CloudFormationCustomResourceEvent => ({
      ...common(logicalId, resourceType, props.ServiceToken), RequestType: 'Create', ResourceProperties: copy(props),
    }),
    update: (physicalId: string, props: Record<string, any>, old: Record<string, any>): CloudFormationCustomResourceEvent => ({
      ...common(logicalId, resourceType, props.ServiceToken), RequestType: 'Update', PhysicalResourceId: physicalId, ResourceProperties: copy(props), OldResourceProperties: copy(old),
    }),
    delete: (physicalId: string, props: Record<string, any>): CloudFormationCustomResourceEvent => ({
      ...common(logicalId, resourceType, props.ServiceToken), RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: copy(props),
    }),
  };
}

/**
 * Resolves the intrinsics of a synthesized value as CloudFormation would for a deployment into moto: `Ref`s and
 * `Fn::GetAtt`s through `refs` (`'<logicalId>'` and `'<logicalId>.<Attribute>'`), pseudo parameters of `region`.
 * Throws on a reference it was not told about, so a test always knows what it seeded.
 * CloudFormation hands custom resources every scalar as a string: `stringify` does the same.
 */
export function resolve(value: unknown, refs: Record<string, string>, opts: { region: string; stringify?: boolean }): any {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': opts.region,
    'AWS::AccountId': '111111111111',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'MotoStack',
  };
  const lookup = (key: string): string => {
    const v = pseudo[key] ?? refs[key];
    if (v === undefined) throw new Error(`resolve: no value for ${key} (seed it in moto and pass it in refs)`);
    return v;
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return opts.stringify && (typeof v === 'number' || typeof v === 'boolean') ? String(v) : v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = o[k] as any;
      if (k === 'Ref') return lookup(arg);
      if (k === 'Fn::GetAtt') return lookup(Array.isArray(arg) ? arg.join('.') : String(arg));
      if (k === 'Fn::Join') return (walk(arg[1]) as unknown[]).map(String).join(arg[0]);
      if (k === 'Fn::Select') return (walk(arg[1]) as unknown[])[Number(arg[0])];
      if (k === 'Fn::Split') return String(walk(arg[1])).split(arg[0]);
      if (k.startsWith('Fn::')) throw new Error(`resolve: ${k} not supported`);
    }
    return Object.fromEntries(keys.map((key) => [key, walk(o[key])]));
  };
  return walk(value);
}
