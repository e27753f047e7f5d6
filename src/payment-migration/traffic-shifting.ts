import { Duration } from 'aws-cdk-lib';

/** How a side's cutover moves traffic. */
export enum TrafficShiftingKind {
  /** Route 53 weighted records: no extra hop; each step waits for INSYNC, and cached answers lag up to the record TTL. */
  DNS = 'dns',
  /** Weighted target groups on the fleet's load balancer (datacenter → AWS): per request, one listener change. */
  LOAD_BALANCER = 'load-balancer',
  /** Global Accelerator traffic dials at the edge (cross-region): per new connection, no DNS and no Region in the path. */
  GLOBAL_ACCELERATOR = 'global-accelerator',
}

/** One AWS Site-to-Site VPN tunnel's maximum bandwidth, in megabits per second (Site-to-Site VPN quotas). */
const VPN_TUNNEL_MBPS = 1250;

/** Options of {@link TrafficShifting.loadBalancer}. */
export interface LoadBalancerShiftingOptions {
  /**
   * The datacenter's servers (or its internal load balancer's addresses) that the AWS load balancer forwards the
   * legacy share to, by private IPv4 address inside the datacenter CIDRs (reached over the VPN or Direct Connect).
   * Not the public addresses of `legacyEndpoint`: those are what the DNS names pointed at before.
   */
  readonly legacyTargets: string[];

  /**
   * The port the legacy servers serve HTTPS on.
   *
   * @default 443
   */
  readonly legacyPort?: number;

  /**
   * The path the load balancer's health checks request on the legacy servers.
   *
   * @default '/health'
   */
  readonly legacyHealthCheckPath?: string;

  /**
   * Target-group stickiness: a client stays on the side it first reached for this long (1 second to 7 days).
   *
   * @default - none: every request is weighted on its own, and a rollback moves every next request
   */
  readonly stickiness?: Duration;

  /**
   * The VPN's capacity the cutover may use: before the cutover starts and during every bake until the writer moves,
   * a gate alarms when the tunnel traffic (the larger direction, bytes per minute) passes 80 % of it. AWS Site-to-Site
   * VPN: up to 1.25 Gbps per tunnel. Only with `connectivity.vpnConnectionId` (refused without it); over Direct Connect, size the
   * connection by the legacy peak yourself.
   *
   * @default 1250 (megabits per second: one VPN tunnel's maximum)
   */
  readonly vpnCapacityMbps?: number;
}

/** Options of {@link TrafficShifting.globalAccelerator}: an accelerator whose two endpoint groups front the two Regions. */
export interface GlobalAcceleratorShiftingOptions {
  /** The accelerator's ARN (see `EdgeAccelerator`, deployed in us-west-2). */
  readonly acceleratorArn: string;
  /** The accelerator's DNS name, which the weighted records point at before the cutover. */
  readonly acceleratorDnsName: string;
  /** The endpoint group in the source Region. */
  readonly sourceEndpointGroupArn: string;
  /** The endpoint group in the target Region. */
  readonly targetEndpointGroupArn: string;
}

/**
 * How a side's cutover moves traffic, chosen with one prop (`shifting`) on the side that receives traffic.
 *
 * @example
 * TrafficShifting.loadBalancer({ legacyTargets: ['10.20.0.11', '10.20.0.12'] });
 */
export class TrafficShifting {
  /** Route 53 weighted records (the default): every step and rollback is one change batch, then INSYNC; resolvers follow within the TTL. */
  public static dns(): TrafficShifting {
    return new TrafficShifting(TrafficShiftingKind.DNS, {});
  }

  /**
   * Datacenter → AWS only: the fleet's load balancer fronts both sides (the datacenter's servers by IP over the VPN,
   * beside the fleet) in one weighted forward. The DNS names point at the load balancer when the stack creates its
   * records, which moves no traffic (it forwards 100 % to the datacenter); every step and rollback is then one
   * listener change, read back before the bake.
   */
  public static loadBalancer(options: LoadBalancerShiftingOptions): TrafficShifting {
    return new TrafficShifting(TrafficShiftingKind.LOAD_BALANCER, options);
  }

  /**
   * Cross-region only: Global Accelerator's traffic dials move new connections between the two Regions' load
   * balancers at the edge; its data plane depends on neither Region, its control plane is in us-west-2.
   */
  public static globalAccelerator(options: GlobalAcceleratorShiftingOptions): TrafficShifting {
    return new TrafficShifting(TrafficShiftingKind.GLOBAL_ACCELERATOR, options);
  }

  private constructor(
    /** Which shifter. */
    public readonly kind: TrafficShiftingKind,
    private readonly options: LoadBalancerShiftingOptions | GlobalAcceleratorShiftingOptions | {},
  ) {}

  /** The load-balancer options as given, and with their defaults (resolved here, once). @internal */
  public _loadBalancer(): {
    readonly given: LoadBalancerShiftingOptions;
    readonly resolved: LoadBalancerShiftingOptions & Required<Pick<LoadBalancerShiftingOptions, 'legacyPort' | 'legacyHealthCheckPath' | 'vpnCapacityMbps'>>;
  } {
    const given = this.options as LoadBalancerShiftingOptions;
    return {
      given,
      resolved: {
        ...given,
        legacyPort: given.legacyPort ?? 443,
        legacyHealthCheckPath: given.legacyHealthCheckPath ?? '/health',
        vpnCapacityMbps: given.vpnCapacityMbps ?? VPN_TUNNEL_MBPS,
      },
    };
  }

  /** @internal */
  public _accelerator(): GlobalAcceleratorShiftingOptions {
    return this.options as GlobalAcceleratorShiftingOptions;
  }
}
