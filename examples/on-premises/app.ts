/**
 * The on-premises reference migration (seed S2): payment processing moves from the datacenter into us-east-1, with
 * DMS (full load + CDC, validated), Aurora MySQL (1 writer + 2 readers), a fleet of 3–9 instances behind an HTTPS
 * ALB, weighted records legacy 100 / AWS 0, and the single-writer cutover.
 *
 * The seed's two Terraform workspaces become two stages, one stack each, in their own accounts (a VPN gateway
 * attaches to one VPC, so each environment has its own VPN):
 * - `legacy-sync`: the rehearsal environment — the same stack, synchronizing from a copy of the legacy database, where
 *   the whole cutover (writer move included) is run end to end before production;
 * - `aws-production`: the production migration.
 * The seed's phases (legacy serves, both run in parallel, AWS serves) are not separate deployments here: they are
 * the states of one deployment — the weights and the writer parameter — moved by the orchestrator.
 *
 * Deploy order, per account: (1) `DmsServiceRoles-<account>` (dms-vpc-role and dms-cloudwatch-logs-role; skip if
 * the account already has them), (2) the stage's stack. Existing resources (the VPN, the database users' secrets,
 * the certificate) are referenced by id from context (`-c key=value`), with placeholder defaults: the seed's "data
 * source lookup" of the VPN needs AWS credentials at synth time, so its ids are given instead.
 *
 * Credentials (seed S2: fetched from existing Secrets Manager entries, never created): the fleet reads only the
 * application user's secrets (on premises and on Aurora), DMS only the replication user's; the Aurora master
 * password is managed by RDS. The template creates no secret. The users are created with the SQL of docs/datacenter-path.md.
 */
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CutoverEndpoint, CutoverOptions, DmsReplication, MigrationSide, PaymentMigration, PaymentProcessorImage, TrafficShifting } from '../../src';

const REGION = 'us-east-1';

/** One environment of seed S2. */
interface Environment {
  readonly stage: string;
  readonly account: string;
  readonly vpcCidr: string;
}

const ENVIRONMENTS: Environment[] = [
  { stage: 'legacy-sync', account: '222222222222', vpcCidr: '10.30.0.0/16' },
  { stage: 'aws-production', account: '111111111111', vpcCidr: '10.20.0.0/16' },
];

/** Existing resources of one environment, from context (`<stage>:<key>`) with placeholder defaults. */
function settings(app: App, env: Environment) {
  const ctx = (key: string, fallback: string): string => app.node.tryGetContext(`${env.stage}:${key}`) ?? fallback;
  return {
    datacenterCidrs: ctx('datacenterCidrs', '192.168.0.0/16').split(','),
    vpnGatewayId: ctx('vpnGatewayId', 'vgw-0123456789abcdef0'),
    vpnConnectionId: ctx('vpnConnectionId', 'vpn-0123456789abcdef0'),
    legacyIps: ctx('legacyIps', '52.94.76.10,52.94.76.11').split(','),
    // the legacy servers behind those public addresses, by private address over the VPN (load-balancer shifting)
    legacyTargets: ctx('legacyTargets', '192.168.10.31,192.168.10.32').split(','),
    databaseHost: ctx('databaseHost', '192.168.10.20'),
    databaseSecretArn: ctx('databaseSecretArn', `arn:aws:secretsmanager:${REGION}:${env.account}:secret:onprem/payments-AbCdEf`),
    applicationSecretArn: ctx('applicationSecretArn', `arn:aws:secretsmanager:${REGION}:${env.account}:secret:onprem/payments-app-GhIjKl`),
    auroraApplicationSecretArn: ctx('auroraApplicationSecretArn', `arn:aws:secretsmanager:${REGION}:${env.account}:secret:aurora/payments-app-MnOpQr`),
    auroraReplicationSecretArn: ctx('auroraReplicationSecretArn', `arn:aws:secretsmanager:${REGION}:${env.account}:secret:aurora/payments-dms-StUvWx`),
    databaseCaArn: ctx('databaseCaArn', `arn:aws:dms:${REGION}:${env.account}:cert:ONPREMCA`),
    certificateArn: ctx('certificateArn', `arn:aws:acm:${REGION}:${env.account}:certificate/11111111-2222-3333-4444-555555555555`),
    image: ctx('image', 'public.ecr.aws/acme/payment-processor:2026.11.1'),
    zoneName: ctx('zoneName', env.stage === 'aws-production' ? 'pay.example.com' : 'pay-sync.example.com'),
  };
}

/**
 * Builds the account prerequisites and the two stages into `app`. `shifting` (or the context key `shifting`):
 * `dns` (weighted records, the default) or `load-balancer` (the fleet's load balancer fronts the legacy servers too).
 */
export function buildOnPremisesMigration(app: App, cutover?: CutoverOptions, shifting?: 'dns' | 'load-balancer'): { stacks: Stack[]; production: Stack } {
  const how = shifting ?? app.node.tryGetContext('shifting') ?? 'dns';
  const stacks: Stack[] = [];
  let production: Stack | undefined;
  for (const env of ENVIRONMENTS) {
    const s = settings(app, env);
    const roles = new Stack(app, `DmsServiceRoles-${env.account}`, {
      env: { account: env.account, region: REGION },
      description: 'payment-migration-kit: the account-level DMS service roles (deploy before any DmsReplication)',
    });
    DmsReplication.createServiceRoles(roles, 'DmsServiceRoles');
    stacks.push(roles);

    const stage = new Stage(app, env.stage, { env: { account: env.account, region: REGION } });
    const stack = new Stack(stage, 'Payments', {
      stackName: `payments-${env.stage}`,
      description: `payment-migration-kit reference (seed S2): datacenter → ${REGION}, environment ${env.stage}`,
    });
    new PaymentMigration(stack, 'Migration', {
      name: `payments-${env.stage}`,
      side: MigrationSide.datacenterToAws({
        source: {
          connectivity: { cidrs: s.datacenterCidrs, vpnGatewayId: s.vpnGatewayId, vpnConnectionId: s.vpnConnectionId },
          legacyEndpoint: CutoverEndpoint.fromIpAddresses(s.legacyIps),
          database: {
            host: s.databaseHost,
            databaseName: 'payments',
            // the replication user (DMS only)
            secret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'OnPremisesDatabaseSecret', s.databaseSecretArn),
            certificateArn: s.databaseCaArn,
          },
          // the application user (the fleet only)
          applicationSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'OnPremisesApplicationSecret', s.applicationSecretArn),
        },
        network: { cidr: env.vpcCidr, availabilityZones: [`${REGION}a`, `${REGION}b`, `${REGION}c`] },
        fleet: {
          image: PaymentProcessorImage.fromRegistry(s.image),
          certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', s.certificateArn),
          minCapacity: 3,
          maxCapacity: 9,
        },
        dns: { zoneName: s.zoneName, recordNames: ['api', 'checkout'] },
        shifting: how === 'load-balancer' ? TrafficShifting.loadBalancer({ legacyTargets: s.legacyTargets }) : TrafficShifting.dns(),
        database: {
          readers: 2,
          applicationSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'AuroraApplicationSecret', s.auroraApplicationSecretArn),
          replicationSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'AuroraReplicationSecret', s.auroraReplicationSecretArn),
        },
        cutover,
      }),
    });
    stacks.push(stack);
    if (env.stage === 'aws-production') production = stack;
  }
  return { stacks, production: production! };
}

if (require.main === module) {
  const app = new App();
  buildOnPremisesMigration(app);
  app.synth();
}
