import { Arn, ArnFormat, CfnOutput, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { checkIdentifier, known, propsValidator } from '../private/validation';

/**
 * Properties for {@link AuroraGlobalCluster}.
 */
export interface AuroraGlobalClusterProps {
  /**
   * The ARN of the existing Aurora MySQL cluster that becomes the primary of the global database
   * (`arn:aws:rds:us-east-1:111111111111:cluster:payments`). It must be in this stack's region and encrypted.
   *
   * > **N.B.:** never change this after creation. After a switchover the cluster named here is a *secondary*;
   * > CloudFormation's view is then stale by design, and changing the property would replace the global cluster.
   */
  readonly sourceClusterArn: string;

  /**
   * The global cluster's identifier; the secondary region's {@link AuroraGlobalSecondary} joins it by this name,
   * so no cross-region reference is needed.
   */
  readonly globalClusterIdentifier: string;

  /**
   * Protect the global cluster from deletion.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the global cluster when it is removed from the stack. Destroy it only with the target side
   * already deleted (a global cluster with a secondary cannot be deleted).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Add a stack output, `GlobalWriterEndpointCommand`: the AWS CLI command that prints the global writer endpoint
   * (CloudFormation does not return the endpoint itself).
   *
   * @default true
   */
  readonly createOutputs?: boolean;
}

/**
 * Makes an existing Aurora MySQL cluster the primary of a new Aurora Global Database. Deploy it in the primary's
 * region (where the existing cluster runs) before the secondary region's stack.
 *
 * To use a global cluster that already exists, skip this construct and give its identifier to
 * {@link AuroraGlobalSecondary}.
 *
 * **The way back after a switchover.** Once the cutover has switched the writer to the target region, the cluster
 * named by `sourceClusterArn` is the secondary, and the replication back to it — what a switch-back relies on — is
 * measured in *this* region: `AWS/RDS` `AuroraGlobalDBReplicationLag` with the dimensions `DBClusterIdentifier` =
 * that cluster and `SourceRegion` = the target region. Nothing in the target region's stack can watch it (an alarm
 * reads the metrics of its own region only), and this construct — like `MigrationSide.sourceRegion` — creates no
 * alarm. Create one in this stack (docs/constructs.md, "The way back after a switchover") with missing data treated as
 * `missing`: before the switchover (and after a switch-back) this cluster is the primary and publishes no lag,
 * which must leave the alarm INSUFFICIENT_DATA, not in ALARM.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-getting-started.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 * @example
 * declare const stack: Stack;
 * const globalCluster = new AuroraGlobalCluster(stack, 'Global', {
 *   sourceClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:payments',
 *   globalClusterIdentifier: 'payments-global',
 * });
 */
export class AuroraGlobalCluster extends Construct {
  /** The global cluster's identifier. */
  public readonly globalClusterIdentifier: string;
  /**
   * The global writer endpoint: it always resolves to the writer of the current primary, before and after a
   * switchover. Applications that write through it have exactly one writer at every moment.
   *
   * > **N.B.:** this is `Fn::GetAtt <GlobalCluster>.GlobalEndpoint.Address`. CloudFormation's resource schema (as
   * > cfn-lint reads it) lists only the object attribute `GlobalEndpoint`, so the stack's own output prints the CLI
   * > command that reads the endpoint instead of relying on this attribute; use it only where you have verified it.
   */
  public readonly globalWriterEndpoint: string;

  /** The CLI command that prints the global writer endpoint once the global cluster exists. */
  public readonly globalWriterEndpointCommand: string;
  /** The underlying resource. */
  public readonly resource: rds.CfnGlobalCluster;

  constructor(scope: Construct, id: string, props: AuroraGlobalClusterProps) {
    super(scope, id);
    const v = propsValidator(this, 'AuroraGlobalCluster', props);
    const stack = Stack.of(this);

    if (known(props.sourceClusterArn)) {
      const ok = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster:[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(props.sourceClusterArn);
      v.check(ok, 'sourceClusterArn', 'must be the ARN of an Aurora DB cluster (arn:aws:rds:<region>:<account>:cluster:<id>)', props.sourceClusterArn);
      if (ok && !Token.isUnresolved(stack.region)) {
        const region = Arn.split(props.sourceClusterArn, ArnFormat.COLON_RESOURCE_NAME).region;
        v.check(region === stack.region, 'sourceClusterArn', `must be a cluster in this stack's region ${stack.region}: the global cluster is created in the primary's region`, props.sourceClusterArn);
      }
    }
    checkIdentifier(v, 'globalClusterIdentifier', props.globalClusterIdentifier);
    v.throwIfInvalid();

    this.resource = new rds.CfnGlobalCluster(this, 'Resource', {
      globalClusterIdentifier: props.globalClusterIdentifier,
      sourceDbClusterIdentifier: props.sourceClusterArn,
      deletionProtection: props.deletionProtection ?? true,
    });
    this.resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.globalClusterIdentifier = props.globalClusterIdentifier;
    this.globalWriterEndpoint = this.resource.getAtt('GlobalEndpoint.Address').toString();
    this.globalWriterEndpointCommand =
      `aws rds describe-global-clusters --global-cluster-identifier ${props.globalClusterIdentifier} --query "GlobalClusters[0].Endpoint" --output text`;

    if (props.createOutputs ?? true) {
      new CfnOutput(this, 'GlobalWriterEndpointCommand', {
        value: this.globalWriterEndpointCommand,
        description: 'Prints the Aurora global writer endpoint: give it to the target side, and write through it',
      });
    }
  }
}
