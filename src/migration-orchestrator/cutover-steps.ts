import { Duration } from 'aws-cdk-lib';
import { checkStepsInput } from './validate-options';
import { Validator } from '../private/validation';

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
    checkStepShapes(steps);
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

  /**
   * The rule every step list must keep, as a list of violations (empty when valid): at least one step, integer
   * percentages in 1–100, strictly increasing, the last exactly 100, bake times of at least 0 s and at most a year.
   */
  public validate(): string[] {
    const errors: string[] = [];
    const pcts = this.steps.map((s) => s.targetPercent);
    if (pcts.length === 0) errors.push('must contain at least one step');
    if (pcts.some((p) => typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 100)) {
      const fractions = pcts.some((p) => typeof p === 'number' && p > 0 && p < 1);
      errors.push(fractions
        ? 'must be integer percentages between 1 and 100 (these read as fractions: 0.25 means 25 %, write 25)'
        : 'must be integer percentages between 1 and 100');
    }
    if (this.steps.some((s) => s.bakeTime !== undefined && (typeof s.bakeTime !== 'object' || typeof (s.bakeTime as any).toSeconds !== 'function'))) {
      errors.push('must give each step\'s bakeTime as a Duration (e.g. Duration.minutes(5)), not a bare number');
      return errors;
    }
    if (pcts.some((p, i) => i > 0 && p <= pcts[i - 1])) errors.push('must be strictly increasing');
    if (pcts.length > 0 && pcts[pcts.length - 1] !== 100) errors.push('must end at 100');
    if (this.steps.some((s) => s.bakeTime && s.bakeTime.toSeconds({ integral: false }) > Duration.days(365).toSeconds())) {
      errors.push('must bake at most a year per step (the Step Functions Wait limit)');
    }
    return errors;
  }
}

/** What a Python user means by each snake_case key: the struct's fields. */
const PYTHON_SPELLINGS: Readonly<Record<string, string>> = { target_percent: 'targetPercent', bake_time: 'bakeTime' };

/**
 * Each step is an object; a key in Python's spelling (`bake_time`) means a dict reached the list unconverted (the jsii
 * runtime converts a dict given as a struct, not dicts inside a list) or a plain JavaScript caller used it: without
 * this check the step would silently bake the orchestrator's default, or be refused as "not a percentage".
 */
function checkStepShapes(steps: unknown[]): void {
  const v = new Validator('CutoverSteps.fromSteps');
  steps.forEach((step, i) => {
    if (typeof step !== 'object' || step === null || Array.isArray(step)) {
      v.fail(`steps[${i}]`, 'must be a CutoverStep ({ targetPercent: 25, bakeTime: Duration.minutes(5) }; for bare percentages use CutoverSteps.of([25, 100]))', step);
      return;
    }
    for (const key of Object.keys(step).filter((k) => Object.prototype.hasOwnProperty.call(PYTHON_SPELLINGS, k))) {
      v.fail(
        `steps[${i}]`,
        `has \`${key}\` where a CutoverStep has \`${PYTHON_SPELLINGS[key]}\`: from Python, pass \`CutoverStep(target_percent=25, bake_time=Duration.minutes(5))\` ` +
          'objects, not dicts (the jsii runtime does not convert dicts inside a list)',
        Object.keys(step),
      );
    }
  });
  v.throwIfInvalid();
}
