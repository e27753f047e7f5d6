import { Aws, CfnOutput, CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CutoverEndpoint, CutoverEndpointKind } from './cutover-endpoint';
import { LEGACY_MAX_TTL_SECONDS } from './endpoint-config';
import { createSideHealthChecks } from './health-checks';
import { RecordBody, recordFqdn, shiftChangeBatch, Side, SideRecord } from './records';
import { createRecordsFunction } from './records-function';
import { Permission, ShiftFragment } from './shift-fragment';
import { checkWeightedCutoverRegions, checkWeightedCutoverShapes, knownZoneName, validateWeightedCutoverProps } from './validate-props';
import { CutoverSide, WeightedCutoverProps } from './weighted-cutover-props';
import { CutoverSplit, ITrafficShifter, ShiftFragmentOptions } from '../migration-orchestrator/traffic-shifter';
import { perMinuteMetric } from '../private/metric';
import { grantPermissions, percentSplit, shiftFragmentShape } from '../private/shifter';
import { Validator } from '../private/validation';

/** Route 53 publishes health-check metrics in us-east-1 only. */
const ROUTE53_METRICS_REGION = 'us-east-1';

/**
 * The Route 53 side of a migration: for each record name, one weighted record per side (source and target) in one
 * weighted set, health checks of both sides, and the one way to move traffic between them —
 * {@link WeightedCutover.splitFor} computes the weights, {@link WeightedCutover.shiftFragment} (Step Functions),
 * {@link WeightedCutover.grantShift} (IAM) and {@link WeightedCutover.shiftCommand} (the CLI break-glass) apply them.
 *
 * The records are created by a custom resource, not `AWS::Route53::RecordSet`: once they exist, their weights belong
 * to the orchestrator and operators, and a deployment keeps the live weights while it applies everything else.
 *
 * @example
 * declare const stack: Stack;
 * const cutover = new WeightedCutover(stack, 'Cutover', {
 *   zoneName: 'pay.example.com',
 *   recordNames: ['api', 'checkout'],
 *   source: CutoverEndpoint.fromIpAddresses(['52.94.76.10']),
 *   target: CutoverEndpoint.fromLoadBalancerAttributes({
 *     dnsName: 'payments-123456789.eu-west-1.elb.amazonaws.com',
 *     canonicalHostedZoneId: 'Z32O12XQLNTSW2',
 *   }),
 * });
 */
export class WeightedCutover extends Construct implements ITrafficShifter {
  /** What moves traffic, for runbooks and the console. */
  public readonly description = 'Route 53 weighted records';
  /** The hosted zone holding the records. */
  public readonly hostedZone: route53.IHostedZone;
  /** The record names, fully qualified, lower case, without trailing dot. */
  public readonly recordNames: string[];
  /** Every health check created (HTTPS, alarm-based and calculated). */
  public readonly healthChecks: route53.CfnHealthCheck[];
  /** The health check attached to the source side's records, if any. */
  public readonly sourceHealthCheck?: route53.CfnHealthCheck;
  /** The health check attached to the target side's records, if any. */
  public readonly targetHealthCheck?: route53.CfnHealthCheck;
  /** The custom resource that owns the weighted records. */
  public readonly records: CustomResource;
  /** The function behind the custom resource. */
  public readonly recordsFunction: lambda.IFunction;
  /** The split the records are created with. */
  public readonly initialSplit: CutoverSplit;
  /** Alarms when the source side's health check is unhealthy; created only in a us-east-1 stack (Route 53 metrics live there). */
  public readonly sourceHealthAlarm?: cloudwatch.Alarm;
  /** Alarms when the target side's health check is unhealthy; created only in a us-east-1 stack (Route 53 metrics live there). */
  public readonly targetHealthAlarm?: cloudwatch.Alarm;

  private readonly sideRecords: SideRecord[];
  private readonly recordType: string;

