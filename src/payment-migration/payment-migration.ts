import { CfnOutput, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { validateDatacenterToAws, buildDatacenterToAws } from './datacenter-to-aws';
import { MigrationSide, MigrationSideKind } from './migration-side';
import { Aliases, datacenterToAwsAliases, SOURCE_REGION_ALIASES, targetRegionAliases } from './prop-aliases';
import { DatacenterToAwsResources, SourceRegionResources, TargetRegionResources } from './side-resources';
import { buildTargetRegion } from './target-region';
import { refuseTemplatePastTheLimit } from './template-limit';
import { checkPaymentMigrationShapes, validatePaymentMigrationSide } from './validate-props';
import { validateMigrationSettings } from './validate-settings';
import { AuroraGlobalCluster } from '../aurora-global-secondary/aurora-global-cluster';
import { Validator } from '../private/validation';

/**
 * Properties for {@link PaymentMigration}.
 */
export interface PaymentMigrationProps {
  /**
   * The migration's name, the same in both regions: it names the global database (`<name>-global`) or the writer
   * parameter (`/<name>/database/writer`), so the two stacks agree without a cross-region reference. 1–41
   * lowercase letters, digits or hyphens, starting with a letter, without `--` and not ending with `-`.
   */
  readonly name: string;

  /** Which side of the migration this stack builds. */
  readonly side: MigrationSide;

  /**
   * Who is paged, and how: every alarm the migration creates (replication lag, DMS task errors and validation, the
   * fleet's health, 5xx rate and latency, the VPN tunnels, the Route 53 health checks, the database) sends its
   * ALARM and OK transitions to the migration's topic, which also carries the cutover's notifications and approvals.
   * Outside a running cutover this is how on-call hears of replication lag or a failed DMS task.
   *
   * Not for `MigrationSide.sourceRegion`, which creates no alarm.
   *
   * @default - the migration's own topic, with no subscription: subscribe to the `AlarmTopicArn` output
   */
  readonly alerts?: MigrationAlerts;

  /**
   * The teardown opt-out. By default the migration keeps payment data and evidence: keys, log groups, buckets and
   * the global cluster are retained when removed, the databases are snapshotted and deletion-protected, and so is
   * the load balancer. The datacenter side's writer parameter (where the fleet writes, nothing else) is deleted with the stack in
   * every mode, so that the stack can be created again.
   *
   * `RemovalPolicy.DESTROY`, for **non-production** stages (rehearsals, CI, integration tests), makes every resource
   * the migration creates removable with the stack: keys (deleted after KMS's waiting period), log groups, the
   * global cluster, the databases (no final snapshot, no deletion protection), the load
   * balancer (no deletion protection) and the buckets, which are emptied first by aws-cdk-lib's `autoDeleteObjects`
   * (one custom-resource function per stack, outside the VPC: its nag findings are acknowledged in this mode, and
   * it is the only Lambda function the mode adds). `RemovalPolicy.RETAIN` (or `RETAIN_ON_UPDATE_OR_DELETE`) keeps the
   * defaults. `RemovalPolicy.SNAPSHOT` is refused: it reads as "delete the stack, keep a final snapshot", but with the
   * defaults the databases stay deletion-protected, so the deletion would fail. A value read from `cdk.json` context is
   * a string: `'destroy'` is `RemovalPolicy.DESTROY`; anything else (`'DESTROY'`, `true`) is refused rather than
   * silently keeping everything.
   *
   * > **N.B.:** never on a stack that holds production payment data: deleting it deletes the data, the cutover's
   * > audit trail and the keys that decrypt the backups.
   *
   * @default - the safe defaults (retain, snapshot, deletion protection)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Where a migration's alarms and notifications go. */
export interface MigrationAlerts {
  /**
   * Email addresses subscribed to the topic (each confirms its subscription by email): bare addresses (no `mailto:`),
   * each once.
   *
   * @default - none
   */
  readonly emails?: string[];

  /**
   * An existing topic (the on-call team's) that takes the alarms and the cutover's notifications instead of a new
   * one: a standard topic of this stack's region (a FIFO topic takes no alarm action and delivers no email).
   *
   * > **N.B.:** a KMS-encrypted topic's key must allow `cloudwatch.amazonaws.com` and `events.amazonaws.com` to
   * > `kms:Decrypt` and `kms:GenerateDataKey*`, or the alarms and events cannot publish to it.
   *
   * @default - a new topic, encrypted with the migration's key, TLS only
   */
  readonly topic?: sns.ITopic;
}

/**
 * A payment-processing migration, one instance per stack. Three kinds of side (see {@link MigrationSide}):
 *
 * - `MigrationSide.sourceRegion` (deploy first) makes the existing Aurora cluster the primary of a global database;
 * - `MigrationSide.targetRegion` (deploy second) holds everything the cutover needs but the shifter's control plane (Route 53's is in us-east-1), all of it working when
 *   the source region is degraded: the network (peered with the source VPC; routes on the source side too with `side.source.routeTableIds`), the Aurora
 *   global secondary, the payment fleet, the weighted records (source 100 / target 0; with Global Accelerator shifting, 100 % to the accelerator, whose dials split), the orchestrator gated on
 *   the database, the fleet's health and 5xx rate, a dashboard and the runbook;
 * - `MigrationSide.datacenterToAws` builds the AWS side of a migration out of a datacenter, with DMS.
 *
 * What a side built is read through the accessor of its kind — `sourceRegion()`, `targetRegion()` or
 * `datacenterToAws()` — whose members are all present; the accessor of another kind throws.
 *
 * @example
 * declare const sourceStack: Stack;
 * declare const targetStack: Stack;
 * declare const image: PaymentProcessorImage;
 * declare const certificate: acm.ICertificate;
 *
 * new PaymentMigration(sourceStack, 'Migration', {
 *   name: 'payments',
 *   side: MigrationSide.sourceRegion({ primaryClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:payments' }),
 * });
 * const target = new PaymentMigration(targetStack, 'Migration', {
 *   name: 'payments',
 *   side: MigrationSide.targetRegion({
 *     source: {
 *       region: 'us-east-1',
 *       vpcId: 'vpc-0a1b2c3d4e5f60718',
 *       cidr: '10.0.0.0/16',
 *       loadBalancerDnsName: 'payments-123456789.us-east-1.elb.amazonaws.com',
 *       loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K',
 *       globalWriterEndpoint: 'payments-global.global-abc123.global.rds.amazonaws.com',
 *     },
 *     network: { cidr: '10.1.0.0/16' },
 *     fleet: { image, certificate },
 *     dns: { zoneName: 'pay.example.com', recordNames: ['api', 'checkout'] },
 *   }),
 * });
 * const stateMachine = target.targetRegion().orchestrator.stateMachine;
 */
export class PaymentMigration extends Construct {
  /** Which side this stack builds: a `SourceRegionSide`, `TargetRegionSide` or `DatacenterToAwsSide`. */
  public readonly side: MigrationSide;
  /** Which kind of side this stack builds. */
  public readonly kind: MigrationSideKind;
  /** The migration's name. */
  public readonly migrationName: string;

  private readonly sourceRegionResources?: SourceRegionResources;
  private readonly targetRegionResources?: TargetRegionResources;
  private readonly datacenterToAwsResources?: DatacenterToAwsResources;
  /** Each inner construct's props as this construct's user typed them (`side.fleet.minCapacity`). */
  private readonly propNames: Aliases = {};

  constructor(scope: Construct, id: string, props: PaymentMigrationProps) {
    super(scope, id);
    const v = new Validator('PaymentMigration', this);
    if (!checkPaymentMigrationShapes(v, props)) v.throwIfInvalid();
    this.side = props.side;
    this.kind = props.side.kind;
    this.migrationName = props.name;
    const options = props.side._options;
    validatePaymentMigrationSide(v, this, options, props.alerts?.topic);
    v.check(Token.isUnresolved(props.name) || (/^[a-z](?!.*--)[a-z0-9-]{0,40}$/.test(props.name) && !props.name.endsWith('-')), 'name',
      'must be 1–41 lowercase letters, digits or hyphens, starting with a letter, without "--" and not ending with "-" (it names the global database or the writer parameter)',
      props.name);
    if (options.targetRegion) {
      const region = Stack.of(this).region;
      v.check(Token.isUnresolved(region) || options.targetRegion.source.region !== region, 'side.source.region', `must differ from this stack's region ${region}: this is the target region`, options.targetRegion.source.region);
    }
    if (options.targetRegion) {
      const endpoint = options.targetRegion.source.globalWriterEndpoint;
      v.check(
        Token.isUnresolved(endpoint) || Token.isUnresolved(props.name) || new RegExp(`^${props.name}-global\\.global-[a-z0-9]+\\.global\\.rds\\.amazonaws\\.com(\\.cn)?$`).test(endpoint ?? ''),
        'side.source.globalWriterEndpoint',
        `must be the global writer endpoint of ${props.name}-global (\`${props.name}-global.global-<id>.global.rds.amazonaws.com\`, printed by the source stack's GlobalWriterEndpointCommand output), not a regional cluster endpoint`,
        endpoint,
      );
    }
    if (options.datacenterToAws) {
      validateDatacenterToAws(v, this, options.datacenterToAws);
    }
    v.check(!options.sourceRegion || props.alerts === undefined, 'alerts', 'applies to the sides that create alarms (MigrationSide.targetRegion, MigrationSide.datacenterToAws): the source region creates none', props.alerts);
    validateMigrationSettings(v, props, options);
    v.throwIfInvalid();

    const globalClusterIdentifier = `${props.name}-global`;
    this.propNames = options.sourceRegion ? SOURCE_REGION_ALIASES : options.targetRegion ? targetRegionAliases() : datacenterToAwsAliases();
    const removalPolicy = props.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : undefined;
    if (options.sourceRegion) {
      const globalDatabase = new AuroraGlobalCluster(this, 'GlobalDatabase', {
        sourceClusterArn: options.sourceRegion.primaryClusterArn,
        globalClusterIdentifier,
        removalPolicy,
        deletionProtection: removalPolicy ? false : undefined,
      });
      this.sourceRegionResources = { globalDatabase, globalClusterIdentifier };
    } else if (options.targetRegion) {
      const t = options.targetRegion;
      const pager = new MigrationTopicAction(this);
      const parts = { scope: this, alarmActions: [pager], alarmTopic: props.alerts?.topic, removalPolicy };
      this.targetRegionResources = buildTargetRegion(parts, globalClusterIdentifier, t);
      this.alertOnCall(pager, this.targetRegionResources.alarmTopic, props.alerts);
      refuseTemplatePastTheLimit(this, t.dns.recordNames);
    } else if (options.datacenterToAws) {
      const pager = new MigrationTopicAction(this);
      const parts = { scope: this, alarmActions: [pager], alarmTopic: props.alerts?.topic, removalPolicy };
      this.datacenterToAwsResources = buildDatacenterToAws(parts, props.name, options.datacenterToAws);
      this.alertOnCall(pager, this.datacenterToAwsResources.alarmTopic, props.alerts);
      refuseTemplatePastTheLimit(this, options.datacenterToAws.dns.recordNames);
    }
  }

  /**
   * The props of an inner construct as this construct's user typed them, for its validation errors.
   * @internal
   */
  public _userPropNames(childId: string): Readonly<Record<string, string>> | undefined {
    return this.propNames[childId];
  }

  /** What `MigrationSide.sourceRegion` built. Throws on another kind of side. */
  public sourceRegion(): SourceRegionResources {
    return this.resources(this.sourceRegionResources, 'sourceRegion');
  }

  /** What `MigrationSide.targetRegion` built. Throws on another kind of side. */
  public targetRegion(): TargetRegionResources {
    return this.resources(this.targetRegionResources, 'targetRegion');
  }

  /** What `MigrationSide.datacenterToAws` built. Throws on another kind of side. */
  public datacenterToAws(): DatacenterToAwsResources {
    return this.resources(this.datacenterToAwsResources, 'datacenterToAws');
  }

  /**
   * The alarms were given `pager` as their `alarmActions` (ALARM and OK) when they were made; it now names the topic.
   * The emails are subscribed to it.
   */
  private alertOnCall(pager: MigrationTopicAction, topic: sns.ITopic, alerts: MigrationAlerts | undefined): void {
    pager.topic = topic;
    for (const email of alerts?.emails ?? []) {
      topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: topic.topicArn, description: 'Every alarm of the migration and the cutover notifications: subscribe on-call here' });
  }

  private resources<T>(built: T | undefined, accessor: string): T {
    if (built === undefined) {
      return new Validator(`PaymentMigration.${accessor}`, this)
        .refuse('side', `must be built by MigrationSide.${accessor} for \`${accessor}()\`, which reads what that factory builds: use the accessor of this side's kind`, this.kind);
    }
    return built;
  }
}

/**
 * The migration's topic as an alarm action (like `SnsAction`). Unless `alerts.topic` is given, the orchestrator creates
 * the topic, after the alarms it gates on: the side gives this action to every construct's `alarmActions` (and to
 * the alarms it makes itself), and its ARN resolves at synthesis, once the topic is known.
 */
class MigrationTopicAction implements cloudwatch.IAlarmAction {
  /** The topic, set once the side is built. */
  public topic?: sns.ITopic;

  constructor(private readonly migration: Construct) {}

  public bind(): cloudwatch.AlarmActionConfig {
    return {
      alarmActionArn: Lazy.string({
        produce: () => {
          if (!this.topic) throw new Error(`PaymentMigration at ${this.migration.node.path}: an alarm action was read before the migration's topic existed`);
          return this.topic.topicArn;
        },
      }),
    };
  }
}
