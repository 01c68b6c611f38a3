import { type InlineContext, asString, isRecord } from '../../inline/context.js';
import { escapeHtml } from '../../inline/html.js';
import type { IntentOutcome, RouterResponseBody } from '../../inline/outcome.js';

/**
 * What the workflow does itself after it answered `accepted` early (the runbook runs for minutes): the
 * router has finished by then, so the child finishes the router's idempotency claim with the final answer
 * (headers x-thread-claim-key / x-thread-router-run-id, lib/inline/intent-routes.ts) and e-mails the MSP
 * when the outcome is not a success. Same subject convention as the router's e-mail; every value
 * HTML-escaped (ticket data is attacker-controlled); the request carries no secret fields. Pure.
 */
export interface MailboxAsyncCompletion {
  record: 'complete' | 'fail';
  final: RouterResponseBody;
  notification: { subject: string; html: string } | null;
}

function header(context: InlineContext, name: string): string {
  const headers = context.trigger?.outputs?.headers;
  if (!isRecord(headers)) return '';
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? '' : (asString(headers[key]) ?? '');
}

function row(label: string, value: string): string {
  return `<tr><th style="text-align:left;padding:4px 12px 4px 0;vertical-align:top">${escapeHtml(label)}</th><td style="padding:4px 0">${escapeHtml(value)}</td></tr>`;
}

function notification(outcome: IntentOutcome, request: Record<string, unknown>, runLabel: string): { subject: string; html: string } {
  const fields = isRecord(request.fields) ? request.fields : {};
  const meta = isRecord(request.meta) ? request.meta : {};
  const intentName = asString(request.intentName) ?? '';
  const ticket = typeof request.ticketId === 'number' ? String(request.ticketId) : 'unknown';
  const tag = outcome.status === 'partial_success' ? '[PARTIAL]' : '[FAILED]';
  const subject = `${tag} Thread Automation: ${intentName} — Ticket #${ticket}`;
  const contactName = asString(meta.contactName) ?? '';
  const contactEmail = asString(meta.contactEmail) ?? '';
  const requester = contactEmail ? `${contactName} (${contactEmail})`.trim() : contactName;
  const steps = outcome.steps
    .map((s) => `<tr><td style="padding:4px 12px 4px 0">${escapeHtml(s.name)}</td><td style="padding:4px 12px 4px 0">${escapeHtml(s.status)}</td><td>${escapeHtml(s.detail ?? '')}</td></tr>`)
    .join('');
  const error = outcome.error
    ? `<h3 style="margin:16px 0 4px">Error</h3><table>${row('Error code', outcome.error.code)}${row('Failed step', outcome.error.step)}${row('Message', outcome.error.message)}</table>` +
      `<div style="margin:12px 0;padding:10px;background:#fff4ce;border-left:4px solid #c19c00"><strong>Suggested fix:</strong> ${escapeHtml(outcome.error.fix)}</div>`
    : '';
  const html =
    '<div style="font-family:Segoe UI,Arial,sans-serif;max-width:640px;color:#201f1e">' +
    `<div style="background:${tag === '[PARTIAL]' ? '#c19c00' : '#d13438'};color:#fff;padding:10px 14px;font-size:16px;font-weight:600">${escapeHtml(subject)}</div>` +
    `<p>${escapeHtml(outcome.message)}</p>` +
    `<table style="border-collapse:collapse;font-size:14px">${row('Intent', intentName)}${row('Ticket', `#${ticket}`)}${row('Requested by', requester || 'unknown')}${row('Company', asString(meta.companyName) || 'unknown')}${row('Outcome', outcome.status)}${row('Run', runLabel)}</table>` +
    `<h3 style="margin:16px 0 4px">Request fields</h3><table style="border-collapse:collapse;font-size:14px">${row('Shared mailbox', asString(fields.sharedMailboxEmail) ?? '')}${row('User email', asString(fields.userEmail) ?? '')}${row('Permission', `${asString(fields.action) ?? ''} ${asString(fields.permissionType) ?? ''}`.trim())}</table>` +
    `<h3 style="margin:16px 0 4px">Steps</h3><table style="border-collapse:collapse;font-size:14px"><tr><th style="text-align:left">Step</th><th style="text-align:left">Outcome</th><th style="text-align:left">Detail</th></tr>${steps}</table>` +
    error +
    '<p style="color:#605e5c;font-size:12px">Sent by thread-intent-runner after the request was accepted (the Exchange Online part ran in the background).</p>' +
    '</div>';
  return { subject, html };
}

export function mailboxAsyncCompletion(context: InlineContext, request: Record<string, unknown>, outcome: IntentOutcome): MailboxAsyncCompletion {
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
    notification: outcome.status === 'success' ? null : notification(outcome, request, runLabel),
  };
}
