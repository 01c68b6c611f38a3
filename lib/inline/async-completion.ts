import { type InlineContext, asString, isRecord } from './context.js';
import { renderNotification, type NotificationMail } from './notification-mail.js';
import type { IntentOutcome, RouterResponseBody } from './outcome.js';

/**
 * What a child workflow does itself after it answered `accepted` early (runbook work runs on): the router
 * has finished by then, so the child finishes the router's idempotency claim with the final answer
 * (headers x-thread-claim-key / x-thread-router-run-id, see intent-routes.ts) and e-mails the MSP when the
 * outcome is not a success, with the same mail the router would have sent. Pure: run by the summary helper
 * (lib/functions/intent-summary.ts); it shares the mail with the router's inline code.
 */
export interface AsyncCompletion {
  /** Which ledger call finishes the router's claim: complete (kept for duplicates) or fail (a retry runs again). */
  record: 'complete' | 'fail';
  final: RouterResponseBody;
  notification: NotificationMail | null;
}

function header(context: InlineContext, name: string): string {
  const headers = (context.trigger?.outputs as { headers?: unknown } | undefined)?.headers;
  if (!isRecord(headers)) return '';
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? '' : (asString(headers[key]) ?? '');
}

/** `request` is the normalised request the child was started with (its trigger body). */
export function asyncCompletion(context: InlineContext, request: Record<string, unknown>, outcome: IntentOutcome): AsyncCompletion {
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
  const meta = isRecord(request.meta) ? request.meta : {};
  // A dry run never mails, whatever its outcome (issue 11 item 9); the router never answers a dry run early,
  // so this only guards a child started another way.
  const notification =
    outcome.status === 'success' || request.dryRun === true
      ? null
      : renderNotification({
          status: outcome.status,
          message: outcome.message,
          steps: outcome.steps,
          error: outcome.error,
          intentName,
          ticketId,
          contactName: asString(meta.contactName) ?? '',
          contactEmail: asString(meta.contactEmail) ?? '',
          companyName: asString(meta.companyName) ?? '',
          fields: isRecord(request.fields) ? request.fields : {},
          run: { label: `Router run ${routerRun}; workflow ${context.workflow?.name ?? ''} run ${context.workflow?.run?.name ?? ''}` },
          footer: 'Sent by thread-intent-runner after the request was accepted (the Exchange Online part ran in the background).',
        });
  return { record: outcome.status === 'failed' ? 'fail' : 'complete', final, notification };
}
