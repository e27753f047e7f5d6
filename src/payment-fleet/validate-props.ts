import { Duration, Token } from 'aws-cdk-lib';
import { SslPolicy } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { IConstruct } from 'constructs';
import type { PaymentFleetProps } from './payment-fleet-props';
import { checkHostName } from '../private/host-names';
import { checkInteger, checkPercentage } from '../private/number-rules';
import { checkAlarmActionsRegion, checkLogRetention, checkSameRegion, known, literalRegion, Validator } from '../private/validation';

/** The healthy-hosts alarm's threshold when `healthyHostAlarmThreshold` is not given. */
export const DEFAULT_HEALTHY_HOST_THRESHOLD = 2;
/** The load balancer's idle timeout (the aws-cdk-lib default): a slower response is cut off as a 504. */
const IDLE_TIMEOUT_SECONDS = 60;

/** Every regional resource the fleet uses is in the stack's region. @internal */
export function checkPaymentFleetRegions(v: Validator, scope: IConstruct, props: PaymentFleetProps): void {
  const local = 'KMS keys are regional';
  checkSameRegion(v, scope, 'encryptionKey', props.encryptionKey, props.encryptionKey?.keyArn, `${local}: the volumes, log group and topic use keys of their own region`);
  checkSameRegion(v, scope, 'notificationTopic', props.notificationTopic, props.notificationTopic?.topicArn, 'Auto Scaling notifies topics of its own region');
  checkSameRegion(v, scope, 'databaseSecret', props.databaseSecret, props.databaseSecret?.secretArn, 'the instances read the secret in their own region');
  checkSameRegion(v, scope, 'databaseSecret.encryptionKey', props.databaseSecret?.encryptionKey, props.databaseSecret?.encryptionKey?.keyArn, `${local}: a secret is encrypted with a key of its own region`);
  checkSameRegion(v, scope, 'certificate', props.certificate, props.certificate?.certificateArn, 'a load balancer uses certificates of its own region');
  checkAlarmActionsRegion(v, 'alarmActions', props.alarmActions, literalRegion(scope));
  checkSameRegion(v, scope, 'accessLogBucket', props.accessLogBucket, undefined, 'a load balancer delivers access logs to a bucket of its own region');
  checkSameRegion(v, scope, 'webAclArn', undefined, props.webAclArn, 'a REGIONAL web ACL protects load balancers of its own region only');
}

/** What almost looks like an image reference: a scheme, spaces, upper case in the repository path. */
function imageUriProblem(uri: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return 'must be an image reference without a scheme (`registry/repository:tag`, not `https://…`): docker pulls references, not URLs';
  if (/\s/.test(uri) || uri.length === 0) return 'must be an image reference without spaces (`registry/repository:tag`)';
  const name = uri.split('@')[0];
  const tagAt = name.indexOf(':', name.lastIndexOf('/') + 1);
  const parts = (tagAt >= 0 ? name.slice(0, tagAt) : name).split('/');
  const path = (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]) ? parts.slice(1) : parts).join('/');
  if (path !== path.toLowerCase()) return 'must have a lower-case repository path (docker refuses upper case)';
  if (uri.endsWith(':') || uri.endsWith('@')) return 'must end with a tag or a digest, not `:` or `@`';
  return undefined;
}

/** The variables the construct sets itself. */
export const RESERVED_ENVIRONMENT = ['DB_WRITER_ENDPOINT', 'DB_READER_ENDPOINT', 'DB_SECRET_ARN', 'PARAMETER_NAMES'];

/** Security policies that negotiate TLS 1.2 at least. */
const STRONG_TLS_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|FS-1-2|TLS-1-2)-/;

/** The capacity the construct will use, after defaults. */
export interface FleetCapacity {
  readonly min: number;
  readonly max: number;
  readonly desired: number;
}

/**
 * Validates PaymentFleet props; `region` is the stack's region when known.
 * @internal
 */