  constructor(scope: Construct, id: string, props: WeightedCutoverProps) {
    super(scope, id);
    const v = new Validator('WeightedCutover', this);
    if (!checkWeightedCutoverShapes(v, props)) v.throwIfInvalid();
    const zoneName = knownZoneName(props);
    validateWeightedCutoverProps(v, props, zoneName);
    checkWeightedCutoverRegions(v, this, props);
    if (props.hostedZone && zoneName === undefined) {
      v.fail('hostedZone', 'must have a known zone name (use HostedZone.fromHostedZoneAttributes, not fromHostedZoneId)', props.hostedZone.hostedZoneId);
    }
    v.throwIfInvalid();

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.hostedZone = props.hostedZone ?? new route53.PublicHostedZone(this, 'Zone', { zoneName: props.zoneName! });
    const zone = zoneName ?? this.hostedZone.zoneName;
    this.recordNames = props.recordNames.map((n) => recordFqdn(n, zone)!);
    this.recordType = props.source.recordType;
    this.initialSplit = this.splitFor(props.initialTargetPercent ?? 0);

    // --- Health checks of both sides
    const hcOptions = props.healthCheck ?? {};
    const sourceChecks = createSideHealthChecks(this, 'Source', props.source, hcOptions, props.sourceAlarm, this.recordNames[0]);
    const targetChecks = createSideHealthChecks(this, 'Target', props.target, hcOptions, props.targetAlarm, this.recordNames[0]);
    this.healthChecks = [...sourceChecks.all, ...targetChecks.all];
    this.sourceHealthCheck = sourceChecks.attached;
    this.targetHealthCheck = targetChecks.attached;

    // --- The record bodies: built once, used by the custom resource, the fragment and the CLI command
    const sides: { side: Side; endpoint: CutoverEndpoint; setId: string; check?: route53.CfnHealthCheck }[] = [
      { side: 'source', endpoint: props.source, setId: props.sourceSetIdentifier ?? 'source', check: this.sourceHealthCheck },
      { side: 'target', endpoint: props.target, setId: props.targetSetIdentifier ?? 'target', check: this.targetHealthCheck },
    ];
    this.sideRecords = this.recordNames.flatMap((name) =>
      sides.map((s) => ({ side: s.side, body: recordBody(name, s.endpoint, s.setId, s.check) })),
    );

    // --- The custom resource that owns the records
    const fn = createRecordsFunction(this, {
      hostedZoneArn: this.hostedZone.hostedZoneArn,
      recordNames: this.recordNames,
      changeArn: changeArn(),
      encryptionKey: props.encryptionKey,
      removalPolicy,
    });
    this.recordsFunction = fn;
    this.records = new CustomResource(this, 'Records', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::WeightedRecords',
      serviceTimeout: Duration.minutes(10),
      properties: {
        HostedZoneId: this.hostedZone.hostedZoneId,
        Records: this.sideRecords.map((r) => ({ Side: r.side, Record: r.body })),
        InitialWeights: { Source: this.initialSplit.sourceWeight, Target: this.initialSplit.targetWeight },
      },
    });

