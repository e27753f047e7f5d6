/** How a side is reached, as a DNS record. */
export enum CutoverEndpointKind {
  /** An alias A record to an Application Load Balancer (no TTL, `EvaluateTargetHealth`). */
  LOAD_BALANCER = 'LOAD_BALANCER',
  /** A non-alias A (IPv4) or AAAA (IPv6) record with a short TTL. */
  IP_ADDRESSES = 'IP_ADDRESSES',
  /** A non-alias CNAME record with a short TTL. */
  DNS_NAME = 'DNS_NAME',
  /** An alias A record to a Global Accelerator standard accelerator (no TTL, `EvaluateTargetHealth`). */
  GLOBAL_ACCELERATOR = 'GLOBAL_ACCELERATOR',
}
