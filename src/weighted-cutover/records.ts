/*
 * The weighted record bodies and change batches, in Route 53 API casing. Pure: no aws-cdk-lib import, so the
 * custom-resource handler bundles it, and the construct, the shift fragment, the CLI command and the handler all
 * build the same change batch from the same record bodies.
 */

/** The two sides of a cutover. */
export type Side = 'source' | 'target';

/** The alias part of a record (an ALB). */
export interface AliasTargetBody {
  readonly HostedZoneId: string;
  readonly DNSName: string;
  readonly EvaluateTargetHealth: boolean;
}

/** One weighted record without its weight: everything the construct decides at synth time. */
export interface RecordBody {
  readonly Name: string;
  readonly Type: string;
  readonly SetIdentifier: string;
  readonly AliasTarget?: AliasTargetBody;
  readonly TTL?: number;
  readonly ResourceRecords?: { readonly Value: string }[];
  readonly HealthCheckId?: string;
}

/** A record body and the side it sends traffic to. */
export interface SideRecord {
  readonly side: Side;
  readonly body: RecordBody;
}

/** Integer weights 0–255 for the two sides. */
export interface Weights {
  readonly source: number;
  readonly target: number;
}

/** A record set as Route 53 holds it (and as a DELETE must repeat it). */
export interface LiveRecordSet extends RecordBody {
  readonly Weight?: number;
}

/** One change of a change batch. */
export interface Change {
  readonly Action: 'CREATE' | 'UPSERT' | 'DELETE';
  readonly ResourceRecordSet: LiveRecordSet;
}

/** A change batch. */
export interface ChangeBatch {
  readonly Comment?: string;
  readonly Changes: Change[];
}

/**
 * The name as the IAM condition key `route53:ChangeResourceRecordSetsNormalizedRecordNames` and Route 53 listings
 * compare it: lower case, no trailing dot.
 */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** The identity of a record within a zone: name, type and set identifier. */
export function recordKey(r: { readonly Name: string; readonly Type: string; readonly SetIdentifier?: string }): string {
  return `${normalizeName(r.Name)}|${r.Type}|${r.SetIdentifier ?? ''}`;
}

/** The body with a weight, ready to UPSERT. */
export function withWeight(body: RecordBody, weight: number): LiveRecordSet {
  return { ...body, Weight: weight };
}

/** One change batch that UPSERTs every record (every name, both sides) with the given weights. */
export function shiftChangeBatch(records: SideRecord[], weights: Weights, comment?: string): ChangeBatch {
  return {
    ...(comment ? { Comment: comment } : {}),
    Changes: records.map((r) => ({ Action: 'UPSERT', ResourceRecordSet: withWeight(r.body, weights[r.side]) })),
  };
}

/**
 * The record's FQDN, normalized (lower case, no trailing dot), or undefined when the name is not inside the zone.
 * A name ending with a dot is absolute; one ending with the zone name is taken as a FQDN; anything else is
 * relative to the zone (`api` → `api.example.com`).
 * @internal
 */
export function recordFqdn(name: string, zoneName: string): string | undefined {
  const zone = normalizeName(zoneName);
  const lower = name.toLowerCase();
  const inZone = (n: string) => n === zone || n.endsWith(`.${zone}`);
  if (lower.endsWith('.')) {
    const abs = normalizeName(lower);
    return inZone(abs) ? abs : undefined;
  }
  return inZone(lower) ? lower : `${lower}.${zone}`;
}
