import { isIP, isIPv4, isIPv6 } from 'net';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { IConstruct } from 'constructs';
import { CutoverEndpoint, CutoverEndpointKind } from './cutover-endpoint';
import { LEGACY_MAX_TTL_SECONDS } from './endpoint-config';
import { normalizeName, recordFqdn } from './records';
import { recordsStatements } from './records-function';
import type { CutoverHealthCheckOptions, WeightedCutoverProps } from './weighted-cutover-props';
import { nonInternetAddressReason } from '../private/cidr';
import { regionOfAlbZoneId, regionOfLoadBalancerDnsName, ALB_CANONICAL_HOSTED_ZONE_IDS } from '../private/elb-zones';
import { checkHostName, isInternalOnlyName } from '../private/host-names';
import { checkInteger } from '../private/number-rules';
import { writeOwnLogs } from '../private/service-role';
import { checkAlarmActionsRegion, checkKnownSeconds, checkSameRegion, checkShapes, known, literalRegion, Validator, typesOf } from '../private/validation';

/** The longest DNS name Route 53 accepts (without the trailing dot). */
const MAX_NAME_LENGTH = 253;
/** Characters a name may hold without octal escapes in the IAM condition `…NormalizedRecordNames`. */
const PLAIN_NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;

/** True for a DNS name made of letters, digits, `-` and `_` labels, with or without a trailing dot. */
export function isPlainDnsName(name: string): boolean {
  const n = normalizeName(name);
  return n.length > 0 && n.length <= MAX_NAME_LENGTH && PLAIN_NAME.test(n) && n.split('.').every((l) => l.length <= 63);
}

/** Top-level domains a relative record name is very unlikely to end with. */
const COMMON_TLDS = ['com', 'net', 'org', 'info', 'biz'];

/**
 * True for a relative name of two labels or more that ends with the zone's top-level domain (or a common one):
 * `api.exmaple.com` in the zone `example.com` is a typo, not `api.exmaple.com.example.com`.
 */
function looksLikeForeignFqdn(name: string, zoneName: string): boolean {
  const lower = name.toLowerCase();
  const zone = normalizeName(zoneName);
  if (lower.endsWith('.') || lower === zone || lower.endsWith(`.${zone}`)) return false;
  const labels = lower.split('.');
  if (labels.length < 2) return false;
  const tld = labels[labels.length - 1];
  return tld === zone.split('.').pop() || COMMON_TLDS.includes(tld);
}

/** True when every address is an IP of one family. */
function isIpList(ips: string[]): boolean {
  return ips.every((ip) => isIPv4(ip)) || ips.every((ip) => isIPv6(ip));
}

/**
 * Each kind of endpoint's settings have the types of what its factory takes (a plain JavaScript caller may give
 * anything): `fromLoadBalancer`'s load balancer gives the settings `fromLoadBalancerAttributes` takes.
 */
const ENDPOINT_TYPES: Record<CutoverEndpointKind, string> = {
  [CutoverEndpointKind.LOAD_BALANCER]: 'LoadBalancerEndpointAttributes',
  [CutoverEndpointKind.IP_ADDRESSES]: 'CutoverEndpoint.fromIpAddresses',
  [CutoverEndpointKind.DNS_NAME]: 'CutoverEndpoint.fromDnsName',
  [CutoverEndpointKind.GLOBAL_ACCELERATOR]: 'CutoverEndpoint.fromGlobalAccelerator',
};

