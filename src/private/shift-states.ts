import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/*
 * The states every traffic shift shares, whatever it changes (Route 53 weights, listener weights, accelerator dials):
 * the split checked first (ValidateSplit → InvalidSplit), then, after the change, a read back counted in `Polls`
 * until the change shows (Shifted) or `maxPolls` reads have not shown it (the timeout's Fail).
 */

/** The shape of a shift: where its split and its result live, how often it reads back, and for how long. */
export interface ShiftShapeConfig {
  readonly splitPath: string;
  readonly resultPath: string;
  readonly pollInterval: Duration;
  readonly timeout: Duration;
}

/** What a valid split is: two numbers 0–`max`, not both 0; and how the shift fails on another one. */
export interface SplitRule {
  readonly max: number;
  readonly error: string;
  /** @default - `<split> must be { "sourceWeight": 0-<max>, "targetWeight": 0-<max> } with at least one weight above 0` */
  readonly cause?: string;
}

/** The shift's timeout: its Fail state and what it says, given the polls and the interval in seconds. */
export interface ShiftTimeout {
  readonly id: string;
  readonly error: string;
  readonly cause: (maxPolls: number, intervalSeconds: number) => string;
}

/** Retries of a shift's SDK calls on the service's throttling errors: 1 s, doubling, 6 attempts. */
export function throttlingRetry(errors: string[]): sfn.RetryProps {
  return { errors, interval: Duration.seconds(1), maxAttempts: 6, backoffRate: 2 };
}

/**
 * A shift fragment: it starts at ValidateSplit and ends at Shifted, the shared states in `states`.
 * @internal
 */
export abstract class ShiftFragmentBase extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];
  protected readonly states: ShiftStates;
  /** The shift's `resultPath`. */
  protected readonly rp: string;
  /** The shift's `splitPath`. */
  protected readonly split: string;

  constructor(scope: Construct, id: string, config: ShiftShapeConfig) {
    super(scope, id);
    this.states = new ShiftStates(this, id, config);
    this.rp = config.resultPath;
    this.split = config.splitPath;
    this.startState = this.states.validate;
    this.endStates = this.states.done.endStates;
  }
}

/**
 * The shared states of one shift fragment, named `<fragment id> <state>`.
 * @internal
 */
export class ShiftStates {
  /** The reads before the timeout: timeout / poll interval, at least 1. */
  public readonly maxPolls: number;
  /** The first state: ValidateSplit. */
  public readonly validate: sfn.Choice;
  /** The last state: Shifted. */
  public readonly done: sfn.Pass;
  /** `States.MathAdd(<resultPath>.Polls, 1)`, for the CountPoll parameters. */
  public readonly nextPoll: string;

  constructor(private readonly scope: Construct, private readonly id: string, private readonly config: ShiftShapeConfig) {
    this.maxPolls = Math.max(1, Math.ceil(config.timeout.toSeconds() / config.pollInterval.toSeconds()));
    this.validate = sfn.Choice.jsonPath(scope, 'ValidateSplit', { stateName: this.name('ValidateSplit') });
    this.done = sfn.Pass.jsonPath(scope, 'Shifted', { stateName: this.name('Shifted') });
    this.nextPoll = `States.MathAdd(${config.resultPath}.Polls, 1)`;
  }

  /** A state's name: `<fragment id> <state>`. */
  public name(state: string): string {
    return `${this.id} ${state}`;
  }

  /** ValidateSplit goes to `first` when both weights are 0–`rule.max` and one is above 0, else to InvalidSplit. */
  public validateSplit(rule: SplitRule, first: sfn.IChainable): void {
    const split = this.config.splitPath;
    const weightOk = (side: string) =>
      sfn.Condition.and(
        sfn.Condition.isPresent(`${split}.${side}`),
        sfn.Condition.isNumeric(`${split}.${side}`),
        sfn.Condition.numberGreaterThanEquals(`${split}.${side}`, 0),
        sfn.Condition.numberLessThanEquals(`${split}.${side}`, rule.max),
      );
    const cause = rule.cause
      ?? `${split} must be { "sourceWeight": 0-${rule.max}, "targetWeight": 0-${rule.max} } with at least one weight above 0`;
    const invalid = sfn.Fail.jsonPath(this.scope, 'InvalidSplit', { stateName: this.name('InvalidSplit'), error: rule.error, cause });
    this.validate
      .when(sfn.Condition.and(weightOk('sourceWeight'), weightOk('targetWeight'), sfn.Condition.or(
        sfn.Condition.numberGreaterThan(`${split}.sourceWeight`, 0),
        sfn.Condition.numberGreaterThan(`${split}.targetWeight`, 0),
      )), first)
      .otherwise(invalid);
  }

  /** The Wait between two reads. */
  public wait(id: string): sfn.Wait {
    return sfn.Wait.jsonPath(this.scope, id, { stateName: this.name(id), time: sfn.WaitTime.duration(this.config.pollInterval) });
  }

  /** CountPoll: replaces the result with `parameters` (which count the poll with `nextPoll`). */
  public countPoll(parameters: Record<string, unknown>): sfn.Pass {
    return sfn.Pass.jsonPath(this.scope, 'CountPoll', { stateName: this.name('CountPoll'), parameters, resultPath: this.config.resultPath });
  }

  /**
   * The read-back Choice `<id>?`: Shifted when `shown`, the timeout's Fail after `maxPolls` reads, else `again`.
   */
  public untilShown(id: string, shown: sfn.Condition, timeout: ShiftTimeout, again: sfn.IChainable): sfn.Choice {
    const timedOut = sfn.Fail.jsonPath(this.scope, timeout.id, {
      stateName: this.name(timeout.id),
      error: timeout.error,
      cause: timeout.cause(this.maxPolls, this.config.pollInterval.toSeconds()),
    });
    return sfn.Choice.jsonPath(this.scope, id, { stateName: this.name(`${id}?`) })
      .when(shown, this.done)
      .when(sfn.Condition.numberGreaterThanEquals(`${this.config.resultPath}.Polls`, this.maxPolls), timedOut)
      .otherwise(again);
  }
}
