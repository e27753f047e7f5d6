import * as path from 'path';
import { Aws, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { VpcPeeringOptions } from './connectivity';
import type { RoutedNetwork } from './connectivity-routes';
import { acknowledge, acknowledgeInPacks, NagPackPrefix } from '../private/nag';
import { createHandlerFunction } from '../private/service-role';

/**
 * The bundled custom-resource handler (`peer-routes-handler.ts` bundled by esbuild to `index.js`).
 * The same relative path holds from `src/regional-network` and from `lib/regional-network`.
 */
const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'peer-routes');

/** Cross-region peering: the connection, this side's routes to the peer, and optionally the peer's routes back. @internal */
export function addPeering(
  net: RoutedNetwork,
  peering: VpcPeeringOptions,
  account: string | undefined,
  cidr: string,
  removalPolicy: RemovalPolicy,
): string {
  const crossAccount = peering.peerAccountId !== undefined && peering.peerAccountId !== account;
  const connection = new ec2.CfnVPCPeeringConnection(net.scope, 'Peering', {
    vpcId: net.vpc.vpcId,
    peerVpcId: peering.peerVpcId,
    peerRegion: peering.peerRegion,
    peerOwnerId: peering.peerAccountId,
    peerRoleArn: crossAccount ? peering.peerRoleArn : undefined,
  });
  net.internalRouteTableIds.forEach((routeTableId, i) => {
    new ec2.CfnRoute(net.scope, `PeerRoute${i}`, {
      routeTableId,
      destinationCidrBlock: peering.peerCidr,
      vpcPeeringConnectionId: connection.ref,
    });
  });
  if (peering.peerRouteTableIds) {
    // The peer side's routes to this VPC, created in the peer region (validation ensured a resolved account).
    new PeerRoutes(net.scope, 'PeerRoutes', {
      peerRegion: peering.peerRegion,
      peerVpcId: peering.peerVpcId,
      account: account!,
      peeringConnectionId: connection.ref,
      destinationCidr: cidr,
      routeTableIds: peering.peerRouteTableIds,
      encryptionKey: net.key,
      removalPolicy,
    });
  }
  return connection.ref;
}

/** @internal */
export interface PeerRoutesProps {
  /** The peer VPC's region, where the routes are created. A literal: the IAM policy is scoped to it. */
  readonly peerRegion: string;
  /** The peer VPC (`vpc-…`), in this stack's account. */
  readonly peerVpcId: string;
  /** This stack's account (resolved), which owns the peer VPC too. */
  readonly account: string;
  /** The peering connection (`pcx-…`), usually a Ref. */
  readonly peeringConnectionId: string;
  /** This VPC's CIDR: the routes' destination. */
  readonly destinationCidr: string;
  /** The peer VPC's route tables (`rtb-…`). */
  readonly routeTableIds: string[];
  /** Encrypts the function's log group. */
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The peer VPC's routes to this VPC, created in the peer region by a custom resource (`Custom::PeerRoutes`) whose one
 * Lambda function is the service token: its own role and customer-managed policy (these route tables only), its own
 * log group encrypted with the network's key and kept a year.
 * @internal
 */
export class PeerRoutes extends Construct {
  /** The custom resource. */
  public readonly resource: CustomResource;
  /** The function behind it. */
  public readonly handlerFunction: lambda.Function;

