import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  CutoverEndpoint, DatacenterToAwsOptions, MigrationSide, PaymentMigration, PaymentMigrationProps, PaymentProcessorImage, TargetRegionOptions,
  TrafficShifting,
} from '../../src';
import { bundlePeerRoutesHandler } from '../regional-network/bundle';
import { ACCOUNT, AZS, Control, expectAccepted, expectRefused, foreignTopic, newStack, nextId, OTHER_REGION, REGION, Row } from '../support/bad-input';
import { SEED_SOURCE, seedFleet, seedTarget } from '../support/world';
import { bundleHandler } from '../weighted-cutover/bundle';

// GIVEN one eu-west-1 stack shared by every row; each kind of side with the seed values
bundleHandler();
bundlePeerRoutesHandler();
const stack = newStack('Migration');
const FLEET = seedFleet(stack);
const SOURCE = SEED_SOURCE;
const TARGET = seedTarget(FLEET);
const DATACENTER: DatacenterToAwsOptions = {
  source: {
    connectivity: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0', vpnConnectionId: 'vpn-0123456789abcdef0' },
    legacyEndpoint: CutoverEndpoint.fromIpAddresses(['52.94.76.10', '52.94.76.11']),
    database: {
      host: '192.168.10.20',
      databaseName: 'payments',
      secret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'SourceSecret', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:onprem/payments-AbCdEf`),
      certificateArn: `arn:aws:dms:${REGION}:${ACCOUNT}:cert:onprem-ca`,
    },
    applicationSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'SourceAppSecret', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:onprem/payments-app-GhIjKl`),
  },
  network: { cidr: '10.20.0.0/16', availabilityZones: AZS },
  fleet: { ...FLEET, minCapacity: 3, maxCapacity: 9 },
  dns: { zoneName: 'pay.example.com', recordNames: ['api'] },
  database: {
    applicationSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'AuroraAppSecret', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:aurora/payments-app-MnOpQr`),
    replicationSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'AuroraDmsSecret', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:aurora/payments-dms-StUvWx`),
  },
};

type Partial2<T> = { [K in keyof T]?: T[K] | any };
function migration(id: string, side: MigrationSide, props: Partial2<PaymentMigrationProps> = {}): PaymentMigration {
  return new PaymentMigration(stack, id, { name: 'payments', side, ...props } as PaymentMigrationProps);
}
const source = (id: string, primaryClusterArn: any, props: Partial2<PaymentMigrationProps> = {}) =>
  migration(id, MigrationSide.sourceRegion({ primaryClusterArn }), props);
const target = (id: string, o: Partial2<TargetRegionOptions>, props: Partial2<PaymentMigrationProps> = {}) =>
  migration(id, MigrationSide.targetRegion({ ...TARGET, ...o }), props);
const datacenter = (id: string, o: Partial2<DatacenterToAwsOptions>) => migration(id, MigrationSide.datacenterToAws({ ...DATACENTER, ...o }));
const legacy = (id: string, endpoint: CutoverEndpoint) => datacenter(id, { source: { ...DATACENTER.source, legacyEndpoint: endpoint } });

