import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { AURORA_APP_SECRET_ARN, AURORA_REPLICATION_SECRET_ARN, DC_APP_SECRET_ARN, onPremises, SECRET_ARN as DC_REPLICATION_SECRET_ARN } from './fixtures';
import { buildOnPremisesMigration } from '../../examples/on-premises/app';
import { CutoverEndpoint, PaymentMigration } from '../../src';
import { expectNoNagFindings } from '../support/nag';

const REGION = 'us-east-1';
/** `kms:ViaService` = Secrets Manager of this region (`amazonaws.com` literal or the stack's URL suffix). */
const VIA_SECRETS_MANAGER = new RegExp(`^\\{"StringEquals":\\{"kms:ViaService":("secretsmanager\\.${REGION}\\.amazonaws\\.com"|\\{"Fn::Join":\\["",\\["secretsmanager\\.${REGION}\\.",\\{"Ref":"AWS::URLSuffix"\\}\\]\\]\\})\\}\\}$`);

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

function logicalId(c: IConstruct): string {
  return Stack.of(c).getLogicalId(c.node.defaultChild as any);
}

/** Every statement of every policy (managed, inline, the role's own) that applies to the role. */
function statementsOf(template: Template, roleId: string): Statement[] {
  const attached = (r: any) => (r.Properties.Roles ?? []).some((ref: any) => ref.Ref === roleId);
  const policies = [
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter(attached).map((r) => r.Properties.PolicyDocument),
    ...Object.values(template.findResources('AWS::IAM::Policy')).filter(attached).map((r) => r.Properties.PolicyDocument),
    ...(template.toJSON().Resources[roleId].Properties.Policies ?? []).map((p: any) => p.PolicyDocument),
  ];
  return policies.flatMap((d) => d.Statement);
}

const actions = (s: Statement) => ([] as string[]).concat(s.Action);
const resources = (s: Statement) => ([] as unknown[]).concat(s.Resource);
const secretResources = (statements: Statement[]) =>
  statements.filter((s) => actions(s).some((a) => a.startsWith('secretsmanager:'))).flatMap(resources);
/** Decrypt grants for secrets (not the cutover record's key, granted through DynamoDB only for the fence acknowledgement). */
const decrypts = (statements: Statement[]) => statements.filter((s) => actions(s).includes('kms:Decrypt') && !viaDynamoDb(s));
const viaDynamoDb = (s: Statement) => /"kms:ViaService":"dynamodb\.[a-z0-9-]+\.amazonaws\.com"/.test(JSON.stringify(s.Condition ?? {}));

