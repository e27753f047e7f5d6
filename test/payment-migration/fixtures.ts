import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { CutoverEndpoint, DatacenterSource, DatacenterToAwsOptions, MigrationAlerts, MigrationSide, PaymentMigration, PaymentProcessorImage, TargetRegionOptions } from '../../src';
import { bundlePeerRoutesHandler } from '../regional-network/bundle';
import { bundleHandler } from '../weighted-cutover/bundle';

/** Shared by the PaymentMigration tests: one stack per kind of side, seed values. */
export const SOURCE = {
  region: 'us-east-1',
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  cidr: '10.0.0.0/16',
  routeTableIds: ['rtb-0123456789abcdef0', 'rtb-0fedcba9876543210'],
  loadBalancerDnsName: 'payments-123456789.us-east-1.elb.amazonaws.com',
  loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K',
  loadBalancerFullName: 'app/payments/0123456789abcdef',
  globalWriterEndpoint: 'payments-global.global-abc123.global.rds.amazonaws.com',
};

export function stackLogicalId(c: IConstruct): string {
  return Stack.of(c).getLogicalId(c.node.defaultChild as any);
}

export function target(
  options: Partial<TargetRegionOptions> = {},
  region = 'eu-west-1',
  alerts?: MigrationAlerts | ((stack: Stack) => MigrationAlerts),
  removalPolicy?: RemovalPolicy,
) {
  bundleHandler();
  bundlePeerRoutesHandler();
  const stack = new Stack(new App(), 'Target', { env: { account: '111111111111', region } });
  const migration = new PaymentMigration(stack, 'Migration', {
    name: 'payments',
    side: MigrationSide.targetRegion({
      source: SOURCE,
      network: { cidr: '10.1.0.0/16', availabilityZones: [`${region}a`, `${region}b`, `${region}c`] },
      fleet: {
        image: PaymentProcessorImage.fromRegistry('public.ecr.aws/acme/payment-processor:1'),
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', `arn:aws:acm:${region}:111111111111:certificate/11111111-2222-3333-4444-555555555555`),
      },
      dns: { zoneName: 'pay.example.com', recordNames: ['api', 'checkout'] },
      ...options,
    }),
    alerts: typeof alerts === 'function' ? alerts(stack) : alerts,
    removalPolicy,
  });
  return { stack, migration, template: Template.fromStack(stack) };
}


const REGION = 'us-east-1';
/** The datacenter's replication user (DMS only). */
export const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:111111111111:secret:onprem/payments-AbCdEf`;
/** The datacenter's application user (the fleet only). */
export const DC_APP_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:111111111111:secret:onprem/payments-app-GhIjKl`;
/** Aurora's application user (the fleet only). */
export const AURORA_APP_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:111111111111:secret:aurora/payments-app-MnOpQr`;
/** Aurora's replication user (DMS only). */
export const AURORA_REPLICATION_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:111111111111:secret:aurora/payments-dms-StUvWx`;

/** Overrides of the on-premises fixture; a `source` without `applicationSecret` gets the fixture's. */
export type OnPremisesOverrides = Partial<Omit<DatacenterToAwsOptions, 'source'>> & {
  readonly source?: Omit<DatacenterSource, 'applicationSecret'> & Partial<Pick<DatacenterSource, 'applicationSecret'>>;
};

export function onPremises(options: (stack: Stack) => OnPremisesOverrides = () => ({}), removalPolicy?: RemovalPolicy) {
  bundleHandler();
  const stack = new Stack(new App(), 'AwsProduction', { env: { account: '111111111111', region: REGION } });
  const applicationSecret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'SourceAppSecret', DC_APP_SECRET_ARN);
  const base: DatacenterToAwsOptions = {
    source: {
      applicationSecret,
      connectivity: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0', vpnConnectionId: 'vpn-0123456789abcdef0' },
      legacyEndpoint: CutoverEndpoint.fromIpAddresses(['52.94.76.10', '52.94.76.11']),
      database: {
        host: '192.168.10.20',
        databaseName: 'payments',
        secret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'SourceSecret', SECRET_ARN),
        certificateArn: `arn:aws:dms:${REGION}:111111111111:cert:onprem-ca`,
      },
    },
    network: { cidr: '10.20.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
    fleet: {
      image: PaymentProcessorImage.fromRegistry('public.ecr.aws/acme/payment-processor:1'),
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', `arn:aws:acm:${REGION}:111111111111:certificate/11111111-2222-3333-4444-555555555555`),
      minCapacity: 3,
      maxCapacity: 9,
    },
    dns: { zoneName: 'pay.example.com', recordNames: ['api'] },
    database: {
      applicationSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'AuroraAppSecret', AURORA_APP_SECRET_ARN),
      replicationSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'AuroraDmsSecret', AURORA_REPLICATION_SECRET_ARN),
    },
  };
  const overrides = options(stack);
  const source = overrides.source ? { applicationSecret, ...overrides.source } : base.source;
  const migration = new PaymentMigration(stack, 'Migration', {
    name: 'payments',
    side: MigrationSide.datacenterToAws({ ...base, ...overrides, source }),
    removalPolicy,
  });
  return { stack, migration, template: Template.fromStack(stack) };
}

