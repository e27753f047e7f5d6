import type { Duration } from 'aws-cdk-lib';
import type { CutoverEndpointKind } from './cutover-endpoint-kind';

/** The settings of a CutoverEndpoint (not part of the public API). */
export interface EndpointConfig {
  readonly kind: CutoverEndpointKind;
  /** `A`, `AAAA` or `CNAME`. */
  readonly recordType: string;
  /** The ALB (alias) or legacy DNS name; the health-check host. */
  readonly dnsName?: string;
  readonly canonicalHostedZoneId?: string;
  readonly ipAddresses?: string[];
  readonly ttl?: Duration;
}

/** The default and maximum TTL of a legacy (non-alias) record: resolvers must follow a shift within a minute. */
export const LEGACY_MAX_TTL_SECONDS = 60;
