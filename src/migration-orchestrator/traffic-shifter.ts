import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** The weights of the two sides, as the shifter takes them (Route 53 record weights, listener weights, traffic dials). */
export interface CutoverSplit {
  /** The weight of the source side (Route 53: 0–255; load balancer: 0–999; Global Accelerator: dial 0–100). */
  readonly sourceWeight: number;
  /** The weight of the target side. */
  readonly targetWeight: number;
}

/**
 * Options for {@link WeightedCutover.shiftFragment}.
 */
export interface ShiftFragmentOptions {
  /**
   * Where the desired split is in the state input: `{ "sourceWeight": number, "targetWeight": number }`, not both 0,
   * in the shifter's range (a {@link CutoverSplit}, as the shifter's `splitFor` computes it).
   *
   * @default '$.split'
   */
  readonly splitPath?: string;

  /**
   * Where the fragment writes what it learnt of the change (Route 53: `{ Id, Status, SubmittedAt, Polls, Latest? }`
   * from its ChangeInfo; the other shifters: the read-back and its `Polls`).
   *
   * @default '$.shift.change'
   */
  readonly resultPath?: string;

  /**
   * Time between reads of the change's state (Route 53 GetChange, the listener, the endpoint groups).
   *
   * @default - Route 53: 5 seconds; load balancer: 1 second; Global Accelerator: 5 seconds
   */
  readonly pollInterval?: Duration;

  /**
   * How long to wait for the change to be in effect before the fragment fails (`WeightedCutover.InsyncTimeout`,
   * `LoadBalancerCutover.NotInEffect`, `AcceleratorCutover.NotInEffect`). Route 53 propagates a change to all its
   * servers within 60 seconds normally.
   *
   * @default - Route 53: 5 minutes; load balancer: 30 seconds; Global Accelerator: 5 minutes
   */
  readonly timeout?: Duration;
}

/**
 * Something that moves traffic between the source and the target side in one change, and confirms it is in effect
 * before the bake starts: `WeightedCutover` (Route 53 weighted records), `LoadBalancerCutover` (weighted target
 * groups on one listener) and `AcceleratorCutover` (Global Accelerator traffic dials) implement it.
 */
export interface ITrafficShifter {
  /** What moves traffic, in a few words, for runbooks and the console ("Route 53 weighted records"). */
  readonly description: string;

  /**
   * A fragment that sets the split read from its input and ends only once the change is in effect.
   * Usable several times in one state machine (unique `id`s).
   */
  shiftFragment(scope: Construct, id: string, options?: ShiftFragmentOptions): sfn.StateMachineFragment;

  /** The weights for a target share in percent: the one place a percentage becomes weights. */
  splitFor(targetPercent: number): CutoverSplit;

  /** Lets a principal make the shift (for operators' roles). */
  grantShift(grantee: iam.IGrantable): iam.Grant;

  /**
   * The AWS CLI command that applies a split by hand and shows it in effect: the runbook's break-glass path.
   *
   * @param targetPercent the share of traffic for the target side, an integer 0–100
   */
  shiftCommand(targetPercent: number): string;
}
