import { isIPv6 } from 'net';
import { Duration } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { CutoverEndpointKind } from './cutover-endpoint-kind';
import type { EndpointConfig } from './endpoint-config';

export { CutoverEndpointKind };

/**
 * An Application Load Balancer, in any region and any stack, described by its attributes.
 */
export interface LoadBalancerEndpointAttributes {
  /**
   * The ALB's DNS name, e.g. `my-alb-123456789.eu-west-1.elb.amazonaws.com`.
   */
  readonly dnsName: string;

  /**
   * The ALB's canonical hosted zone id (the zone of the ELB service in the ALB's region, e.g. `Z32O12XQLNTSW2`).
   */
  readonly canonicalHostedZoneId: string;

  /**
   * Must not be set. Alias records carry the ALB's own TTL (60 s) and Route 53 ignores any TTL given for them;
   * the property exists so that the mistake is reported at synth time rather than dropped silently.
   *
   * @default - no TTL (the alias carries the ALB's TTL)
   */
  readonly ttl?: Duration;
}

/** The hosted zone of every Global Accelerator DNS name, for alias records (Route 53 `AliasTarget`). */
const GLOBAL_ACCELERATOR_ZONE_ID = 'Z2BJ6XQ5FK7U4H';

/**
 * One side of a cutover: where the weighted records of that side send traffic.
 *
 * @example
 * const source = CutoverEndpoint.fromIpAddresses(['52.94.76.10', '52.94.76.11']);
 * const target = CutoverEndpoint.fromLoadBalancerAttributes({
 *   dnsName: 'payments-123456789.eu-west-1.elb.amazonaws.com',
 *   canonicalHostedZoneId: 'Z32O12XQLNTSW2',
 * });
 */
export class CutoverEndpoint {
  /**
   * An Application Load Balancer in any region (not in this stack): a weighted alias A record with
   * `EvaluateTargetHealth`.
   */
  public static fromLoadBalancerAttributes(attributes: LoadBalancerEndpointAttributes): CutoverEndpoint {
    return new CutoverEndpoint({
      kind: CutoverEndpointKind.LOAD_BALANCER,
      recordType: 'A',
      dnsName: attributes?.dnsName,
      canonicalHostedZoneId: attributes?.canonicalHostedZoneId,
      ttl: attributes?.ttl,
    });
  }

  /**
   * An Application Load Balancer of this app: a weighted alias A record with `EvaluateTargetHealth`.
   */
  public static fromLoadBalancer(loadBalancer: elbv2.IApplicationLoadBalancer): CutoverEndpoint {
    return new CutoverEndpoint({
      kind: CutoverEndpointKind.LOAD_BALANCER,
      recordType: 'A',
      dnsName: loadBalancer.loadBalancerDnsName,
      canonicalHostedZoneId: loadBalancer.loadBalancerCanonicalHostedZoneId,
    });
  }

  /**
   * A legacy (on-premises) endpoint reached by IP: a weighted non-alias A record (IPv4) or AAAA record (IPv6).
   * All addresses must be of one family.
   *
   * @param ipAddresses the addresses, one or more
   * @param ttl the record's TTL, at most 60 seconds. Default: 60 seconds
   */
  public static fromIpAddresses(ipAddresses: string[], ttl?: Duration): CutoverEndpoint {
    // a list is checked by WeightedCutover, which names the prop (a plain JavaScript caller may pass a string)
    const v6 = Array.isArray(ipAddresses) && ipAddresses.length > 0 && ipAddresses.every((ip) => typeof ip === 'string' && isIPv6(ip));
    return new CutoverEndpoint({
      kind: CutoverEndpointKind.IP_ADDRESSES,
      recordType: v6 ? 'AAAA' : 'A',
      ipAddresses,
      ttl,
    });
  }

  /**
   * A legacy (on-premises) endpoint reached by name: a weighted non-alias CNAME record. Both sides must then be
   * CNAMEs (a CNAME cannot share its name with A records), and the record names cannot include the zone apex.
   *
   * @param dnsName the name the CNAME points to
   * @param ttl the record's TTL, at most 60 seconds. Default: 60 seconds
   */
  public static fromDnsName(dnsName: string, ttl?: Duration): CutoverEndpoint {
    return new CutoverEndpoint({ kind: CutoverEndpointKind.DNS_NAME, recordType: 'CNAME', dnsName, ttl });
  }

  /**
   * A Global Accelerator standard accelerator, by its DNS name (`a1234567890abcdef.awsglobalaccelerator.com`): a
   * weighted alias A record in Global Accelerator's hosted zone, `Z2BJ6XQ5FK7U4H`.
   */
  public static fromGlobalAccelerator(dnsName: string): CutoverEndpoint {
    return new CutoverEndpoint({ kind: CutoverEndpointKind.GLOBAL_ACCELERATOR, recordType: 'A', dnsName, canonicalHostedZoneId: GLOBAL_ACCELERATOR_ZONE_ID });
  }

  /** How this endpoint is reached. */
  public readonly kind: CutoverEndpointKind;
  /** The DNS record type of this side's weighted records: `A`, `AAAA` or `CNAME`. */
  public readonly recordType: string;

  private constructor(private readonly config: EndpointConfig) {
    this.kind = config.kind;
    this.recordType = config.recordType;
  }

  /** @internal */
  public _config(): EndpointConfig {
    return this.config;
  }
}

