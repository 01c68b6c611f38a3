/**
 * Errors raised while parsing or evaluating workflow expressions.
 *
 * Azure reports every expression problem in run history with the code "InvalidTemplate",
 * so that is the default; the message carries the function and the reason.
 */
export class ExpressionError extends Error {
  readonly code: string;

  constructor(message: string, code = 'InvalidTemplate') {
    super(message);
    this.name = 'ExpressionError';
    this.code = code;
  }
}

/**
 * A real WDL function the local runtime deliberately does not implement. Every catalogued
 * function is implemented today; the class stays so a refused function fails clearly, and so
 * load-time validation (isSupportedFunction) has something to report.
 */
export class UnsupportedFunctionError extends ExpressionError {
  constructor(functionName: string, reason = 'it is not implemented here') {
    super(
      `The function '${functionName}' is not supported by the local runtime: ${reason}. Run the workflow in Azure or avoid the function.`,
      'InvalidTemplate',
    );
    this.name = 'UnsupportedFunctionError';
  }
}

/** Wraps anything thrown by a context (engine) callback so callers always see an ExpressionError. */
export function asExpressionError(err: unknown): ExpressionError {
  if (err instanceof ExpressionError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ExpressionError(message);
}
