import { ArnFormat, CfnOutput, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CutoverSteps } from './cutover-steps';
import { MigrationOrchestratorProps } from './migration-orchestrator-props';
import { InsufficientDataPolicy, OperatorCommand } from './operator-command';
import { createAuditTrail } from './state-machine/audit-trail';
import { BAKE_COMMENT, bakeDefinition } from './state-machine/bake';
import { BuildContext } from './state-machine/contracts';
import { CutoverRecord } from './state-machine/cutover-record';
import { alarmRollbackDefinition, cutoverDefinition, recoveryDefinition } from './state-machine/definition';
import { acknowledgeStateMachine, StateMachineReach } from './state-machine/nag-acknowledgements';
import { SPLIT_METRIC_NAME, SPLIT_METRIC_NAMESPACE } from './state-machine/state-builders';
import { requireOrchestratorShapes, validateOrchestratorProps } from './validate-props';
import { createRegionalKey, foreignKeyRegion } from '../private/kms';
import { acknowledge, acknowledgeGatedAlarm } from '../private/nag';
import { Validator } from '../private/validation';
import { markWorkflow, WorkflowKind } from '../private/workflow-metadata';

/**
 * An alarm-gated cutover that always rolls back in time: a Step Functions standard workflow that checks the gates,
 * moves traffic in steps with a bake after each (gates and operator control polled throughout), optionally switches
 * the database over, and on any alarm, failure, timeout or abort puts all traffic back on the source — retried up
 * to 20 times, then left STUCK and notified for `payment-migration recover`. A second, small workflow started by EventBridge on the gating alarms' state changes rolls back
 * within seconds while a cutover shifts traffic (from the database switchover on, it notifies and leaves the
 * decision to the cutover, which polls the same alarms and rolls back writer first), and does nothing otherwise. A third recovers an execution that ended without
 * its rollback (stopped by hand, timed out, or a Step Functions runtime error).
 *
 * @example
 * declare const shifter: ITrafficShifter;
 * declare const database: AuroraGlobalSecondary;
 * declare const healthyHostsAlarm: cloudwatch.IAlarm;
 *
 * new MigrationOrchestrator(this, 'Cutover', {
 *   shifter,
 *   gates: [CutoverGate.auroraGlobalSecondary(database), CutoverGate.alarm(healthyHostsAlarm)],
 *   switchover: DatabaseSwitchover.auroraGlobal(database),
 * });
 */
export class MigrationOrchestrator extends Construct {
  /** The cutover workflow. Start it to cut over. */
  public readonly stateMachine: sfn.StateMachine;
  /**
   * The bake workflow: each bake of the cutover (after every step, and after the database moved) runs as a child
   * execution of it, so that a bake of any length costs the cutover's execution history the same few events. It
   * only reads (the gating alarms and the control parameter); a bake longer than one execution holds continues in a
   * fresh one.
   */
  public readonly bakeStateMachine: sfn.StateMachine;
  /** The workflow EventBridge starts when a gating alarm enters ALARM. */
  public readonly alarmRollbackStateMachine?: sfn.StateMachine;
  /** The rule that starts it. */
  public readonly alarmRule?: events.Rule;
  /**
   * The workflow EventBridge starts when an execution of the migration's workflows fails, is stopped or times out;
   * it acts only when the execution left the cutover record held (it ended without its own rollback).
   */
  public readonly recoveryStateMachine?: sfn.StateMachine;
  /** The parameter operators write RUN / PAUSE / SKIP_BAKE / ABORT to. The workflows only read it. */
  public readonly controlParameter: ssm.StringParameter;
  /**
   * The cutover record: the item `pk` = `cutover` holding the phase (IDLE, SHIFTING, SWITCHING, ROLLING_BACK,
   * STUCK, COMPLETE) and the execution that holds it. Every workflow claims it with a conditional write before it
   * moves traffic or the database writer, so of two that race exactly one acts.
   */
  public readonly cutoverRecordTable: dynamodb.ITable;
  /** Notifications. */
  public readonly notificationTopic: sns.ITopic;
  /** Checkpoints: `cutovers/<execution>/<checkpoint>.json`. */
  public readonly checkpointBucket: s3.IBucket;
  /** The key of the topic, checkpoints and logs. */
  public readonly key: kms.IKey;
  /**
   * The gating alarms, all of them polled. Those watched only until a DMS writer move (`CutoverGate.dmsReplication`,
   * `CutoverGate.alarmBeforeWriterMove`) are not polled after it: the forward task they watch is stopped on purpose
   * then, and the replication alarms treat missing data as missing (INSUFFICIENT_DATA, which has no action), so a
   * completed cutover pages nobody.
   */
  public readonly gatingAlarms: cloudwatch.IAlarm[];

