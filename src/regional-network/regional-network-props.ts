import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { OnPremisesConnectivity, TransitGatewayOptions, VpcPeeringOptions } from './connectivity';
import { AlarmOptions, ConstructBaseOptions } from '../construct-options';

/** Subnet group names, as `ec2.SubnetSelection.subnetGroupName` sees them. */
export enum NetworkTier {
  /** ALB and NAT gateways only. */
  PUBLIC = 'Public',
  /** The application fleet, DMS; egress through NAT. */
  PRIVATE = 'Private',
  /** Databases; no route to the internet. */
  DATABASE = 'Database',
}

/**
 * The network's size: what `PaymentMigration` takes as `side.network`.
 */
export interface RegionalNetworkOptions {
  /**
   * The VPC's IPv4 CIDR block, /16 to /28. It must not overlap the peer VPC, on-premises or transit-gateway CIDRs.
   */
  readonly cidr: string;

  /**
   * The AZs to spread over, one public, one private and one database subnet each.
   *
   * > **N.B.:** when the stack has no explicit region, this is required: CDK would otherwise spread the VPC over
   * > only two AZs without saying so.
   *
   * @default - the first 3 AZs of the stack's region (a context lookup, cached in `cdk.context.json`)
   */
  readonly availabilityZones?: string[];

  /**
   * The number of NAT gateways, 1 to the number of AZs. Fewer than one per AZ saves money and loses egress for
   * the private subnets of an AZ whose NAT gateway's AZ fails.
   *
   * @default - one per AZ
   */
  readonly natGateways?: number;
}

/**
 * Properties for {@link RegionalNetwork}.
 *
 * Here `encryptionKey` encrypts the flow-log group; `removalPolicy` governs the flow-log group and the key created
 * here; `alarmActions` serve the VPN tunnel alarm; `createOutputs` adds the VPC id and CIDR, the subnet ids per tier
 * and the peering connection id.
 */
export interface RegionalNetworkProps extends RegionalNetworkOptions, ConstructBaseOptions, AlarmOptions {
  /**
   * The prefix length of every subnet.
   *
   * @default - the VPC CIDR divided evenly among the subnets
   */
  readonly subnetCidrMask?: number;

  /**
   * How long VPC flow logs are kept. At least one year (PCI DSS 10.5.1).
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * Gateway endpoints (free; they keep S3/DynamoDB traffic off the NAT gateways).
   *
   * @default [ec2.GatewayVpcEndpointAwsService.S3]
   */
  readonly gatewayEndpoints?: ec2.GatewayVpcEndpointAwsService[];

  /**
   * Interface endpoints in the private subnets, reachable over HTTPS from inside the VPC only.
   * `RegionalNetwork.paymentFleetEndpoints()` lists what a fleet needs to run without NAT traffic.
   *
   * @default - none
   */
  readonly interfaceEndpoints?: ec2.InterfaceVpcEndpointAwsService[];

  /**
   * Remove every rule from the VPC's default security group (with an SSM Automation association, no Lambda).
   *
   * @default true
   */
  readonly restrictDefaultSecurityGroup?: boolean;

  /**
   * Cross-region peering to the VPC on the other side of the migration.
   *
   * @default - no peering
   */
  readonly peering?: VpcPeeringOptions;

  /**
   * The on-premises network, reached through an existing VPN (never created here).
   *
   * @default - no on-premises routes
   */
  readonly onPremises?: OnPremisesConnectivity;

  /**
   * An attachment to an existing transit gateway.
   *
   * @default - no transit gateway
   */
  readonly transitGateway?: TransitGatewayOptions;
}
