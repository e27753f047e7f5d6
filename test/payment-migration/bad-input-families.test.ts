import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  CutoverEndpoint, DatacenterToAwsOptions, MigrationSide, PaymentMigration, PaymentMigrationProps, TargetRegionOptions,
  WeightedCutover, WeightedCutoverProps,
} from '../../src';
import { recordsPolicyCharacters } from '../../src/weighted-cutover/validate-props';
import { bundlePeerRoutesHandler } from '../regional-network/bundle';
import { ACCOUNT, AZS, Control, expectAccepted, expectRefused, foreignKey, messageOf, newStack, nextId, OTHER_REGION, REGION, Row } from '../support/bad-input';
import { SEED_SOURCE, seedFleet, seedTarget } from '../support/world';
import { bundleHandler } from '../weighted-cutover/bundle';

// GIVEN one eu-west-1 stack shared by every row; each kind of side with the seed values
bundleHandler();
bundlePeerRoutesHandler();
const stack = newStack('Families');
const FLEET = seedFleet(stack);
const arn = (name: string, region = REGION) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}`;
const complete = (name: string, region = REGION) => secretsmanager.Secret.fromSecretCompleteArn(stack, nextId('Secret'), arn(name, region));
const partial = (name: string) => secretsmanager.Secret.fromSecretPartialArn(stack, nextId('Secret'), arn(name));
const named = (name: string) => secretsmanager.Secret.fromSecretNameV2(stack, nextId('Secret'), name);
const withKey = (name: string, key: kms.IKey) => secretsmanager.Secret.fromSecretAttributes(stack, nextId('Secret'), { secretCompleteArn: arn(name), encryptionKey: key });
const localKey = () => kms.Key.fromKeyArn(stack, nextId('Key'), `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`);

/** The seed's secrets: one per database user, in the stack's region. */
const SECRETS = {
  dcReplication: 'onprem/payments-AbCdEf',
  dcApplication: 'onprem/payments-app-GhIjKl',
  auroraApplication: 'aurora/payments-app-MnOpQr',
  auroraReplication: 'aurora/payments-dms-StUvWx',
  master: 'aurora/payments-master-YzAbCd',
};
const SOURCE = SEED_SOURCE;
const TARGET = seedTarget(FLEET);
const DC_SOURCE = {
  connectivity: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0', vpnConnectionId: 'vpn-0123456789abcdef0' },
  legacyEndpoint: CutoverEndpoint.fromIpAddresses(['52.94.76.10', '52.94.76.11']),
  database: { host: '192.168.10.20', databaseName: 'payments', secret: complete(SECRETS.dcReplication), certificateArn: `arn:aws:dms:${REGION}:${ACCOUNT}:cert:onprem-ca` },
  applicationSecret: complete(SECRETS.dcApplication),
};
const DC_DATABASE = { applicationSecret: complete(SECRETS.auroraApplication), replicationSecret: complete(SECRETS.auroraReplication) };
const DATACENTER: DatacenterToAwsOptions = {
  source: DC_SOURCE,
  network: { cidr: '10.20.0.0/16', availabilityZones: AZS },
  fleet: { ...FLEET, minCapacity: 3, maxCapacity: 9 },
  dns: { zoneName: 'pay.example.com', recordNames: ['api'] },
  database: DC_DATABASE,
};

type Loose<T> = { [K in keyof T]?: T[K] | any };
const migration = (id: string, side: MigrationSide, props: Loose<PaymentMigrationProps> = {}) =>
  new PaymentMigration(stack, id, { name: 'payments', side, ...props } as PaymentMigrationProps);
const target = (id: string, o: Loose<TargetRegionOptions>, props: Loose<PaymentMigrationProps> = {}) =>
  migration(id, MigrationSide.targetRegion({ ...TARGET, ...o }), props);
const datacenter = (id: string, o: Loose<DatacenterToAwsOptions>, props: Loose<PaymentMigrationProps> = {}) =>
  migration(id, MigrationSide.datacenterToAws({ ...DATACENTER, ...o }), props);
/** The datacenter side with some of its secrets replaced. */
interface Secrets {
  dcReplication?: any; dcReplicationKey?: kms.IKey; dcApplication?: any; auroraApplication?: any; auroraReplication?: any; master?: any;
}
const secrets = (id: string, s: Secrets) =>
  datacenter(id, {
    source: {
      ...DC_SOURCE,
      database: { ...DC_SOURCE.database, secret: s.dcReplication ?? DC_SOURCE.database.secret, secretEncryptionKey: s.dcReplicationKey },
      applicationSecret: s.dcApplication ?? DC_SOURCE.applicationSecret,
    },
    database: {
      applicationSecret: s.auroraApplication ?? DC_DATABASE.applicationSecret,
      replicationSecret: s.auroraReplication ?? DC_DATABASE.replicationSecret,
      masterSecret: s.master,
    },
  });
const dns = (id: string, props: Loose<WeightedCutoverProps>) => new WeightedCutover(stack, id, {
  zoneName: 'pay.example.com',
  recordNames: ['api'],
  source: CutoverEndpoint.fromDnsName('legacy.dc1.example.net'),
  target: CutoverEndpoint.fromDnsName('payments-456.eu-west-1.elb.amazonaws.com'),
  ...props,
} as WeightedCutoverProps);

/** `count` record names of about `length` characters each (labels of at most 63). */
const longNames = (count: number, length: number) => Array.from({ length: count }, (_, i) => {
  const name = `n${i}-${'x'.repeat(length)}`.slice(0, length);
  return name.match(/.{1,60}/g)!.join('.');
});

const PM = 'PaymentMigration';
const W = 'WeightedCutover';
const FOREIGN_SECRET = arn('payments-elsewhere-QrStUv', OTHER_REGION);
const rows: Row[] = [
  // --- 1. Secrets: one region rule for every secret (and its key) of the side
  ...([
    ['side.source.database.secret', 'dcReplication'],
    ['side.source.applicationSecret', 'dcApplication'],
    ['side.database.applicationSecret', 'auroraApplication'],
    ['side.database.replicationSecret', 'auroraReplication'],
    ['side.database.masterSecret', 'master'],
  ] as const).flatMap(([prop, which]): Row[] => [
    [`secrets: ${prop} in another region`, (id) => secrets(id, { [which]: complete('payments-elsewhere-QrStUv', OTHER_REGION) }), PM,
      new RegExp(`\`${prop.replace(/\./g, '\\.')}\` must be in the stack's region eu-west-1 \\(like every secret of the side: .* there\\), not us-east-1, got: "${FOREIGN_SECRET}"`)],
    [`secrets: the key of ${prop} in another region`, (id) => secrets(id, { [which]: withKey(`${which}-key-AbCdEf`, foreignKey(stack)) }), PM,
      new RegExp(`\`${prop.replace(/\./g, '\\.')}\\.encryptionKey\` must be in the stack's region eu-west-1 \\(like the key of every secret of the side.*not us-east-1, got: "arn:aws:kms:us-east-1:`)],
  ]),
  ['secrets: the DMS key of the datacenter secret in another region', (id) => secrets(id, { dcReplicationKey: foreignKey(stack) }), PM,
    /`side\.source\.database\.secretEncryptionKey` must be in the stack's region eu-west-1 \(like the key of every secret of the side: DMS reads it there.*not us-east-1/],
  // same secret, told by name: a partial ARN, a complete ARN and a name meet
  ['secrets: the Aurora replication secret by partial ARN as the application secret', (id) => secrets(id, { auroraApplication: partial('aurora/payments-dms') }), PM,
    /`side\.database\.applicationSecret` must be a secret of its own database user, not the replication user's \(side\.database\.replicationSecret\): both name the secret aurora\/payments-dms\..*got: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:aurora\/payments-dms"/],
  ['secrets: the datacenter replication secret by partial ARN as the datacenter application secret', (id) => secrets(id, { dcApplication: partial('onprem/payments') }), PM,
    /`side\.source\.applicationSecret` must be a secret of its own database user, not the replication user's \(side\.source\.database\.secret\): both name the secret onprem\/payments\./],
  ['secrets: the master secret by name as the replication secret', (id) => secrets(id, { master: complete(SECRETS.master), auroraReplication: named('aurora/payments-master') }), PM,
    /`side\.database\.replicationSecret` must be a secret of its own database user, not the master's \(side\.database\.masterSecret\): both name the secret aurora\/payments-master\. The fleet reads only/],
  ['secrets: the master secret (complete ARN) as the application secret', (id) => secrets(id, { master: complete(SECRETS.master), auroraApplication: complete(SECRETS.master) }), PM,
    /`side\.database\.applicationSecret` must be a secret of its own database user, not the master's \(side\.database\.masterSecret\)/],
  ['secrets: the RDS-managed master secret as the application secret', (id) => secrets(id, { auroraApplication: complete('rds!cluster-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-AbCdEf') }), PM,
    /`side\.database\.applicationSecret` must be a secret of its own database user, not an RDS-managed master secret \(`rds!…`\).*got: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!cluster-/],
  ['secrets: the RDS-managed master secret as the replication secret', (id) => secrets(id, { auroraReplication: partial('rds!cluster-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d') }), PM,
    /`side\.database\.replicationSecret` must be a secret of its own database user, not an RDS-managed master secret/],
  // one end's replication secret for the other end
  ['secrets: the datacenter replication secret as Aurora\'s', (id) => secrets(id, { auroraReplication: complete(SECRETS.dcReplication) }), PM,
    /`side\.database\.replicationSecret` must be a secret of its own database user, not the replication user's \(side\.source\.database\.secret\): both name the secret onprem\/payments\. DMS reads each end's host from its secret, so one secret for both ends would replicate a database into itself/],
  ['secrets: Aurora\'s replication secret, imported with its key, as the datacenter\'s', (id) => secrets(id, { dcReplication: withKey('aurora/payments-dms-StUvWx', localKey()) }), PM,
    /`side\.database\.replicationSecret` .*not the replication user's \(side\.source\.database\.secret\).*replicate a database into itself/],
  ['secrets: Aurora\'s replication secret as the datacenter application secret', (id) => secrets(id, { dcApplication: complete(SECRETS.auroraReplication) }), PM,
    /`side\.source\.applicationSecret` must be a secret of its own database user, not the replication user's \(side\.database\.replicationSecret\)/],

  // --- 2. Names that point at themselves or past a limit
  ['names: the legacy endpoint is one of the weighted names', (id) => datacenter(id, { source: { ...DC_SOURCE, legacyEndpoint: CutoverEndpoint.fromDnsName('api.pay.example.com') } }), W,
    /`side\.source\.legacyEndpoint\.dnsName` must not be one of the weighted record names \(api\.pay\.example\.com, at index 0 of `side\.dns\.recordNames`\): the record would be a CNAME to itself.*got: "api\.pay\.example\.com"/],
  ['names: the legacy endpoint is a weighted name, upper case and absolute', (id) => datacenter(id, { source: { ...DC_SOURCE, legacyEndpoint: CutoverEndpoint.fromDnsName('CHECKOUT.pay.example.com.') }, dns: { zoneName: 'pay.example.com', recordNames: ['api', 'checkout'] } }), W,
    /`side\.source\.legacyEndpoint\.dnsName` must not be one of the weighted record names \(checkout\.pay\.example\.com, at index 1 of `side\.dns\.recordNames`\).*got: "CHECKOUT\.pay\.example\.com\."/],
  ['names: WeightedCutover with a target that is its own record', (id) => dns(id, { recordNames: ['www', 'api'], target: CutoverEndpoint.fromDnsName('api.pay.example.com') }), W,
    /`target\.dnsName` must not be one of the weighted record names \(api\.pay\.example\.com, at index 1 of `recordNames`\)/],
  ['names: enough long record names to pass IAM\'s 6,144 characters (datacenter)', (id) => datacenter(id, { dns: { zoneName: 'pay.example.com', recordNames: longNames(30, 200) } }), W,
    /`side\.dns\.recordNames` must fit IAM's limit of 6,144 characters for a managed policy: .*would be up to [\d,]+ characters.*got: "30 names"/],
  ['names: enough record names to pass IAM\'s 6,144 characters (target region)', (id) => target(id, { dns: { zoneName: 'pay.example.com', recordNames: longNames(200, 20) } }), W,
    /`side\.dns\.recordNames` must fit IAM's limit of 6,144 characters.*got: "200 names"/],
  ['names: WeightedCutover with enough record names to pass IAM\'s limit', (id) => dns(id, { recordNames: longNames(27, 200) }), W,
    /`recordNames` must fit IAM's limit of 6,144 characters for a managed policy.*got: "27 names"/],

  // --- 3. Values from context and almost-right strings
  ['context: removalPolicy "DESTROY" (upper case) from cdk.json', (id) => datacenter(id, {}, { removalPolicy: 'DESTROY' }), PM,
    /`removalPolicy` must be a RemovalPolicy: RemovalPolicy\.DESTROY \(the string "destroy"\) for the teardown opt-out.*cdk\.json context is a string.*got: "DESTROY"/],
  ['context: removalPolicy true from cdk.json', (id) => target(id, {}, { removalPolicy: true }), PM, /`removalPolicy` must be a RemovalPolicy.*got: true/],
  ['context: removalPolicy "delete"', (id) => target(id, {}, { removalPolicy: 'delete' }), PM, /`removalPolicy` must be a RemovalPolicy.*silently keep every resource, got: "delete"/],
  ['context: RemovalPolicy.SNAPSHOT', (id) => datacenter(id, {}, { removalPolicy: RemovalPolicy.SNAPSHOT }), PM,
    /`removalPolicy` must be RemovalPolicy\.DESTROY \(the teardown opt-out\), RemovalPolicy\.RETAIN or unset: RemovalPolicy\.SNAPSHOT reads as "delete the stack, keep a final snapshot.*deletion-protected.*got: "snapshot"/],
  ['context: deletion protection with the teardown opt-out (datacenter)', (id) => datacenter(id, { database: { ...DC_DATABASE, deletionProtection: true } }, { removalPolicy: RemovalPolicy.DESTROY }), PM,
    /`side\.database\.deletionProtection` must not be true with `removalPolicy: RemovalPolicy\.DESTROY`: the teardown opt-out deletes the databases.*got: true/],
  ['context: deletion protection with "destroy" from context (target region)', (id) => target(id, { database: { deletionProtection: true } }, { removalPolicy: 'destroy' }), PM,
    /`side\.database\.deletionProtection` must not be true with `removalPolicy: RemovalPolicy\.DESTROY`/],
  ['almost right: an alerts email as mailto:', (id) => datacenter(id, {}, { alerts: { emails: ['mailto:oncall@example.com'] } }), PM,
    /`alerts\.emails\[0\]` must be a bare email address \(`oncall@example\.com`\), without `mailto:`.*got: "mailto:oncall@example\.com"/],
  ['almost right: an alerts email as MAILTO:', (id) => target(id, {}, { alerts: { emails: ['ops@example.com', 'MAILTO:oncall@example.com'] } }), PM, /`alerts\.emails\[1\]` must be a bare email address/],
  ['almost right: an alerts email given twice', (id) => target(id, {}, { alerts: { emails: ['oncall@example.com', 'ops@example.com', 'oncall@example.com'] } }), PM,
    /`alerts\.emails\[2\]` must not repeat an address \(`alerts\.emails\[0\]`\): SNS keeps one subscription per address and topic.*got: "oncall@example\.com"/],
  ['almost right: an alerts email given twice, the domain in upper case', (id) => datacenter(id, {}, { alerts: { emails: ['oncall@example.com', 'oncall@EXAMPLE.COM'] } }), PM,
    /`alerts\.emails\[1\]` must not repeat an address \(`alerts\.emails\[0\]`\)/],
  ['almost right: a FIFO alerts topic, imported', (id) => datacenter(id, {}, { alerts: { topic: sns.Topic.fromTopicArn(stack, nextId('Fifo'), `arn:aws:sns:${REGION}:${ACCOUNT}:on-call.fifo`) } }), PM,
    /`alerts\.topic` must be a standard topic, not a FIFO topic: .*CloudWatch alarm actions.*no one would be paged, got: "arn:aws:sns:eu-west-1:111111111111:on-call\.fifo"/],
  ['almost right: a FIFO alerts topic, created in the app', (id) => target(id, {}, { alerts: { topic: new sns.Topic(stack, nextId('Fifo'), { fifo: true, topicName: 'on-call' }) } }), PM,
    /`alerts\.topic` must be a standard topic, not a FIFO topic/],
  ['almost right: the source load balancer\'s ARN as its full name', (id) => target(id, { source: { ...SOURCE, loadBalancerFullName: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/payments/0123456789abcdef' } }), PM,
    /`side\.source\.loadBalancerFullName` must be the Application Load Balancer's full name, `app\/<name>\/<id>`.*not its ARN: give the part after `loadbalancer\/`, app\/payments\/0123456789abcdef, got: "arn:aws:elasticloadbalancing:/],
  ['almost right: the source load balancer\'s name as its full name', (id) => target(id, { source: { ...SOURCE, loadBalancerFullName: 'payments' } }), PM,
    /`side\.source\.loadBalancerFullName` must be the Application Load Balancer's full name.*got: "payments"/],
  ['almost right: a Network Load Balancer\'s full name', (id) => target(id, { source: { ...SOURCE, loadBalancerFullName: 'net/payments/0123456789abcdef' } }), PM,
    /`side\.source\.loadBalancerFullName` must be the Application Load Balancer's full name.*got: "net\/payments\/0123456789abcdef"/],

  // --- 4. The prop the user set, not a neighbour, and the value given
  ['naming: a post-move bake over a day names the post-move bake, not the cutover\'s bake', (id) => datacenter(id, { writerMove: { postMoveBake: Duration.hours(30) } }), PM,
    /^(?![\s\S]*side\.cutover\.bakeTime)[\s\S]*`side\.writerMove\.postMoveBake` must be a whole number of seconds from 0 to 86400, got: "1 day 6 hours"/],
  ['naming: a fractional post-move bake', (id) => datacenter(id, { writerMove: { postMoveBake: Duration.millis(1_500) } }), PM,
    /^(?![\s\S]*side\.cutover\.bakeTime)[\s\S]*`side\.writerMove\.postMoveBake` must be a whole number of seconds.*got: "1 second 500 millis"/],
  ['naming: a drain read interval of zero (the factory names no side prop)', (id) => datacenter(id, { writerMove: { drainReadInterval: Duration.seconds(0) } }), PM,
    /`side\.writerMove\.drainReadInterval` must be a whole number of seconds from 1 to 60, got: "0 seconds"/],
  ['naming: a drain read interval as a number', (id) => datacenter(id, { writerMove: { drainReadInterval: 5 } }), PM,
    /`side\.writerMove\.drainReadInterval` must be a Duration.*got: 5/],
  ['naming: an approval before a database phase turned off (datacenter)', (id) => datacenter(id, { cutover: { switchover: false, approveBeforeSwitchover: true } }), PM,
    /`side\.cutover\.approveBeforeSwitchover` needs the database phase, which `side\.cutover\.switchover: false` turns off.*got: true/],
  ['naming: an approval before a database phase turned off (target region)', (id) => target(id, { cutover: { switchover: false, approveBeforeSwitchover: true } }), PM,
    /`side\.cutover\.approveBeforeSwitchover` needs the database phase/],
  ['naming: writer-move timings with the database phase turned off', (id) => datacenter(id, { cutover: { switchover: false }, writerMove: { postMoveBake: Duration.hours(1) } }), PM,
    /`side\.writerMove` configures the writer move, which `side\.cutover\.switchover: false` turns off: it would be ignored.*got: \["postMoveBake"\]/],
  ['naming: a drain timeout past the execution history names the drain timeout', (id) => datacenter(id, { writerMove: { drainTimeout: Duration.hours(1) } }), 'MigrationOrchestrator',
    /^(?![\s\S]*side\.cutover\.bakeTime)[\s\S]*`side\.writerMove\.drainTimeout` must fit one execution's history.*got: "1 hour"/],
];

const controls: Control[] = [
  // 1. secrets
  ['secrets: every secret and key in the stack\'s region, the master given', (id) => secrets(id, { master: withKey('aurora/payments-master-YzAbCd', localKey()), dcReplicationKey: localKey() })],
  ['secrets: the two application users share one secret (user name and password only: accepted on purpose)', (id) => secrets(id, { auroraApplication: complete(SECRETS.dcApplication) })],
  ['secrets: names that only start alike (aurora/payments-app and aurora/payments-app-v2)', (id) => secrets(id, { auroraReplication: complete('aurora/payments-app-v2-AbCdEf') })],
  ['secrets: a secret from another stack (a token) is let through', (id) => secrets(id, { auroraApplication: secretsmanager.Secret.fromSecretCompleteArn(stack, nextId('Token'), Fn.importValue('AppSecretArn')) })],
  // 2. names
  ['names: a legacy name in the zone that is not a weighted name', (id) => datacenter(id, { source: { ...DC_SOURCE, legacyEndpoint: CutoverEndpoint.fromDnsName('legacy.pay.example.com') } })],
  ['names: 15 record names of 200 characters stay within IAM\'s limit', (id) => datacenter(id, { dns: { zoneName: 'pay.example.com', recordNames: longNames(15, 200) } })],
  // 3. context and strings
  ['context: "destroy" from cdk.json is RemovalPolicy.DESTROY', (id) => datacenter(id, {}, { removalPolicy: 'destroy' })],
  ['context: RemovalPolicy.RETAIN keeps the defaults', (id) => target(id, { database: { deletionProtection: true } }, { removalPolicy: RemovalPolicy.RETAIN })],
  ['context: the teardown opt-out with deletion protection turned off explicitly', (id) => datacenter(id, { database: { ...DC_DATABASE, deletionProtection: false } }, { removalPolicy: RemovalPolicy.DESTROY })],
  ['emails: plus addressing, and two mailboxes differing only in the case of the local part (the mailbox owner\'s: accepted)', (id) =>
    target(id, {}, { alerts: { emails: ['ops+payments@example.com', 'Oncall@example.com', 'oncall@example.com'] } })],
  ['topics: a standard topic whose name mentions fifo', (id) => target(id, {}, { alerts: { topic: sns.Topic.fromTopicArn(stack, nextId('T'), `arn:aws:sns:${REGION}:${ACCOUNT}:fifo-alerts`) } })],
  ['strings: the source load balancer\'s full name', (id) => target(id, { source: { ...SOURCE, loadBalancerFullName: 'app/payments-eu-1/0123456789abcdef' } })],
  // 4. naming
  ['naming: a post-move bake of a whole day', (id) => datacenter(id, { writerMove: { postMoveBake: Duration.days(1) } })],
  ['naming: the database phase turned off, no approval asked (the default approval follows the phase)', (id) => datacenter(id, { cutover: { switchover: false } })],
  ['naming: a drain read interval of a minute', (id) => datacenter(id, { writerMove: { drainReadInterval: Duration.minutes(1) } })],
];

describe('PaymentMigration, families of issue 20: refused at synth time with the path, the prop as set, the rule and the value', () => {
  test.each(rows)('%s', (...row) => expectRefused(stack, row as Row));
});

describe('PaymentMigration, families of issue 20: valid neighbours are accepted', () => {
  test.each(controls)('%s', (...control) => expectAccepted(control as Control));
});

describe('names past CloudFormation\'s 1 MB template: refused when the app synthesizes', () => {
  /** A datacenter side in a stack of its own (the whole template is measured), synthesized. */
  function synthesize(recordNames: string[]): void {
    const own = newStack(nextId('Big'));
    const s = (name: string) => secretsmanager.Secret.fromSecretCompleteArn(own, nextId('S'), arn(name));
    new PaymentMigration(own, 'Migration', {
      name: 'payments',
      side: MigrationSide.datacenterToAws({
        ...DATACENTER,
        source: { ...DC_SOURCE, database: { ...DC_SOURCE.database, secret: s(SECRETS.dcReplication) }, applicationSecret: s(SECRETS.dcApplication) },
        database: { applicationSecret: s(SECRETS.auroraApplication), replicationSecret: s(SECRETS.auroraReplication) },
        fleet: { ...DATACENTER.fleet, certificate: acm.Certificate.fromCertificateArn(own, 'Cert', FLEET.certificate.certificateArn) },
        dns: { zoneName: 'pay.example.com', recordNames },
      }),
    });
    Template.fromStack(own);
  }

  test.each([
    ['70 record names', 70],
  ])('%s: the template limit is named, with the construct path and the prop', (_, count) => {
    const names = longNames(count as number, 12);
    // THEN IAM's limit is not what refuses them: the template's is
    expect(recordsPolicyCharacters(names.map((n) => `${n}.pay.example.com`))).toBeLessThan(6144);
    const message = messageOf(() => synthesize(names));
    expect(message).toMatch(new RegExp(`\\[Big\\d+/Migration\\] PaymentMigration at Big\\d+/Migration: \`side\\.dns\\.recordNames\` must keep the stack's template within CloudFormation's 1 MB limit \\(1,000,000 characters, as CDK counts it\\): the template would be [\\d,]+.*got: "${count} names"`));
  });

  test.each([
    ['10 record names', 10],
  ])('%s: accepted', (_, count) => {
    expect(() => synthesize(longNames(count as number, 12))).not.toThrow();
  });
});

describe('the records policy estimate is an upper bound of the policy CloudFormation deploys', () => {
  test.each([[1], [40]])('%s names', (count) => {
    // GIVEN a WeightedCutover in a stack of its own
    const own = newStack(nextId('Policy'));
    const names = longNames(count, 30);
    new WeightedCutover(own, 'Dns', {
      zoneName: 'pay.example.com',
      recordNames: names,
      source: CutoverEndpoint.fromDnsName('legacy.dc1.example.net'),
      target: CutoverEndpoint.fromDnsName('payments-456.eu-west-1.elb.amazonaws.com'),
    });
    // WHEN its records policy is rendered with every ARN at a realistic length
    const policies = Template.fromStack(own).findResources('AWS::IAM::ManagedPolicy');
    const [document] = Object.entries(policies).filter(([k]) => k.includes('RecordsFunctionPolicy')).map(([, r]) => r.Properties.PolicyDocument);
    const resolved = JSON.stringify(document)
      .replace(/\{"Fn::GetAtt":\["[A-Za-z0-9]+","Arn"\]\}/g, `"arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${'Policy1-DnsRecordsFunctionLogs-AbCdEfGhIjKl'}:*"`)
      .replace(/\{"Fn::Join":\["",\[[^\]]*\]\]\}/g, '"arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"');
    // THEN the estimate is at least the real size, and names the same statements
    expect(resolved).not.toMatch(/Fn::|"Ref"/);
    expect(recordsPolicyCharacters(names.map((n) => `${n}.pay.example.com`))).toBeGreaterThanOrEqual(resolved.length);
    for (const sid of ['WriteOwnLogs', 'ChangeTheseRecordsOnly', 'DeleteRecordsOfRemovedNames', 'ReadLiveWeights', 'WaitForInsync']) {
      expect(resolved).toContain(`"Sid":"${sid}"`);
    }
  });
});
