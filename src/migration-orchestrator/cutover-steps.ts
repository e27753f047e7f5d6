import type { Duration } from 'aws-cdk-lib';
import { checkStepsInput } from './validate-options';

/**
 * One step of a cutover: the share of traffic the target takes, and how long it bakes there.
 *
 * From Python, a list of steps (`CutoverSteps.fromSteps`) takes `CutoverStep(target_percent=25)` objects, not
 * dicts: the jsii runtime converts a dict given as a struct, but not dicts inside a list.
 */
export interface CutoverStep {
  /** The target's share of traffic after this step, in percent (1–100). */
  readonly targetPercent: number;
  /**
   * How long the step bakes (gates polled throughout) before the next one.
   *
   * @default - the orchestrator's `bakeTime`
   */
  readonly bakeTime?: Duration;
}

/**
 * The traffic steps of a cutover: strictly increasing percentages ending at 100.
 *
 * @example
 * CutoverSteps.linear(4);                 // 25, 50, 75, 100
 * CutoverSteps.canary(5);                 // 5, 100
 * CutoverSteps.of([10, 50, 100]);
 */
export class CutoverSteps {
  /** `count` equal steps: `linear(4)` is 25, 50, 75, 100. Non-integral shares round down (the last is 100). */
  public static linear(count: number): CutoverSteps {
    checkStepsInput('linear', count);
    const steps: CutoverStep[] = [];
    for (let i = 1; i <= count; i++) {
      steps.push({ targetPercent: i === count ? 100 : Math.floor((100 * i) / count) });
    }
    return new CutoverSteps(steps, `linear(${count})`);
  }

  /** A canary: `percent` first, then everything. */
  public static canary(percent: number): CutoverSteps {
    checkStepsInput('canary', percent);
    return new CutoverSteps([{ targetPercent: percent }, { targetPercent: 100 }], `canary(${percent})`);
  }

  /** Explicit percentages, each baking the orchestrator's `bakeTime`. */
  public static of(percentages: number[]): CutoverSteps {
    checkStepsInput('of', percentages);
    return new CutoverSteps(percentages.map((targetPercent) => ({ targetPercent })), `of([${percentages.join(', ')}])`);
  }

  /**
   * Explicit steps with their own bake times.
   *
   * From Python, pass `CutoverStep(target_percent=25, bake_time=Duration.minutes(5))` objects: the jsii runtime does
   * not convert dicts inside a list (a dict there is refused with "Missing required properties … 'targetPercent'").
   */
  public static fromSteps(steps: CutoverStep[]): CutoverSteps {
    checkStepsInput('fromSteps', steps);
    return new CutoverSteps(steps, 'fromSteps');
  }

  private constructor(
    /**
     * The steps. From Python, a list of `CutoverStep(target_percent=…)` objects (the jsii runtime does not convert
     * dicts inside a list).
     */
    public readonly steps: CutoverStep[],
    /** How the steps were made, for messages. */
    public readonly description: string,
  ) {}
}
