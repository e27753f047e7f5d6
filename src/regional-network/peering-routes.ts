import { CfnRoute } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { checkRouteTableIds } from './validate-props';
import { parseCidr } from '../private/cidr';
import { isEc2Id, propsValidator } from '../private/validation';

/**
 * Properties for {@link PeeringRoutes}.
 */
export interface PeeringRoutesProps {
  /**
   * The peering connection (`pcx-…`), usually the `peeringConnectionId` output of the other region's
   * RegionalNetwork, passed in by the second deploy.
   */
  readonly peeringConnectionId: string;

  /**
   * The CIDR block of the VPC on the other side of the peering.
   */
  readonly destinationCidr: string;

  /**
   * The route tables (`rtb-…`) of this side's VPC that must reach the other side
   * (typically its private and database route tables).
   */
  readonly routeTableIds: string[];
}

/**
 * Routes to a peered VPC, created in the peer region's own stack.
 *
 * A stack deploys into one region, and CloudFormation has no cross-region route, so the routes of the
 * *other* side of a cross-region peering belong in that side's stack. This construct is plain CloudFormation
 * (`AWS::EC2::Route`), visible to drift detection, removed cleanly with its stack, and needs no custom resource.
 *
 * Deploy order: (1) the stack with the {@link RegionalNetwork} that requests the peering; (2) the peer stack with
 * `PeeringRoutes`, given the `peeringConnectionId` output of (1).
 *
 * @example
 * declare const sourceStack: Stack;
 * new PeeringRoutes(sourceStack, 'RoutesToTarget', {
 *   peeringConnectionId: 'pcx-0123456789abcdef0',
 *   destinationCidr: '10.1.0.0/16',
 *   routeTableIds: ['rtb-0123456789abcdef0', 'rtb-0fedcba9876543210'],
 * });
 */
export class PeeringRoutes extends Construct {
  /** The routes, one per route table. */
  public readonly routes: CfnRoute[];

  constructor(scope: Construct, id: string, props: PeeringRoutesProps) {
    super(scope, id);
    const v = propsValidator(this, 'PeeringRoutes', props);
    v.checkKnown('peeringConnectionId', props.peeringConnectionId, (x) => isEc2Id('pcx', x), 'must be a VPC peering connection id (pcx-…)');
    v.checkKnown('destinationCidr', props.destinationCidr, (x) => parseCidr(x) !== undefined, 'must be an IPv4 CIDR block such as 10.1.0.0/16');
    v.check(props.routeTableIds.length > 0, 'routeTableIds', 'must name at least one route table', props.routeTableIds);
    checkRouteTableIds(v, 'routeTableIds', props.routeTableIds);
    v.throwIfInvalid();

    this.routes = props.routeTableIds.map(
      (routeTableId, i) =>
        new CfnRoute(this, `Route${i}`, {
          routeTableId,
          destinationCidrBlock: props.destinationCidr,
          vpcPeeringConnectionId: props.peeringConnectionId,
        }),
    );
  }
}
