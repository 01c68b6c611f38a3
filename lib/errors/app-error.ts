/**
 * The one error type helpers throw and return. It carries everything a caller needs to act:
 * which step failed, the Graph error code when Graph said no, and what to do about it.
 * Workflows branch on `code`; people read `message` and `fix`.
 */
export type AppErrorCode =
  | 'validation_failed'
  | 'unknown_intent'
  | 'payload_too_large'
  | 'not_found'
  | 'ambiguous'
  | 'refused'
  | 'conflict'
  | 'forbidden'
  | 'unauthorized'
  | 'throttled'
  | 'service_unavailable'
  | 'quota_exceeded'
  | 'storage_unavailable'
  | 'configuration'
  | 'link_expired'
  | 'link_used'
  // msp mode (docs/msp-mode.md): the customer named in a request is not one this deployment serves, or an address
  // lies outside that customer's tenant.
  | 'unknown_customer'
  | 'customer_removed'
  | 'bad_customer_key'
  | 'address_outside_tenant'
  | 'internal';

export interface AppErrorOptions {
  code: AppErrorCode;
  message: string;
  /** HTTP status the helper answers with. */
  status: number;
  /** What to do about it, in plain words for an MSP technician. */
  fix: string;
  /** Name of the step that failed, e.g. "resolve_user", "claim_idempotency". */
  step?: string;
  /** Graph's own error code, e.g. "Request_ResourceNotFound", when the failure came from Graph. */
  graphCode?: string;
  /** HTTP status Graph (or another service) answered with. */
  upstreamStatus?: number;
  /** Whether repeating the same call later may succeed (throttling, outages). */
  retryable?: boolean;
  /** Structured extras, e.g. the candidates of an ambiguous name. Never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  readonly fix: string;
  readonly step: string | undefined;
  readonly graphCode: string | undefined;
  readonly upstreamStatus: number | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(options: AppErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = options.code;
    this.status = options.status;
    this.fix = options.fix;
    this.step = options.step;
    this.graphCode = options.graphCode;
    this.upstreamStatus = options.upstreamStatus;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  /** Same error, attributed to a step (keeps an existing attribution). */
  atStep(step: string): AppError {
    if (this.step) return this;
    return new AppError({ ...this.toOptions(), step });
  }

  toOptions(): AppErrorOptions {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      fix: this.fix,
      step: this.step,
      graphCode: this.graphCode,
      upstreamStatus: this.upstreamStatus,
      retryable: this.retryable,
      details: this.details,
    };
  }

  /** The JSON body helpers answer with; safe to show (never contains secrets or stack traces). */
  toBody(): { error: ErrorBody } {
    return {
      error: {
        code: this.code,
        message: this.message,
        fix: this.fix,
        ...(this.step ? { step: this.step } : {}),
        ...(this.graphCode ? { graphCode: this.graphCode } : {}),
        ...(this.upstreamStatus ? { upstreamStatus: this.upstreamStatus } : {}),
        retryable: this.retryable,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export interface ErrorBody {
  code: AppErrorCode;
  message: string;
  fix: string;
  step?: string;
  graphCode?: string;
  upstreamStatus?: number;
  retryable: boolean;
  details?: Record<string, unknown>;
}

/** Converts anything thrown into an AppError without leaking internals (stack, raw messages of unknown errors). */
export function toAppError(err: unknown, step?: string): AppError {
  if (err instanceof AppError) return step ? err.atStep(step) : err;
  return new AppError({
    code: 'internal',
    message: 'An unexpected error occurred in the helper.',
    status: 500,
    fix: 'Retry the request; if it keeps failing, check the helper logs in Application Insights for this run id.',
    step,
    retryable: true,
    cause: err,
  });
}
