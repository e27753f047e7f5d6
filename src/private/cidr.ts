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

/** IPv4 blocks the internet does not route (IANA special-purpose registry, RFC 6890), with what they are. */
const NON_INTERNET_V4: ReadonlyArray<readonly [string, string]> = [
  ['0.0.0.0/8', 'a "this network" address (RFC 1122)'],
  ['10.0.0.0/8', 'a private address (RFC 1918)'],
  ['100.64.0.0/10', 'a carrier-grade NAT (shared) address (RFC 6598)'],
  ['127.0.0.0/8', 'a loopback address (RFC 1122)'],
  ['169.254.0.0/16', 'a link-local address (RFC 3927)'],
  ['172.16.0.0/12', 'a private address (RFC 1918)'],
  ['192.0.0.0/24', 'an IETF protocol assignment (RFC 6890)'],
  ['192.0.2.0/24', 'a documentation address (RFC 5737, TEST-NET-1)'],
  ['192.88.99.0/24', 'a deprecated 6to4 relay anycast address (RFC 7526)'],
  ['192.168.0.0/16', 'a private address (RFC 1918)'],
  ['198.18.0.0/15', 'a benchmarking address (RFC 2544)'],
  ['198.51.100.0/24', 'a documentation address (RFC 5737, TEST-NET-2)'],
  ['203.0.113.0/24', 'a documentation address (RFC 5737, TEST-NET-3)'],
  ['224.0.0.0/4', 'a multicast address (RFC 5771)'],
  ['240.0.0.0/4', 'a reserved or broadcast address (RFC 1112, RFC 919)'],
];

/** The 8 groups of an IPv6 address as numbers, or undefined when malformed. */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  let tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const r = parseCidr(`${v4[1]}/32`);
    if (!r) return undefined;
    tail = [Math.floor(r.first / 65536), r.first % 65536];
    text = text.slice(0, -v4[1].length);
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const width = 8 - tail.length;
  const groups = halves.length === 2 ? [...head, ...new Array(Math.max(0, width - head.length - rest.length)).fill(0), ...rest] : head;
  const all = [...groups, ...tail];
  return all.length === 8 && all.every((g) => Number.isInteger(g)) ? all : undefined;
}

/**
 * Why Route 53's health checkers (on the internet) cannot reach this IP address — private, loopback, link-local,
 * carrier-grade NAT, documentation, benchmarking, multicast, reserved (IPv4 and IPv6) — or undefined for a public
 * address (and for anything that is not an IP address).
 */
export function nonInternetAddressReason(ip: string): string | undefined {
  if (parseCidr(`${ip}/32`)) {
    const hit = NON_INTERNET_V4.find(([cidr]) => ipInCidr(ip, cidr));
    return hit?.[1];
  }
  const g = ipv6Groups(ip);
  if (!g) return undefined;
  if (g.every((x) => x === 0)) return 'the unspecified address (::)';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'the loopback address (::1)';
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const v4 = `${Math.floor(g[6] / 256)}.${g[6] % 256}.${Math.floor(g[7] / 256)}.${g[7] % 256}`;
    return nonInternetAddressReason(v4) ?? undefined;
  }
  if (g[0] >= 0xfe80 && g[0] <= 0xfebf) return 'a link-local address (fe80::/10)';
  if (g[0] >= 0xfc00 && g[0] <= 0xfdff) return 'a unique local (private) address (fc00::/7, RFC 4193)';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'a documentation address (2001:db8::/32, RFC 3849)';
  if (g[0] >= 0xff00) return 'a multicast address (ff00::/8)';
  return undefined;
}