/** Validates one side: no TTL on an alias, a short whole-second TTL on a legacy record, well-formed targets. */
function checkEndpoint(v: Validator, prop: 'source' | 'target', endpoint: CutoverEndpoint, healthChecked: boolean, privateZone: boolean): void {
  const c = endpoint._config();
  if (!checkShapes(v, c, typesOf(ENDPOINT_TYPES[c.kind]), `${prop}.`)) return;
  if (c.kind === CutoverEndpointKind.GLOBAL_ACCELERATOR) {
    v.check(!known(c.dnsName) || /^[a-z0-9]+\.awsglobalaccelerator\.com$/i.test(c.dnsName), `${prop}.dnsName`,
      'must be an accelerator\'s DNS name such as a1234567890abcdef.awsglobalaccelerator.com', c.dnsName);
    return;
  }
  if (c.kind === CutoverEndpointKind.LOAD_BALANCER) {
    v.check(
      c.ttl === undefined,
      `${prop}.ttl`,
      'must not be set for a load-balancer alias: Route 53 uses the ALB\'s TTL and silently drops a TTL given for an alias',
      c.ttl?.toSeconds({ integral: false }),
    );
    if (known(c.dnsName) && checkHostName(v, `${prop}.dnsName`, c.dnsName)) {
      v.check(isPlainDnsName(c.dnsName), `${prop}.dnsName`, 'must be a DNS name such as my-alb-123.eu-west-1.elb.amazonaws.com', c.dnsName);
    }
    if (known(c.canonicalHostedZoneId)) {
      const shaped = /^Z[A-Z0-9]{1,31}$/.test(c.canonicalHostedZoneId);
      v.check(shaped, `${prop}.canonicalHostedZoneId`, 'must be a hosted zone id such as Z32O12XQLNTSW2', c.canonicalHostedZoneId);
      checkAliasZone(v, prop, c.dnsName, c.canonicalHostedZoneId);
    }
    if (known(c.dnsName) && healthChecked && !privateZone && /^(dualstack\.)?internal-/i.test(c.dnsName) && regionOfLoadBalancerDnsName(c.dnsName)) {
      v.fail(
        `${prop}.dnsName`,
        'must be an internet-facing load balancer: an `internal-…` load balancer resolves to private addresses, which internet clients and ' +
          'Route 53 health checkers cannot reach (for an internal cutover use a private hosted zone and `healthCheck: { enabled: false }`)',
        c.dnsName,
      );
    }
    return;
  }
  checkKnownSeconds(v, `${prop}.ttl`, c.ttl, (s) => Number.isInteger(s) && s >= 1 && s <= LEGACY_MAX_TTL_SECONDS,
    `must be whole seconds between 1 and ${LEGACY_MAX_TTL_SECONDS}: resolvers cache a legacy record for its TTL, so a longer TTL delays every shift and rollback`, (s) => `${s} seconds`);
  if (c.kind === CutoverEndpointKind.IP_ADDRESSES && known(c.ipAddresses)) {
    const ips = c.ipAddresses;
    v.check(ips.length > 0, `${prop}.ipAddresses`, 'must list at least one IP address', ips);
    v.check(ips.length === 0 || isIpList(ips), `${prop}.ipAddresses`, 'must be IPv4 or IPv6 addresses, all of one family', ips);
    v.check(new Set(ips).size === ips.length, `${prop}.ipAddresses`, 'must not repeat an address', ips);
    ips.forEach((ip, i) => {
      const reason = typeof ip === 'string' && isIP(ip) ? nonInternetAddressReason(ip) : undefined;
      if (reason && privateZone && !healthChecked) {
        return; // a private hosted zone answers clients inside the VPC, and no Route 53 checker probes it
      } else if (reason && healthChecked) {
        v.fail(
          `${prop}.ipAddresses[${i}]`,
          `must be an address reachable from the internet: it is ${reason}, which Route 53 health checkers (on the internet) cannot reach, ` +
            'so the record would be unhealthy from the start. Give the public address of the legacy entry point, or turn the HTTPS checks off ' +
            `(\`healthCheck: { enabled: false }\`) and give \`${v.name(`${prop}Alarm`)}\` (an alarm-based health check)`,
          ip,
        );
      } else if (reason) {
        v.fail(`${prop}.ipAddresses[${i}]`, `must be an address clients on the internet can reach: it is ${reason}`, ip);
      }
    });
  }
  if (c.kind === CutoverEndpointKind.DNS_NAME && known(c.dnsName) && checkHostName(v, `${prop}.dnsName`, c.dnsName)) {
    if (isIP(c.dnsName)) {
      v.fail(`${prop}.dnsName`, 'must be a DNS name, not an IP address: use CutoverEndpoint.fromIpAddresses for addresses (a CNAME points to a name)', c.dnsName);
    } else {
      v.check(isPlainDnsName(c.dnsName), `${prop}.dnsName`, 'must be a DNS name such as payments.dc1.example.net', c.dnsName);
      v.check(
        !isInternalOnlyName(c.dnsName),
        `${prop}.dnsName`,
        'must be a name that resolves on the internet: clients and Route 53 health checkers cannot resolve an internal-only name',
        c.dnsName,
      );
    }
  }
}