describe('credentials on the on-premises path: least privilege, fetched not created (seed S2)', () => {
  const { migration, template } = onPremises();
  const built = migration.datacenterToAws();
  const fleetRole = logicalId(built.fleet.role);
  const dmsRole = logicalId(built.replication.secretsAccessRole);

  test('the template creates no Secrets Manager secret: every credential is an existing entry, the master password is RDS-managed', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 0);
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      ManageMasterUserPassword: true,
      MasterUserPassword: Match.absent(),
      MasterUserSecret: { KmsKeyId: Match.anyValue() },
    });
  });

  test("the fleet's role can read the two application secrets and no other secret", () => {
    expect(new Set(secretResources(statementsOf(template, fleetRole)))).toEqual(new Set([DC_APP_SECRET_ARN, AURORA_APP_SECRET_ARN]));
  });

  test("DMS's role can read the two replication secrets (forward and reverse tasks) and no other secret", () => {
    expect(new Set(secretResources(statementsOf(template, dmsRole)))).toEqual(new Set([DC_REPLICATION_SECRET_ARN, AURORA_REPLICATION_SECRET_ARN]));
    const endpoints = Object.values(template.findResources('AWS::DMS::Endpoint')).map((e) => JSON.stringify(e.Properties));
    expect(endpoints).toHaveLength(4);
    for (const e of endpoints) {
      expect(e).toMatch(new RegExp(`"SecretsManagerSecretId":"(${DC_REPLICATION_SECRET_ARN}|${AURORA_REPLICATION_SECRET_ARN})"`));
    }
  });

  test('nobody is granted the master secret: no policy of the template names it', () => {
    for (const type of ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy', 'AWS::IAM::Role']) {
      expect(JSON.stringify(template.findResources(type))).not.toContain('MasterUserSecret');
    }
    // and the fleet's container is told of the application secrets only
    const launch = JSON.stringify(template.findResources('AWS::EC2::LaunchTemplate'));
    expect(launch).toContain(`DB_SOURCE_SECRET_ARN=${DC_APP_SECRET_ARN}`);
    expect(launch).toContain(`DB_SECRET_ARN=${AURORA_APP_SECRET_ARN}`);
    expect(launch).not.toContain(DC_REPLICATION_SECRET_ARN);
    expect(launch).not.toContain(AURORA_REPLICATION_SECRET_ARN);
    expect(launch).not.toContain('MasterUserSecret');
  });

  test('secrets under the default aws/secretsmanager key: no kms:Decrypt on either role', () => {
    expect(decrypts(statementsOf(template, fleetRole))).toEqual([]);
    expect(decrypts(statementsOf(template, dmsRole))).toEqual([]);
  });

  test('the fleet uses the cutover record\'s key through DynamoDB only (its fence acknowledgement), DMS not at all', () => {
    const record = statementsOf(template, fleetRole).filter((s) => actions(s).includes('kms:Decrypt') && viaDynamoDb(s));
    expect(record).toHaveLength(1);
    expect(JSON.stringify(record[0].Resource)).toMatch(/OrchestratorKey/);
    expect(statementsOf(template, dmsRole).filter(viaDynamoDb)).toEqual([]);
  });

  test('zero unacknowledged findings in the three packs', () => {
    expectNoNagFindings(Stack.of(migration));
  });
});

describe('credentials under customer-managed keys: decrypt through Secrets Manager only, with those keys only', () => {
  const keyArn = (id: string) => `arn:aws:kms:${REGION}:111111111111:key/${id}`;
  const KEYS = { dcApp: keyArn('dc-app'), auroraApp: keyArn('aurora-app'), dcDms: keyArn('dc-dms'), auroraDms: keyArn('aurora-dms') };
  const imported = (stack: Stack, id: string, arn: string, key: string) =>
    secretsmanager.Secret.fromSecretAttributes(stack, id, { secretCompleteArn: arn, encryptionKey: kms.Key.fromKeyArn(stack, `${id}Key`, key) });
  const { migration, template } = onPremises((stack) => ({
    source: {
      connectivity: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0' },
      legacyEndpoint: CutoverEndpoint.fromIpAddresses(['52.94.76.10']),
      database: { host: '192.168.10.20', databaseName: 'payments', secret: imported(stack, 'DcDms', DC_REPLICATION_SECRET_ARN, KEYS.dcDms), certificateArn: `arn:aws:dms:${REGION}:111111111111:cert:onprem-ca` },
      applicationSecret: imported(stack, 'DcApp', DC_APP_SECRET_ARN, KEYS.dcApp),
    },
    database: {
      applicationSecret: imported(stack, 'AuroraApp', AURORA_APP_SECRET_ARN, KEYS.auroraApp),
      replicationSecret: imported(stack, 'AuroraDms', AURORA_REPLICATION_SECRET_ARN, KEYS.auroraDms),
    },
  }));
  const built = migration.datacenterToAws();

  test.each([
    ['the fleet', () => logicalId(built.fleet.role), [KEYS.dcApp, KEYS.auroraApp]],
    ['DMS', () => logicalId(built.replication.secretsAccessRole), [KEYS.dcDms, KEYS.auroraDms]],
  ])('%s decrypts with the keys of its own secrets only, through Secrets Manager only', (_, role, keys) => {
    const statements = decrypts(statementsOf(template, role()));
    expect(new Set(statements.flatMap(resources))).toEqual(new Set(keys));
    for (const s of statements) {
      expect(JSON.stringify(s.Condition)).toMatch(VIA_SECRETS_MANAGER);
    }
  });
});

