import type { ChangeBatch, LiveRecordSet } from '../../src/weighted-cutover/records';
import type { ChangeInfo, Route53Api } from '../../src/weighted-cutover/weighted-records-handler';

/** An error shaped like the SDK's (its `name` is the Route 53 error code). */
export function route53Error(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

const canonical = (name: string) => (name.toLowerCase().endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.`);
const keyOf = (r: { Name: string; Type: string; SetIdentifier?: string }) => `${canonical(r.Name)}|${r.Type}|${r.SetIdentifier ?? ''}`;

/**
 * One hosted zone in memory, behaving like Route 53 where the handler depends on it: names come back lower case
 * with a trailing dot, a DELETE must repeat the live record exactly, List is sorted and paged, a change is PENDING
 * for `pendingPolls` GetChange calls, and errors can be queued per call.
 */
export class FakeRoute53 implements Route53Api {
  public readonly batches: ChangeBatch[] = [];
  public readonly calls: string[] = [];
  public pendingPolls = 1;
  public pageSize = 100;
  private readonly records = new Map<string, LiveRecordSet>();
  private readonly failures: Record<string, Error[]> = {};
  private readonly polls = new Map<string, number>();
  private changeCount = 0;

  constructor(public readonly zoneId = 'Z0123456789ABC') {}

  /** Puts a record in the zone as Route 53 would hold it. */
  public seed(record: LiveRecordSet): void {
    const r = stored(record);
    this.records.set(keyOf(r), r);
  }

  /** Every record in the zone, sorted. */
  public all(): LiveRecordSet[] {
    return [...this.records.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
  }

  /** The live record of a name, type and set identifier. */
  public get(name: string, type: string, setId: string): LiveRecordSet | undefined {
    return this.records.get(keyOf({ Name: name, Type: type, SetIdentifier: setId }));
  }

  /** Makes the next call(s) of `call` fail with `errors`, in order. */
  public failNext(call: 'changeResourceRecordSets' | 'getChange' | 'listResourceRecordSets', ...errors: Error[]): void {
    (this.failures[call] ??= []).push(...errors);
  }

  public async changeResourceRecordSets(input: { HostedZoneId: string; ChangeBatch: ChangeBatch }): Promise<{ ChangeInfo?: ChangeInfo }> {
    this.enter('changeResourceRecordSets', input.HostedZoneId);
    const next = new Map(this.records);
    for (const c of input.ChangeBatch.Changes) {
      const key = keyOf(c.ResourceRecordSet);
      // Route 53: "If you're creating or updating an alias resource record set, omit TTL" (ResourceRecordSet.TTL);
      // an alias with a TTL, or a plain record without TTL and values, is refused before anything changes.
      const hasTtl = c.ResourceRecordSet.TTL !== undefined;
      const hasValues = c.ResourceRecordSet.ResourceRecords !== undefined;
      if (c.ResourceRecordSet.AliasTarget ? hasTtl || hasValues : !(hasTtl && hasValues)) {
        throw route53Error('InvalidInput', `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${c.ResourceRecordSet.AliasTarget ? 'more than one' : 'none'} in Change with [Action=${c.Action}, Name=${c.ResourceRecordSet.Name}, Type=${c.ResourceRecordSet.Type}, SetIdentifier=${c.ResourceRecordSet.SetIdentifier ?? 'null'}]`);
      }
      if (c.Action === 'DELETE') {
        const live = next.get(key);
        if (!live || JSON.stringify(sorted(live)) !== JSON.stringify(sorted(c.ResourceRecordSet))) {
          throw route53Error('InvalidChangeBatch', `Tried to delete resource record set [name='${c.ResourceRecordSet.Name}', type='${c.ResourceRecordSet.Type}'] but the values provided do not match the current values`);
        }
        next.delete(key);
      } else if (c.Action === 'CREATE' && next.has(key)) {
        throw route53Error('InvalidChangeBatch', `Tried to create resource record set [name='${c.ResourceRecordSet.Name}', type='${c.ResourceRecordSet.Type}', set-identifier='${c.ResourceRecordSet.SetIdentifier}'] but it already exists`);
      } else {
        next.set(key, stored(c.ResourceRecordSet));
      }
    }
    this.records.clear();
    next.forEach((v, k) => this.records.set(k, v));
    this.batches.push(JSON.parse(JSON.stringify(input.ChangeBatch)));
    const id = `/change/C${++this.changeCount}`;
    this.polls.set(id, 0);
    return { ChangeInfo: { Id: id, Status: 'PENDING' } };
  }

  public async getChange(input: { Id: string }): Promise<{ ChangeInfo?: ChangeInfo }> {
    this.enter('getChange');
    const n = (this.polls.get(input.Id) ?? 0) + 1;
    this.polls.set(input.Id, n);
    return { ChangeInfo: { Id: input.Id, Status: n > this.pendingPolls ? 'INSYNC' : 'PENDING' } };
  }

  public async listResourceRecordSets(input: {
    HostedZoneId: string;
    StartRecordName?: string;
    StartRecordType?: string;
    StartRecordIdentifier?: string;
    MaxItems?: number;
  }): ReturnType<Route53Api['listResourceRecordSets']> {
    this.enter('listResourceRecordSets', input.HostedZoneId);
    const start = keyOf({ Name: input.StartRecordName ?? '', Type: input.StartRecordType ?? '', SetIdentifier: input.StartRecordIdentifier });
    const from = this.all().filter((r) => keyOf(r) >= start);
    const max = Math.min(input.MaxItems ?? 300, this.pageSize);
    const page = from.slice(0, max);
    const rest = from[max];
    return {
      ResourceRecordSets: page,
      IsTruncated: rest !== undefined,
      ...(rest ? { NextRecordName: rest.Name, NextRecordType: rest.Type, NextRecordIdentifier: rest.SetIdentifier } : {}),
    };
  }

  private enter(call: string, zoneId?: string): void {
    this.calls.push(call);
    if (zoneId !== undefined && zoneId !== this.zoneId) throw route53Error('NoSuchHostedZone');
    const err = this.failures[call]?.shift();
    if (err) throw err;
  }
}

/** A record as Route 53 stores it: names lower case with a trailing dot. */
function stored(record: LiveRecordSet): LiveRecordSet {
  return {
    ...record,
    Name: canonical(record.Name),
    ...(record.AliasTarget ? { AliasTarget: { ...record.AliasTarget, DNSName: canonical(record.AliasTarget.DNSName) } } : {}),
  };
}

/** A record with its keys sorted, to compare two records field by field. */
function sorted(r: LiveRecordSet): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
}