    // --- Health-check alarms, where Route 53 metrics are (us-east-1)
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region === ROUTE53_METRICS_REGION) {
      this.sourceHealthAlarm = this.healthAlarm(CutoverSide.SOURCE, props.alarmActions);
      this.targetHealthAlarm = this.healthAlarm(CutoverSide.TARGET, props.alarmActions);
    }

    if (props.createOutputs ?? true) {
      new CfnOutput(this, 'HostedZoneId', { value: this.hostedZone.hostedZoneId, description: `Hosted zone of ${this.node.path}` });
      new CfnOutput(this, 'RecordNames', { value: this.recordNames.join(','), description: `Weighted record names of ${this.node.path}` });
    }
  }

  /**
   * The weights for a traffic split: source = 100 − percent, target = percent (so never both 0).
   *
   * @param targetPercent the share of traffic for the target side, an integer 0–100
   */
  public splitFor(targetPercent: number): CutoverSplit {
    return percentSplit(this, 'WeightedCutover', targetPercent);
  }

  /**
   * Lets `grantee` shift traffic: `route53:ChangeResourceRecordSets` on this zone, restricted to UPSERTs of these
   * record names and type, and `route53:GetChange` (change ids are issued per call, so on `change/*`).
   */
  public grantShift(grantee: iam.IGrantable): iam.Grant {
    return grantPermissions(grantee, this.shiftPermissions());
  }

  /**
   * A state-machine fragment that applies the split found in its input (`$.split` = `{ sourceWeight, targetWeight }`)
   * to every record in ONE change batch, then polls GetChange until INSYNC. Its output is its input plus
   * `$.shift.change` = `{ Id, Status: 'INSYNC', SubmittedAt, Polls, Latest? }`.
   *
   * It fails with `WeightedCutover.InvalidSplit` when the split is not two weights 0–255 with one above 0, and with
   * `WeightedCutover.InsyncTimeout` when the change is not INSYNC within `timeout`. Both Route 53 calls retry on
   * throttling. State names start with `id`, so the fragment can be used more than once in one state machine; the
   * state machine's role gets exactly the permissions of {@link WeightedCutover.grantShift}.
   */
  public shiftFragment(scope: Construct, id: string, options: ShiftFragmentOptions = {}): sfn.StateMachineFragment {
    const { splitPath, resultPath, pollInterval, timeout } = shiftFragmentShape(scope, 'WeightedCutover', options);
    return new ShiftFragment(scope, id, {
      hostedZoneId: this.hostedZone.hostedZoneId,
      records: this.sideRecords,
      permissions: this.shiftPermissions(),
      changeArn: changeArn(),
      splitPath,
      resultPath,
      pollInterval,
      timeout,
      comment: `Shift ${this.node.path}`,
    });
  }

  /**
   * The AWS CLI command that applies a split by hand (the break-glass path): the same change batch as the
   * fragment's, weights filled in, then a wait for INSYNC. Contains tokens (zone id, ALB names, health-check ids)
   * when those are deploy-time values: print it through a `CfnOutput`.
   *
   * @param targetPercent the share of traffic for the target side, an integer 0–100
   */
  public shiftCommand(targetPercent: number): string {
    const split = this.splitFor(targetPercent);
    const batch = shiftChangeBatch(
      this.sideRecords,
      { source: split.sourceWeight, target: split.targetWeight },
      `Shift ${this.node.path} to ${targetPercent}% target`,
    );
    // Plain JSON when every value is known; otherwise a token that CloudFormation renders (e.g. in a CfnOutput).
    const plain = JSON.stringify(batch);
    const json = Token.isUnresolved(plain) ? Stack.of(this).toJsonString(batch) : plain;
    return (
      `CHANGE_ID=$(aws route53 change-resource-record-sets --hosted-zone-id ${this.hostedZone.hostedZoneId} ` +
      `--change-batch '${json}' --query ChangeInfo.Id --output text) && ` +
      'aws route53 wait resource-record-sets-changed --id "$CHANGE_ID"'
    );
  }

  /**
   * Route 53's `HealthCheckStatus` (1 healthy, 0 unhealthy) of the health check attached to a side's records.
   * Route 53 publishes it in **us-east-1** only, whatever the stack's region: alarm on it from a us-east-1 stack.
   *
   * @default - minimum over 1 minute
   */
  public metricHealthCheckStatus(side: CutoverSide, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    const check = side === CutoverSide.SOURCE ? this.sourceHealthCheck : this.targetHealthCheck;
    if (!check) {
      const v = new Validator('WeightedCutover.metricHealthCheckStatus', this);
      return v.refuse('side', `must be a side with a health check (enable \`${v.name('healthCheck')}\` or give \`${v.name(`${side}Alarm`)}\`): the ${side} side has none`, side);
    }
    return perMinuteMetric('AWS/Route53', 'HealthCheckStatus', { HealthCheckId: check.attrHealthCheckId }, cloudwatch.Stats.MINIMUM, { region: ROUTE53_METRICS_REGION, ...props });
  }

  /** The one definition of the shift permission, for `grantShift` and the fragment's tasks. */
  private shiftPermissions(): Permission[] {
    return [
      {
        actions: ['route53:ChangeResourceRecordSets'],
        resources: [this.hostedZone.hostedZoneArn],
        conditions: {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': this.recordNames,
            'route53:ChangeResourceRecordSetsRecordTypes': [this.recordType],
            'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
          },
        },
      },
      { actions: ['route53:GetChange'], resources: [changeArn()] },
    ];
  }

  private healthAlarm(side: CutoverSide, actions: cloudwatch.IAlarmAction[] | undefined): cloudwatch.Alarm | undefined {
    const check = side === CutoverSide.SOURCE ? this.sourceHealthCheck : this.targetHealthCheck;
    if (!check) return undefined;
    const alarm = this.metricHealthCheckStatus(side).createAlarm(this, side === CutoverSide.SOURCE ? 'SourceUnhealthy' : 'TargetUnhealthy', {
      alarmDescription: `The ${side} side of ${this.node.path} fails its Route 53 health check`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    for (const a of actions ?? []) {
      alarm.addAlarmAction(a);
      alarm.addOkAction(a);
    }
    return alarm;
  }
}

/** `arn:<partition>:route53:::change/*`: GetChange's resource. */
function changeArn(): string {
  return `arn:${Aws.PARTITION}:route53:::change/*`;
}

/** The weighted record of one side for one name, without its weight. */
function recordBody(name: string, endpoint: CutoverEndpoint, setId: string, check: route53.CfnHealthCheck | undefined): RecordBody {
  const c = endpoint._config();
  const ttl = (c.ttl ?? Duration.seconds(LEGACY_MAX_TTL_SECONDS)).toSeconds();
  const target: Partial<RecordBody> =
    c.kind === CutoverEndpointKind.LOAD_BALANCER || c.kind === CutoverEndpointKind.GLOBAL_ACCELERATOR
      ? { AliasTarget: { HostedZoneId: c.canonicalHostedZoneId!, DNSName: c.dnsName!, EvaluateTargetHealth: true } }
      : c.kind === CutoverEndpointKind.IP_ADDRESSES
        ? { TTL: ttl, ResourceRecords: (c.ipAddresses ?? []).map((ip) => ({ Value: ip })) }
        : { TTL: ttl, ResourceRecords: [{ Value: c.dnsName! }] };
  return {
    Name: name,
    Type: c.recordType,
    SetIdentifier: setId,
    ...target,
    ...(check ? { HealthCheckId: check.attrHealthCheckId } : {}),
  };
}
