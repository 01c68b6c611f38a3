import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { AppError, toAppError } from '../errors/app-error.js';
import { scrubString } from '../telemetry/index.js';

/** One response shape for every helper: JSON bodies, AppError → its status + toBody(), never a stack. */
export function json(status: number, body: unknown): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'Cache-Control': 'no-store' } };
}

export function errorResponse(err: unknown, context: InvocationContext, step?: string): HttpResponseInit {
  const error = toAppError(err, step);
  if (!(err instanceof AppError)) {
    // The caller gets the generic body; the log gets the error's type and scrubbed message to diagnose.
    const detail = err instanceof Error ? `${err.name}: ${scrubString(err.message)}` : typeof err;
    context.error(`Unexpected error in ${context.functionName}${step ? ` (${step})` : ''}: ${detail}`);
  } else if (error.status >= 500) {
    context.warn(`${context.functionName}: ${error.code} at ${error.step ?? '-'}`);
  }
  const response = json(error.status, error.toBody());
  if (error.code === 'throttled' || error.code === 'service_unavailable' || error.code === 'storage_unavailable') {
    response.headers = { ...(response.headers as Record<string, string>), 'Retry-After': '5' };
  }
  return response;
}
