import { isIP } from 'net';
import { Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type { IConstruct } from 'constructs';
import { validateAcceleratorShifting } from './accelerator-side';
import type { TargetRegionOptions } from './cross-region-options';
import type { DatacenterToAwsOptions } from './datacenter-options';
import type { SideOptionsByKind } from './migration-side';
import type { FleetOptions } from './side-options';
import { databasePhase } from './side-parts';
import { checkDmsGateTimings, checkWriterMoveTimings } from '../migration-orchestrator/validate-options';
import { DEFAULT_HEALTHY_HOST_THRESHOLD } from '../payment-fleet/validate-props';
import { typesOf } from '../private/assembly-types';
import { nonInternetAddressReason } from '../private/cidr';
import { ALB_CANONICAL_HOSTED_ZONE_IDS, regionOfAlbZoneId, regionOfLoadBalancerDnsName } from '../private/elb-zones';
import { checkSameRegion, checkShapes, known, Validator } from '../private/validation';
import { recordFqdn } from '../weighted-cutover/records';
import { knownZoneName } from '../weighted-cutover/validate-props';
import type { CutoverRecordsOptions } from '../weighted-cutover/weighted-cutover-props';

/** The factory of each kind of side, for messages. */
const KIND_FACTORY: Record<string, string> = { 'source-region': 'sourceRegion', 'target-region': 'targetRegion', 'datacenter-to-aws': 'datacenterToAws' };

/** The struct of each kind of side's options, checked as `side.…` (plain JavaScript and jsii callers). */
const SIDE_STRUCTS = { sourceRegion: 'SourceRegionOptions', targetRegion: 'TargetRegionOptions', datacenterToAws: 'DatacenterToAwsOptions' };

/**
 * PaymentMigration's props before anything reads them: their shapes (`name`, `side`, `alerts`, and every option of the
 * side as `side.…`). Returns false when a shape is wrong (the caller throws at once). @internal
 */
export function checkPaymentMigrationShapes(v: Validator, props: unknown): boolean {
  // `removalPolicy` has a rule of its own (validate-settings.ts), which names the RemovalPolicy values
  const { removalPolicy: _, ...shapes } = typesOf('PaymentMigrationProps');
  if (!checkShapes(v, props, shapes)) {
    return false;
  }
  const options = (props as { side: { _options?: SideOptionsByKind } }).side._options;
  if (typeof options !== 'object' || options === null) {
    v.fail('side', 'must be made by MigrationSide.sourceRegion, MigrationSide.targetRegion or MigrationSide.datacenterToAws', (props as { side: unknown }).side);
    return false;
  }
  const given = (['sourceRegion', 'targetRegion', 'datacenterToAws'] as const).filter((kind) => options[kind] !== undefined && options[kind] !== null);
  if (given.length !== 1) {
    const kind = (props as { side: { kind?: unknown } }).side.kind;
    v.fail('side', `must be given its options (\`MigrationSide.${KIND_FACTORY[String(kind)] ?? '…'}({ … })\`)`, given.length === 0 ? undefined : given);
    return false;
  }
  for (const kind of given) {
    if (!checkShapes(v, options[kind], typesOf(SIDE_STRUCTS[kind], ['fleet.image']), 'side.')) return false;
  }
  const endpoint = options.datacenterToAws?.source.legacyEndpoint as { _config?: unknown } | undefined;
  if (endpoint !== undefined && typeof endpoint._config !== 'function') {
    v.fail('side.source.legacyEndpoint', 'must be a CutoverEndpoint (CutoverEndpoint.fromIpAddresses or CutoverEndpoint.fromDnsName)', endpoint);
    return false;
  }
  return true;
}

/** What only the composition knows: the sides' parts against each other and against the stack. @internal */
export function validatePaymentMigrationSide(
  v: Validator,
  scope: IConstruct,
  options: SideOptionsByKind,
  alertsTopic: { env?: { region: string }; topicArn?: string } | undefined,
): void {
  checkSameRegion(v, scope, 'alerts.topic', alertsTopic, alertsTopic?.topicArn, 'the alarms and the cutover publish to a topic of their own region');
  checkDatabasePhase(v, options.targetRegion ?? options.datacenterToAws);
  if (options.targetRegion) {
    validateSourceLoadBalancer(v, options.targetRegion);
    validateAcceleratorShifting(v, options.targetRegion);
    validateFleetAndDns(v, options.targetRegion.fleet, options.targetRegion.dns);
  }
  if (options.datacenterToAws) {
    // the DMS gate and the writer move are made by factories, which cannot name the side's props: checked here
    checkDmsGateTimings(v, { fullLoadTimeout: options.datacenterToAws.replication?.fullLoadTimeout }, 'side.replication.');
    checkWriterMoveTimings(v, { ...options.datacenterToAws.writerMove }, 'side.writerMove.');
    validateLegacyEndpoint(v, options.datacenterToAws);
    validateFleetAndDns(v, options.datacenterToAws.fleet, options.datacenterToAws.dns);
  }
}

/** What configures the database phase is refused when the phase is turned off (`side.cutover.switchover: false`), not ignored. */
function checkDatabasePhase(v: Validator, side: TargetRegionOptions | DatacenterToAwsOptions | undefined): void {
  if (side === undefined || databasePhase(side.cutover)) return;
  v.check(
    side.cutover?.approveBeforeSwitchover !== true,
    'side.cutover.approveBeforeSwitchover',
    'needs the database phase, which `side.cutover.switchover: false` turns off: there would be nothing to approve',
    side.cutover?.approveBeforeSwitchover,
  );
  const writerMove = (side as DatacenterToAwsOptions).writerMove;
  v.check(
    writerMove === undefined || Object.values(writerMove).every((x) => x === undefined),
    'side.writerMove',
    'configures the writer move, which `side.cutover.switchover: false` turns off: it would be ignored. Remove it, or keep the database phase',
    writerMove === undefined ? undefined : Object.keys(writerMove).filter((k) => (writerMove as Record<string, unknown>)[k] !== undefined),
  );
}

/** `app/<name>/<16 hex digits>`: an Application Load Balancer's full name, the `LoadBalancer` dimension of its metrics. */
const ALB_FULL_NAME = /^app\/[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?\/[0-9a-f]{16}$/;

/** The source's load balancer: its DNS name and canonical hosted zone are those of `side.source.region`. */
function validateSourceLoadBalancer(v: Validator, t: TargetRegionOptions): void {
  const region = t.source.region;
  if (!known(region)) return;
  const dnsName = t.source.loadBalancerDnsName;
  const lbRegion = known(dnsName) ? regionOfLoadBalancerDnsName(dnsName) : undefined;
  if (lbRegion !== undefined) {
    v.check(lbRegion === region, 'side.source.loadBalancerDnsName', `must be a load balancer of the source region ${region} (\`side.source.region\`), not of ${lbRegion}`, dnsName);
  }
  const fullName = t.source.loadBalancerFullName;
  if (fullName !== undefined && known(fullName)) {
    const fromArn = /^arn:aws[a-z-]*:elasticloadbalancing:[^:]*:[^:]*:loadbalancer\/(.+)$/.exec(fullName)?.[1];
    v.check(
      ALB_FULL_NAME.test(fullName),
      'side.source.loadBalancerFullName',
      'must be the Application Load Balancer\'s full name, `app/<name>/<id>` (the LoadBalancer dimension of its CloudWatch metrics)' +
        (fromArn ? `, not its ARN: give the part after \`loadbalancer/\`, ${fromArn}` : ''),
      fullName,
    );
  }
  const zoneId = t.source.loadBalancerHostedZoneId;
  const expected = ALB_CANONICAL_HOSTED_ZONE_IDS[region];
  if (known(zoneId) && expected !== undefined) {
    const zoneRegion = regionOfAlbZoneId(zoneId);
    v.check(
      zoneId === expected,
      'side.source.loadBalancerHostedZoneId',
      `must be ${expected}, the canonical hosted zone of Application Load Balancers in ${region} (\`side.source.region\`)` +
        `${zoneRegion ? `; ${zoneId} is ${zoneRegion}'s` : ''}: Route 53 alias targets use the zone of the load balancer's own region`,
      zoneId,
    );
  }
}

/** The fleet's size against the gates the side gives it; its certificate against the record names. */
function validateFleetAndDns(v: Validator, fleet: FleetOptions, dns: CutoverRecordsOptions): void {
  const min = fleet.minCapacity;
  if (min !== undefined && known(min) && Number.isInteger(min) && min >= 1) {
    v.check(
      min >= DEFAULT_HEALTHY_HOST_THRESHOLD,
      'side.fleet.minCapacity',
      `must be at least ${DEFAULT_HEALTHY_HOST_THRESHOLD}: the side alarms (and gates the cutover) when fewer than ${DEFAULT_HEALTHY_HOST_THRESHOLD} payment processors are healthy, ` +
        'so a smaller fleet would sit in ALARM at rest and no cutover could ever start (one instance per AZ, two AZs at least)',
      min,
    );
  }
  const names = certificateNames(fleet.certificate);
  const zone = knownZoneName(dns);
  if (names === undefined || zone === undefined) return;
  dns.recordNames.forEach((name, i) => {
    // a name outside the zone is WeightedCutover's to refuse
    const fqdn = known(name) ? recordFqdn(name, zone) : undefined;
    if (fqdn === undefined) return;
    v.check(
      names.some((n) => covers(n, fqdn)),
      'side.fleet.certificate',
      `must cover ${fqdn} (\`side.dns.recordNames[${i}]\`): clients reach the fleet by that name, and the certificate names only ${names.join(', ')}`,
      names,
    );
  });
}

/** The names of a certificate created in this app (`acm.Certificate`), when literal; undefined for an imported one. */
function certificateNames(certificate: acm.ICertificate): string[] | undefined {
  const cfn = (certificate as unknown as IConstruct).node?.defaultChild;
  if (!(cfn instanceof acm.CfnCertificate)) return undefined;
  const names = [cfn.domainName, ...(cfn.subjectAlternativeNames ?? [])];
  return names.every((n) => typeof n === 'string' && !Token.isUnresolved(n)) ? names.map((n) => n.toLowerCase()) : undefined;
}

function covers(certName: string, fqdn: string): boolean {
  if (certName.startsWith('*.')) {
    const parent = certName.slice(2);
    return fqdn.endsWith(`.${parent}`) && !fqdn.slice(0, -parent.length - 1).includes('.');
  }
  return certName === fqdn;
}

/** The legacy entry point is health-checked by Route 53 from the internet: it must be reachable from there. */
function validateLegacyEndpoint(v: Validator, o: DatacenterToAwsOptions): void {
  const c = (o.source.legacyEndpoint as unknown as { _config(): { ipAddresses?: unknown } })._config();
  if (!Array.isArray(c.ipAddresses) || Token.isUnresolved(c.ipAddresses)) return;
  c.ipAddresses.forEach((ip, i) => {
    if (typeof ip !== 'string' || !known(ip) || !isIP(ip)) return;
    const reason = nonInternetAddressReason(ip);
    v.check(
      reason === undefined,
      `side.source.legacyEndpoint.ipAddresses[${i}]`,
      `must be the public address of the legacy entry point: it is ${reason}, which neither the clients moved by the weighted records ` +
        'nor Route 53 health checkers (on the internet) can reach, so the legacy side would be unhealthy from the start',
      ip,
    );
  });
}

