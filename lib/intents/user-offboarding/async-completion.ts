import { type InlineContext, asString, isRecord } from '../../inline/context.js';
import { escapeHtml } from '../../inline/html.js';
import type { IntentOutcome, RouterResponseBody } from '../../inline/outcome.js';

/**
 * What workflows/user-offboarding does itself after it answered `accepted` early (runbook work): the
 * router has finished by then, so the child finishes the router's idempotency claim with the final
 * answer (headers x-thread-claim-key / x-thread-router-run-id, lib/inline/intent-routes.ts) and
 * e-mails the MSP when the outcome is not a success. Every value HTML-escaped (ticket data is
 * attacker-controlled); the request carries no secret. Pure: compiled into the inline code.
 */
export interface OffboardingCompletion {
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

function row(label: string, value: string): string {
  return `<tr><th style="text-align:left;padding:4px 12px 4px 0;vertical-align:top">${escapeHtml(label)}</th><td style="padding:4px 0">${escapeHtml(value)}</td></tr>`;
}

/** The ticket's options as a technician reads them in the e-mail. */
function optionRows(fields: Record<string, unknown>): string {
  const yesNo = (v: unknown) => (v === true ? 'yes' : 'no');
  return (
    row('User email', asString(fields.userEmail) ?? '') +
    row('Revoke sessions', yesNo(fields.revokeSessions)) +
    row('Remove licences', yesNo(fields.removeLicenses)) +
    row('Convert to shared mailbox', yesNo(fields.convertToSharedMailbox)) +
    row('Remove groups', yesNo(fields.removeFromGroups)) +
    row('Hide from GAL', yesNo(fields.hideFromAddressList)) +
    (asString(fields.forwardTo) ? row('Forward e-mail to', asString(fields.forwardTo) ?? '') : '') +
    (asString(fields.managerAccess) ? row('Grant manager access', asString(fields.managerAccess) ?? '') : '') +
    (asString(fields.autoReplyMessage) ? row('Auto reply', 'set (see ticket)') : '')
  );
}

export function offboardingNotification(outcome: IntentOutcome, request: Record<string, unknown>, runLabel: string): { subject: string; html: string } {
  const meta = isRecord(request.meta) ? request.meta : {};
  const fields = isRecord(request.fields) ? request.fields : {};
  const intentName = asString(request.intentName) ?? 'User Offboarding';
  const ticketId = typeof request.ticketId === 'number' ? request.ticketId : 'unknown';
  const tag = outcome.status === 'partial_success' ? '[PARTIAL]' : '[FAILED]';
  const subject = `${tag} Thread Automation: ${intentName} — Ticket #${ticketId}`;
  const contactName = asString(meta.contactName) ?? '';
  const contactEmail = asString(meta.contactEmail) ?? '';
  const requester = contactEmail ? `${contactName} (${contactEmail})`.trim() : contactName;
  const steps = outcome.steps
    .map((s) => `<tr><td style="padding:4px 12px 4px 0">${escapeHtml(s.name)}</td><td style="padding:4px 12px 4px 0">${escapeHtml(s.status)}</td><td>${escapeHtml(s.detail ?? '')}</td></tr>`)
    .join('');
  const error = outcome.error
    ? `<h3 style="margin:16px 0 4px">Error</h3><table>${row('Error code', outcome.error.code)}${row('Failed step', outcome.error.step)}${outcome.error.graphCode ? row('Microsoft Graph error', outcome.error.graphCode) : ''}${row('Message', outcome.error.message)}</table>` +
      `<div style="margin:12px 0;padding:10px;background:#fff4ce;border-left:4px solid #c19c00"><strong>Suggested fix:</strong> ${escapeHtml(outcome.error.fix)}</div>`
    : '';
  const html =
    '<div style="font-family:Segoe UI,Arial,sans-serif;max-width:640px;color:#201f1e">' +
    `<div style="background:${tag === '[PARTIAL]' ? '#c19c00' : '#d13438'};color:#fff;padding:10px 14px;font-size:16px;font-weight:600">${escapeHtml(subject)}</div>` +
    `<p>${escapeHtml(outcome.message)}</p>` +
    `<table style="border-collapse:collapse;font-size:14px">${row('Intent', intentName)}${row('Ticket', `#${ticketId}`)}${row('Requested by', requester || 'unknown')}${row('Company', asString(meta.companyName) || 'unknown')}${row('Outcome', outcome.status)}${row('Run', runLabel)}</table>` +
    `<h3 style="margin:16px 0 4px">Request fields</h3><table style="border-collapse:collapse;font-size:14px">${optionRows(fields)}</table>` +
    `<h3 style="margin:16px 0 4px">Steps</h3><table style="border-collapse:collapse;font-size:14px"><tr><th style="text-align:left">Step</th><th style="text-align:left">Outcome</th><th style="text-align:left">Detail</th></tr>${steps}</table>` +
    error +
    '<p style="color:#605e5c;font-size:12px">Sent by thread-intent-runner after the request was accepted (the Exchange Online part ran in the background).</p>' +
    '</div>';
  return { subject, html };
}

export function offboardingCompletion(context: InlineContext, request: Record<string, unknown>, outcome: IntentOutcome): OffboardingCompletion {
  const routerRun = header(context, 'x-thread-router-run-id');
  const final: RouterResponseBody = {
    status: outcome.status,
    intent: asString(request.intentName) ?? '',
    ticket_id: typeof request.ticketId === 'number' ? request.ticketId : null,
    message: outcome.message,
    steps: outcome.steps,
    result: outcome.result,
    run_id: routerRun,
    ...(outcome.error ? { error: outcome.error } : {}),
  };
  const runLabel = `Router run ${routerRun}; workflow ${context.workflow?.name ?? ''} run ${context.workflow?.run?.name ?? ''}`;
  return {
    record: outcome.status === 'failed' ? 'fail' : 'complete',
    final,
    notification: outcome.status === 'success' ? null : offboardingNotification(outcome, request, runLabel),
  };
}