/** The hosted zone's name when known at synth time (the zone's own, or the name of the zone to create). @internal */
export function knownZoneName(props: Pick<WeightedCutoverProps, 'zoneName' | 'hostedZone'>): string | undefined {
  if (props.zoneName !== undefined) return known(props.zoneName) ? props.zoneName : undefined;
  if (!props.hostedZone) return undefined;
  try {
    const name = props.hostedZone.zoneName;
    return known(name) ? name : undefined;
  } catch {
    return undefined; // HostedZone.fromHostedZoneId: the name is not available
  }
}

/** A Route 53 alias to a load balancer names the canonical hosted zone of the load balancer's own region. */
function checkAliasZone(v: Validator, prop: string, dnsName: string | undefined, zoneId: string): void {
  const lbRegion = dnsName !== undefined && known(dnsName) ? regionOfLoadBalancerDnsName(dnsName) : undefined;
  const zoneRegion = regionOfAlbZoneId(zoneId);
  const expected = lbRegion !== undefined ? ALB_CANONICAL_HOSTED_ZONE_IDS[lbRegion] : undefined;
  if (expected !== undefined && zoneId !== expected) {
    v.fail(
      `${prop}.canonicalHostedZoneId`,
      `must be ${expected}, the canonical hosted zone of load balancers in ${lbRegion} (the region of \`${v.name(`${prop}.dnsName`)}\`` +
        `${zoneRegion ? `; ${zoneId} is ${zoneRegion}'s` : ''}): Route 53 alias targets use the zone of the load balancer's own region`,
      zoneId,
    );
  }
}

function checkHealthCheck(v: Validator, hc: CutoverHealthCheckOptions): void {
  checkKnownSeconds(v, 'healthCheck.interval', hc.interval, (s) => s === 10 || s === 30, 'must be 10 or 30 seconds (Route 53 fixes the interval at creation)', (s) => `${s} seconds`);
  checkInteger(v, 'healthCheck.failureThreshold', hc.failureThreshold, 1, 10, 'must be an integer between 1 and 10');
  v.checkKnown('healthCheck.path', hc.path, (x) => x.startsWith('/') && x.length <= 255, 'must start with / and be at most 255 characters');
  checkInteger(v, 'healthCheck.port', hc.port, 1, 65535, 'must be a port between 1 and 65535');
}

/** Shapes first: the props have the types the rest of the constructor reads, the sides are CutoverEndpoints. @internal */
export function checkWeightedCutoverShapes(v: Validator, props: WeightedCutoverProps): boolean {
  if (!checkShapes(v, props, typesOf('WeightedCutoverProps'))) return false;
  for (const side of ['source', 'target'] as const) {
    v.check(
      typeof (props[side] as any)._config === 'function',
      side,
      'must be a CutoverEndpoint (CutoverEndpoint.fromLoadBalancer, fromLoadBalancerAttributes, fromIpAddresses or fromDnsName)',
      props[side],
    );
  }
  return v.errors.length === 0;
}

/** A KMS key of the records function's log group: in the stack's region. @internal */
export function checkWeightedCutoverRegions(v: Validator, scope: IConstruct, props: WeightedCutoverProps): void {
  checkSameRegion(v, scope, 'encryptionKey', props.encryptionKey, props.encryptionKey?.keyArn, 'KMS keys are regional: the log group can use only a key of its own region');
  checkAlarmActionsRegion(v, 'alarmActions', props.alarmActions, literalRegion(scope));
}

/**
 * Validates WeightedCutover props. `zoneName` is the hosted zone's name when it is known at synth time.
 * @internal
 */
export function validateWeightedCutoverProps(v: Validator, props: WeightedCutoverProps, zoneName: string | undefined): void {
  // --- Hosted zone: an existing one or a name to create one, exactly one
  const given = [props.hostedZone, props.zoneName].filter((x) => x !== undefined).length;
  v.check(
    given === 1,
    'hostedZone',
    `and \`${v.name('zoneName')}\` are exclusive and one is required: pass an existing zone or the name of a public zone to create`,
    given === 2 ? 'both' : 'neither',
  );
  v.checkKnown('zoneName', props.zoneName, (x) => isPlainDnsName(x) && x.includes('.'), 'must be a domain name such as example.com');

  // --- Record names: one or more, unique, inside the zone
  v.check(props.recordNames.length > 0, 'recordNames', 'must list at least one record name (e.g. ["api", "checkout"])', props.recordNames);
  const fqdns: string[] = [];
  for (const [i, name] of props.recordNames.entries()) {
    if (!known(name)) continue;
    if (!isPlainDnsName(name)) {
      v.fail(`recordNames[${i}]`, 'must be a DNS name of letters, digits, - and _ labels (wildcards are not supported)', name);
      continue;
    }
    if (zoneName === undefined) continue;
    const fqdn = recordFqdn(name, zoneName);
    if (fqdn === undefined) {
      v.fail(`recordNames[${i}]`, `must be inside the hosted zone ${normalizeName(zoneName)}`, name);
      continue;
    }
    if (looksLikeForeignFqdn(name, zoneName)) {
      v.fail(
        `recordNames[${i}]`,
        `must be inside the hosted zone ${normalizeName(zoneName)}: it reads as a full name in another domain (a typo in the domain?), ` +
          `and would become ${fqdn}. Give a name relative to the zone (\`api\`) or a full name ending with ${normalizeName(zoneName)}`,
        name,
      );
      continue;
    }
    v.check(!fqdns.includes(fqdn), `recordNames[${i}]`, `must not repeat a record name (${fqdn} is listed twice)`, name);
    fqdns.push(fqdn);
    const cname = props.source.recordType === 'CNAME' || props.target.recordType === 'CNAME';
    v.check(
      !(cname && fqdn === normalizeName(zoneName)),
      `recordNames[${i}]`,
      'must not be the zone apex when a side is a CNAME (DNS forbids a CNAME at the apex)',
      name,
    );
  }

  if (zoneName !== undefined) checkNamesAgainstEndpoints(v, props, zoneName);
  if (fqdns.length === props.recordNames.length && fqdns.length > 0) checkRecordsPolicySize(v, fqdns);

  // --- Set identifiers
  const sourceId = props.sourceSetIdentifier ?? 'source';
  const targetId = props.targetSetIdentifier ?? 'target';
  for (const [prop, id] of [['sourceSetIdentifier', sourceId], ['targetSetIdentifier', targetId]] as const) {
    v.checkKnown(prop, id, (x) => x.length >= 1 && x.length <= 128, 'must be 1 to 128 characters');
  }
  if (known(sourceId) && known(targetId)) {
    v.check(sourceId !== targetId, 'targetSetIdentifier', `must differ from \`${v.name('sourceSetIdentifier')}\` (${sourceId}): each side is one member of the weighted set`, targetId);
  }

  // --- Initial split
  if (props.initialTargetPercent !== undefined) {
    v.check(known(props.initialTargetPercent), 'initialTargetPercent', 'must be known at synth time (the initial weights are computed from it)', props.initialTargetPercent);
    if (known(props.initialTargetPercent)) checkPercent(v, 'initialTargetPercent', props.initialTargetPercent);
  }

  // --- Endpoints
  const healthChecked = props.healthCheck?.enabled ?? true;
  const privateZone = props.hostedZone instanceof route53.PrivateHostedZone;
  checkEndpoint(v, 'source', props.source, healthChecked, privateZone);
  checkEndpoint(v, 'target', props.target, healthChecked, privateZone);
  v.check(
    props.source.recordType === props.target.recordType,
    'target',
    `must give records of the same type as \`${v.name('source')}\` (${props.source.recordType}): the two sides are members of one weighted set, ` +
      'and a CNAME cannot share its name with other records',
    props.target.recordType,
  );

  // --- Health checks
  if (props.healthCheck) {
    checkHealthCheck(v, props.healthCheck);
  }
}

/** A side given by DNS name must not be one of the weighted names: the record would be a CNAME to itself. */
function checkNamesAgainstEndpoints(v: Validator, props: WeightedCutoverProps, zoneName: string): void {
  for (const side of ['source', 'target'] as const) {
    const c = props[side]._config();
    if (c.kind !== CutoverEndpointKind.DNS_NAME || !known(c.dnsName)) continue;
    const self = normalizeName(c.dnsName);
    const i = props.recordNames.findIndex((n) => known(n) && isPlainDnsName(n) && recordFqdn(n, zoneName) === self);
    v.check(i < 0, `${side}.dnsName`, `must not be one of the weighted record names (${self}, at index ${i} of \`${v.name('recordNames')}\`): the record would ` +
      'be a CNAME to itself, which resolves nowhere. Give the legacy entry point\'s own name', c.dnsName);
  }
}

/** IAM's limit on a customer managed policy, in characters (white space not counted). */
const MANAGED_POLICY_LIMIT = 6_144;
/** The longest ARNs a deploy can resolve in the records function's policy (partition, region, a generated log group name). */
const ZONE = `arn:aws-us-gov:route53:::hostedzone/Z${'0'.repeat(31)}`;
const LOG_GROUP = `arn:aws-us-gov:logs:ap-southeast-5:123456789012:log-group:${'x'.repeat(512)}:*`;

/**
 * The size of the records function's managed policy as IAM counts it: its own statements, with these names and the
 * longest ARNs a deploy can resolve, an upper bound. Its `ChangeTheseRecordsOnly` is the longest statement that lists
 * the names (the shift's grant on the orchestrator lists them with less around them). @internal
 */
export function recordsPolicyCharacters(fqdns: readonly string[]): number {
  const statements = [writeOwnLogs(LOG_GROUP), ...recordsStatements({ hostedZoneArn: ZONE, recordNames: [...fqdns], changeArn: 'arn:aws-us-gov:route53:::change/*' })];
  return JSON.stringify(new iam.PolicyDocument({ statements }).toJSON()).length;
}

/** Every record name is in one IAM condition: enough names push the policy past IAM's limit, which fails the deploy. */
function checkRecordsPolicySize(v: Validator, fqdns: string[]): void {
  const size = recordsPolicyCharacters(fqdns);
  const n = (x: number) => x.toLocaleString('en-US');
  v.check(size <= MANAGED_POLICY_LIMIT, 'recordNames', `must fit IAM's limit of ${n(MANAGED_POLICY_LIMIT)} characters for a managed policy: the records ` +
    `function's policy lists every name in its \`route53:ChangeResourceRecordSetsNormalizedRecordNames\` condition and would be up to ${n(size)} ` +
    `characters (${n(fqdns.reduce((t, f) => t + f.length, 0))} of them names). Use fewer or shorter names, or a second cutover for the rest`, `${fqdns.length} names`);
}

/** The one rule for a traffic percentage. */
export function checkPercent(v: Validator, prop: string, percent: number): void {
  v.check(
    Number.isInteger(percent) && percent >= 0 && percent <= 100,
    prop,
    'must be an integer percentage between 0 and 100 (the share of traffic sent to the target side)',
    percent,
  );
}
