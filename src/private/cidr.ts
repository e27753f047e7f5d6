/**
 * IPv4 CIDR arithmetic for synth-time checks (format, size, overlap). Pure functions, no CDK.
 */

/** A parsed IPv4 CIDR block: [first, last] address as unsigned 32-bit integers. */
export interface Ipv4Range {
  readonly cidr: string;
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns undefined for anything that is not a canonical IPv4 CIDR block
 * (octets 0–255, prefix 0–32, no host bits set: `10.0.0.1/16` is rejected, as EC2 rejects it).
 */
export function parseCidr(cidr: string): Ipv4Range | undefined {
  const m = CIDR_PATTERN.exec(cidr);
  if (!m) {
    return undefined;
  }
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) {
    return undefined;
  }
  const address = octets[0] * 2 ** 24 + octets[1] * 2 ** 16 + octets[2] * 2 ** 8 + octets[3];
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) {
    return undefined;
  }
  return { cidr, first: address, last: address + size - 1, prefix };
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** One overlapping pair of labelled blocks. */
export interface CidrOverlap {
  readonly a: { readonly label: string; readonly cidr: string };
  readonly b: { readonly label: string; readonly cidr: string };
}

/**
 * Every overlapping pair among the labelled blocks. Unparseable entries are skipped
 * (they are reported by the format rule).
 */
export function findOverlaps(blocks: ReadonlyArray<{ label: string; cidr: string }>): CidrOverlap[] {
  const parsed = blocks
    .map((b) => ({ label: b.label, cidr: b.cidr, range: parseCidr(b.cidr) }))
    .filter((b) => b.range !== undefined) as Array<{ label: string; cidr: string; range: Ipv4Range }>;
  const found: CidrOverlap[] = [];
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      if (overlaps(parsed[i].range, parsed[j].range)) {
        found.push({ a: { label: parsed[i].label, cidr: parsed[i].cidr }, b: { label: parsed[j].label, cidr: parsed[j].cidr } });
      }
    }
  }
  return found;
}

/** True when the IPv4 address `ip` is inside the block `cidr` (false for anything malformed). */
export function ipInCidr(ip: string, cidr: string): boolean {
  const host = parseCidr(`${ip}/32`);
  const block = parseCidr(cidr);
  return host !== undefined && block !== undefined && overlaps(host, block);
}
