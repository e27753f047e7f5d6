/**
 * The reference migration (seed S1): payment processing moves from us-east-1 (existing) to eu-west-1.
 *
 * - PaymentSource (us-east-1): turns the existing Aurora MySQL cluster into the primary of a global database.
 * - PaymentTarget (eu-west-1): the network (peered with the existing VPC, routes on both sides), the Aurora global
 *   secondary, the payment fleet behind an HTTPS ALB with WAF, the weighted records (source 100 / target 0), the
 *   orchestrator, the dashboard and the runbook.
 *
 * Deploy order: (1) PaymentSource, (2) PaymentTarget. No cross-region references: both sides agree on the name.
 * Everything that exists already comes from context (`-c key=value`); the defaults are placeholders.
 *
 * With `-c shifting=global-accelerator` (or `shifting: 'global-accelerator'`), a third stack, PaymentEdge
 * (us-west-2, where Global Accelerator's API and resources live), holds the accelerator in front of both Regions'
 * load balancers, and the cutover moves its traffic dials. The edge needs the target's load balancer ARN and the
 * target's cutover needs the edge's ARNs, so they meet through context, in this order: (1) PaymentSource,
 * (2) PaymentTarget with DNS shifting, (3) PaymentEdge (`-c targetAlbArn=…` from PaymentTarget), (4) PaymentTarget
 * again with `-c shifting=global-accelerator` and the edge's outputs (`-c acceleratorArn=…` and the others).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { CutoverOptions, EdgeAccelerator, MigrationSide, PaymentMigration, PaymentProcessorImage, TrafficShifting } from '../../src';

// A placeholder account: the AZs of both regions for it are in cdk.json, so synth needs no AWS credentials.
const ACCOUNT = '111111111111';

/** Existing resources and names, from context with placeholder defaults. */
function settings(app: App) {
  const ctx = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;
  return {
    sourceVpcId: ctx('sourceVpcId', 'vpc-0a1b2c3d4e5f60718'),
    sourceCidr: ctx('sourceCidr', '10.0.0.0/16'),
    sourceRouteTableIds: ctx('sourceRouteTableIds', 'rtb-0123456789abcdef0,rtb-0fedcba9876543210,rtb-0a0b0c0d0e0f01020').split(','),
    primaryClusterArn: ctx('primaryClusterArn', `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:payments`),
    primaryEngineVersion: ctx('primaryEngineVersion', '8.0.mysql_aurora.3.10.0'),
    globalWriterEndpoint: ctx('globalWriterEndpoint', 'payments-global.global-abc123.global.rds.amazonaws.com'),
    sourceAlbDnsName: ctx('sourceAlbDnsName', 'payments-123456789.us-east-1.elb.amazonaws.com'),
    sourceAlbFullName: ctx('sourceAlbFullName', 'app/payments/0123456789abcdef'),
    certificateArn: ctx('certificateArn', `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`),
    image: ctx('image', 'public.ecr.aws/acme/payment-processor:2026.11.1'),
    account: ctx('account', ACCOUNT),
    zoneName: ctx('zoneName', 'pay.example.com'),
    // Global Accelerator shifting (placeholders until the edge and the target have been deployed once)
    sourceAlbArn: ctx('sourceAlbArn', `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/payments/0123456789abcdef`),
    targetAlbArn: ctx('targetAlbArn', `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/app/payments-target/fedcba9876543210`),
    acceleratorArn: ctx('acceleratorArn', `arn:aws:globalaccelerator::${ACCOUNT}:accelerator/1234abcd-abcd-1234-abcd-1234abcd5678`),
    acceleratorDnsName: ctx('acceleratorDnsName', 'a1234567890abcdef.awsglobalaccelerator.com'),
    sourceEndpointGroupArn: ctx('sourceEndpointGroupArn',
      `arn:aws:globalaccelerator::${ACCOUNT}:accelerator/1234abcd-abcd-1234-abcd-1234abcd5678/listener/0123abcd/endpoint-group/0a1b2c3d4e5f`),
    targetEndpointGroupArn: ctx('targetEndpointGroupArn',
      `arn:aws:globalaccelerator::${ACCOUNT}:accelerator/1234abcd-abcd-1234-abcd-1234abcd5678/listener/0123abcd/endpoint-group/6a7b8c9d0e1f`),
  };
}

/**
 * Builds the reference migration's stacks into `app`: one PaymentMigration per region, and with Global Accelerator
 * shifting the edge stack in us-west-2.
 */
export function buildReferenceMigration(app: App, cutover?: CutoverOptions, shifting?: 'dns' | 'global-accelerator'): { source: Stack; target: Stack; edge?: Stack } {
  const s = settings(app);
  const accelerated = (shifting ?? app.node.tryGetContext('shifting') ?? 'dns') === 'global-accelerator';
  const account = s.account;

  // --- us-east-1: the existing side. Deploy first: the existing cluster becomes the global database's primary.
  const source = new Stack(app, 'PaymentSource', {
    env: { account, region: 'us-east-1' },
    description: 'payment-migration-kit reference: the us-east-1 (source) side',
  });
  new PaymentMigration(source, 'Migration', {
    name: 'payments',
    side: MigrationSide.sourceRegion({ primaryClusterArn: s.primaryClusterArn }),
  });

  // --- eu-west-1: the target side and the cutover. Deploy second.
  const target = new Stack(app, 'PaymentTarget', {
    env: { account, region: 'eu-west-1' },
    description: 'payment-migration-kit reference: the eu-west-1 (target) side and the cutover',
  });
  new PaymentMigration(target, 'Migration', {
    name: 'payments',
    side: MigrationSide.targetRegion({
      source: {
        region: 'us-east-1',
        vpcId: s.sourceVpcId,
        cidr: s.sourceCidr,
        routeTableIds: s.sourceRouteTableIds,
        loadBalancerDnsName: s.sourceAlbDnsName,
        loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K',
        loadBalancerFullName: s.sourceAlbFullName,
        engineVersion: s.primaryEngineVersion,
        globalWriterEndpoint: s.globalWriterEndpoint,
      },
      network: { cidr: '10.1.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
      fleet: {
        image: PaymentProcessorImage.fromRegistry(s.image),
        certificate: acm.Certificate.fromCertificateArn(target, 'Certificate', s.certificateArn),
      },
      dns: { zoneName: s.zoneName, recordNames: ['api', 'checkout'] },
      shifting: accelerated
        ? TrafficShifting.globalAccelerator({
          acceleratorArn: s.acceleratorArn,
          acceleratorDnsName: s.acceleratorDnsName,
          sourceEndpointGroupArn: s.sourceEndpointGroupArn,
          targetEndpointGroupArn: s.targetEndpointGroupArn,
        })
        : TrafficShifting.dns(),
      cutover,
    }),
  });
  if (!accelerated) return { source, target };

  // --- us-west-2: the accelerator in front of both Regions (Global Accelerator's API and resources live there).
  const edge = new Stack(app, 'PaymentEdge', {
    env: { account, region: 'us-west-2' },
    description: 'payment-migration-kit reference: the Global Accelerator in front of both regions (us-west-2)',
  });
  new EdgeAccelerator(edge, 'Edge', {
    sourceRegion: 'us-east-1',
    targetRegion: 'eu-west-1',
    sourceLoadBalancerArn: s.sourceAlbArn,
    targetLoadBalancerArn: s.targetAlbArn,
  });
  return { source, target, edge };
}

if (require.main === module) {
  const app = new App();
  buildReferenceMigration(app);
  app.synth();
}
