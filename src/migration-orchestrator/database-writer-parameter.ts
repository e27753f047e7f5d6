import { Arn, ArnFormat, ITaggable, Lazy, RemovalPolicy, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { createRegionalKey } from '../private/kms';
import { acknowledge, acknowledgeInPacks, NagPackPrefix } from '../private/nag';
import { checkSameRegion, propsValidator } from '../private/validation';
import { DatabaseWriter } from './switchovers/dms/database-writer';

/** Properties for {@link DatabaseWriterParameter}. */
export interface DatabaseWriterParameterProps {
  /** The parameter's name, e.g. `/payments/database/writer`. Changing it later needs a new construct id. */
  readonly parameterName: string;

  /**
   * The customer-managed key of the provider function's log group, in this stack's region.
   *
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The VPC the provider function of the create-only resource runs in (AWS Control Tower CT.LAMBDA.PR.3), with a
   * route to SSM (an interface endpoint or NAT).
   *
   * @default - outside any VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of the provider function, in `vpc`.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * What happens to the parameter when the stack deletes this construct. `RETAIN` keeps it (a stack that creates
   * it again then fails: the parameter exists); `DESTROY` deletes it and also removes the provider's log group and
   * the key created here.
   *
   * @default - the parameter is deleted (the fleet that reads it goes with the same stack); the provider's log group
   * and key are kept
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The writer parameter of the on-premises path: where the payment fleet writes (`SOURCE`, `FENCED`, `TARGET`,
 * {@link DatabaseWriter}). Created at `SOURCE` once, and **never written by a deployment again**: a plain
 * `AWS::SSM::Parameter` would be put back to its template value by any later update of the resource (a tag, a
 * description), silently sending the fleet back to the on-premises database after the writer moved. Only the
 * cutover (or an operator, by the runbook) writes it.
 *
 * @example
 * const writer = new DatabaseWriterParameter(this, 'Writer', { parameterName: '/payments/database/writer' });
 */
export class DatabaseWriterParameter extends Construct implements ITaggable {
  /** The parameter, for `DatabaseSwitchover.dmsWriterMove` and grants. */
  public readonly parameter: ssm.IStringParameter;
  /** Its name. */
  public readonly parameterName: string;
  /** Its ARN. */
  public readonly parameterArn: string;
  /**
   * The parameter's tags: those given with `Tags.of(…)` on it or a scope above it (the stack's). They are given when
   * the parameter is created: a tag added later reaches it on a parameter created anew, not on the one in place.
   */
  public readonly tags = new TagManager(TagType.KEY_VALUE, 'AWS::SSM::Parameter');

  constructor(scope: Construct, id: string, props: DatabaseWriterParameterProps) {
    super(scope, id);
    const v = propsValidator(this, 'DatabaseWriterParameter', props);
    checkSameRegion(v, this, 'encryptionKey', props.encryptionKey, props.encryptionKey?.keyArn, "KMS keys are regional: the provider's log group uses a key of its own region");
    if (!Token.isUnresolved(props.parameterName)) {
      v.check(/^\/?[a-zA-Z0-9_.\-/]{1,1010}$/.test(props.parameterName), 'parameterName', 'must be an SSM parameter name: letters, digits, _ . - and /, at most 1011 characters',
        props.parameterName);
      // SSM reserves names that begin with `aws` or `ssm` (case-insensitive, with or without a leading `/`)
      v.check(!/^\/?(aws|ssm)/i.test(props.parameterName), 'parameterName', 'must not begin with `aws` or `ssm` (SSM reserves those prefixes)', props.parameterName);
    }
    v.throwIfInvalid();

    const stack = Stack.of(this);
    const name = props.parameterName;
    this.parameterName = name;
    this.parameterArn = Arn.format(
      { service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, ''), arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
      stack,
    );
    // A dynamic reference, not the default template parameter: CloudFormation resolves an
    // `AWS::SSM::Parameter::Value<String>` parameter before it creates anything, and this stack creates the parameter,
    // so its first deploy would fail ("Parameters: [ssm:…] cannot be found"). The value is never read in the template.
    this.parameter = ssm.StringParameter.fromStringParameterAttributes(this, 'Parameter', { parameterName: name, simpleName: false, forceDynamicReference: true });

    const logsPolicy = props.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const key = props.encryptionKey ??
      createRegionalKey(this, 'Key', { description: `Encrypts the logs of the writer parameter's provider (${this.node.path})`, services: ['logs'], removalPolicy: logsPolicy });
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: logsPolicy });
    const destroy = (props.removalPolicy ?? RemovalPolicy.DESTROY) === RemovalPolicy.DESTROY;
    const resource = new cr.AwsCustomResource(this, 'Resource', {
      resourceType: 'Custom::DatabaseWriterParameter',
      // Create only: never overwrite a parameter that exists, never rewrite it on update.
      onCreate: {
        service: 'SSM',
        action: 'putParameter',
        parameters: {
          Name: name,
          Type: 'String',
          Value: DatabaseWriter.SOURCE,
          Overwrite: false,
          AllowedPattern: `^(${Object.values(DatabaseWriter).join('|')})$`,
          Description: 'Where the payment fleet writes: SOURCE, FENCED (nobody: writes refused, retryable) or TARGET. Written by the cutover only.',
          // `Tags.of(…)` reaches the parameter: given at its creation (SSM takes tags with PutParameter only when it creates)
          Tags: Lazy.any({ produce: () => this.tags.renderTags() }, { omitEmptyArray: true }),
        },
        physicalResourceId: cr.PhysicalResourceId.of(name),
      },
      onDelete: destroy
        ? { service: 'SSM', action: 'deleteParameter', parameters: { Name: name }, ignoreErrorCodesMatching: 'ParameterNotFound' }
        : undefined,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['ssm:PutParameter', 'ssm:AddTagsToResource', 'ssm:DeleteParameter'], resources: [this.parameterArn] }),
      ]),
      installLatestAwsSdk: false,
      logGroup,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : undefined,
    });
    this.acknowledgeHandler(resource, props.vpc !== undefined);
  }

  /** Lets a principal read where to write (the fleet). */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['ssm:GetParameter', 'ssm:GetParameters'], resourceArns: [this.parameterArn] });
  }

  /** Lets a principal move the writer by hand (the runbook's manual steps). */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['ssm:PutParameter'], resourceArns: [this.parameterArn] });
  }

  /** The aws-cdk-lib provider function of AwsCustomResource is shared by the stack: findings on it, with reasons. */
  private acknowledgeHandler(resource: cr.AwsCustomResource, inVpc: boolean): void {
    const policy = resource.node.tryFindChild('CustomResourcePolicy');
    if (policy) {
      acknowledgeInPacks(policy, [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5], 'IAMNoInlinePolicy',
        'aws-cdk-lib AwsCustomResource attaches its policy inline to its provider role; it allows only PutParameter and DeleteParameter on this one parameter.');
    }
    const provider = Stack.of(this).node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
    if (!provider) return;
    acknowledge(provider,
      { id: `${NagPackPrefix.AWS_SOLUTIONS}-IAM4`, reason: 'aws-cdk-lib AwsCustomResource gives its provider role AWSLambdaBasicExecutionRole (CloudWatch Logs only).' },
      { id: `${NagPackPrefix.AWS_SOLUTIONS}-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`, reason: 'aws-cdk-lib AwsCustomResource gives its provider role AWSLambdaBasicExecutionRole (CloudWatch Logs only).' },
      { id: `${NagPackPrefix.AWS_SOLUTIONS}-L1`, reason: 'The runtime of the aws-cdk-lib AwsCustomResource provider is chosen by aws-cdk-lib; it runs only during deployments.' },
      ...(inVpc ? [{
        id: `${NagPackPrefix.AWS_SOLUTIONS}-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]`,
        reason: 'aws-cdk-lib gives a Lambda function in a VPC AWSLambdaVPCAccessExecutionRole (its network interfaces only).',
      }] : []),
    );
    for (const [rule, reason] of [
      ['LambdaDLQ', 'A CloudFormation custom-resource provider invoked synchronously: failures are reported to CloudFormation, a DLQ would receive nothing.'],
      ...(inVpc ? [] : [['LambdaInsideVPC', 'Given no VPC, the provider only calls the SSM control-plane API during deployments and handles no cardholder data.'] as const]),
      ['LambdaConcurrency', 'Invoked only by CloudFormation during deployments of this stack; reserving concurrency would take from the account pool.'],
      ['IAMNoManagedPolicies', 'aws-cdk-lib AwsCustomResource gives its provider role AWSLambdaBasicExecutionRole (CloudWatch Logs only).'],
    ] as const) {
      acknowledgeInPacks(provider, [NagPackPrefix.PCI_DSS_321, NagPackPrefix.NIST_800_53_R5], rule, reason);
    }
  }
}