  /** The traffic steps the cutover takes: `steps`, or `CutoverSteps.linear(4)` (25, 50, 75, 100 %) when not given. */
  public readonly steps: CutoverSteps;

  private readonly cutoverName: string;

  constructor(scope: Construct, id: string, props: MigrationOrchestratorProps) {
    super(scope, id);
    requireOrchestratorShapes(this, props);
    const stack = Stack.of(this);
    // each default of the cutover's pace, resolved once
    this.steps = props.steps ?? CutoverSteps.linear(4);
    const pace = { steps: this.steps, bakeTime: props.bakeTime ?? Duration.minutes(5), pollInterval: props.pollInterval ?? Duration.seconds(10) };
    // The facades become the engine's plug-in contracts here: the engine never sees CutoverGate or DatabaseSwitchover.
    const configs = props.gates.map((g) => g._bind());
    const switchover = props.switchover?._bind();
    // An alarm watched only until the writer moves is never on the event path, even if also given as a plain gate.
    const replicationAlarms = uniqueAlarms(configs.flatMap((c) => c.replicationAlarms ?? []));
    const eventAlarms = uniqueAlarms(configs.flatMap((c) => c.alarms)).filter((a) => !replicationAlarms.includes(a));
    const alarms = [...eventAlarms, ...replicationAlarms];

    const v = new Validator('MigrationOrchestrator', this);
    validateOrchestratorProps(v, props, pace, alarms, configs.map((c) => c.history), switchover, this, replicationAlarms);
    const keyRegion = foreignKeyRegion(this, props.encryptionKey);
    v.check(keyRegion === undefined, 'encryptionKey', `must be a key in the stack's region ${stack.region}`, keyRegion);
    const movedTask = switchover?.replicationTaskArn;
    v.check(
      movedTask === undefined || configs.some((c) => c.replicationTaskArn === movedTask),
      'gates',
      'must include CutoverGate.dmsReplication of the replication the switchover moves the writer off: nothing else proves it is in sync before traffic moves',
      props.gates.map((g) => g.description),
    );
    v.throwIfInvalid();

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.gatingAlarms = alarms;
    for (const alarm of alarms) {
      if (alarm instanceof cloudwatch.Alarm) acknowledgeGatedAlarm(alarm, this);
    }
    this.key = props.encryptionKey ?? createRegionalKey(this, 'Key', { description: `Cutover audit trail of ${this.node.path}`, services: ['logs'], removalPolicy });
    const trail = createAuditTrail(this, this.key, {
      topic: props.notificationTopic,
      checkpointRetention: props.checkpointRetention ?? Duration.days(400),
      removalPolicy,
    });
    this.notificationTopic = trail.topic;
    this.checkpointBucket = trail.bucket;
    this.controlParameter = new ssm.StringParameter(this, 'Control', {
      description: 'Cutover operator control: RUN, PAUSE, SKIP_BAKE or ABORT (read at every poll of a bake)',
      stringValue: OperatorCommand.RUN,
      allowedPattern: `^(${Object.values(OperatorCommand).join('|')})$`,
    });
    const table = new dynamodb.Table(this, 'Record', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy,
    });
    this.cutoverRecordTable = table;
    acknowledge(table, {
      id: 'NIST.800.53.R5-DynamoDBInBackupPlan',
      reason: 'Point-in-time recovery is on (continuous backups, 35 days) and deletion protection unless removalPolicy is DESTROY; ' +
        'the table holds one item, the live phase of one cutover, whose steps and endings are also written to the Object Lock checkpoint trail.',
    });
    const record = new CutoverRecord(table);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: this.key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });
    // Named, so that each workflow's ARN is known before it exists: the recovery reads (DescribeExecution) the
    // executions of all three without a circular reference.
    const baseName = Names.uniqueResourceName(this, { maxLength: 60, separator: '-' });
    const stateMachineName = `${baseName}-cutover`;
    this.cutoverName = stateMachineName;
    const arnOf = (name: string) => stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const selfArn = arnOf(stateMachineName);
    const rollbackName = `${baseName}-alarm-rollback`;
    const recoveryName = `${baseName}-recovery`;
    const withEventPath = (props.eventDrivenRollback ?? true) && eventAlarms.length > 0;
    const holders = [selfArn, ...(withEventPath ? [arnOf(rollbackName)] : []), arnOf(recoveryName)];

    const bakeName = `${Names.uniqueResourceName(this, { maxLength: 60, separator: '-' })}-bake`;
    const bakeArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: bakeName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    const context = (definitionScope: Construct, bakeStateMachine?: sfn.IStateMachine): BuildContext => ({
      scope: definitionScope,
      shifter: props.shifter,
      alarms,
      insufficientData: props.insufficientData ?? InsufficientDataPolicy.BLOCK,
      pollInterval: pace.pollInterval,
      topic: this.notificationTopic,
      bucket: this.checkpointBucket,
      control: this.controlParameter,
      cutoverName: stateMachineName,
      replicationAlarms,
      switchover,
      record,
      pausePolls: Math.floor((props.maxPause ?? Duration.minutes(15)).toSeconds() / pace.pollInterval.toSeconds()),
      bakeStateMachine,
    });

    // Built first: the cutover starts its bakes. It names itself by ARN (a bake longer than one execution continues
    // in a fresh one), so its name is fixed, like the cutover's; the cutover names it by the same ARN (the grants of
    // both then name its executions alike).
    const bakeByName = sfn.StateMachine.fromStateMachineArn(this, 'BakeByName', bakeArn);
    this.bakeStateMachine = this.workflow('Bake', 'bake', logGroup, {
      stateMachineName: bakeName,
      comment: BAKE_COMMENT,
      definition: (states) => bakeDefinition(context(states), bakeByName),
      auditTrail: false,
      reach: { childStateMachineName: bakeName },
    });

    this.stateMachine = this.workflow('Cutover', 'cutover', logGroup, {
      stateMachineName,
      comment: 'Payment migration cutover: pre-checks, traffic steps with gated bakes, switchover, automatic rollback',
      definition: (states) => cutoverDefinition(context(states, bakeByName), {
        steps: this.steps,
        bakeTime: pace.bakeTime,
        preChecks: configs.flatMap((c) => c.preChecks),
        switchover,
        approveBeforeFirstStep: props.approveBeforeFirstStep ?? false,
        approveBeforeSwitchover: props.approveBeforeSwitchover ?? false,
        approvalTimeout: props.approvalTimeout ?? Duration.hours(4),
      }),
      reach: { childStateMachineName: bakeName },
    });
    this.stateMachine.node.addDependency(this.bakeStateMachine);

    if (withEventPath) {
      this.alarmRollbackStateMachine = this.workflow('AlarmRollback', 'alarm-rollback', logGroup, {
        stateMachineName: rollbackName,
        comment: 'Rolls a running cutover back when a gating alarm enters ALARM; does nothing when none runs',
        definition: (states) => alarmRollbackDefinition(context(states), selfArn),
        reach: { stoppableStateMachineArn: selfArn },
      });
      this.alarmRule = this.startOnEvent('AlarmRule', this.alarmRollbackStateMachine, 'alarm-rollback',
        'A gating alarm entered ALARM: roll back the running cutover, if any',
        {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          resources: eventAlarms.map((a) => a.alarmArn),
          detail: { state: { value: ['ALARM'] } },
        },
        { alarm: events.EventField.fromPath('$.detail.alarmName'), time: events.EventField.time },
      );
    }

    if (props.recoverEndedExecutions ?? true) {
      this.recoveryStateMachine = this.workflow('Recovery', 'recovery', logGroup, {
        stateMachineName: recoveryName,
        comment: 'Recovers a cutover execution that ended without its rollback (stopped, timed out, runtime error)',
        definition: (states) => recoveryDefinition(context(states), holders),
        reach: { readableStateMachineArns: holders },
      });
      // Any workflow that can hold the record: the cutover, the alarm rollback, the recovery itself.
      this.startOnEvent('RecoveryRule', this.recoveryStateMachine, 'recovery',
        'A cutover, alarm-rollback or recovery execution ended stopped, timed out or failed: take the record over if it still held it',
        {
          source: ['aws.states'],
          detailType: ['Step Functions Execution Status Change'],
          detail: { stateMachineArn: holders, status: ['ABORTED', 'TIMED_OUT', 'FAILED'] },
        },
        { execution: events.EventField.fromPath('$.detail.executionArn') },
      );
    }

    if (props.createOutputs ?? true) {
      new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn, description: 'Cutover state machine: start it to cut over' });
      new CfnOutput(this, 'ControlParameterName', { value: this.controlParameter.parameterName, description: 'Cutover operator control (RUN, PAUSE, SKIP_BAKE, ABORT)' });
    }
  }

  /**
   * The *intended* split: the target's weight the cutover set last (published after every shift and rollback).
   *
   * @default - Maximum over 1 minute
   */
  public metricTargetWeight(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: SPLIT_METRIC_NAMESPACE,
      metricName: SPLIT_METRIC_NAME,
      dimensionsMap: { Cutover: this.cutoverName },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
      ...props,
    });
  }

  /** The CLI command that starts a cutover. */
  public startCommand(): string {
    return `aws stepfunctions start-execution --region ${Stack.of(this).region} --state-machine-arn ${this.stateMachine.stateMachineArn} --name cutover-$(date -u +%Y%m%dT%H%M%SZ)`;
  }

  /** The CLI command that gives an operator command to the running cutover (PAUSE, RUN to resume, SKIP_BAKE, ABORT). */
  public operatorCommand(command: OperatorCommand): string {
    return `aws ssm put-parameter --region ${Stack.of(this).region} --name ${this.controlParameter.parameterName} --type String --overwrite --value ${command}`;
  }

  /** Lets a principal start cutovers, watch them (and their bakes), give operator commands and answer approvals. */
  public grantOperate(grantee: iam.IGrantable): iam.Grant {
    this.stateMachine.grantStartExecution(grantee);
    this.stateMachine.grantRead(grantee);
    this.bakeStateMachine.grantRead(grantee);
    this.stateMachine.grantTaskResponse(grantee);
    this.cutoverRecordTable.grantReadData(grantee);
    this.recoveryStateMachine?.grantStartExecution(grantee);
    // The record's holder may be an execution of any of the three workflows: the console describes it (running or
    // ended?) before `recover` and in `status`.
    this.alarmRollbackStateMachine?.grantExecution(grantee, 'states:DescribeExecution');
    this.recoveryStateMachine?.grantExecution(grantee, 'states:DescribeExecution');
    return this.controlParameter.grantWrite(grantee);
  }

  /**
   * Lets one fleet acknowledge the database writer value it enforces (the contract of
   * `DmsWriterMoveOptions.acknowledgingFleets`): `dynamodb:UpdateItem` on the cutover record's `fences` item, its own
   * attribute only, and the record key's encrypt/decrypt. Give it to the AWS fleet's role and to the identity the
   * legacy fleet uses (IAM Roles Anywhere, for example).
   */
  public grantWriterAcknowledgement(grantee: iam.IGrantable, fleet: string): iam.Grant {
    // The record's key, through DynamoDB only (the table is encrypted with it): not a key to decrypt anything else with.
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt'],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
    });
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:UpdateItem'],
      resourceArns: [this.cutoverRecordTable.tableArn],
      conditions: {
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['fences'], 'dynamodb:Attributes': ['pk', fleet] },
        'StringEqualsIfExists': { 'dynamodb:ReturnValues': 'NONE' },
      },
    });
  }

  /** SNS publishes and S3 SSE-KMS writes need these two key actions; the checkpoint task grants s3:PutObject itself. */
  /**
   * One of the workflows: a standard state machine, every execution logged (without its data) and traced, its role
   * granted the audit trail's key when it writes the trail, acknowledged (what it may reach) and marked as `kind`.
   */
  private workflow(id: string, kind: WorkflowKind, logGroup: logs.ILogGroup, props: {
    readonly stateMachineName: string;
    readonly comment: string;
    /** Builds the states in their own scope, `<id>States`. */
    readonly definition: (states: Construct) => sfn.IChainable;
    /** Whether it writes the audit trail (the checkpoint objects, with the key): every workflow but the bake. @default true */
    readonly auditTrail?: boolean;
    readonly reach: StateMachineReach;
  }): sfn.StateMachine {
    const definition = props.definition(new Construct(this, `${id}States`));
    const machine = new sfn.StateMachine(this, id, {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: props.comment,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    if (props.auditTrail ?? true) this.grantAuditTrail(machine);
    acknowledgeStateMachine(machine, this.checkpointBucket, props.reach);
    markWorkflow(machine, kind);
    return machine;
  }

  private grantAuditTrail(stateMachine: sfn.StateMachine): void {
    this.key.grant(stateMachine, 'kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt');
  }

  /**
   * A rule that starts `machine` on `eventPattern`, through a role allowed exactly that (a managed policy: the
   * target would otherwise add the same grant again as an inline policy).
   */
  private startOnEvent(
    id: string,
    machine: sfn.StateMachine,
    what: string,
    description: string,
    eventPattern: events.EventPattern,
    input: object,
  ): events.Rule {
    const role = new iam.Role(this, `${id}Role`, {
      description: `EventBridge starts the ${what} workflow`,
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
    });
    new iam.ManagedPolicy(this, `${id}Policy`, {
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [machine.stateMachineArn] })],
    });
    return new events.Rule(this, id, {
      description,
      eventPattern,
      targets: [new targets.SfnStateMachine(machine, { role: role.withoutPolicyUpdates(), input: events.RuleTargetInput.fromObject(input) })],
    });
  }
}

function uniqueAlarms(alarms: cloudwatch.IAlarm[]): cloudwatch.IAlarm[] {
  return alarms.filter((a, i) => alarms.indexOf(a) === i);
}
