/*
 * Answering CloudFormation from a Lambda-backed custom resource: the response document and the PUT to the
 * presigned `ResponseURL`, with retries. Shared by the handlers bundled into assets/ (they import it, esbuild inlines it).
 */
import * as https from 'https';

/** The response CloudFormation expects at the ResponseURL (at most 4096 bytes). */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** What sending needs: the transport (a PUT in Lambda, a recorder in tests), a sleep and an optional log. */
export interface ResponseChannel {
  readonly send: (responseUrl: string, response: CfnResponse) => Promise<void>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log?: (message: string) => void;
}

/** The physical id suffix of a Create that failed: nothing was created, so its Delete must delete nothing. */
export const NOT_CREATED_SUFFIX = '-not-created';

/** The name of an SDK error (v3 `name`, or a `Code`/`code` field). */
export function errorName(e: unknown): string {
  const err = e as { name?: string; Code?: string; code?: string };
  return err?.name ?? err?.Code ?? err?.code ?? '';
}

/** The request fields the answer needs. */
export interface CfnRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResponseURL: string;
  readonly PhysicalResourceId?: string;
}

/**
 * Applies a request and always answers CloudFormation: SUCCESS with the physical id `apply` returns, or FAILED with
 * the error as the reason (a failed Create answers a sentinel id, so its Delete deletes nothing).
 */
export async function answer(event: CfnRequest, channel: ResponseChannel, apply: () => Promise<string>): Promise<CfnResponse> {
  const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  let response: CfnResponse;
  try {
    response = { ...base, Status: 'SUCCESS', PhysicalResourceId: await apply() };
  } catch (e) {
    const reason = `${errorName(e) || 'Error'}: ${(e as Error)?.message ?? String(e)}`.slice(0, 1000);
    channel.log?.(`${event.RequestType} failed: ${reason}`);
    const physicalId = event.RequestType === 'Create' ? `${event.LogicalResourceId}${NOT_CREATED_SUFFIX}` : event.PhysicalResourceId!;
    response = { ...base, Status: 'FAILED', Reason: reason, PhysicalResourceId: physicalId };
  }
  await sendResponse(channel, event.ResponseURL, response);
  return response;
}

/** Attempts at sending one response before giving up (the presigned URL stays valid for two hours). */
const SEND_ATTEMPTS = 3;

/** Sends the response, retrying a failed send twice (after 1 s, then 2 s). */
export async function sendResponse(channel: ResponseChannel, responseUrl: string, response: CfnResponse): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await channel.send(responseUrl, response);
    } catch (e) {
      if (attempt >= SEND_ATTEMPTS) throw e;
      channel.log?.(`Sending the response failed (${(e as Error).message}), retrying`);
      await channel.sleep(1000 * attempt);
    }
  }
}

/** PUTs the response to the presigned S3 URL (empty content type, as the URL was signed). */
export function putResponse(responseUrl: string, response: CfnResponse): Promise<void> {
  const body = JSON.stringify(response);
  const url = new URL(responseUrl);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        hostname: url.hostname,
        port: url.port || 443,
        path: `${url.pathname}${url.search}`,
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`ResponseURL answered ${res.statusCode}`))));
      },
    );
    req.on('timeout', () => req.destroy(new Error('ResponseURL timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
