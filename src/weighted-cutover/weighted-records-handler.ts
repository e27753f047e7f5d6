/*
 * The custom-resource handler that owns the weighted records (bundled to assets/weighted-records/index.js).
 *
 * Create: UPSERT every record with the initial weights, wait for INSYNC.
 * Update: keep the LIVE weights, apply everything else; records whose name, type or set identifier changed are
 *         replaced, names no longer listed are deleted.
 * Delete: DELETE every record as Route 53 holds it (a DELETE must match the live record); gone records are fine.
 * The handler always answers CloudFormation (a PUT to the presigned ResponseURL), FAILED with a reason on error.
 */
import { createHash } from 'crypto';
// The Node.js 22 Lambda runtime provides SDK v3: the bundle leaves it external.
import {
  ChangeResourceRecordSetsCommand,
  ChangeResourceRecordSetsCommandInput,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  ListResourceRecordSetsCommandInput,
  Route53Client,
} from '@aws-sdk/client-route-53';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Change, ChangeBatch, LiveRecordSet, normalizeName, RecordBody, recordKey, SideRecord, Weights, withWeight } from './records';
import { CfnResponse, NOT_CREATED_SUFFIX } from '../private/cfn-response';
import { handleRequest, HandlerRuntime, lambdaHandler, ResourceLifecycle, retrying } from '../private/resource-handler';

export { NOT_CREATED_SUFFIX };

export type { CfnResponse } from '../private/cfn-response';

/** Route 53's ChangeInfo, as much as the handler reads. */
export interface ChangeInfo {
  readonly Id?: string;
  readonly Status?: string;
}

/** The three Route 53 calls the handler makes (the SDK client in Lambda, a fake in tests). */
export interface Route53Api {
  changeResourceRecordSets(input: { HostedZoneId: string; ChangeBatch: ChangeBatch }): Promise<{ ChangeInfo?: ChangeInfo }>;
  getChange(input: { Id: string }): Promise<{ ChangeInfo?: ChangeInfo }>;
  listResourceRecordSets(input: {
    HostedZoneId: string;
    StartRecordName?: string;
    StartRecordType?: string;
    StartRecordIdentifier?: string;
    MaxItems?: number;
  }): Promise<{
    ResourceRecordSets?: LiveRecordSet[];
    IsTruncated?: boolean;
    NextRecordName?: string;
    NextRecordType?: string;
    NextRecordIdentifier?: string;
  }>;
}

/** Everything the handler touches outside itself (the deadline: when it stops waiting for INSYNC and answers). */
export interface HandlerDeps extends HandlerRuntime {
  readonly api: Route53Api;
}

/** The records the custom resource manages, parsed from its properties. */
export interface RecordsConfig {
  readonly hostedZoneId: string;
  readonly records: SideRecord[];
  readonly initial: Weights;
}

const RETRY = {
  retryable: new Set(['Throttling', 'ThrottlingException', 'PriorRequestNotComplete', 'PriorRequestNotCompleteException']),
  firstDelayMs: 200,
  withinDeadline: false,
};
const MAX_BACKOFF_MS = 10_000;
const MAX_PHYSICAL_ID = 1024;

// ---------------------------------------------------------------------------------------------------------------
// Properties: CloudFormation passes every scalar as a string ("60", "true")

function obj(x: unknown, what: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new Error(`${what} must be an object`);
  return x as Record<string, unknown>;
}

function num(x: unknown, what: string): number {
  const n = typeof x === 'number' ? x : Number(x);
  if (x === undefined || x === '' || !Number.isFinite(n)) throw new Error(`${what} must be a number, got ${JSON.stringify(x)}`);
  return n;
}

function str(x: unknown, what: string): string {
  if (typeof x !== 'string' || x.length === 0) throw new Error(`${what} must be a non-empty string`);
  return x;
}