describe('the on-premises reference template', () => {
  test('creates no Secrets Manager secret, and the fleet reads no replication secret', () => {
    const app = new App();
    const { production } = buildOnPremisesMigration(app);
    const template = Template.fromStack(production);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const migration = production.node.findChild('Migration') as PaymentMigration;
    const fleetSecrets = secretResources(statementsOf(template, logicalId(migration.datacenterToAws().fleet.role)));
    expect(fleetSecrets).toHaveLength(2);
    expect(JSON.stringify(fleetSecrets)).toMatch(/payments-app-/);
    expect(JSON.stringify(fleetSecrets)).not.toMatch(/dms|onprem\/payments-AbCdEf/);
  });
});

describe('credentials: bad input', () => {
  test.each([
    ['the application and the replication user share the datacenter secret', 'source', /`side\.source\.applicationSecret` must be a secret of its own database user, not the replication user's \(side\.source\.database\.secret\).*got: "arn:aws:secretsmanager:us-east-1:111111111111:secret:onprem\/payments-AbCdEf"/],
    ['the application and the replication user share the Aurora secret', 'aurora', /`side\.database\.applicationSecret` must be a secret of its own database user, not the replication user's \(side\.database\.replicationSecret\).*got: "arn:aws:secretsmanager:us-east-1:111111111111:secret:aurora\/payments-dms-StUvWx"/],
    ['the replication user is given the master secret', 'master', /`side\.database\.replicationSecret` must be a secret of its own database user, not the master's \(side\.database\.masterSecret\)/],
  ])('%s is refused with the construct path, the prop, the rule and the value', (_, which, message) => {
    expect(() => onPremises((stack) => {
      const secret = (id: string, arn: string) => secretsmanager.Secret.fromSecretCompleteArn(stack, id, arn);
      if (which === 'source') {
        return {
          source: {
            connectivity: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0' },
            legacyEndpoint: CutoverEndpoint.fromIpAddresses(['52.94.76.10']),
            database: { host: '192.168.10.20', databaseName: 'payments', secret: secret('Dms', DC_REPLICATION_SECRET_ARN), certificateArn: `arn:aws:dms:${REGION}:111111111111:cert:onprem-ca` },
            applicationSecret: secret('App', DC_REPLICATION_SECRET_ARN),
          },
        };
      }
      const replication = secret('AuroraDms2', AURORA_REPLICATION_SECRET_ARN);
      return which === 'aurora'
        ? { database: { applicationSecret: secret('AuroraApp2', AURORA_REPLICATION_SECRET_ARN), replicationSecret: replication } }
        : { database: { applicationSecret: secret('AuroraApp2', AURORA_APP_SECRET_ARN), replicationSecret: replication, masterSecret: secret('Master', AURORA_REPLICATION_SECRET_ARN) } };
    })).toThrow(new RegExp(`PaymentMigration initialization failed at AwsProduction/Migration[\\s\\S]*${message.source}`));
  });

  test('an existing master secret flows to the cluster: dynamic references, no RDS-managed password, still no secret resource', () => {
    const arn = `arn:aws:secretsmanager:${REGION}:111111111111:secret:aurora/payments-master-YzAbCd`;
    const { template } = onPremises((stack) => ({
      database: {
        applicationSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'AuroraApp2', AURORA_APP_SECRET_ARN),
        replicationSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'AuroraDms2', AURORA_REPLICATION_SECRET_ARN),
        masterSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Master', arn),
      },
    }));
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      MasterUserPassword: `{{resolve:secretsmanager:${arn}:SecretString:password::}}`,
      ManageMasterUserPassword: Match.absent(),
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'))).not.toContain(arn);
  });
});
