import { Annotations, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { GLOBAL_ACCELERATOR_API_REGION, GLOBAL_ACCELERATOR_RETRYABLE_ERRORS } from './global-accelerator-call';
import { AcceleratorShiftFragment, AcceleratorShiftPermissions, INVALID_SPLIT_ERROR, NOT_IN_EFFECT_ERROR } from './shift-fragment';
import { LogRetentionOptions } from '../construct-options';
import { CutoverSplit, ITrafficShifter, ShiftFragmentOptions } from '../migration-orchestrator/traffic-shifter';
import { createRegionalKey } from '../private/kms';
import { grantPermissions, percentSplit, shiftFragmentShape } from '../private/shifter';
import { checkLogRetention, checkSameRegion, known, propsValidator } from '../private/validation';

/** The Global Accelerator calls' log group of each stack, and the accelerator cutover that made it. */
const CALL_LOGS = new WeakMap<Stack, { readonly owner: AcceleratorCutover; readonly group: logs.ILogGroup; readonly settings: string }>();

/**
 * Properties for {@link AcceleratorCutover}: an existing standard accelerator and the two endpoint groups of one of
 * its listeners (each endpoint group is one AWS Region). Each value may be a token; a literal is checked at synth time.
 * `encryptionKey`, `logRetention` and `removalPolicy` are those of the log group of the shift's Global Accelerator
 * calls (aws-cdk-lib's one `CallAwsServiceCrossRegion` function of the stack logs there). That group is one per
 * stack, made by the stack's first accelerator cutover to build a fragment: a second one logs there too (with a
 * synth-time warning when its own settings differ).
 */
export interface AcceleratorCutoverProps extends LogRetentionOptions {
  /**
   * The accelerator's ARN, `arn:aws:globalaccelerator::<account>:accelerator/<id>`: its deployment status tells when
   * a dial change is in effect. {@link EdgeAccelerator.acceleratorArn}.
   */
  readonly acceleratorArn: string;

  /**
   * The endpoint group of the source Region, `<acceleratorArn>/listener/<id>/endpoint-group/<id>`; its traffic dial
   * goes from 100 to 0 during the cutover. {@link EdgeAccelerator.sourceEndpointGroupArn}.
   */
  readonly sourceEndpointGroupArn: string;

  /**
   * The endpoint group of the target Region, on the same listener as the source's; its traffic dial goes from 0 to
   * 100 during the cutover. {@link EdgeAccelerator.targetEndpointGroupArn}.
   */
  readonly targetEndpointGroupArn: string;

  /**
   * The customer-managed key of the log group the shift's Global Accelerator calls log to (aws-cdk-lib's one
   * `CallAwsServiceCrossRegion` function of the stack), in this stack's region.
   *
   * @default - a new key with rotation enabled
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to that log group, and to the key created for it, when they are removed from the stack.
   * `RemovalPolicy.DESTROY` is for stacks that must be torn down completely.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const ACCELERATOR_ARN = /^arn:aws[a-z-]*:globalaccelerator::\d{12}:accelerator\/[A-Za-z0-9-]+$/;
const ENDPOINT_GROUP_ARN = /^(arn:aws[a-z-]*:globalaccelerator::\d{12}:accelerator\/[A-Za-z0-9-]+)\/listener\/([A-Za-z0-9-]+)\/endpoint-group\/[A-Za-z0-9-]+$/;

/**
 * The Global Accelerator side of a migration: moves new connections between the endpoint groups of two Regions by
 * their traffic dials — {@link AcceleratorCutover.splitFor} computes the dials, {@link AcceleratorCutover.shiftFragment}
 * (Step Functions) and {@link AcceleratorCutover.grantShift} (IAM) apply them.
 *
 * Global Accelerator's API lives only in us-west-2, whatever the Regions of the migration: the state machine calls it
 * through aws-cdk-lib's `CallAwsServiceCrossRegion` (one shared Lambda function per stack, whose role holds the
 * Global Accelerator permissions; the state machine only invokes it). The data plane is AWS's edge network, so a
 * rollback depends on neither migration Region — only on the us-west-2 control plane to accept the dial change.
 *
 * A dial change applies to new connections only; established TCP connections stay where they are until they close.
 *
 * @example
 * declare const stack: Stack;
 * declare const edge: EdgeAccelerator; // in a us-west-2 stack
 * const shifter = new AcceleratorCutover(stack, 'Edge', edge.cutoverProps());
 */
export class AcceleratorCutover extends Construct implements ITrafficShifter {
  /** The error a shift fails with when the dials were not read back as set, with the accelerator DEPLOYED, in time. */
  public static readonly NOT_IN_EFFECT_ERROR = NOT_IN_EFFECT_ERROR;
  /** The error a shift fails with when the split in its input is not two dials 0–100 with one above 0. */
  public static readonly INVALID_SPLIT_ERROR = INVALID_SPLIT_ERROR;
  /** The errors every Global Accelerator call of a shift retries (1 s, doubling, 6 attempts). */
  public static readonly RETRYABLE_ERRORS: string[] = [...GLOBAL_ACCELERATOR_RETRYABLE_ERRORS];

  /** What moves traffic, for runbooks and the console. */
  public readonly description: string;
  /** The accelerator's ARN. */
  public readonly acceleratorArn: string;
  /** The source Region's endpoint group. */
  public readonly sourceEndpointGroupArn: string;
  /** The target Region's endpoint group. */
  public readonly targetEndpointGroupArn: string;
  private readonly props: AcceleratorCutoverProps;

  constructor(scope: Construct, id: string, props: AcceleratorCutoverProps) {
    super(scope, id);
    const v = propsValidator(this, 'AcceleratorCutover', props);
    const { acceleratorArn, sourceEndpointGroupArn, targetEndpointGroupArn } = props;
    if (known(acceleratorArn)) {
      v.check(ACCELERATOR_ARN.test(acceleratorArn), 'acceleratorArn', 'must be a standard accelerator ARN (arn:aws:globalaccelerator::<account>:accelerator/<id>)', acceleratorArn);
    }
    const groups: Array<[string, string]> = [['sourceEndpointGroupArn', sourceEndpointGroupArn], ['targetEndpointGroupArn', targetEndpointGroupArn]];
    const parsed = groups.map(([prop, arn]) => {
      if (!known(arn)) return undefined;
      const m = ENDPOINT_GROUP_ARN.exec(arn);
      v.check(m !== null, prop, 'must be an endpoint group ARN (<acceleratorArn>/listener/<id>/endpoint-group/<id>)', arn);
      if (m && known(acceleratorArn)) {
        v.check(m[1] === acceleratorArn, prop, 'must be an endpoint group of `acceleratorArn`', arn);
      }
      return m ? { listener: `${m[1]}/listener/${m[2]}` } : undefined;
    });
    if (known(sourceEndpointGroupArn) && known(targetEndpointGroupArn)) {
      v.check(sourceEndpointGroupArn !== targetEndpointGroupArn, 'targetEndpointGroupArn', 'must differ from `sourceEndpointGroupArn`', targetEndpointGroupArn);
    }
    if (parsed[0] && parsed[1]) {
      v.check(parsed[0].listener === parsed[1].listener, 'targetEndpointGroupArn',
        'must be on the same listener as `sourceEndpointGroupArn` (a dial only sends traffic to the groups of its own listener)', targetEndpointGroupArn);
    }
    checkSameRegion(v, this, 'encryptionKey', props.encryptionKey, props.encryptionKey?.keyArn, 'KMS keys are regional: the log group uses a key of its own region');
    checkLogRetention(v, 'logRetention', props.logRetention, 'the Global Accelerator calls\' logs');
    v.throwIfInvalid();
    this.props = props;
    this.acceleratorArn = acceleratorArn;
    this.sourceEndpointGroupArn = sourceEndpointGroupArn;
    this.targetEndpointGroupArn = targetEndpointGroupArn;
    this.description = 'Global Accelerator traffic dials (one endpoint group per Region)';
  }

  /**
   * The log group of the Global Accelerator calls' function, with its key: made once per stack, with the first
   * fragment (aws-cdk-lib makes one function per stack). A second accelerator cutover of the stack logs there too,
   * and is warned when its own log settings differ.
   */
  private handlerLogGroup(): logs.ILogGroup {
    const { encryptionKey, removalPolicy = RemovalPolicy.RETAIN, logRetention = logs.RetentionDays.ONE_YEAR } = this.props;
    const settings = JSON.stringify([encryptionKey?.node.path, removalPolicy, logRetention]);
    const stack = Stack.of(this);
    const first = CALL_LOGS.get(stack);
    if (first) {
      // aws-cdk-lib keeps one copy of a warning per construct, however many fragments (cutover, rollback) ask
      if (first.owner !== this && first.settings !== settings) {
        Annotations.of(this).addWarningV2('cdk-payment-migration:acceleratorCallLogs',
          `The Global Accelerator calls of this stack log to the group of ${first.owner.node.path} (aws-cdk-lib runs them in one ` +
            'function per stack): this construct\'s encryptionKey, logRetention and removalPolicy are not used');
      }
      return first.group;
    }
    const group = new logs.LogGroup(this, 'CallLogs', {
      encryptionKey: encryptionKey ?? createRegionalKey(this, 'CallLogsKey', {
        description: `Encrypts the logs of the Global Accelerator calls of ${this.node.path}`, services: ['logs'], removalPolicy,
      }),
      retention: logRetention,
      removalPolicy,
    });
    CALL_LOGS.set(stack, { owner: this, group, settings });
    return group;
  }

  /**
   * The traffic dials for a target share: source dial = 100 − percent, target dial = percent.
   *
   * Both dials move, because a dial is not a share of all traffic: Global Accelerator first sends each connection to
   * the endpoint group closest to the client, and a group's dial is the percentage of THAT traffic it keeps (the
   * rest goes to the other group). Lowering only the source dial would leave the target at 100 %, so every client
   * closest to the target Region would reach the target from the first step on, whatever the step's percentage.
   * With the two dials summing to 100, each population sends `percent` % to the target, so the target's share of new
   * connections is `percent` % whatever the clients' geography.
   *
   * @param targetPercent the share of new connections for the target Region, an integer 0–100
   */
  public splitFor(targetPercent: number): CutoverSplit {
    return percentSplit(this, 'AcceleratorCutover', targetPercent);
  }

  /**
   * Lets `grantee` shift traffic: `globalaccelerator:UpdateEndpointGroup` and `DescribeEndpointGroup` on the two
   * endpoint groups only, `DescribeAccelerator` on the accelerator only (Global Accelerator supports resource-level
   * permissions for all three: no `*`). The same permissions the shift's function gets.
   */
  public grantShift(grantee: iam.IGrantable): iam.Grant {
    return grantPermissions(grantee, Object.values(this.shiftPermissions()));
  }

  /**
   * A state-machine fragment that sets the dials found in its input (`$.split` = `{ sourceWeight, targetWeight }`,
   * as {@link AcceleratorCutover.splitFor} computes them) and ends once both dials are read back as set and the accelerator is
   * DEPLOYED. The dial that goes up is changed first (see the fragment's states: `<id> RaiseDial`, `<id> LowerDial`).
   * Its output is its input plus `$.shift.change` = `{ TargetDialBefore, RaisedFirst, Polls, SourceDial, TargetDial,
   * Status }`.
   *
   * It fails with `AcceleratorCutover.InvalidSplit` when the split is not two dials 0–100 with one above 0, and with
   * `AcceleratorCutover.NotInEffect` when the read-back does not match within `timeout`. Every call retries
   * {@link AcceleratorCutover.RETRYABLE_ERRORS}. State names start with `id`, so the fragment can be used more than
   * once in one state machine.
   *
   * Global Accelerator does not document how long a dial change takes to reach the edge, nor that it sets the
   * accelerator's status to IN_PROGRESS: the read-back waits `pollInterval` before its first read, and a DEPLOYED
   * status with the dials read back is the best evidence the API gives.
   */
  public shiftFragment(scope: Construct, id: string, options: ShiftFragmentOptions = {}): sfn.StateMachineFragment {
    const { splitPath, resultPath, pollInterval, timeout } = shiftFragmentShape(scope, 'AcceleratorCutover', options);
    return new AcceleratorShiftFragment(scope, id, {
      acceleratorArn: this.acceleratorArn,
      sourceEndpointGroupArn: this.sourceEndpointGroupArn,
      targetEndpointGroupArn: this.targetEndpointGroupArn,
      permissions: this.shiftPermissions(),
      logGroup: this.handlerLogGroup(),
      splitPath,
      resultPath,
      pollInterval,
      timeout,
    });
  }

  /**
   * The AWS CLI commands that apply a split by hand (the break-glass path), in the fragment's order: the target's dial
   * is read, the dial that goes up is set first, then the other; then the accelerator's status is polled (every 5 s,
   * up to 5 minutes) and both dials and the status are printed. Every call goes to us-west-2. Contains tokens when
   * the ARNs are deploy-time values: print it through a `CfnOutput`.
   *
   * @param targetPercent the share of new connections for the target Region, an integer 0–100
   */
  public shiftCommand(targetPercent: number): string {
    const split = this.splitFor(targetPercent);
    const ga = `aws globalaccelerator --region ${GLOBAL_ACCELERATOR_API_REGION}`;
    const set = (arn: string, dial: number) => `${ga} update-endpoint-group --endpoint-group-arn ${arn} --traffic-dial-percentage ${dial} --query EndpointGroup.TrafficDialPercentage --output text`;
    const dial = (arn: string) => `${ga} describe-endpoint-group --endpoint-group-arn ${arn} --query EndpointGroup.TrafficDialPercentage --output text`;
    const status = `${ga} describe-accelerator --accelerator-arn ${this.acceleratorArn} --query Accelerator.Status --output text`;
    const source = set(this.sourceEndpointGroupArn, split.sourceWeight);
    const target = set(this.targetEndpointGroupArn, split.targetWeight);
    return (
      `CURRENT=$(${dial(this.targetEndpointGroupArn)}) && ` +
      `if [ "\${CURRENT%.*}" -le ${split.targetWeight} ]; then ${target} && ${source}; else ${source} && ${target}; fi && ` +
      `for i in $(seq 60); do STATUS=$(${status}); [ "$STATUS" = DEPLOYED ] && break; sleep 5; done; ` +
      `echo "source dial $(${dial(this.sourceEndpointGroupArn)}), target dial $(${dial(this.targetEndpointGroupArn)}), accelerator $STATUS"`
    );
  }

  /** The one definition of the shift's permissions, for `grantShift` and the fragment's calls. */
  private shiftPermissions(): AcceleratorShiftPermissions {
    const groups = [this.sourceEndpointGroupArn, this.targetEndpointGroupArn];
    return {
      update: { actions: ['globalaccelerator:UpdateEndpointGroup'], resources: groups },
      describeGroups: { actions: ['globalaccelerator:DescribeEndpointGroup'], resources: groups },
      describeAccelerator: { actions: ['globalaccelerator:DescribeAccelerator'], resources: [this.acceleratorArn] },
    };
  }
}
