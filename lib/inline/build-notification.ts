import { type InlineContext, asString, bodyOf, isRecord, ranAction } from './context.js';
import { escapeHtml, safeHref } from './html.js';
import type { OutcomeError, RouterResponseBody, Step } from './outcome.js';
import { requestFacts } from './request-facts.js';
import { ROUTER_ACTIONS } from './router-names.js';
import { runLink } from './run-link.js';

/**
 * Router `Build_notification`: the MSP's e-mail for a `failed` or `partial_success` outcome.
 * Every value is HTML-escaped (request data is attacker-controlled), and secret fields are never
 * rendered: only normalised fields whose names are not secret-like, and never the `result`
 * (it carries the one-time password link meant for the requester alone).
 */
export interface Notification {
  subject: string;
  html: string;
}

/** Actions this code reads (JavaScriptCode `explicitDependencies`). */
export const dependsOn = {
  actions: [ROUTER_ACTIONS.validate, ROUTER_ACTIONS.buildResponse, ROUTER_ACTIONS.notificationContext],
  includeTrigger: true,
};

const SECRET_NAME = /pass(word)?|secret|token|credential|key$/i;

function renderValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => renderValue(v)).join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** "forceChangeOnLogin" → "Force change on login": readable labels for the normalised field names. */
function fieldLabel(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function row(label: string, value: string, raw = false): string {
  return `<tr><th style="text-align:left;padding:4px 12px 4px 0;vertical-align:top">${escapeHtml(label)}</th><td style="padding:4px 0">${raw ? value : escapeHtml(value)}</td></tr>`;
}

function table(rows: string[]): string {
  return `<table style="border-collapse:collapse;font-size:14px">${rows.join('')}</table>`;
}

function stepsTable(steps: readonly Step[]): string {
  if (steps.length === 0) return '<p>No step was carried out.</p>';
  const head = '<tr><th style="text-align:left;padding:4px 12px 4px 0">Step</th><th style="text-align:left;padding:4px 12px 4px 0">Outcome</th><th style="text-align:left">Detail</th></tr>';
  const body = steps
    .map((s) => {
      const colour = s.status === 'failed' ? '#d13438' : s.status === 'succeeded' || s.status === 'already_done' ? '#107c10' : '#605e5c';
      return `<tr><td style="padding:4px 12px 4px 0">${escapeHtml(s.name)}</td><td style="padding:4px 12px 4px 0;color:${colour}">${escapeHtml(s.status)}</td><td>${escapeHtml(s.detail ?? '')}</td></tr>`;
    })
    .join('');
  return `<table style="border-collapse:collapse;font-size:14px">${head}${body}</table>`;
}

function errorSection(error: OutcomeError | undefined): string {
  if (!error) return '';
  const rows = [row('Error code', error.code), row('Failed step', error.step)];
  if (error.graphCode) rows.push(row('Microsoft Graph error', error.graphCode));
  rows.push(row('Message', error.message));
  return (
    `<h3 style="margin:16px 0 4px">Error</h3>${table(rows)}` +
    `<div style="margin:12px 0;padding:10px;background:#fff4ce;border-left:4px solid #c19c00"><strong>Suggested fix:</strong> ${escapeHtml(error.fix)}</div>`
  );
}

function readResponse(context: InlineContext): RouterResponseBody | undefined {
  const built = bodyOf(ranAction(context, ROUTER_ACTIONS.buildResponse));
  return isRecord(built) && isRecord(built.body) ? (built.body as unknown as RouterResponseBody) : undefined;
}

export function main(context: InlineContext): Notification {
  const facts = requestFacts(context);
  const response = readResponse(context);
  const partial = response?.status === 'partial_success';
  const tag = partial ? '[PARTIAL]' : '[FAILED]';
  const intent = facts.intentName || '(unknown intent)';
  const ticket = facts.ticketId === null ? 'unknown' : String(facts.ticketId);
  const subject = `${tag} Thread Automation: ${intent} — Ticket #${ticket}`;

  const settingsBody = bodyOf(ranAction(context, ROUTER_ACTIONS.notificationContext));
  const settings = isRecord(settingsBody) ? settingsBody : {};
  const link = runLink(context, { subscriptionId: asString(settings.subscriptionId), resourceGroup: asString(settings.resourceGroup) });
  const href = link.url ? safeHref(link.url) : undefined;

  const requester = facts.contactEmail ? `${facts.contactName} (${facts.contactEmail})`.trim() : facts.contactName;
  const summary = table([
    row('Intent', intent),
    row('Ticket', `#${ticket}`),
    row('Requested by', requester || 'unknown'),
    row('Company', facts.companyName || 'unknown'),
    row('Outcome', response?.status ?? 'failed'),
    row('Run', href ? `<a href="${escapeHtml(href)}">${escapeHtml(link.label)}</a>` : escapeHtml(link.label), true),
  ]);
  const fieldRows = Object.entries(facts.fields)
    .filter(([name]) => !SECRET_NAME.test(name))
    .map(([name, value]) => row(fieldLabel(name), renderValue(value)));
  const colour = partial ? '#c19c00' : '#d13438';

  const html =
    '<div style="font-family:Segoe UI,Arial,sans-serif;max-width:640px;color:#201f1e">' +
    `<div style="background:${colour};color:#fff;padding:10px 14px;font-size:16px;font-weight:600">${escapeHtml(subject)}</div>` +
    `<p>${escapeHtml(response?.message ?? 'The request could not be carried out.')}</p>` +
    summary +
    (fieldRows.length ? `<h3 style="margin:16px 0 4px">Request fields</h3>${table(fieldRows)}` : '') +
    `<h3 style="margin:16px 0 4px">Steps</h3>${stepsTable(response?.steps ?? [])}` +
    errorSection(response?.error) +
    '<p style="color:#605e5c;font-size:12px">Sent by thread-intent-runner. Passwords and other secrets are never included in this e-mail.</p>' +
    '</div>';
  return { subject, html };
}
