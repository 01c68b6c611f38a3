import { type InlineContext, asString, isRecord } from '../../inline/context.js';
import type { IntentOutcome, RouterResponseBody } from '../../inline/outcome.js';
import { membershipNotification } from './notification.js';

/**
 * What a membership workflow does itself after it answered `accepted` early (runbook work): the router
 * has finished by then, so the child finishes the router's idempotency claim with the final answer
 * (headers x-thread-claim-key / x-thread-router-run-id, lib/inline/intent-routes.ts) and e-mails the
 * MSP when the outcome is not a success. Pure: compiled into the workflows' inline code.
 * `AsyncCompletion` is that: the final answer for the ledger (router response contract) and the e-mail.
 */
export interface AsyncCompletion {
  /** Which ledger call finishes the router's claim: complete (kept for duplicates) or fail (a retry runs again). */
  record: 'complete' | 'fail';
  final: RouterResponseBody;
  notification: { subject: string; html: string } | null;
}

function header(context: InlineContext, name: string): string {
  const headers = (context.trigger?.outputs as { headers?: unknown } | undefined)?.headers;
  if (!isRecord(headers)) return '';
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? '' : (asString(headers[key]) ?? '');
}

function meta(request: Record<string, unknown>): Record<string, unknown> {
  return isRecord(request.meta) ? request.meta : {};
}

export function asyncCompletion(context: InlineContext, request: Record<string, unknown>, outcome: IntentOutcome): AsyncCompletion {
  const fields = isRecord(request.fields) ? request.fields : {};
  const m = meta(request);
  const routerRun = header(context, 'x-thread-router-run-id');
  const intentName = asString(request.intentName) ?? '';
  const ticketId = typeof request.ticketId === 'number' ? request.ticketId : null;
  const final: RouterResponseBody = {
    status: outcome.status,
    intent: intentName,
    ticket_id: ticketId,
    message: outcome.message,
    steps: outcome.steps,
    result: outcome.result,
    run_id: routerRun,
    ...(outcome.error ? { error: outcome.error } : {}),
  };
  const notification =
    outcome.status === 'success'
      ? null
      : membershipNotification(outcome, {
          intentName,
          ticketId,
          contactName: asString(m.contactName) ?? '',
          contactEmail: asString(m.contactEmail) ?? '',
          companyName: asString(m.companyName) ?? '',
          userEmail: asString(fields.userEmail) ?? '',
          groupNames: Array.isArray(fields.groupNames) ? fields.groupNames.map(String) : [],
          runLabel: `Router run ${routerRun}; workflow ${context.workflow?.name ?? ''} run ${context.workflow?.run?.name ?? ''}`,
        });
  return { record: outcome.status === 'failed' ? 'fail' : 'complete', final, notification };
}

