/**
 * The reference migration as a user's CDK app would write it: the library comes from its packed npm tarball (what
 * users get from npm), aws-cdk-lib is current, and the three cdk-nag packs run as synth-time validation plugins —
 * any unacknowledged finding fails `cdk synth`.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { AwsSolutionsChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { MigrationSide, PaymentMigration, PaymentProcessorImage } from 'cdk-payment-migration';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new PCIDSS321Checks(app), new NIST80053R5Checks(app));

const account = '111111111111';
const source = new Stack(app, 'PaymentSource', { env: { account, region: 'us-east-1' } });
new PaymentMigration(source, 'Migration', {
  name: 'payments',
  side: MigrationSide.sourceRegion({ primaryClusterArn: `arn:aws:rds:us-east-1:${account}:cluster:payments` }),
});

const target = new Stack(app, 'PaymentTarget', { env: { account, region: 'eu-west-1' } });
new PaymentMigration(target, 'Migration', {
  name: 'payments',
  side: MigrationSide.targetRegion({
    source: {
      region: 'us-east-1',
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      cidr: '10.0.0.0/16',
      routeTableIds: ['rtb-0123456789abcdef0', 'rtb-0fedcba9876543210'],
      loadBalancerDnsName: 'payments-123456789.us-east-1.elb.amazonaws.com',
      loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K',
      engineVersion: '8.0.mysql_aurora.3.10.0',
      globalWriterEndpoint: 'payments-global.global-abc123.global.rds.amazonaws.com',
    },
    network: { cidr: '10.1.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
    fleet: {
      image: PaymentProcessorImage.fromRegistry('public.ecr.aws/acme/payment-processor:2026.11.1'),
      certificate: acm.Certificate.fromCertificateArn(target, 'Certificate', `arn:aws:acm:eu-west-1:${account}:certificate/11111111-2222-3333-4444-555555555555`),
    },
    dns: { zoneName: 'pay.example.com', recordNames: ['api', 'checkout'] },
  }),
});

app.synth();
