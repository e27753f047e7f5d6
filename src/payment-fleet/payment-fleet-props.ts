import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PaymentProcessorImage } from './container-image';
import { AlarmOptions, ConstructBaseOptions, LogRetentionOptions } from '../construct-options';

/**
 * The target group's health check of the payment processor (HTTPS on `targetPort`, which the host maps to the container port).
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
export interface PaymentFleetHealthCheck {
  /**
   * The path the load balancer requests; it must start with `/`.
   *
   * @default '/health'
   */
  readonly path?: string;
  /**
   * Consecutive successes before an unhealthy target is healthy again, 2–10.
   *
   * @default 2
   */
  readonly healthyThresholdCount?: number;
  /**
   * Consecutive failures before a target is unhealthy, 2–10.
   *
   * @default 3
   */
  readonly unhealthyThresholdCount?: number;
  /**
   * Time between checks, 5–300 s, greater than `timeout`.
   *
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * Time without a response that fails a check, 2–120 s, less than `interval`.
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;
}

/**
 * The fleet's image, ports, size and environment: what `PaymentMigration` takes as `side.fleet` (with a certificate).
 */
export interface PaymentFleetOptions {
  /** The payment processor's container image. */
  readonly image: PaymentProcessorImage;

  /**
   * The port the container serves HTTPS on, inside the container (a self-signed certificate is fine: the load
   * balancer does not validate target certificates). The host publishes it on `targetPort`. 1–65535, never 22.
   *
   * @default 8443
   */
  readonly containerPort?: number;

  /**
   * The port the load balancer sends HTTPS to on the instances: the target group's port and its health check's,
   * mapped by the host to `containerPort` (`docker run --publish <targetPort>:<containerPort>`). 1–65535, never 22.
   *
   * @default 443 (the target group is HTTPS on 443)
   */
  readonly targetPort?: number;

  /**
   * The instance type: the first choice of the Auto Scaling group's mixed-instances policy.
   *
   * @default ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM)
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * The minimum number of instances: at least 1, and at least the healthy-hosts threshold, so at least 2 unless
   * `healthyHostAlarmThreshold` is set (a smaller, non-production fleet says so explicitly). Inside `PaymentMigration`,
   * which keeps the threshold at 2, always at least 2.
   *
   * @default 2
   */
  readonly minCapacity?: number;

  /**
   * The maximum number of instances.
   *
   * @default 6
   */
  readonly maxCapacity?: number;

  /**
   * Extra environment variables of the container. Names must be shell-style identifiers and must not be one of
   * the variables this construct sets (`DB_WRITER_ENDPOINT`, `DB_READER_ENDPOINT`, `DB_SECRET_ARN`,
   * `PARAMETER_NAMES`). Never put secrets here: they would be readable in the launch template.
   *
   * @default - none (in `MigrationSide.datacenterToAws`, the side adds the single-writer contract's variables, which
   * this prop must not name: `DB_WRITER_PARAMETER`, `DB_SOURCE_HOST`, `DB_SOURCE_PORT`, `DB_SOURCE_SECRET_ARN`,
   * `DB_TARGET_ENDPOINT`, `DB_TARGET_PORT`, `DB_WRITER_ACK_TABLE` and `DB_WRITER_ACK_FLEET`)
   */
  readonly environment?: { [key: string]: string };
}

/**
 * Properties for {@link PaymentFleet}.
 *
 * Here `encryptionKey` encrypts the EBS volumes, the container and WAF log groups and the notification topic (a key
 * given must let the EC2 Auto Scaling service-linked role, CloudWatch Logs and CloudWatch alarm actions use it);
 * `logRetention` keeps the container and WAF logs; `removalPolicy` governs the key, the log groups and the access-log
 * bucket created here (with `RemovalPolicy.DESTROY` the bucket is emptied first: aws-cdk-lib's `autoDeleteObjects`,
 * one custom-resource function per stack); `createOutputs` adds the load balancer's DNS name and the Auto Scaling
 * group's name.
 */
export interface PaymentFleetProps extends PaymentFleetOptions, ConstructBaseOptions, AlarmOptions, LogRetentionOptions {
  /** The VPC, e.g. `RegionalNetwork.vpc`. */
  readonly vpc: ec2.IVpc;

  /**
   * Where the internet-facing load balancer goes, e.g. `RegionalNetwork.publicSubnets`.
   *
   * @default - the VPC's public subnets
   */
  readonly publicSubnets?: ec2.SubnetSelection;

  /**
   * Where the instances go (one AZ each, spread over all of them), e.g. `RegionalNetwork.privateSubnets`.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly applicationSubnets?: ec2.SubnetSelection;

  /**
   * The database writer endpoint (e.g. the Aurora global writer endpoint), passed as `DB_WRITER_ENDPOINT`.
   *
   * @default - not set
   */
  readonly databaseWriterEndpoint?: string;

  /**
   * The database reader endpoint, passed as `DB_READER_ENDPOINT`.
   *
   * @default - not set
   */
  readonly databaseReaderEndpoint?: string;

  /**
   * The database credentials. The instance role may read this secret (and decrypt it with its key); the
   * container gets its ARN as `DB_SECRET_ARN`, never its value.
   *
   * @default - no secret
   */
  readonly databaseSecret?: secretsmanager.ISecret;

  /**
   * SSM parameter names (`/payments/config` or `payments-config`) the instances may read with
   * `ssm:GetParameter(s)`; passed comma-separated as `PARAMETER_NAMES`.
   *
   * @default - none
   */
  readonly parameterNames?: string[];

