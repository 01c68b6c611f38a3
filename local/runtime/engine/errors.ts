import type { ActionStatus, ErrorInfo } from '../model.js';

/** A trigger request the workflow refuses; the server turns it into Azure's `{error:{code,message}}` body. */
export class TriggerRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TriggerRequestError';
  }
}

/**
 * Thrown by an action executor to end the action with a given status and Azure code.
 * Carries the inputs/outputs to record, because a failed Http action still shows what it sent and got.
 */
export class ActionFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extra: { status?: ActionStatus; inputs?: unknown; outputs?: unknown; noError?: boolean } = {},
  ) {
    super(message);
    this.name = 'ActionFailure';
  }

  toErrorInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/** Code and message of any thrown value, for recording. */
export function describeError(err: unknown): ErrorInfo {
  if (err instanceof ActionFailure) return err.toErrorInfo();
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'NotSpecified', message: err.message };
  }
  return { code: 'NotSpecified', message: String(err) };
}
