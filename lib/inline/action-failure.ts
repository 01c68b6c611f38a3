import { findGraphErrorRule } from '../graph/error-table.js';
import { deniedWorkflowGraphCall } from '../permissions/workflow-graph-actions.js';
import { type ActionResultLike, asString, bodyOf, isRecord } from './context.js';
import type { OutcomeError } from './outcome.js';
import { helperError, noAnswerError } from './step-failure.js';

/**
 * Turns a failed workflow action into the outcome's `error`, whatever answered:
 * - a helper (AppError body `{error:{code,message,fix,...}}`): taken as is, it already speaks plainly;
 * - Microsoft Graph (`{error:{code,message,innerError}}`): mapped through the same table lib/graph uses,
 *   so a Graph 403 from a workflow write reads exactly like one seen by a helper;
 * - no HTTP answer at all (timeout, connection refused): the action's own error.
 * Runs in the helpers only (the intent summaries behind /api/intents/{intent}/summary), so the Graph
 * error table has one deployed place; the router's inline code uses step-failure.ts instead.
 * Never copies request inputs, so nothing secret can ride along.
 */
export function failureFromAction(action: ActionResultLike | undefined, step: string, what: string): OutcomeError {
  const helper = helperError(action, step, what);
  if (helper) return helper;

  const statusCode = typeof action?.outputs?.statusCode === 'number' ? action.outputs.statusCode : undefined;
  if (statusCode !== undefined && statusCode >= 400) {
    const body = bodyOf(action);
    const inner = isRecord(body) && isRecord(body.error) ? body.error : undefined;
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

  return noAnswerError(action, step, what);
}
