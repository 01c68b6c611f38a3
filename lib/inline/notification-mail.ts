import { escapeHtml } from './html.js';
import type { OutcomeError, Step } from './outcome.js';

/**
 * The MSP's e-mail for a `failed` or `partial_success` outcome, used by the router (`Build_notification`)
 * and by child workflows that finish a request themselves after answering `accepted`. One renderer, so
 * every mail looks the same and goes through the same escaping and secret filter: every value is
 * HTML-escaped (request data is attacker-controlled), secret-like field names are never rendered, and
 * the outcome's `result` is never included (it may carry a one-time password link for the requester).
 */
export interface NotificationMail {
  subject: string;
  html: string;
}

export interface NotificationInput {
  status: string;
  message: string;
  steps: readonly Step[];
  error?: OutcomeError | undefined;
  intentName: string;
  ticketId: number | null;
  contactName: string;
  contactEmail: string;
  companyName: string;
  /** msp mode: the registry's customer the run acted for; absent in customer mode. */
  customer?: { id: string; displayName: string } | undefined;
  /** Normalised request fields; secret-like names are left out. */
  fields: Record<string, unknown>;
  /** How to find the run: a label, and a link when one can be built. */
  run: { label: string; href?: string | undefined };
  /** Closing line, e.g. that the Exchange part ran in the background. */
  footer?: string;
}

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

/** Step and outcome states in the words a technician uses ("already_done" → "already done"). */
const STEP_WORDS: Record<string, string> = {
  succeeded: 'done',
  already_done: 'already done',
  failed: 'failed',
  skipped: 'not attempted',
  planned: 'planned (dry run)',
};

const OUTCOME_WORDS: Record<string, string> = {
  partial_success: 'Partly done: the steps marked "done" were made, the ones marked "failed" or "not attempted" were not.',
  failed: 'Not done: the request failed. The steps below say what, if anything, was changed.',
};

/** Said when the outcome carries no error of its own (e.g. a step that never ran). */
const NEXT_WITHOUT_ERROR = 'Open the run in the run history to see which step did not finish and why, then send the request again.';

function stepsTable(steps: readonly Step[]): string {
  if (steps.length === 0) return '<p>No step was carried out.</p>';
  const head = '<tr><th style="text-align:left;padding:4px 12px 4px 0">Step</th><th style="text-align:left;padding:4px 12px 4px 0">Outcome</th><th style="text-align:left">Detail</th></tr>';
  const body = steps
    .map((s) => {
      const colour = s.status === 'failed' ? '#d13438' : s.status === 'succeeded' || s.status === 'already_done' ? '#107c10' : '#605e5c';
      const state = STEP_WORDS[s.status] ?? s.status;
      return `<tr><td style="padding:4px 12px 4px 0">${escapeHtml(s.name)}</td><td style="padding:4px 12px 4px 0;color:${colour}">${escapeHtml(state)}</td><td>${escapeHtml(s.detail ?? '')}</td></tr>`;
    })
    .join('');
  return `<table style="border-collapse:collapse;font-size:14px">${head}${body}</table>`;
}

/** What the technician does next: the error's fix, or the run history when there is no error. Always present. */
function nextText(error: OutcomeError | undefined): string {
  const next = error?.fix.trim() || NEXT_WITHOUT_ERROR;
  return /[.!?]$/.test(next) ? next : `${next}.`;
}

/** The answer's message without its closing "Next: …" sentence, which the mail shows in its own box. */
function withoutNext(message: string, next: string): string {
  const tail = ` Next: ${next}`;
  return message.endsWith(tail) ? message.slice(0, -tail.length) : message;
}

function nextSection(next: string): string {
  return `<div style="margin:12px 0;padding:10px;background:#fff4ce;border-left:4px solid #c19c00"><strong>What to do next:</strong> ${escapeHtml(next)}</div>`;
}

function errorSection(error: OutcomeError | undefined): string {
  if (!error) return '';
  const rows = [row('Error code', error.code), row('Failed step', error.step)];
  if (error.graphCode) rows.push(row('Microsoft Graph error', error.graphCode));
  rows.push(row('Message', error.message));
  return `<h3 style="margin:16px 0 4px">Error</h3>${table(rows)}`;
}

export function renderNotification(input: NotificationInput): NotificationMail {
  const partial = input.status === 'partial_success';
  const tag = partial ? '[PARTIAL]' : '[FAILED]';
  const intent = input.intentName || '(unknown intent)';
  const ticket = input.ticketId === null ? 'unknown' : String(input.ticketId);
  const subject = `${tag} Thread Automation: ${intent} — Ticket #${ticket}`;
  const requester = input.contactEmail ? `${input.contactName} (${input.contactEmail})`.trim() : input.contactName;
  const runCell = input.run.href ? `<a href="${escapeHtml(input.run.href)}">${escapeHtml(input.run.label)}</a>` : escapeHtml(input.run.label);
  const summary = table([
    row('Intent', intent),
    row('Ticket', `#${ticket}`),
    row('Requested by', requester || 'unknown'),
    ...(input.customer ? [row('Customer', `${input.customer.displayName} (${input.customer.id})`)] : []),
    row('Company', input.companyName || 'unknown'),
    row('Outcome', OUTCOME_WORDS[input.status] ?? input.status),
    row('Run', runCell, true),
  ]);
  const fieldRows = Object.entries(input.fields)
    .filter(([name]) => !SECRET_NAME.test(name))
    .map(([name, value]) => row(fieldLabel(name), renderValue(value)));
  const colour = partial ? '#c19c00' : '#d13438';
  const next = nextText(input.error);
  const footer = input.footer ?? 'Sent by thread-intent-runner.';
  // One part per line: the compiled inline code must stay readable (no line over 300 characters).
  const html = [
    '<div style="font-family:Segoe UI,Arial,sans-serif;max-width:640px;color:#201f1e">',
    `<div style="background:${colour};color:#fff;padding:10px 14px;font-size:16px;font-weight:600">${escapeHtml(subject)}</div>`,
    `<p>${escapeHtml(withoutNext(input.message, next))}</p>`,
    nextSection(next),
    summary,
    fieldRows.length ? `<h3 style="margin:16px 0 4px">Request fields</h3>${table(fieldRows)}` : '',
    `<h3 style="margin:16px 0 4px">Steps</h3>${stepsTable(input.steps)}`,
    errorSection(input.error),
    `<p style="color:#605e5c;font-size:12px">${escapeHtml(footer)} Passwords and other secrets are never included in this e-mail.</p>`,
    '</div>',
  ].join('');
  return { subject, html };
}