  /**
   * The AMI. Amazon Linux 2 reaches end of support on 2026-06-30: passing it adds a warning
   * (`cdk-payment-migration:amazonLinux2EndOfSupport`) when it can be recognised.
   * The user data needs `dnf` or `yum`, systemd and the AWS CLI (Amazon Linux has all three).
   *
   * @default ec2.MachineImage.latestAmazonLinux2023()
   */
  readonly machineImage?: ec2.IMachineImage;

  /**
   * Further instance types, in order of preference, that the Auto Scaling group launches when `instanceType` has no
   * capacity in an Availability Zone (a prioritized, all On-Demand mixed-instances policy; AWS Control Tower
   * CT.AUTOSCALING.PR.6). They must run the same AMI (same architecture) and fit the payment processor.
   *
   * @default - the AMD variant of the same size for the Intel families t3, m5, c5, r5, m6i, c6i, r6i, m7i, c7i and r7i
   * (t3.medium → t3a.medium); none for any other family (then a warning: the group has one instance type)
   */
  readonly fallbackInstanceTypes?: ec2.InstanceType[];

  /**
   * The size of the encrypted gp3 root volume, in GiB.
   *
   * @default 30
   */
  readonly rootVolumeSize?: number;

  /**
   * The IMDSv2 response hop limit, 1–64. Containers in bridge networking are one hop further away than the host,
   * so they need 2 to reach the instance role's credentials.
   *
   * @default 2
   */
  readonly httpPutResponseHopLimit?: number;

  /**
   * The initial number of instances, between `minCapacity` and `maxCapacity`.
   *
   * @default - `minCapacity`
   */
  readonly desiredCapacity?: number;

  /**
   * How long a new instance has before failed ELB health checks get it replaced. Must be positive.
   *
   * @default Duration.seconds(300)
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * The time between scaling activities.
   *
   * @default Duration.seconds(300)
   */
  readonly cooldown?: Duration;

  /**
   * The average CPU utilisation (percent, 1–100) the target-tracking policy keeps.
   *
   * @default 60
   */
  readonly targetCpuUtilization?: number;

  /**
   * The requests per target per minute the target-tracking policy keeps (ALBRequestCountPerTarget).
   *
   * @default 1000
   */
  readonly targetRequestsPerTarget?: number;

  /**
   * How long CloudFormation waits for a new instance to report its container healthy (at creation and during a
   * rolling update) before rolling back.
   *
   * @default Duration.minutes(15)
   */
  readonly signalTimeout?: Duration;

  /**
   * The topic Auto Scaling notifies of launches, terminations and failures.
   *
   * @default - a new topic encrypted with `encryptionKey` that accepts TLS requests only
   */
  readonly notificationTopic?: sns.ITopic;

  /**
   * The listener's certificate, in this stack's region. Give either this or `domainName` and `hostedZone`.
   *
   * @default - one is created from `domainName` and `hostedZone`
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The domain name of a certificate to create, validated through DNS in `hostedZone`.
   *
   * @default - `certificate` is used
   */
  readonly domainName?: string;

  /**
   * The hosted zone that validates a certificate for `domainName`.
   *
   * @default - `certificate` is used
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * The HTTPS listener's security policy. Policies that allow TLS 1.0 or 1.1 (including `SslPolicy.RECOMMENDED`,
   * the 2016 policy) are rejected (PCI DSS 4.2.1).
   *
   * @default elbv2.SslPolicy.RECOMMENDED_TLS
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * The target group's health check.
   *
   * @default - `/health`, healthy 2, unhealthy 3, every 30 s, timeout 5 s
   */
  readonly healthCheck?: PaymentFleetHealthCheck;

  /**
   * How long the load balancer lets in-flight requests finish on a deregistering target, 0–3600 s.
   *
   * @default Duration.seconds(60)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * The bucket for the load balancer's access logs, in this stack's region. ALB access logs support only
   * SSE-S3 (Amazon S3-managed keys) default encryption, not SSE-KMS: a KMS-encrypted bucket receives no logs.
   *
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
   * @default - a new SSE-S3 bucket: versioned, public access blocked, TLS only, logs expired after `accessLogRetention`
   */
  readonly accessLogBucket?: s3.IBucket;

  /**
   * How long access logs are kept in the bucket created here; at least 365 days (PCI DSS 10.5.1).
   *
   * @default Duration.days(400)
   */
  readonly accessLogRetention?: Duration;

  /**
   * Attach a new WAF web ACL with the AWS managed rule groups (common, known bad inputs, IP reputation, SQL
   * injection), logging to CloudWatch Logs. Turning it off leaves the load balancer without WAF (PCI DSS 6.4.2):
   * cdk-nag will report it.
   *
   * @default true
   */
  readonly webAcl?: boolean;

  /**
   * An existing REGIONAL web ACL to associate instead of creating one.
   *
   * @default - a new web ACL, unless `webAcl` is false
   */
  readonly webAclArn?: string;

  /**
   * Protect the load balancer from deletion. Turn off for stacks that must be torn down completely.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * The healthy-host alarm fires when fewer targets than this are healthy for 2 minutes.
   *
   * @default 2
   */
  readonly healthyHostAlarmThreshold?: number;

  /**
   * The 5xx alarm fires when target 5xx responses exceed this percentage of requests for 3 minutes: at least 0.1
   * (5 means 5 %) and below 100.
   *
   * @default 1
   */
  readonly max5xxPercent?: number;

  /**
   * The latency alarm fires when the p99 target response time exceeds this for 3 minutes.
   *
   * @default Duration.seconds(1)
   */
  readonly maxP99ResponseTime?: Duration;
}
