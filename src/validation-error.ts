/** The mark every validation error of this library carries (`Symbol.for`: a second copy of the library reads it too). */
const VALIDATION_ERROR_MARK = Symbol.for('cdk-payment-migration.ValidationError');

/** One rule that one prop breaks, as a validation error reports it. */
export interface ValidationFailure {
  /** The prop as the user wrote it, with its path: `cidr`, `side.fleet.minCapacity`, `steps[2].bakeTime`. */
  readonly prop: string;
  /** The rule, phrased to follow the prop's name: `must be between 1 and 3`. */
  readonly rule: string;
  /**
   * The value given, as the message echoes it (`"10.0.0/16"`, `5 minutes`, `<token>`).
   *
   * @default - the rule echoes no value (it is about something missing elsewhere)
   */
  readonly value?: string;
}

/**
 * What every error the library throws for bad input carries, besides its message: where, in what, and each failure
 * by its fields. Tell such an error with {@link PaymentMigrationErrors.isValidationError}.
 */
export interface IPaymentMigrationValidationError {
  /** The message: the component, the path, then one line per failure. */
  readonly message: string;
  /** The path of the construct refused (or being created), undefined for a static factory called before any construct. */
  readonly constructPath?: string;
  /** What refused the input: a construct (`RegionalNetwork`), a method or a factory (`CutoverGate.highResolutionMetric`). */
  readonly component: string;
  /** Every failure, in the order of the message. */
  readonly failures: ValidationFailure[];
}

/** Tells the errors of this library apart (the model is aws-cdk-lib's `Errors`). */
export class PaymentMigrationErrors {
  /**
   * True when `x` is an error the library threw for bad input: it then has the fields of
   * {@link IPaymentMigrationValidationError}. Works across two copies of the library, unlike `instanceof`.
   */
  public static isValidationError(x: any): x is IPaymentMigrationValidationError {
    return x !== null && typeof x === 'object' && VALIDATION_ERROR_MARK in x;
  }

  private constructor() {}
}
