import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { OnPremisesConnectivity, TransitGatewayOptions } from './connectivity';

/** What the connectivity routing needs of the network it routes. @internal */
export interface RoutedNetwork {
  /** Where the routing resources go (the RegionalNetwork: their ids stay what they were). */
  readonly scope: Construct;
  readonly vpc: ec2.IVpc;
  /** The route tables of the private and database subnets. */
  readonly internalRouteTableIds: string[];
  readonly key: kms.IKey;
}

/** The transit-gateway attachment and the routes through it (on premises too, when no VPN gateway is given). @internal */
export function addTransitGateway(
  net: RoutedNetwork,
  tgw: TransitGatewayOptions,
  onPrem?: OnPremisesConnectivity,
): ec2.CfnTransitGatewayVpcAttachment {
  const attachment = new ec2.CfnTransitGatewayVpcAttachment(net.scope, 'TransitGatewayAttachment', {
    transitGatewayId: tgw.transitGatewayId,
    vpcId: net.vpc.vpcId,
    subnetIds: net.vpc.privateSubnets.map((s) => s.subnetId),
    options: { DnsSupport: 'enable', ApplianceModeSupport: 'disable' },
  });
  const destinations = [...(tgw.destinationCidrs ?? []), ...(onPrem && !onPrem.vpnGatewayId ? onPrem.cidrs : [])];
  addRoutes(net, 'TransitGatewayRoute', destinations, { transitGatewayId: tgw.transitGatewayId }, attachment);
  return attachment;
}

/** The VPN gateway attachment and its routes: propagated, or static to the on-premises CIDRs. @internal */
export function addOnPremises(net: RoutedNetwork, onPrem: OnPremisesConnectivity): void {
  if (!onPrem.vpnGatewayId) {
    return; // routed through the transit gateway
  }
  const attachment = new ec2.CfnVPCGatewayAttachment(net.scope, 'VpnGatewayAttachment', {
    vpcId: net.vpc.vpcId,
    vpnGatewayId: onPrem.vpnGatewayId,
  });
  if (onPrem.routePropagation ?? true) {
    const propagation = new ec2.CfnVPNGatewayRoutePropagation(net.scope, 'VpnRoutePropagation', {
      routeTableIds: net.internalRouteTableIds,
      vpnGatewayId: onPrem.vpnGatewayId,
    });
    propagation.addDependency(attachment);
  } else {
    addRoutes(net, 'OnPremisesRoute', onPrem.cidrs, { gatewayId: onPrem.vpnGatewayId }, attachment);
  }
}

function addRoutes(
  net: RoutedNetwork,
  idPrefix: string,
  destinations: string[],
  target: { transitGatewayId?: string; gatewayId?: string },
  dependsOn: ec2.CfnTransitGatewayVpcAttachment | ec2.CfnVPCGatewayAttachment,
): void {
  destinations.forEach((destinationCidrBlock, d) => {
    net.internalRouteTableIds.forEach((routeTableId, r) => {
      const route = new ec2.CfnRoute(net.scope, `${idPrefix}${d}x${r}`, { routeTableId, destinationCidrBlock, ...target });
      route.addDependency(dependsOn);
    });
  });
}
