/**
 * Example app (seed S1 §1 and §9): the target region's network in eu-west-1, peered with the existing VPC in
 * us-east-1, and the routes back from the us-east-1 side. Synthesized offline by `npx projen example`.
 *
 * Deploy order for real: (1) PaymentTargetNetwork, which requests the peering (accepted by CloudFormation:
 * same account); (2) PaymentSourceRoutes with the `PeeringConnectionId` output of (1).
 */
import { App, Stack } from 'aws-cdk-lib';
import { PeeringRoutes, RegionalNetwork } from '../../src';

// A placeholder account: the AZs of both regions for it are in cdk.json, so synth needs no AWS credentials.
const ACCOUNT = '111111111111';

/** Builds the example's two stacks into `app`. */
export function buildNetworkExample(app: App): Stack[] {
  const target = new Stack(app, 'PaymentTargetNetwork', {
    env: { account: ACCOUNT, region: 'eu-west-1' },
    description: 'payment-migration-kit example: eu-west-1 network, peered with us-east-1',
  });
  new RegionalNetwork(target, 'Network', {
    cidr: '10.1.0.0/16',
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    interfaceEndpoints: RegionalNetwork.paymentFleetEndpoints(),
    peering: {
      peerVpcId: app.node.tryGetContext('sourceVpcId') ?? 'vpc-0a1b2c3d4e5f60718',
      peerCidr: '10.0.0.0/16',
      peerRegion: 'us-east-1',
    },
  });

  const source = new Stack(app, 'PaymentSourceRoutes', {
    env: { account: ACCOUNT, region: 'us-east-1' },
    description: 'payment-migration-kit example: us-east-1 routes to the eu-west-1 network (deploy second)',
  });
  new PeeringRoutes(source, 'RoutesToTarget', {
    peeringConnectionId: app.node.tryGetContext('peeringConnectionId') ?? 'pcx-0123456789abcdef0',
    destinationCidr: '10.1.0.0/16',
    routeTableIds: (app.node.tryGetContext('sourceRouteTableIds') ?? 'rtb-0123456789abcdef0,rtb-0fedcba9876543210').split(','),
  });

  return [target, source];
}

if (require.main === module) {
  const app = new App();
  buildNetworkExample(app);
  app.synth();
}
