import { Duration, Fn } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { PaymentFleet, PaymentFleetProps, PaymentProcessorImage } from '../../src';
import { ACCOUNT, AZS, Control, expectAccepted, expectRefused, foreignKey, foreignTopic, newStack, nextId, OTHER_REGION, REGION, Row } from '../support/bad-input';

// GIVEN one stack in eu-west-1 with one VPC, shared by every row
const stack = newStack('Fleet');
const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: AZS, restrictDefaultSecurityGroup: false });
const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`);
const image = (uri: string) => PaymentProcessorImage.fromRegistry(uri);

function fleet(id: string, props: Partial<PaymentFleetProps> | Record<string, unknown>): PaymentFleet {
  return new PaymentFleet(stack, id, { vpc, image: image('public.ecr.aws/acme/payment-processor:2024.06.1'), certificate, ...props } as PaymentFleetProps);
}

const F = 'PaymentFleet';
const rows: Row[] = [
  // --- Region mismatches: every regional resource is the stack's
  ['a key from another region', (id) => fleet(id, { encryptionKey: foreignKey(stack) }), F, /`encryptionKey` must be in the stack's region eu-west-1 \(KMS keys are regional.*\), not us-east-1, got: "arn:aws:kms:us-east-1:/],
  ['a notification topic from another region', (id) => fleet(id, { notificationTopic: foreignTopic(stack) }), F, /`notificationTopic` must be in the stack's region eu-west-1 \(Auto Scaling notifies topics of its own region\), not us-east-1, got: "arn:aws:sns:us-east-1:/],
  ['a certificate from us-east-1 (CloudFront\'s region)', (id) => fleet(id, { certificate: acm.Certificate.fromCertificateArn(stack, nextId('Cert'), `arn:aws:acm:${OTHER_REGION}:${ACCOUNT}:certificate/abc`) }), F,
    /`certificate` must be in the stack's region eu-west-1 \(a load balancer uses certificates of its own region\), not us-east-1/],
  ['a regional web ACL of another region', (id) => fleet(id, { webAclArn: `arn:aws:wafv2:${OTHER_REGION}:${ACCOUNT}:regional/webacl/payments/abc` }), F,
    /`webAclArn` must be in the stack's region eu-west-1 \(a REGIONAL web ACL protects load balancers of its own region only\), not us-east-1/],
  ['a CloudFront (global) web ACL', (id) => fleet(id, { webAclArn: `arn:aws:wafv2:${OTHER_REGION}:${ACCOUNT}:global/webacl/payments/abc` }), F, /`webAclArn` must be the ARN of a REGIONAL WAFv2 web ACL/],
  ['an access-log bucket of another region', (id) => fleet(id, { accessLogBucket: s3.Bucket.fromBucketAttributes(stack, nextId('B'), { bucketName: 'payments-alb-logs', region: OTHER_REGION }) }), F,
    /`accessLogBucket` must be in the stack's region eu-west-1 \(a load balancer delivers access logs to a bucket of its own region\), not us-east-1/],
  ['an alarm action on a topic of another region', (id) => fleet(id, { alarmActions: [new actions.SnsAction(foreignTopic(stack))] }), F, /`alarmActions\[0\]` must notify a topic in the stack's region eu-west-1.*not us-east-1/],
  ['a database secret from another region', (id) => fleet(id, { databaseSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, nextId('S'), `arn:aws:secretsmanager:${OTHER_REGION}:${ACCOUNT}:secret:app-AbCdEf`) }), F,
    /`databaseSecret` must be in the stack's region eu-west-1 .*not us-east-1/],
  ['a database secret whose key is in another region', (id) => fleet(id, {
    databaseSecret: secretsmanager.Secret.fromSecretAttributes(stack, nextId('S'), { secretCompleteArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:app-AbCdEf`, encryptionKey: foreignKey(stack) }),
  }), F, /`databaseSecret.encryptionKey` must be in the stack's region eu-west-1 .*not us-east-1/],

  // --- Strings that are almost right
  ['an image URI with https://', (id) => fleet(id, { image: image('https://public.ecr.aws/acme/payment-processor:1') }), F, /`image` must be an image reference without a scheme.*got: "https:\/\/public.ecr.aws\/acme\/payment-processor:1"/],
  ['an image URI with upper case', (id) => fleet(id, { image: image('public.ecr.aws/Acme/Payment-Processor:1') }), F, /`image` must have a lower-case repository path.*got: "public.ecr.aws\/Acme\/Payment-Processor:1"/],
  ['an image URI with a space', (id) => fleet(id, { image: image('public.ecr.aws/acme/payment-processor :1') }), F, /`image` must be an image reference without spaces/],
  ['an image URI ending with a colon', (id) => fleet(id, { image: image('public.ecr.aws/acme/payment-processor:') }), F, /`image` must end with a tag or a digest/],
  ['a writer endpoint with a port', (id) => fleet(id, { databaseWriterEndpoint: 'payments.cluster-abc.eu-west-1.rds.amazonaws.com:3306' }), F, /`databaseWriterEndpoint` must be a host name without a port \(`host:port`\), got: "payments.cluster-abc.eu-west-1.rds.amazonaws.com:3306"/],
  ['a reader endpoint with a scheme', (id) => fleet(id, { databaseReaderEndpoint: 'mysql://payments.cluster-ro-abc.eu-west-1.rds.amazonaws.com' }), F, /`databaseReaderEndpoint` must be a host name, without a scheme/],
  ['a certificate domain outside its zone', (id) => fleet(id, {
    certificate: undefined, domainName: 'api.pay.exmaple.com', hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, nextId('Z'), { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'pay.example.com' }),
  }), F, /`domainName` must be inside `hostedZone` \(pay.example.com\): the certificate is validated through a DNS record in that zone, got: "api.pay.exmaple.com"/],
  ['a health-check path without /', (id) => fleet(id, { healthCheck: { path: 'health' } }), F, /`healthCheck.path` must start with \/, got: "health"/],
  ['a parameter ARN where a name is asked', (id) => fleet(id, { parameterNames: [`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/payments/config`] }), F, /`parameterNames\[0\]` must be an SSM parameter name/],

  // --- Units and scales
  ['a CPU target as a fraction', (id) => fleet(id, { targetCpuUtilization: 0.7 }), F, /`targetCpuUtilization` must be a percentage \(70 means 70 %\), at least 1: a value below 1 reads as a fraction.*got: 0.7/],
  ['a CPU target above 100', (id) => fleet(id, { targetCpuUtilization: 120 }), F, /`targetCpuUtilization` must be a percentage above 0 and at most 100, got: 120/],
  ['a 5xx threshold as a fraction', (id) => fleet(id, { max5xxPercent: 0.05 }), F, /`max5xxPercent` must be a percentage \(5 means 5 %\), at least 0.1: a value below 0.1 reads as a fraction.*got: 0.05/],
  ['a 5xx threshold the metric cannot reach', (id) => fleet(id, { max5xxPercent: 150 }), F, /`max5xxPercent` must be a percentage above 0 and below 100, got: 150/],
  ['a p99 latency in seconds meant as milliseconds', (id) => fleet(id, { maxP99ResponseTime: Duration.seconds(500) }), F, /`maxP99ResponseTime` must be at most 60 seconds, the load balancer's idle timeout.*milliseconds meant\? use Duration.millis.*got: "500000 ms"/],
  ['a p99 latency of minutes', (id) => fleet(id, { maxP99ResponseTime: Duration.minutes(2) }), F, /`maxP99ResponseTime` must be at most 60 seconds.*got: "120000 ms"/],
  ['a p99 latency under a millisecond', (id) => fleet(id, { maxP99ResponseTime: Duration.millis(0) }), F, /`maxP99ResponseTime` must be at least 1 millisecond, got: "0 ms"/],
  ['one instance with the default healthy-hosts threshold (2)', (id) => fleet(id, { minCapacity: 1 }), F,
    /`minCapacity` must be at least the healthy-hosts alarm's default threshold \(2\), or that alarm is in ALARM at rest.*`healthyHostAlarmThreshold: 1`.*got: 1/],
  ['a healthy-hosts threshold above the minimum', (id) => fleet(id, { minCapacity: 2, healthyHostAlarmThreshold: 3 }), F, /`healthyHostAlarmThreshold` must be at most minCapacity \(2\), or the alarm fires at rest, got: 3/],
  ['a health-check timeout of the interval', (id) => fleet(id, { healthCheck: { interval: Duration.seconds(10), timeout: Duration.seconds(10) } }), F, /`healthCheck.timeout` must be less than healthCheck.interval \(10 s\), got: 10/],
  ['a deregistration delay in milliseconds', (id) => fleet(id, { deregistrationDelay: Duration.millis(300) }), F, /`deregistrationDelay` must be a whole number of seconds, got: "0.3 s"/],
  ['a health-check interval in milliseconds', (id) => fleet(id, { healthCheck: { interval: Duration.millis(30) } }), F, /`healthCheck.interval` must be between 5 and 300 seconds, got: 0.03\n- `healthCheck.interval` must be a whole number of seconds, got: 0.03/],
  ['a grace period of zero', (id) => fleet(id, { healthCheckGracePeriod: Duration.seconds(0) }), F, /`healthCheckGracePeriod` must be positive.*got: "0 s"/],
  ['SSH as the container port', (id) => fleet(id, { containerPort: 22 }), F, /`containerPort` must not be 22.*got: 22/],
  ['a retention for a bucket given by the user', (id) => fleet(id, { accessLogBucket: s3.Bucket.fromBucketName(stack, nextId('B'), 'payments-alb-logs'), accessLogRetention: Duration.days(400) }), F,
    /`accessLogRetention` applies only to the bucket created here, not to `accessLogBucket`, got: 400/],
  ['access logs kept 90 days', (id) => fleet(id, { accessLogRetention: Duration.days(90) }), F, /`accessLogRetention` must keep access logs at least 365 days.*got: "90 days"/],

  // --- Plain JavaScript callers
  ['the image as a string', (id) => fleet(id, { image: 'public.ecr.aws/acme/payment-processor:1' as any }), F, /`image` must be an object, got: "public.ecr.aws\/acme\/payment-processor:1"/],
  ['no image', (id) => fleet(id, { image: undefined }), F, /`image` is required: it must be an object, got: undefined/],
  ['no VPC', (id) => fleet(id, { vpc: undefined }), F, /`vpc` is required: it must be an object, got: undefined/],
  ['the minimum as a string', (id) => fleet(id, { minCapacity: '2' as any }), F, /`minCapacity` must be a number, got: "2"/],
  ['a grace period as a number', (id) => fleet(id, { healthCheckGracePeriod: 300 as any }), F, /`healthCheckGracePeriod` must be a Duration.*got: 300/],
  ['a health-check interval as a number', (id) => fleet(id, { healthCheck: { interval: 30 as any } }), F, /`healthCheck.interval` must be a Duration.*got: 30/],
  ['parameter names as one string', (id) => fleet(id, { parameterNames: '/payments/config' as any }), F, /`parameterNames` must be a list \(array\) of strings, got: "\/payments\/config"/],
  ['the environment as a list', (id) => fleet(id, { environment: ['MODE=live'] as any }), F, /`environment` must be an object of string values \(a map\), got: \["MODE=live"\]/],
  ['an environment value that is a number', (id) => fleet(id, { environment: { PORT: 8443 } as any }), F, /`environment` must be an object of string values \(a map\), got: \{"PORT":8443\}/],
  ['WAF switched off with a string', (id) => fleet(id, { webAcl: 'false' as any }), F, /`webAcl` must be a boolean \(true or false\), got: "false"/],
  ['a latency threshold as a number of milliseconds', (id) => fleet(id, { maxP99ResponseTime: 750 as any }), F, /`maxP99ResponseTime` must be a Duration.*got: 750/],
];

const controls: Control[] = [
  ['one instance with an explicit threshold of 1', (id) => fleet(id, { minCapacity: 1, healthyHostAlarmThreshold: 1 })],
  ['the limits: CPU 1 %, 5xx 0.1 %, p99 60 s and 1 ms', (id) => {
    fleet(`${id}a`, { targetCpuUtilization: 1, max5xxPercent: 0.1, maxP99ResponseTime: Duration.seconds(60) });
    fleet(`${id}b`, { maxP99ResponseTime: Duration.millis(1) });
  }],
  ['a writer endpoint and a certificate as tokens', (id) => fleet(id, {
    databaseWriterEndpoint: Fn.importValue('GlobalWriter'),
    certificate: acm.Certificate.fromCertificateArn(stack, `${id}Cert`, Fn.importValue('CertificateArn')),
  })],
  ['a web ACL and a key of the stack\'s region', (id) => fleet(id, { webAclArn: `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/payments/abc` })],
  ['an image pinned by digest, from a registry with a port', (id) => fleet(id, { image: image(`registry.example.net:5000/acme/payment-processor@sha256:${'a'.repeat(64)}`) })],
];

describe('PaymentFleet: bad input is refused at synth time', () => {
  test.each(rows)('%s', (...row) => expectRefused(stack, row as Row));
});

describe('PaymentFleet: inputs near the limits, and tokens, are accepted', () => {
  test.each(controls)('%s', (...control) => expectAccepted(control as Control));
});
