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
 */
import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { CutoverOptions, MigrationSide, PaymentMigration, PaymentProcessorImage } from '../../src';

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
  };
}

/** Builds the reference migration's two stacks into `app`: one PaymentMigration per region. */
export function buildReferenceMigration(app: App, cutover?: CutoverOptions): { source: Stack; target: Stack } {
  const s = settings(app);
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
      cutover,
    }),
  });
  return { source, target };
}

if (require.main === module) {
  const app = new App();
  buildReferenceMigration(app);
  app.synth();
}
