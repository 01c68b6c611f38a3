import { type ActionResultLike, asString, bodyOf, isRecord } from './context.js';
import type { OutcomeError } from './outcome.js';

/**
 * A failed router step (a helper call or a child workflow) as the outcome's `error`, without any
 * Microsoft Graph knowledge: the helpers and the children already turned Graph's answers into plain
 * errors, so the router only passes those on. Graph error classification lives in the helpers alone
 * (lib/inline/action-failure.ts, used by the intent summaries the helpers run).
 * Never copies request inputs, so nothing secret can ride along.
 */

/** A helper's AppError body `{error:{code,message,fix,...}}`, taken as is: it already speaks plainly. */
export function helperError(action: ActionResultLike | undefined, step: string, what: string): OutcomeError | undefined {
  const body = bodyOf(action);
  const inner = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (!inner || typeof inner.fix !== 'string' || typeof inner.code !== 'string') return undefined;
  return {
    code: inner.code,
    message: asString(inner.message) ?? `${what} failed.`,
    fix: inner.fix,
    step: asString(inner.step) ?? step,
    ...(typeof inner.graphCode === 'string' ? { graphCode: inner.graphCode } : {}),
    ...(typeof inner.retryable === 'boolean' ? { retryable: inner.retryable } : {}),
    ...helpfulDetails(inner.details),
  };
}

/** No HTTP answer at all (timeout, connection refused): the action's own error. */
export function noAnswerError(action: ActionResultLike | undefined, step: string, what: string): OutcomeError {
  const actionError = action?.error;
  const timedOut = String(action?.status ?? '').toLowerCase() === 'timedout' || actionError?.code === 'ActionTimedOut';
  return {
    code: timedOut ? 'service_unavailable' : 'internal',
    message: `${what} failed${actionError?.message ? `: ${actionError.message}` : '.'}`,
    fix: timedOut
      ? 'The service did not answer in time. Retry the request; if it keeps happening, check the service health.'
      : 'Open the run in the run history to see which action failed and why, then retry the request.',
    step,
    retryable: true,
  };
}

/**
 * An HTTP error without a helper's error body: the Functions platform or Easy Auth answered
 * (https://learn.microsoft.com/azure/app-service/overview-authentication-authorization), not our code.
 */
function platformError(statusCode: number, step: string, what: string): OutcomeError {
  const said = `${what} failed with HTTP ${statusCode}`;
  if (statusCode === 401 || statusCode === 403) {
    return {
      code: 'configuration',
      message: `${said}: the helpers did not accept the Logic App's managed identity.`,
      fix: "Check the helpers' Easy Auth audience (app setting HELPERS_AUDIENCE) and that ALLOWED_CALLER_OBJECT_IDS holds the Logic App's managed identity.",
      step,
      retryable: false,
    };
  }
  if (statusCode === 404) {
    return {
      code: 'configuration',
      message: `${said}: the helper was not found.`,
      fix: 'Check that HELPERS_BASE_URL points at the helpers Function App and that its latest package is deployed.',
      step,
      retryable: false,
    };
  }
  if (statusCode === 429 || statusCode >= 500) {
    return {
      code: 'service_unavailable',
      message: `${said}: the service is busy or unavailable.`,
      fix: 'Retry the request in a few minutes; if it keeps happening, check the health of the helpers Function App.',
      step,
      retryable: true,
    };
  }
  return {
    code: 'internal',
    message: `${said}.`,
    fix: 'Open the run in the run history to see which action failed and why, then retry the request.',
    step,
    retryable: false,
  };
}

/** Router steps: helper answer as is; other HTTP errors by status; no answer from the action's error. */
export function failureFromStep(action: ActionResultLike | undefined, step: string, what: string): OutcomeError {
  const helper = helperError(action, step, what);
  if (helper) return helper;
  const statusCode = typeof action?.outputs?.statusCode === 'number' ? action.outputs.statusCode : undefined;
  if (statusCode !== undefined && statusCode >= 400) return platformError(statusCode, step, what);
  return noAnswerError(action, step, what);
}

/** The parts of a helper error's details a technician can act on (the `lookup` marker is internal). */
function helpfulDetails(details: unknown): { details?: Record<string, unknown> } {
  if (!isRecord(details)) return {};
  const picked: Record<string, unknown> = {};
  for (const key of ['suggestions', 'candidates', 'tenantHas'] as const) {
    if (details[key] !== undefined) picked[key] = details[key];
  }
  return Object.keys(picked).length > 0 ? { details: picked } : {};
}
