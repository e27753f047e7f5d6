import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { AcceleratorPermission, GlobalAcceleratorCall } from './global-accelerator-call';
import { ShiftFragmentBase } from '../private/shift-states';

/** The error a shift fails with when the dials or the deployment are not read back in effect within its timeout. */
export const NOT_IN_EFFECT_ERROR = 'AcceleratorCutover.NotInEffect';
/** The error a shift fails with when the split in its input is not two dials 0–100, not both 0. */
export const INVALID_SPLIT_ERROR = 'AcceleratorCutover.InvalidSplit';

/** The permissions of a shift, by call. @internal */
export interface AcceleratorShiftPermissions {
  readonly update: AcceleratorPermission;
  readonly describeGroups: AcceleratorPermission;
  readonly describeAccelerator: AcceleratorPermission;
}

/** @internal */
export interface AcceleratorShiftConfig {
  readonly acceleratorArn: string;
  readonly sourceEndpointGroupArn: string;
  readonly targetEndpointGroupArn: string;
  readonly permissions: AcceleratorShiftPermissions;
  /** Where the Global Accelerator calls' function logs. */
  readonly logGroup: logs.ILogGroup;
  readonly splitPath: string;
  readonly resultPath: string;
  readonly pollInterval: Duration;
  readonly timeout: Duration;
}

/**
 * The shift on Global Accelerator: read the target group's dial, raise the dial that goes up, lower the one that goes
 * down, then read both dials and the accelerator's status back until the split is configured and DEPLOYED.
 *
 * Why the dial going UP moves first: the state in between then has each dial at the higher of its old and new values,
 * so a dial is never lowered before the other side can take what it turns away. With `splitFor`'s dials (source + target = 100) the target share of the state in between is a mix of
 * the old and the new share (the target-near clients already at the new dial, the source-near ones still at the old,
 * or the reverse), so it always lies between them; and no state in between has a dial below 100 whose traffic could
 * only overflow to a group dialled to 0 (lowering first would, e.g. 100/0 → 0/0 on a one-step cutover). Which dial
 * goes up is decided at run time, from the target dial read first: a step raises the target, a rollback the source.
 *
 * Output at `resultPath`: `{ TargetDialBefore, RaisedFirst: 'target' | 'source', Polls, SourceDial, TargetDial,
 * Status }` (while changing, also `First`/`Second`: the two requests).
 * @internal
 */