  constructor(scope: Construct, id: string, props: PeerRoutesProps) {
    super(scope, id);
    const arn = (resource: string) => `arn:${Aws.PARTITION}:ec2:${props.peerRegion}:${props.account}:${resource}`;

    const logGroup = new logs.LogGroup(this, 'FunctionLogs', {
      encryptionKey: props.encryptionKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy,
    });
    const removedTablesArn = arn('route-table/*');
    const { fn, policy } = createHandlerFunction(this, 'Function', {
      description: `Owns the routes of the peer VPC ${props.peerVpcId} (${props.peerRegion}) to ${scope.node.path}`,
      assetDir: HANDLER_ASSET_DIR,
      logGroup,
      timeout: Duration.minutes(3),
      roleDescription: `Routes the peer VPC ${props.peerVpcId} (${props.peerRegion}) to ${scope.node.path}`,
      policyDescription: `Peer routes of ${scope.node.path}: these route tables of ${props.peerRegion} only, and the function's own log group`,
      statements: [
        new iam.PolicyStatement({
          sid: 'RouteTheseTablesOnly',
          actions: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute'],
          resources: props.routeTableIds.map((rtb) => arn(`route-table/${rtb}`)),
        }),
        new iam.PolicyStatement({
          // In case EC2 also authorizes the route's target: this one peering connection, as seen from either region.
          sid: 'RouteThroughThisPeeringOnly',
          actions: ['ec2:CreateRoute', 'ec2:ReplaceRoute'],
          resources: [props.peerRegion, Stack.of(this).region].map((region) =>
            `arn:${Aws.PARTITION}:ec2:${region}:${props.account}:vpc-peering-connection/${props.peeringConnectionId}`),
        }),
        new iam.PolicyStatement({
          // Tables dropped from the list are no longer in the statement above when their routes are deleted
          // (CloudFormation updates this policy before the custom resource).
          sid: 'DeleteRoutesOfRemovedTables',
          actions: ['ec2:DeleteRoute'],
          resources: [removedTablesArn],
          conditions: { ArnEquals: { 'ec2:Vpc': arn(`vpc/${props.peerVpcId}`) } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadRouteTables',
          actions: ['ec2:DescribeRouteTables'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:RequestedRegion': props.peerRegion } },
        }),
      ],
    });
    this.handlerFunction = fn;
    acknowledge(
      policy,
      {
        id: `${NagPackPrefix.AWS_SOLUTIONS}-IAM5[Resource::*]`,
        reason:
          'ec2:DescribeRouteTables supports no resource-level permissions (Resource must be *); it is limited to the peer ' +
          'region by aws:RequestedRegion and only reads route tables, to check a route still points at this peering before changing it.',
      },
      {
        id: `${NagPackPrefix.AWS_SOLUTIONS}-IAM5[Resource::arn:<AWS::Partition>:ec2:${props.peerRegion}:${props.account}:route-table/*]`,
        reason:
          'ec2:DeleteRoute only, on route tables of the peer VPC only (ec2:Vpc condition): a table removed from peerRouteTableIds is ' +
          'no longer named in this policy when its route is deleted. The handler deletes a route only while it points at this peering connection.',
      },
    );

    acknowledgeInPacks(
      this.handlerFunction,
      [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5],
      'LambdaDLQ',
      'The function is a CloudFormation custom-resource handler: it catches every error and reports it to CloudFormation as ' +
        'FAILED with a reason before its timeout, so no invocation ends unanswered for a dead-letter queue to hold.',
    );
    acknowledgeInPacks(
      this.handlerFunction,
      [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5],
      'LambdaInsideVPC',
      'The function only calls the EC2 API of the peer region, which no VPC endpoint of this region serves, and handles no ' +
        'cardholder data; inside this VPC it would depend on the NAT gateways of the network it is part of, in the same deployment.',
    );
    acknowledgeInPacks(
      this.handlerFunction,
      [NagPackPrefix.NIST_800_53_R5],
      'LambdaConcurrency',
      'Invoked only by CloudFormation during deployments of this stack (a few calls per deployment); reserving ' +
        'concurrency would take capacity from the account pool and can fail deployment on accounts with low limits.',
    );

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.handlerFunction.functionArn,
      resourceType: 'Custom::PeerRoutes',
      serviceTimeout: Duration.minutes(10),
      properties: {
        PeerRegion: props.peerRegion,
        VpcPeeringConnectionId: props.peeringConnectionId,
        DestinationCidrBlock: props.destinationCidr,
        RouteTableIds: props.routeTableIds,
      },
    });
  }
}
