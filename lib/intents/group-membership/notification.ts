import { escapeHtml } from '../../inline/html.js';
import type { IntentOutcome } from '../../inline/outcome.js';

/**
 * The MSP's e-mail for a membership request that ended `failed` or `partial_success` after the
 * workflow had already answered `accepted` (runbook work): the router has finished by then, so the
 * child sends it. Same subject convention as the router's notification; every value HTML-escaped
 * (ticket data is attacker-controlled). Group requests carry no secret fields. Pure: inline code.
 */
export interface MembershipNotificationInput {
  intentName: string;
  ticketId: number | null;
  contactName: string;
  contactEmail: string;
  companyName: string;
  userEmail: string;
  groupNames: readonly string[];
  /** Where the run is found (label; the router's e-mail links the router run). */
  runLabel: string;
}

function row(label: string, value: string): string {
  return `<tr><th style="text-align:left;padding:4px 12px 4px 0;vertical-align:top">${escapeHtml(label)}</th><td style="padding:4px 0">${escapeHtml(value)}</td></tr>`;
}

export function membershipNotification(outcome: IntentOutcome, input: MembershipNotificationInput): { subject: string; html: string } {
  const tag = outcome.status === 'partial_success' ? '[PARTIAL]' : '[FAILED]';
  const subject = `${tag} Thread Automation: ${input.intentName} — Ticket #${input.ticketId ?? 'unknown'}`;
  const requester = input.contactEmail ? `${input.contactName} (${input.contactEmail})`.trim() : input.contactName;
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
    `<table style="border-collapse:collapse;font-size:14px">${row('Intent', input.intentName)}${row('Ticket', `#${input.ticketId ?? 'unknown'}`)}${row('Requested by', requester || 'unknown')}${row('Company', input.companyName || 'unknown')}${row('Outcome', outcome.status)}${row('Run', input.runLabel)}</table>` +
    `<h3 style="margin:16px 0 4px">Request fields</h3><table style="border-collapse:collapse;font-size:14px">${row('User email', input.userEmail)}${row('Group names', input.groupNames.join(', '))}</table>` +
    `<h3 style="margin:16px 0 4px">Steps</h3><table style="border-collapse:collapse;font-size:14px"><tr><th style="text-align:left">Step</th><th style="text-align:left">Outcome</th><th style="text-align:left">Detail</th></tr>${steps}</table>` +
    error +
    '<p style="color:#605e5c;font-size:12px">Sent by thread-intent-runner after the request was accepted (the Exchange Online part ran in the background).</p>' +
    '</div>';
  return { subject, html };
}