function parseBody(raw: unknown, what: string): RecordBody {
  const r = obj(raw, what);
  const alias = r.AliasTarget === undefined ? undefined : obj(r.AliasTarget, `${what}.AliasTarget`);
  const records = r.ResourceRecords === undefined ? undefined : (r.ResourceRecords as unknown[]);
  return {
    Name: str(r.Name, `${what}.Name`),
    Type: str(r.Type, `${what}.Type`),
    SetIdentifier: str(r.SetIdentifier, `${what}.SetIdentifier`),
    ...(alias
      ? {
        AliasTarget: {
          HostedZoneId: str(alias.HostedZoneId, `${what}.AliasTarget.HostedZoneId`),
          DNSName: str(alias.DNSName, `${what}.AliasTarget.DNSName`),
          EvaluateTargetHealth: alias.EvaluateTargetHealth === true || alias.EvaluateTargetHealth === 'true',
        },
      }
      : {}),
    ...(r.TTL !== undefined ? { TTL: num(r.TTL, `${what}.TTL`) } : {}),
    ...(records ? { ResourceRecords: records.map((v, i) => ({ Value: str(obj(v, `${what}.ResourceRecords[${i}]`).Value, `${what}.ResourceRecords[${i}].Value`) })) } : {}),
    ...(r.HealthCheckId !== undefined && r.HealthCheckId !== '' ? { HealthCheckId: str(r.HealthCheckId, `${what}.HealthCheckId`) } : {}),
  };
}

/** Parses and checks the custom resource's properties. */
export function parseProperties(raw: unknown): RecordsConfig {
  const p = obj(raw, 'ResourceProperties');
  const records = p.Records;
  if (!Array.isArray(records) || records.length === 0) throw new Error('Records must be a non-empty list');
  const weights = obj(p.InitialWeights, 'InitialWeights');
  const initial = { source: num(weights.Source, 'InitialWeights.Source'), target: num(weights.Target, 'InitialWeights.Target') };
  if (initial.source + initial.target <= 0) throw new Error('InitialWeights must not both be 0');
  return {
    hostedZoneId: str(p.HostedZoneId, 'HostedZoneId'),
    initial,
    records: records.map((r, i) => {
      const entry = obj(r, `Records[${i}]`);
      const side = entry.Side;
      if (side !== 'source' && side !== 'target') throw new Error(`Records[${i}].Side must be source or target`);
      return { side, body: parseBody(entry.Record, `Records[${i}].Record`) };
    }),
  };
}

