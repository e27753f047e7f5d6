import type { IPaymentMigrationValidationError, ValidationFailure } from '../validation-error';

/** The mark `PaymentMigrationErrors.isValidationError` reads (the same `Symbol.for` key). */
const VALIDATION_ERROR_MARK = Symbol.for('cdk-payment-migration.ValidationError');

/**
 * The one error the library throws for bad input. Not in the jsii API (jsii refuses a class extending `Error`): its
 * fields are public through {@link IPaymentMigrationValidationError}, tell it with `PaymentMigrationErrors.isValidationError`.
 */
export class PaymentMigrationValidationError extends Error implements IPaymentMigrationValidationError {
  /** One failure as messages print it: `` `prop` rule, got: value ``. */
  public static line(failure: ValidationFailure): string {
    return `\`${failure.prop}\` ${failure.rule}${failure.value === undefined ? '' : `, got: ${failure.value}`}`;
  }

  /** `<component> failed:\n- …` for a factory, or `<component> initialization failed at <path>:\n- …` for a construct. */
  public static listed(component: string, header: string, failures: ValidationFailure[], constructPath?: string): PaymentMigrationValidationError {
    const message = `${header}:\n${failures.map((f) => `- ${PaymentMigrationValidationError.line(f)}`).join('\n')}`;
    return new PaymentMigrationValidationError(message, component, failures, constructPath);
  }

  public readonly component: string;
  public readonly constructPath?: string;
  public readonly failures: ValidationFailure[];

  constructor(message: string, component: string, failures: ValidationFailure[], constructPath?: string) {
    super(message);
    Object.setPrototypeOf(this, PaymentMigrationValidationError.prototype);
    this.name = 'PaymentMigrationValidationError';
    this.component = component;
    this.constructPath = constructPath;
    this.failures = failures;
    Object.defineProperty(this, VALIDATION_ERROR_MARK, { value: true });
  }
}
