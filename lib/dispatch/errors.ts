import { AppError } from '../errors/app-error.js';

/**
 * Why a child workflow refused a call. The technician sees one message and one fix whatever the reason
 * (a caller probing child URLs learns nothing about which ids exist); `reason` goes to run history and
 * tests only.
 */
export type DispatchRefusalReason = 'missing' | 'unknown' | 'expired' | 'other_intent' | 'used_by_other_run';

export const NOT_CALLED_BY_ROUTER = 'not_called_by_router';

export const NOT_CALLED_BY_ROUTER_FIX = "Send the request to the router's URL (thread-webhook).";

export class DispatchRefused extends Error {
  readonly code = NOT_CALLED_BY_ROUTER;
  readonly status = 403;
  readonly fix = NOT_CALLED_BY_ROUTER_FIX;

  constructor(readonly reason: DispatchRefusalReason) {
    super('This workflow runs only when the router (thread-webhook) calls it; nothing was changed.');
    this.name = 'DispatchRefused';
  }

  /** The body a child's refusal Response and the helper answer with. */
  toBody(): { status: 'failed'; message: string; steps: []; result: Record<string, never>; error: { code: string; message: string; fix: string; step: string; reason: DispatchRefusalReason } } {
    return {
      status: 'failed',
      message: this.message,
      steps: [],
      result: {},
      error: { code: this.code, message: this.message, fix: this.fix, step: 'accept_router_dispatch', reason: this.reason },
    };
  }
}

/** Table Storage could not be reached: the child cannot tell whether the router sent it, so it stops (retryable). */
export function dispatchStorageUnavailable(err: unknown, step: string): AppError {
  return new AppError({
    code: 'storage_unavailable',
    message: 'The dispatch table (Table Storage) could not be reached, so the intent was not started.',
    status: 503,
    fix: "Send the request again shortly; if it persists check the storage account and the Function App's access to it.",
    step,
    retryable: true,
    cause: err,
  });
}
