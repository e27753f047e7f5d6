/*
 * The skeleton of the library's custom-resource handlers (bundled into assets/ with each handler): one request applied
 * (Create, Update in place or by replacement, Delete), CloudFormation always answered, throttling retried, and the
 * Lambda entry point that wires the real clock, sleep and response PUT.
 */
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { answer, CfnResponse, errorName, NOT_CREATED_SUFFIX, putResponse } from './cfn-response';

/** What every handler touches outside itself, besides the AWS API it manages. */
export interface HandlerRuntime {
  /** Sends the response to the presigned URL. */
  readonly send: (responseUrl: string, response: CfnResponse) => Promise<void>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** Epoch ms by which the handler must stop working and answer CloudFormation. */
  readonly deadline: number;
  readonly log?: (message: string) => void;
}

/** One custom resource: its properties parsed, and what Create, Update and Delete do with them. */
export interface ResourceLifecycle<C, D extends HandlerRuntime> {
  /** Parses and checks the resource's properties. */
  readonly parse: (raw: unknown) => C;
  /** The physical id of a created resource. */
  readonly physicalId: (config: C) => string;
  /** Whether an Update is a replacement (a new physical id: CloudFormation then sends Delete for the old one). */
  readonly replaces: (old: C, next: C) => boolean;
  /** Creates the resource; on a replacement, `replacing` is the old one (still there until its Delete). */
  readonly create: (deps: D, config: C, replacing?: C) => Promise<unknown>;
  readonly update: (deps: D, old: C, next: C) => Promise<unknown>;
  readonly delete: (deps: D, config: C) => Promise<unknown>;
}

/** Applies one CloudFormation request; returns the physical id. */
async function apply<C, D extends HandlerRuntime>(
  lifecycle: ResourceLifecycle<C, D>,
  event: CloudFormationCustomResourceEvent,
  deps: D,
): Promise<string> {
  switch (event.RequestType) {
    case 'Create': {
      const config = lifecycle.parse(event.ResourceProperties);
      await lifecycle.create(deps, config);
      return lifecycle.physicalId(config);
    }
    case 'Update': {
      const next = lifecycle.parse(event.ResourceProperties);
      const old = lifecycle.parse(event.OldResourceProperties);
      if (lifecycle.replaces(old, next)) {
        await lifecycle.create(deps, next, old);
        return lifecycle.physicalId(next);
      }
      await lifecycle.update(deps, old, next);
      return event.PhysicalResourceId;
    }
    case 'Delete': {
      // A failed Create created nothing: its Delete deletes nothing.
      if (event.PhysicalResourceId.endsWith(NOT_CREATED_SUFFIX)) return event.PhysicalResourceId;
      let config: C;
      try {
        config = lifecycle.parse(event.ResourceProperties);
      } catch (e) {
        deps.log?.(`Nothing to delete: ${(e as Error).message}`);
        return event.PhysicalResourceId;
      }
      await lifecycle.delete(deps, config);
      return event.PhysicalResourceId;
    }
  }
}

/** Handles a request and always answers CloudFormation: SUCCESS, or FAILED with the error as the reason. */
export function handleRequest<C, D extends HandlerRuntime>(
  lifecycle: ResourceLifecycle<C, D>,
  event: CloudFormationCustomResourceEvent,
  deps: D,
): Promise<CfnResponse> {
  return answer(event, deps, () => apply(lifecycle, event, deps));
}

/** How a handler retries an AWS call. */
export interface RetryPolicy {
  /** The error names worth retrying (throttling, eventual consistency). */
  readonly retryable: ReadonlySet<string>;
  /** The first delay; each next one doubles, up to 10 s. */
  readonly firstDelayMs: number;
  /** Never sleep past the deadline (throw instead). */
  readonly withinDeadline: boolean;
}

const MAX_ATTEMPTS = 8;
const MAX_BACKOFF_MS = 10_000;

/** Calls `fn`, retrying the policy's errors with exponential backoff (8 attempts at most). */
export async function retrying<T>(deps: HandlerRuntime, policy: RetryPolicy, what: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const delay = Math.min(policy.firstDelayMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
      const late = policy.withinDeadline && deps.now() + delay > deps.deadline;
      if (!policy.retryable.has(errorName(e)) || attempt >= MAX_ATTEMPTS || late) throw e;
      deps.log?.(`${what}: ${errorName(e)}, retrying in ${delay} ms (attempt ${attempt})`);
      await deps.sleep(delay);
    }
  }
}

/**
 * The Lambda entry point of a handler: logs the request (without its presigned URL), then handles it with the real
 * clock, sleep and response PUT, and a deadline `answerMarginMs` before the function times out.
 */
export function lambdaHandler<C, D extends HandlerRuntime>(
  lifecycle: ResourceLifecycle<C, D>,
  answerMarginMs: number,
  api: () => Omit<D, keyof HandlerRuntime>,
): (event: CloudFormationCustomResourceEvent, context: Context) => Promise<void> {
  return async (event, context) => {
    const { ResponseURL: _url, ...loggable } = event;
    console.log(JSON.stringify({ request: loggable }));
    const runtime: HandlerRuntime = {
      send: putResponse,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: () => Date.now(),
      deadline: Date.now() + context.getRemainingTimeInMillis() - answerMarginMs,
      log: (m) => console.log(m),
    };
    await handleRequest(lifecycle, event, { ...api(), ...runtime } as D);
  };
}