/** Zone id and record names; a digest of the names when they would not fit CloudFormation's 1 KB limit. */
export function physicalIdFor(config: RecordsConfig): string {
  const names = [...new Set(config.records.map((r) => normalizeName(r.body.Name)))].sort().join(',');
  const id = `${config.hostedZoneId}:${names}`;
  return id.length <= MAX_PHYSICAL_ID ? id : `${config.hostedZoneId}:sha256-${createHash('sha256').update(names).digest('hex')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Route 53 calls


/** Calls `fn`, retrying Route 53 throttling (`Throttling`, `PriorRequestNotComplete`) with exponential backoff. */
export function withRetry<T>(deps: HandlerDeps, what: string, fn: () => Promise<T>): Promise<T> {
  return retrying(deps, RETRY, what, fn);
}

/** The members of one weighted set (name + type) as Route 53 holds them. */
export async function listSet(deps: HandlerDeps, zoneId: string, name: string, type: string): Promise<LiveRecordSet[]> {
  const found: LiveRecordSet[] = [];
  type Start = { StartRecordName?: string; StartRecordType?: string; StartRecordIdentifier?: string };
  let start: Start = { StartRecordName: name, StartRecordType: type };
  for (;;) {
    const page = await withRetry(deps, 'ListResourceRecordSets', () =>
      deps.api.listResourceRecordSets({ HostedZoneId: zoneId, ...start, MaxItems: 100 }),
    );
    for (const r of page.ResourceRecordSets ?? []) {
      if (normalizeName(r.Name) !== normalizeName(name) || r.Type !== type) return found;
      found.push(r);
    }
    if (!page.IsTruncated) return found;
    start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier };
  }
}

/** The live record of each body (by name, type and set identifier); absent ones are missing from the map. */
export async function readLive(deps: HandlerDeps, zoneId: string, bodies: RecordBody[]): Promise<Map<string, LiveRecordSet>> {
  const live = new Map<string, LiveRecordSet>();
  const sets = new Map<string, RecordBody>();
  for (const b of bodies) sets.set(`${normalizeName(b.Name)}|${b.Type}`, b);
  for (const b of sets.values()) {
    for (const r of await listSet(deps, zoneId, b.Name, b.Type)) live.set(recordKey(r), r);
  }
  return live;
}

/** Submits one change batch and waits for INSYNC until the deadline; returns the change id and last status. */
export async function applyBatch(deps: HandlerDeps, zoneId: string, batch: ChangeBatch): Promise<{ id: string; status: string }> {
  const submitted = await withRetry(deps, 'ChangeResourceRecordSets', () =>
    deps.api.changeResourceRecordSets({ HostedZoneId: zoneId, ChangeBatch: batch }),
  );
  const id = submitted.ChangeInfo?.Id;
  if (!id) throw new Error('ChangeResourceRecordSets returned no change id');
  let status = submitted.ChangeInfo?.Status ?? 'PENDING';
  let delay = 1000;
  while (status !== 'INSYNC') {
    if (deps.now() + delay > deps.deadline) {
      deps.log?.(`Change ${id} is still ${status}; answering before the function times out (Route 53 completes it on its own)`);
      break;
    }
    await deps.sleep(delay);
    delay = Math.min(delay * 2, MAX_BACKOFF_MS);
    status = (await withRetry(deps, 'GetChange', () => deps.api.getChange({ Id: id }))).ChangeInfo?.Status ?? status;
  }
  return { id, status };
}

// ---------------------------------------------------------------------------------------------------------------
// The three requests

const upsert = (r: SideRecord, weights: Weights): Change => ({ Action: 'UPSERT', ResourceRecordSet: withWeight(r.body, weights[r.side]) });
const create = (r: SideRecord, weights: Weights): Change => ({ Action: 'CREATE', ResourceRecordSet: withWeight(r.body, weights[r.side]) });

const remove = (live: LiveRecordSet): Change => ({ Action: 'DELETE', ResourceRecordSet: live });

/**
 * Create: every record with the initial weights, in one batch. CREATE, not UPSERT: records that already exist (made
 * by hand, or by another stack) are never adopted and reset to the initial split — the batch fails, atomically.
 */
export async function createRecords(deps: HandlerDeps, config: RecordsConfig): Promise<ChangeBatch[]> {
  const batch: ChangeBatch = { Comment: 'WeightedCutover: create', Changes: config.records.map((r) => create(r, config.initial)) };
  await applyBatch(deps, config.hostedZoneId, batch);
  return [batch];
}

/** The live weights of the old records, by side and normalized name. */
function liveWeights(old: RecordsConfig, live: Map<string, LiveRecordSet>): Map<string, number> {
  const weights = new Map<string, number>();
  for (const r of old.records) {
    const w = live.get(recordKey(r.body))?.Weight;
    if (w !== undefined) weights.set(`${r.side}|${normalizeName(r.body.Name)}`, w);
  }
  return weights;
}

/**
 * Update: the live weights survive; new names get the live split of the first existing name that has both sides
 * (or the initial split when there is none). One batch replaces and upserts the records of the names kept; a second
 * batch deletes the names removed (the function's IAM policy allows UPSERT only on the names listed now).
 */
export async function updateRecords(deps: HandlerDeps, old: RecordsConfig, next: RecordsConfig): Promise<ChangeBatch[]> {
  const live = await readLive(deps, old.hostedZoneId, old.records.map((r) => r.body));
  const weights = liveWeights(old, live);
  const oldNames = [...new Set(old.records.map((r) => normalizeName(r.body.Name)))];
  const splitName = oldNames.find((n) => weights.has(`source|${n}`) && weights.has(`target|${n}`));
  const fallback: Weights = splitName
    ? { source: weights.get(`source|${splitName}`)!, target: weights.get(`target|${splitName}`)! }
    : next.initial;
  const weightOf = (r: SideRecord): Weights => {
    const w = weights.get(`${r.side}|${normalizeName(r.body.Name)}`);
    return w === undefined ? fallback : { ...fallback, [r.side]: w };
  };

  const nextKeys = new Set(next.records.map((r) => recordKey(r.body)));
  const nextNames = new Set(next.records.map((r) => normalizeName(r.body.Name)));
  const replaced: Change[] = [];
  const removed: Change[] = [];
  for (const r of old.records) {
    const l = live.get(recordKey(r.body));
    if (!l || nextKeys.has(recordKey(r.body))) continue;
    (nextNames.has(normalizeName(r.body.Name)) ? replaced : removed).push(remove(l));
  }
  // Records whose body did not change are not written at all: a deploy then cannot race a running shift for them.
  const oldBodies = new Map(old.records.map((r) => [recordKey(r.body), JSON.stringify(r.body)]));
  const unchanged = (r: SideRecord) => live.has(recordKey(r.body)) && oldBodies.get(recordKey(r.body)) === JSON.stringify(r.body);
  const upserts = next.records.filter((r) => !unchanged(r)).map((r) => upsert(r, weightOf(r)));
  const batches: ChangeBatch[] = [];
  if (replaced.length + upserts.length > 0) {
    batches.push({ Comment: 'WeightedCutover: update (live weights kept)', Changes: [...replaced, ...upserts] });
  }
  if (removed.length > 0) batches.push({ Comment: 'WeightedCutover: update (names removed)', Changes: removed });
  for (const b of batches) await applyBatch(deps, next.hostedZoneId, b);
  return batches;
}

/** Delete: every record as Route 53 holds it; records already gone are skipped. */
export async function deleteRecords(deps: HandlerDeps, config: RecordsConfig): Promise<ChangeBatch[]> {
  const live = await readLive(deps, config.hostedZoneId, config.records.map((r) => r.body));
  const changes = config.records.flatMap((r) => {
    const l = live.get(recordKey(r.body));
    return l ? [remove(l)] : [];
  });
  if (changes.length === 0) return [];
  const batch: ChangeBatch = { Comment: 'WeightedCutover: delete', Changes: changes };
  await applyBatch(deps, config.hostedZoneId, batch);
  return [batch];
}

/** The weighted records as a custom resource: another hosted zone is a replacement. */
const RECORDS: ResourceLifecycle<RecordsConfig, HandlerDeps> = {
  parse: parseProperties,
  physicalId: physicalIdFor,
  replaces: (old, next) => old.hostedZoneId !== next.hostedZoneId,
  create: createRecords,
  update: updateRecords,
  delete: deleteRecords,
};

/** Handles a request and always answers CloudFormation: SUCCESS, or FAILED with the error as the reason. */
export function handleEvent(event: CloudFormationCustomResourceEvent, deps: HandlerDeps): Promise<CfnResponse> {
  return handleRequest(RECORDS, event, deps);
}

// ---------------------------------------------------------------------------------------------------------------
// Lambda wiring

let client: Route53Client | undefined;

/** The SDK client behind {@link Route53Api}. */
function sdkApi(): Route53Api {
  client ??= new Route53Client({});
  const c = client;
  return {
    changeResourceRecordSets: async (input) => c.send(new ChangeResourceRecordSetsCommand(input as ChangeResourceRecordSetsCommandInput)),
    getChange: async (input) => c.send(new GetChangeCommand(input)),
    listResourceRecordSets: async (input) => {
      const out = await c.send(new ListResourceRecordSetsCommand(input as ListResourceRecordSetsCommandInput));
      return out as Awaited<ReturnType<Route53Api['listResourceRecordSets']>>;
    },
  };
}

/** The Lambda entry point; 20 s are kept back from the Lambda timeout to answer CloudFormation. */
export const handler = lambdaHandler(RECORDS, 20_000, () => ({ api: sdkApi() }));
