import { findGraphErrorRule } from '../graph/error-table.js';
import { deniedWorkflowGraphCall } from '../permissions/workflow-graph-actions.js';
import { type ActionResultLike, asString, bodyOf, isRecord } from './context.js';
import type { OutcomeError } from './outcome.js';

/**
 * Turns a failed action into the outcome's `error`, whatever answered:
 * - a helper (AppError body `{error:{code,message,fix,...}}`): taken as is, it already speaks plainly;
 * - Microsoft Graph (`{error:{code,message,innerError}}`): mapped through the same table lib/graph uses,
 *   so a Graph 403 from a workflow write reads exactly like one seen by a helper;
 * - no HTTP answer at all (timeout, connection refused): the action's own error.
 * Never copies request inputs, so nothing secret can ride along.
 */
export function failureFromAction(action: ActionResultLike | undefined, step: string, what: string): OutcomeError {
  const statusCode = typeof action?.outputs?.statusCode === 'number' ? action.outputs.statusCode : undefined;
  const body = bodyOf(action);
  const inner = isRecord(body) && isRecord(body.error) ? body.error : undefined;

  if (inner && typeof inner.fix === 'string' && typeof inner.code === 'string') {
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

  if (statusCode !== undefined && statusCode >= 400) {
    const graphCode = asString(inner?.code);
    const graphMessage = asString(inner?.message) ?? '';
    const rule = findGraphErrorRule(statusCode, graphCode, graphMessage);
    // Graph's 403 never names the missing permission; the permissions table does (lib/permissions).
    const denied = statusCode === 403 ? deniedWorkflowGraphCall(action) : undefined;
    return {
      code: rule.code,
      message: `${what} failed: ${denied?.message ?? rule.message}${graphMessage ? ` (Microsoft Graph said: ${graphMessage})` : ''}`,
      fix: denied?.fix ?? rule.fix,
      step,
      ...(graphCode ? { graphCode } : {}),
      retryable: rule.retryable,
    };
  }

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

/** The parts of a helper error's details a technician can act on (the `lookup` marker is internal). */
function helpfulDetails(details: unknown): { details?: Record<string, unknown> } {
  if (!isRecord(details)) return {};
  const picked: Record<string, unknown> = {};
  for (const key of ['suggestions', 'candidates', 'tenantHas'] as const) {
    if (details[key] !== undefined) picked[key] = details[key];
  }
  return Object.keys(picked).length > 0 ? { details: picked } : {};
}