const PM = 'PaymentMigration';
const rows: Row[] = [
  // --- MigrationSide.sourceRegion
  ['source: a primary cluster of another region', (id) => source(id, `arn:aws:rds:${OTHER_REGION}:${ACCOUNT}:cluster:payments`), 'AuroraGlobalCluster',
    /`side.primaryClusterArn` must be a cluster in this stack's region eu-west-1.*got: "arn:aws:rds:us-east-1:/],
  ['source: a primary ARN as a number', (id) => source(id, 42), PM, /`side.primaryClusterArn` must be a string, got: 42/],
  ['source: alerts on a side that creates no alarm', (id) => source(id, `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:payments`, { alerts: { emails: ['ops@example.com'] } }), PM, /`alerts` applies to the sides that create alarms/],
  ['source: a migration name ending with a hyphen', (id) => source(id, `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:payments`, { name: 'pay-' }), PM,
    /`name` must be 1–41 lowercase letters, digits or hyphens, starting with a letter, without "--" and not ending with "-".*got: "pay-"/],
  ['target: a migration name with "--"', (id) => target(id, {}, { name: 'pay--eu' }), PM, /`name` must be 1–41 lowercase letters.*without "--".*got: "pay--eu"/],
  ['source: an upper-case migration name', (id) => source(id, `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:payments`, { name: 'Payments' }), PM, /`name` must be 1–41 lowercase letters.*got: "Payments"/],
  ['a side that is not made by MigrationSide', (id) => migration(id, { kind: 'target-region' } as any), PM, /`side` must be made by MigrationSide.sourceRegion, MigrationSide.targetRegion or MigrationSide.datacenterToAws/],
  ['no side', (id) => migration(id, undefined as any), PM, /`side` is required: it must be an object, got: undefined/],

  // --- MigrationSide.targetRegion: region mismatches
  ['target: the source ALB\'s zone id of another region', (id) => target(id, { source: { ...SOURCE, loadBalancerHostedZoneId: 'Z32O12XQLNTSW2' } }), PM,
    /`side.source.loadBalancerHostedZoneId` must be Z35SXDOTRQ7X7K, the canonical hosted zone of Application Load Balancers in us-east-1 \(`side.source.region`\); Z32O12XQLNTSW2 is eu-west-1's.*got: "Z32O12XQLNTSW2"/],
  ['target: the source ALB in another region than the source', (id) => target(id, { source: { ...SOURCE, loadBalancerDnsName: 'payments-1.us-west-2.elb.amazonaws.com' } }), PM,
    /`side.source.loadBalancerDnsName` must be a load balancer of the source region us-east-1 \(`side.source.region`\), not of us-west-2/],
  ['target: the source region is the stack\'s', (id) => target(id, { source: { ...SOURCE, region: REGION, loadBalancerDnsName: 'payments-1.eu-west-1.elb.amazonaws.com', loadBalancerHostedZoneId: 'Z32O12XQLNTSW2' } }), PM,
    /`side.source.region` must differ from this stack's region eu-west-1/],
  ['target: an alarm topic of another region', (id) => target(id, {}, { alerts: { topic: foreignTopic(stack) } }), PM, /`alerts.topic` must be in the stack's region eu-west-1 .*not us-east-1/],
  ['target: a certificate of another region', (id) => target(id, { fleet: { ...FLEET, certificate: acm.Certificate.fromCertificateArn(stack, nextId('C'), `arn:aws:acm:${OTHER_REGION}:${ACCOUNT}:certificate/abc`) } }), 'PaymentFleet',
    /`side.fleet.certificate` must be in the stack's region eu-west-1 \(a load balancer uses certificates of its own region\), not us-east-1/],
  // --- almost right
  ['target: a regional cluster endpoint as the global writer', (id) => target(id, { source: { ...SOURCE, globalWriterEndpoint: 'payments.cluster-abc.us-east-1.rds.amazonaws.com' } }), PM,
    /`side.source.globalWriterEndpoint` must be the global writer endpoint of payments-global/],
  ['target: the global writer with a port', (id) => target(id, { source: { ...SOURCE, globalWriterEndpoint: `${SOURCE.globalWriterEndpoint}:3306` } }), PM, /`side.source.globalWriterEndpoint` must be the global writer endpoint.*got: ".*:3306"/],
  ['target: a certificate that does not cover the record names', (id) => target(id, { fleet: { ...FLEET, certificate: new acm.Certificate(stack, nextId('Cert'), { domainName: 'www.other-domain.com' }) } }), PM,
    /`side.fleet.certificate` must cover api.pay.example.com \(`side.dns.recordNames\[0\]`\).*the certificate names only www.other-domain.com/],
  ['target: a wildcard certificate one level too high', (id) => target(id, { dns: { zoneName: 'pay.example.com', recordNames: ['eu.api'] }, fleet: { ...FLEET, certificate: new acm.Certificate(stack, nextId('Cert'), { domainName: '*.pay.example.com' }) } }), PM,
    /`side.fleet.certificate` must cover eu.api.pay.example.com/],
  ['target: a record name with a typo in the domain', (id) => target(id, { dns: { zoneName: 'pay.example.com', recordNames: ['api.pay.exmaple.com'] } }), 'WeightedCutover',
    /`side.dns.recordNames\[0\]` must be inside the hosted zone pay.example.com: it reads as a full name in another domain/],
  ['target: an image URI with https://', (id) => target(id, { fleet: { ...FLEET, image: PaymentProcessorImage.fromRegistry('https://public.ecr.aws/acme/p:1') } }), 'PaymentFleet', /`side.fleet.image` must be an image reference without a scheme/],
  // --- units and safety
  ['target: one instance (the side alarms below two)', (id) => target(id, { fleet: { ...FLEET, minCapacity: 1 } }), PM, /`side.fleet.minCapacity` must be at least 2: the side alarms \(and gates the cutover\) when fewer than 2 payment processors are healthy.*got: 1/],
  ['target: a bake shorter than the gating alarms', (id) => target(id, { cutover: { bakeTime: Duration.minutes(1) } }), 'MigrationOrchestrator',
    /`side.cutover.bakeTime` must be at least the gating alarms' evaluation window.*`side.cutover.allowBakeShorterThanAlarms` to true.*got: "1 minute"/],
  // --- plain JavaScript
  ['target: record names as one string', (id) => target(id, { dns: { zoneName: 'pay.example.com', recordNames: 'api' } }), PM, /`side.dns.recordNames` must be a list \(array\) of strings, got: "api"/],
  ['target: a CIDR as a number', (id) => target(id, { network: { cidr: 10 } }), PM, /`side.network.cidr` must be a string, got: 10/],
  ['target: a bake as a number', (id) => target(id, { cutover: { bakeTime: 300 } }), PM, /`side.cutover.bakeTime` must be a Duration.*got: 300/],
  ['target: no source', (id) => target(id, { source: undefined }), PM, /`side.source` is required: it must be an object, got: undefined/],
  ['target: the source route tables as one string', (id) => target(id, { source: { ...SOURCE, routeTableIds: 'rtb-0123456789abcdef0' } }), PM, /`side.source.routeTableIds` must be a list \(array\) of strings/],
  ['target: the image as a string', (id) => target(id, { fleet: { ...FLEET, image: 'public.ecr.aws/acme/p:1' } }), PM, /`side.fleet.image` must be an object, got: "public.ecr.aws\/acme\/p:1"/],
  ['target: alert emails as one string', (id) => target(id, {}, { alerts: { emails: 'ops@example.com' } }), PM, /`alerts.emails` must be a list \(array\) of strings, got: "ops@example.com"/],
  ['target: instances as a string', (id) => target(id, { database: { instances: '2' } }), PM, /`side.database.instances` must be a number, got: "2"/],

  // --- MigrationSide.datacenterToAws
  ['datacenter: a private legacy IP', (id) => legacy(id, CutoverEndpoint.fromIpAddresses(['10.50.0.10'])), PM,
    /`side.source.legacyEndpoint.ipAddresses\[0\]` must be the public address of the legacy entry point: it is a private address \(RFC 1918\).*Route 53 health checkers.*got: "10.50.0.10"/],
  ['target: a zone imported by id alone (its name unknown), beside a certificate made in the app', (id) => target(id, {
    fleet: { ...FLEET, certificate: new acm.Certificate(stack, `${id}Cert`, { domainName: '*.pay.example.com' }) },
    dns: { hostedZone: route53.HostedZone.fromHostedZoneId(stack, `${id}Zone`, 'Z0123456789ABCDEFGHIJ'), recordNames: ['api'] },
  }), 'WeightedCutover', /`side.dns.hostedZone` must have a known zone name \(use HostedZone.fromHostedZoneAttributes, not fromHostedZoneId\)/],
  ['datacenter: a documentation legacy IP', (id) => legacy(id, CutoverEndpoint.fromIpAddresses(['52.94.76.10', '203.0.113.11'])), PM, /`side.source.legacyEndpoint.ipAddresses\[1\]` .*documentation address.*got: "203.0.113.11"/],
  ['datacenter: a CGNAT legacy IP', (id) => legacy(id, CutoverEndpoint.fromIpAddresses(['100.100.0.1'])), PM, /`side.source.legacyEndpoint.ipAddresses\[0\]` .*carrier-grade NAT.*got: "100.100.0.1"/],
  ['datacenter: legacy IPs as one string', (id) => legacy(id, CutoverEndpoint.fromIpAddresses('52.94.76.10' as any)), 'WeightedCutover', /`side.source.legacyEndpoint.ipAddresses` must be a list \(array\) of strings, got: "52.94.76.10"/],
  ['datacenter: a legacy name with a port', (id) => legacy(id, CutoverEndpoint.fromDnsName('legacy.example.net:443')), 'WeightedCutover', /`side.source.legacyEndpoint.dnsName` must be a host name without a port/],
  ['datacenter: the legacy endpoint as attributes', (id) => legacy(id, { ipAddresses: ['52.94.76.10'] } as any), PM, /`side.source.legacyEndpoint` must be a CutoverEndpoint \(CutoverEndpoint.fromIpAddresses or CutoverEndpoint.fromDnsName\)/],
  ['datacenter: the database host with a port', (id) => datacenter(id, { source: { ...DATACENTER.source, database: { ...DATACENTER.source.database, host: 'db1.dc1.example.net:3306' } } }), 'DmsReplication',
    /`side.source.database.host` must be a host name without a port \(`host:port`\): give the port in `side.source.database.port`/],
  ['datacenter: a CDC threshold in milliseconds', (id) => datacenter(id, { replication: { cdcLatencyThreshold: Duration.millis(100) } }), 'DmsReplication', /`side.replication.cdcLatencyThreshold` must be at least 1 second.*got: "100 millis"/],
  ['datacenter: a fleet variable of the writer contract', (id) => datacenter(id, { fleet: { ...FLEET, environment: { REGION_NAME: 'eu', DB_SOURCE_HOST: '10.0.0.9' } } }), PM,
    /`side.fleet.environment.DB_SOURCE_HOST` must not be one of the variables the side sets for the single-writer contract \(DB_WRITER_PARAMETER, DB_SOURCE_HOST, .*DB_WRITER_ACK_FLEET\), got: "DB_SOURCE_HOST"/],
  ['datacenter: one instance', (id) => datacenter(id, { fleet: { ...FLEET, minCapacity: 1 } }), PM, /`side.fleet.minCapacity` must be at least 2.*got: 1/],
  ['datacenter: a VPN capacity without a VPN connection', (id) => datacenter(id, {
    source: { ...DATACENTER.source, connectivity: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0' } },
    shifting: TrafficShifting.loadBalancer({ legacyTargets: ['192.168.10.31'], vpnCapacityMbps: 500 }),
  }), PM, /`side.shifting.vpnCapacityMbps` needs `side.source.connectivity.vpnConnectionId`: the capacity gate alarms on that VPN connection's traffic.*got: 500/],
  ['datacenter: connectivity CIDRs as one string', (id) => datacenter(id, { source: { ...DATACENTER.source, connectivity: { cidrs: '192.168.0.0/16', vpnGatewayId: 'vgw-0123456789abcdef0' } } }), PM, /`side.source.connectivity.cidrs` must be a list \(array\) of strings/],
  ['datacenter: a CDC threshold as a number', (id) => datacenter(id, { replication: { cdcLatencyThreshold: 5 } }), PM, /`side.replication.cdcLatencyThreshold` must be a Duration.*got: 5/],
  ['datacenter: a writer-move poll as a number', (id) => datacenter(id, { writerMove: { pollInterval: 30 } }), PM, /`side.writerMove.pollInterval` must be a Duration.*got: 30/],
  ['datacenter: a writer-move poll of zero', (id) => datacenter(id, { writerMove: { pollInterval: Duration.seconds(0) } }), PM, /`side.writerMove.pollInterval` must be a whole number of seconds from 5 to 300, got: "0 seconds"/],
  ['datacenter: a drain timeout of zero', (id) => datacenter(id, { writerMove: { drainTimeout: Duration.seconds(0) } }), PM, /`side.writerMove.drainTimeout` must be a whole number of seconds from 60 to 3600, got: "0 seconds"/],
  ['datacenter: a drained latency in minutes', (id) => datacenter(id, { writerMove: { maxLatency: Duration.minutes(5) } }), PM, /`side.writerMove.maxLatency` must be more than 0 and at most 60 seconds, got: "5 minutes"/],
  ['datacenter: a full-load timeout of zero', (id) => datacenter(id, { replication: { fullLoadTimeout: Duration.seconds(0) } }), PM, /`side.replication.fullLoadTimeout` must be from 60 to 604800 seconds \(a timeout of zero fails at once\)/],
  ['a side made without its options', (id) => migration(id, MigrationSide.targetRegion(undefined as any)), PM, /`side` must be given its options \(`MigrationSide.targetRegion\(\{ … \}\)`\), got: undefined/],
  ['datacenter: the database secret as an ARN', (id) => datacenter(id, { source: { ...DATACENTER.source, database: { ...DATACENTER.source.database, secret: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:x-AbCdEf' } } }), PM,
    /`side.source.database.secret` must be an object, got: "arn:aws:secretsmanager:/],
];

const controls: Control[] = [
  ['a target side with the seed values and a wildcard certificate for the zone', (id) => target(id, {
    fleet: { ...FLEET, certificate: new acm.Certificate(stack, `${id}Cert`, { domainName: '*.pay.example.com' }) },
  })],
  ['a target side with an acknowledged short bake', (id) => target(id, { cutover: { bakeTime: Duration.minutes(1), allowBakeShorterThanAlarms: true } })],
  ['a datacenter side with public legacy IPs and two instances', (id) => datacenter(id, { fleet: { ...FLEET, minCapacity: 2 } })],
  ['a datacenter side whose load balancer may use 500 Mbps of its VPN connection', (id) => datacenter(id, {
    shifting: TrafficShifting.loadBalancer({ legacyTargets: ['192.168.10.31'], vpnCapacityMbps: 500 }),
  })],
];

describe('PaymentMigration, all three kinds of side: bad input is refused at synth time with the prop as typed (side.…)', () => {
  test.each(rows)('%s', (...row) => expectRefused(stack, row as Row));
});

describe('PaymentMigration: valid sides near the limits are accepted', () => {
  test.each(controls)('%s', (...control) => expectAccepted(control as Control));
});
