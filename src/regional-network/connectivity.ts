/**
 * Options for how a RegionalNetwork reaches the other side of the migration:
 * a peered VPC in another region, an on-premises network over an existing VPN, or an existing transit gateway.
 */

/**
 * Cross-region VPC peering from this network (the requester) to the other side of the migration (the accepter).
 *
 * Acceptance: when both VPCs are in the same account, CloudFormation accepts the peering connection itself,
 * also across regions. When the peer VPC is in another account, that account must provide a role
 * (`peerRoleArn`) that this account may assume and that allows `ec2:AcceptVpcPeeringConnection`.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcpeeringconnection.html
 * @see https://docs.aws.amazon.com/vpc/latest/peering/peer-with-vpc-in-another-account.html
 */
export interface VpcPeeringOptions {
  /**
   * The id of the VPC on the other side (`vpc-…`), e.g. the existing us-east-1 VPC.
   */
  readonly peerVpcId: string;

  /**
   * The other VPC's IPv4 CIDR block. Routes to it are added to this network's private and isolated
   * route tables; it must not overlap this VPC's CIDR.
   */
  readonly peerCidr: string;

  /**
   * The region of the other VPC. Must differ from this stack's region.
   */
  readonly peerRegion: string;

  /**
   * The account that owns the other VPC.
   *
   * @default - this stack's account
   */
  readonly peerAccountId?: string;

  /**
   * A role in the peer account that this account can assume to accept the peering connection.
   * Required when `peerAccountId` is another account.
   *
   * > **N.B.:** its trust policy must allow this account (`sts:AssumeRole`) and its permissions must allow
   * > `ec2:AcceptVpcPeeringConnection` on the peer VPC, or the stack fails with "failed to stabilize".
   *
   * @default - no role: same-account peering, accepted by CloudFormation
   */
  readonly peerRoleArn?: string;

  /**
   * Route tables of the peer VPC (`rtb-…`, e.g. its private and database ones) that must route this VPC's CIDR
   * through the peering connection. This stack then creates those routes in the peer region itself (a custom
   * resource, `Custom::PeerRoutes`), so no second stack in the peer region has to wait for the peering id.
   *
   * A table that already routes this VPC's CIDR elsewhere fails the deployment: such a route is never replaced.
   * Routes are removed with the stack or when a table leaves the list, only while they point at this peering.
   * Same account only (a peer account's tables must be changed from that account), and the stack needs an explicit
   * account and region (`env`): the function's IAM policy names each table by ARN.
   *
   * @default - none: add them with PeeringRoutes in the peer region's stack
   */
  readonly peerRouteTableIds?: string[];
}

/**
 * The on-premises network, reached through a VPN that already exists. The VPN is never created here.
 *
 * Routes to `cidrs` go either to the given virtual private gateway (attached to this VPC, with route
 * propagation or static routes) or, when the VPN terminates on a transit gateway, to that transit gateway
 * (set `RegionalNetworkProps.transitGateway` and omit `vpnGatewayId`).
 */
export interface OnPremisesConnectivity {
  /**
   * The on-premises IPv4 CIDR blocks. None may overlap this VPC, the peer VPC or each other.
   */
  readonly cidrs: string[];

  /**
   * An existing virtual private gateway (`vgw-…`) that terminates the VPN. It is attached to this VPC
   * (a VPN gateway can be attached to one VPC at a time).
   *
   * @default - routes go to the transit gateway in `RegionalNetworkProps.transitGateway` (required without one; in
   * `PaymentMigration`, whose side has no transit gateway, always required)
   */
  readonly vpnGatewayId?: string;

  /**
   * The existing Site-to-Site VPN connection (`vpn-…`), used for the tunnel-state alarm.
   *
   * @default - no tunnel alarm
   */
  readonly vpnConnectionId?: string;

  /**
   * Propagate the VPN gateway's routes (learned by BGP or from the VPN's static routes) into the private and
   * isolated route tables. When false, static routes to `cidrs` are added instead.
   *
   * @default true
   */
  readonly routePropagation?: boolean;
}

/**
 * An attachment to an existing transit gateway (a hub), as an alternative to peering.
 */
export interface TransitGatewayOptions {
  /**
   * The existing transit gateway (`tgw-…`). Attached to this VPC's private subnets, one per AZ.
   */
  readonly transitGatewayId: string;

  /**
   * IPv4 CIDR blocks reached through the transit gateway from the private and isolated subnets
   * (other VPCs on the hub). On-premises CIDRs given in `onPremises.cidrs` without a VPN gateway are
   * routed here too and need not be repeated.
   *
   * @default - only the on-premises CIDRs, if any
   */
  readonly destinationCidrs?: string[];
}