export function validatePaymentFleetProps(
  v: Validator,
  props: PaymentFleetProps,
  capacity: FleetCapacity,
  region: string | undefined,
): void {
  // --- Region: ALB access logs need the region's log-delivery principal at synth time
  v.check(region !== undefined, 'env.region', 'must be set on the stack: ALB access-log delivery is region specific', region);

  // --- Capacity
  const { min, max, desired } = capacity;
  checkInteger(v, 'minCapacity', min, 1, Infinity, 'must be an integer of at least 1');
  if (known(min)) checkInteger(v, 'maxCapacity', max, min, Infinity, `must be an integer of at least minCapacity (${min})`);
  if (known(min) && known(max)) checkInteger(v, 'desiredCapacity', desired, min, max, `must be an integer between minCapacity (${min}) and maxCapacity (${max})`);

  // --- Container
  if (known(props.image.imageUri)) {
    const problem = imageUriProblem(props.image.imageUri);
    if (problem) v.fail('image', problem, props.image.imageUri);
  }
  checkHostName(v, 'databaseWriterEndpoint', props.databaseWriterEndpoint);
  checkHostName(v, 'databaseReaderEndpoint', props.databaseReaderEndpoint);
  checkInteger(v, 'containerPort', props.containerPort, 1, 65535, 'must be an integer between 1 and 65535');
  v.check(props.containerPort !== 22, 'containerPort', 'must not be 22 (no SSH on the fleet: use Session Manager)', props.containerPort);
  for (const [key, value] of Object.entries(props.environment ?? {})) {
    v.check(/^[A-Za-z_][A-Za-z0-9_]*$/.test(key), `environment.${key}`, 'must be named like a shell variable ([A-Za-z_][A-Za-z0-9_]*)', key);
    v.check(!RESERVED_ENVIRONMENT.includes(key), `environment.${key}`, `must not be one of the variables set by the construct (${RESERVED_ENVIRONMENT.join(', ')})`, key);
    v.checkKnown(`environment.${key}`, value, (x) => !/[\r\n]/.test(x), 'must be a single line');
  }
  (props.parameterNames ?? []).forEach((name, i) => {
    v.checkKnown(`parameterNames[${i}]`, name, (x) => /^\/?[A-Za-z0-9_.\-/]+$/.test(x) && !x.startsWith('arn:'),
      'must be an SSM parameter name such as /payments/config (not an ARN, no wildcards)');
  });

  // --- Instances
  checkInteger(v, 'httpPutResponseHopLimit', props.httpPutResponseHopLimit, 1, 64, 'must be an integer between 1 and 64');
  checkInteger(v, 'rootVolumeSize', props.rootVolumeSize, 8, 16384, 'must be an integer number of GiB between 8 and 16384');
  checkDuration(v, 'healthCheckGracePeriod', props.healthCheckGracePeriod, (s) => s > 0, 'must be positive: ELB health checks would replace instances before the container starts');
  checkDuration(v, 'signalTimeout', props.signalTimeout, (s) => s >= 60 && s <= 43200, 'must be between 1 minute and 12 hours');
  checkPercentage(v, 'targetCpuUtilization', props.targetCpuUtilization, 70, 'would scale the fleet to its maximum');
  checkInteger(v, 'targetRequestsPerTarget', props.targetRequestsPerTarget, 1, Infinity, 'must be a positive integer');

  // --- Certificate: exactly one source, in this region
  const hasCert = props.certificate !== undefined;
  const hasDomain = props.domainName !== undefined || props.hostedZone !== undefined;
  if (hasCert && hasDomain) {
    v.fail('certificate', `must not be given together with \`${v.name('domainName')}\`/\`${v.name('hostedZone')}\`: give one or the other`, 'both');
  } else if (!hasCert && !hasDomain) {
    v.fail('certificate', `or \`${v.name('domainName')}\` and \`${v.name('hostedZone')}\` must be given: the HTTPS listener needs a certificate`, undefined);
  } else if (hasDomain) {
    v.check(props.domainName !== undefined, 'domainName', `must be given with \`${v.name('hostedZone')}\``, props.domainName);
    v.check(props.hostedZone !== undefined, 'hostedZone', `must be given with \`${v.name('domainName')}\` (it validates the certificate through DNS)`, undefined);
  }
  if (hasDomain && props.domainName !== undefined && known(props.domainName) && props.hostedZone !== undefined) {
    const zone = props.hostedZone.zoneName;
    if (typeof zone === 'string' && !Token.isUnresolved(zone)) {
      const z = zone.toLowerCase().replace(/\.$/, '');
      const d = props.domainName.toLowerCase().replace(/\.$/, '');
      v.check(d === z || d.endsWith(`.${z}`), 'domainName', `must be inside \`hostedZone\` (${z}): the certificate is validated through a DNS record in that zone`, props.domainName);
    }
  }
  if (props.sslPolicy !== undefined) {
    v.check(
      STRONG_TLS_POLICY.test(props.sslPolicy) && props.sslPolicy !== SslPolicy.RECOMMENDED,
      'sslPolicy',
      'must allow TLS 1.2 or later only (PCI DSS 4.2.1), e.g. SslPolicy.RECOMMENDED_TLS or SslPolicy.TLS13_13',
      props.sslPolicy,
    );
  }

  // --- Target group health check
  const hc = props.healthCheck ?? {};
  v.checkKnown('healthCheck.path', hc.path, (x) => x.startsWith('/'), 'must start with /');
  const interval = seconds(hc.interval);
  const timeout = seconds(hc.timeout);
  for (const [key, s, low, high] of [['interval', interval, 5, 300], ['timeout', timeout, 2, 120]] as const) {
    if (s === undefined) continue;
    v.check(s >= low && s <= high, `healthCheck.${key}`, `must be between ${low} and ${high} seconds`, s);
    v.check(Number.isInteger(s), `healthCheck.${key}`, 'must be a whole number of seconds', s);
  }
  const effectiveInterval = interval ?? (hc.interval ? undefined : 30);
  const effectiveTimeout = timeout ?? (hc.timeout ? undefined : 5);
  if (effectiveInterval !== undefined && effectiveTimeout !== undefined) {
    v.check(effectiveTimeout < effectiveInterval, 'healthCheck.timeout', `must be less than healthCheck.interval (${effectiveInterval} s)`, effectiveTimeout);
  }
  for (const key of ['healthyThresholdCount', 'unhealthyThresholdCount'] as const) {
    checkInteger(v, `healthCheck.${key}`, hc[key], 2, 10, 'must be an integer between 2 and 10');
  }
  checkDuration(v, 'deregistrationDelay', props.deregistrationDelay, (s) => s >= 0 && s <= 3600, 'must be between 0 and 3600 seconds');

  // --- Logs, WAF, alarms
  checkDuration(v, 'accessLogRetention', props.accessLogRetention, (s) => s >= 365 * 86400, 'must keep access logs at least 365 days (PCI DSS 10.5.1)', 'days');
  if (props.accessLogBucket && props.accessLogRetention) {
    v.fail('accessLogRetention', `applies only to the bucket created here, not to \`${v.name('accessLogBucket')}\``, props.accessLogRetention.toDays({ integral: false }));
  }
  checkLogRetention(v, 'logRetention', props.logRetention, 'logs');
  if (props.webAcl === false && props.webAclArn !== undefined) {
    v.fail('webAclArn', 'must not be given with `webAcl: false`', props.webAclArn);
  }
  v.checkKnown('webAclArn', props.webAclArn, (x) => /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+/.test(x),
    'must be the ARN of a REGIONAL WAFv2 web ACL');
  if (props.healthyHostAlarmThreshold !== undefined && known(props.healthyHostAlarmThreshold)) {
    v.check(Number.isInteger(props.healthyHostAlarmThreshold) && props.healthyHostAlarmThreshold >= 1, 'healthyHostAlarmThreshold', 'must be an integer of at least 1', props.healthyHostAlarmThreshold);
    if (known(min)) {
      v.check(props.healthyHostAlarmThreshold <= min, 'healthyHostAlarmThreshold', `must be at most minCapacity (${min}), or the alarm fires at rest`, props.healthyHostAlarmThreshold);
    }
  } else if (props.healthyHostAlarmThreshold === undefined && known(min) && Number.isInteger(min) && min >= 1) {
    // Decided: refuse rather than derive. A fleet below the default threshold would sit in ALARM at rest (no cutover
    // could start, Route 53 would mark it unhealthy); a single-instance fleet must say so explicitly.
    v.check(
      min >= DEFAULT_HEALTHY_HOST_THRESHOLD,
      'minCapacity',
      `must be at least the healthy-hosts alarm's default threshold (${DEFAULT_HEALTHY_HOST_THRESHOLD}), or that alarm is in ALARM at rest: ` +
        `no cutover could ever start and Route 53 would mark the fleet unhealthy. Keep ${DEFAULT_HEALTHY_HOST_THRESHOLD} instances (one per AZ), ` +
        `or set \`healthyHostAlarmThreshold: ${min}\` explicitly for a smaller (non-production) fleet`,
      min,
    );
  }
  if (known(props.max5xxPercent)) {
    v.check(props.max5xxPercent > 0 && props.max5xxPercent < 100, 'max5xxPercent', 'must be a percentage above 0 and below 100', props.max5xxPercent);
    v.check(
      !(props.max5xxPercent > 0 && props.max5xxPercent < 0.1),
      'max5xxPercent',
      'must be a percentage (5 means 5 %), at least 0.1: a value below 0.1 reads as a fraction (0.05 for 5 %), and would roll a cutover back on a single error',
      props.max5xxPercent,
    );
  }
  checkDuration(v, 'maxP99ResponseTime', props.maxP99ResponseTime, (s) => s >= 0.001, 'must be at least 1 millisecond', 'millis');
  checkDuration(
    v,
    'maxP99ResponseTime',
    props.maxP99ResponseTime,
    (s) => s <= IDLE_TIMEOUT_SECONDS,
    `must be at most ${IDLE_TIMEOUT_SECONDS} seconds, the load balancer's idle timeout: a slower response is cut off (504), so the metric never reaches the threshold (milliseconds meant? use Duration.millis)`,
    'millis',
  );
}

type Unit = 'seconds' | 'days' | 'millis';

function seconds(d: Duration | undefined): number | undefined {
  return d !== undefined && !d.isUnresolved() ? d.toSeconds({ integral: false }) : undefined;
}

function checkDuration(v: Validator, prop: string, d: Duration | undefined, ok: (s: number) => boolean, rule: string, unit: Unit = 'seconds'): void {
  const s = seconds(d);
  if (d === undefined || s === undefined) {
    return;
  }
  const shown = unit === 'days' ? `${d.toDays({ integral: false })} days` : unit === 'millis' ? `${d.toMilliseconds({ integral: false })} ms` : `${s} s`;
  if (unit === 'seconds' && !Number.isInteger(s)) {
    // the load balancer and Auto Scaling take whole seconds (milliseconds meant as seconds?)
    v.fail(prop, 'must be a whole number of seconds', shown);
    return;
  }
  v.check(ok(s), prop, rule, shown);
}