export class AcceleratorShiftFragment extends ShiftFragmentBase {
  constructor(scope: Construct, id: string, config: AcceleratorShiftConfig) {
    super(scope, id, config);
    const { states, rp, split } = this;
    const p = config.permissions;
    const source = config.sourceEndpointGroupArn;
    const target = config.targetEndpointGroupArn;

    // --- Which dial goes up: read the target's dial now (Polls starts at 0 here, for every use of the fragment)
    const readBefore = new GlobalAcceleratorCall(this, 'ReadTargetDial', {
      stateName: states.name('ReadTargetDial'),
      action: 'describeEndpointGroup',
      permission: p.describeGroups,
      logGroup: config.logGroup,
      parameters: { EndpointGroupArn: target },
      resultSelector: { 'TargetDialBefore.$': '$.EndpointGroup.TrafficDialPercentage' },
      resultPath: rp,
    });
    const request = (arn: string, side: string) => ({ 'EndpointGroupArn': arn, 'TrafficDialPercentage.$': `${split}.${side}Weight` });
    const plan = (raised: 'target' | 'source') => sfn.Pass.jsonPath(this, raised === 'target' ? 'RaiseTargetFirst' : 'RaiseSourceFirst', {
      stateName: states.name(raised === 'target' ? 'RaiseTargetFirst' : 'RaiseSourceFirst'),
      parameters: {
        'TargetDialBefore.$': `${rp}.TargetDialBefore`,
        'RaisedFirst': raised,
        'Polls': 0,
        'First': raised === 'target' ? request(target, 'target') : request(source, 'source'),
        'Second': raised === 'target' ? request(source, 'source') : request(target, 'target'),
      },
      resultPath: rp,
    });
    const raiseTargetFirst = plan('target');
    const raiseSourceFirst = plan('source');
    const targetUp = sfn.Choice.jsonPath(this, 'TargetDialUp', { stateName: states.name('TargetDialUp?') })
      .when(sfn.Condition.numberGreaterThanEqualsJsonPath(`${split}.targetWeight`, `${rp}.TargetDialBefore`), raiseTargetFirst)
      .otherwise(raiseSourceFirst);

    // --- The two changes: UpdateEndpointGroup with the dial only (the endpoints and health checks are left as they are)
    const update = (stateId: string, which: 'First' | 'Second') => new GlobalAcceleratorCall(this, stateId, {
      stateName: states.name(stateId),
      action: 'updateEndpointGroup',
      permission: p.update,
      logGroup: config.logGroup,
      parameters: {
        'EndpointGroupArn.$': `${rp}.${which}.EndpointGroupArn`,
        'TrafficDialPercentage.$': `${rp}.${which}.TrafficDialPercentage`,
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    const raise = update('RaiseDial', 'First');
    const lower = update('LowerDial', 'Second');

    // --- Read back, after a wait: both dials configured as asked and the accelerator DEPLOYED, or time out
    const wait = states.wait('WaitForDeploy');
    const readGroup = (stateId: string, arn: string, field: string) => new GlobalAcceleratorCall(this, stateId, {
      stateName: states.name(stateId),
      action: 'describeEndpointGroup',
      permission: p.describeGroups,
      logGroup: config.logGroup,
      parameters: { EndpointGroupArn: arn },
      resultSelector: { 'Dial.$': '$.EndpointGroup.TrafficDialPercentage' },
      resultPath: `${rp}.${field}`,
    });
    const readSource = readGroup('ReadSourceGroup', source, 'Source');
    const readTarget = readGroup('ReadTargetGroup', target, 'Target');
    const readAccelerator = new GlobalAcceleratorCall(this, 'ReadAccelerator', {
      stateName: states.name('ReadAccelerator'),
      action: 'describeAccelerator',
      permission: p.describeAccelerator,
      logGroup: config.logGroup,
      parameters: { AcceleratorArn: config.acceleratorArn },
      resultSelector: { 'Status.$': '$.Accelerator.Status' },
      resultPath: `${rp}.Accelerator`,
    });
    const countPoll = states.countPoll({
      'TargetDialBefore.$': `${rp}.TargetDialBefore`,
      'RaisedFirst.$': `${rp}.RaisedFirst`,
      'Polls.$': states.nextPoll,
      'SourceDial.$': `${rp}.Source.Dial`,
      'TargetDial.$': `${rp}.Target.Dial`,
      'Status.$': `${rp}.Accelerator.Status`,
    });
    const deployed = sfn.Condition.and(
      sfn.Condition.numberEqualsJsonPath(`${rp}.SourceDial`, `${split}.sourceWeight`),
      sfn.Condition.numberEqualsJsonPath(`${rp}.TargetDial`, `${split}.targetWeight`),
      sfn.Condition.stringEquals(`${rp}.Status`, 'DEPLOYED'),
    );
    const inEffect = states.untilShown('InEffect', deployed, {
      id: 'NotInEffect',
      error: NOT_IN_EFFECT_ERROR,
      cause: (polls, every) => `The traffic dials were not read back as set, with the accelerator DEPLOYED, after ${polls} polls every ${every} s`,
    }, wait);

    // --- The split: two numbers 0–100, not both 0
    states.validateSplit({
      max: 100,
      error: INVALID_SPLIT_ERROR,
      cause: `${split} must be { "sourceWeight": 0-100, "targetWeight": 0-100 } (traffic dials) with at least one above 0`,
    }, readBefore);
    readBefore.next(targetUp);
    raiseTargetFirst.next(raise);
    raiseSourceFirst.next(raise);
    raise.next(lower).next(wait).next(readSource).next(readTarget).next(readAccelerator).next(countPoll).next(inEffect);
  }
}
