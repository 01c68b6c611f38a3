import { type InlineContext, bodyOf, isRecord, ranAction } from './context.js';
import { ROUTER_ACTIONS } from './router-names.js';

/** What the router knows about the request, from the validated request or, failing that, the raw payload. */
export interface RequestFacts {
  validated: boolean;
  intentId: string;
  intentName: string;
  ticketId: number | null;
  dryRun: boolean;
  contactName: string;
  contactEmail: string;
  companyName: string;
  /** Normalised fields (camelCase) when validated; never rendered without filtering secrets. */
  fields: Record<string, unknown>;
}

const MAX_RAW_TEXT = 200;

function rawText(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '';
  return String(value).trim().slice(0, MAX_RAW_TEXT);
}

/**
 * The caller's `dry_run` when validation did not answer: the contract's boolean words (lib/contract/coerce.ts
 * coerceBoolean), so a dry run whose validation failed is still known to be one and never mails.
 */
function rawDryRun(value: unknown): boolean {
  if (value === true || value === 1) return true;
  return typeof value === 'string' && ['true', 'yes', 'y', '1'].includes(value.trim().toLowerCase());
}

function rawTicketId(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value)) return Number(value.trim());
  return null;
}

export function requestFacts(context: InlineContext): RequestFacts {
  const validated = bodyOf(ranAction(context, ROUTER_ACTIONS.validate));
  const request = isRecord(validated) && isRecord(validated.request) ? validated.request : undefined;
  if (request) {
    const meta = isRecord(request.meta) ? request.meta : {};
    return {
      validated: true,
      intentId: typeof request.intent === 'string' ? request.intent : '',
      intentName: typeof request.intentName === 'string' ? request.intentName : '',
      ticketId: typeof request.ticketId === 'number' ? request.ticketId : null,
      dryRun: request.dryRun === true,
      contactName: rawText(meta.contactName),
      contactEmail: rawText(meta.contactEmail),
      companyName: rawText(meta.companyName),
      fields: isRecord(request.fields) ? request.fields : {},
    };
  }
  // Validation failed or never answered: show what the caller sent, defensively (any shape may arrive).
  const raw = context.trigger?.outputs?.body;
  const payload = isRecord(raw) ? raw : {};
  const meta = isRecord(payload.meta_data) ? payload.meta_data : {};
  return {
    validated: false,
    intentId: '',
    intentName: rawText(payload.intent_name),
    ticketId: rawTicketId(meta.ticket_id),
    dryRun: rawDryRun(payload.dry_run),
    contactName: rawText(meta.contact_name),
    contactEmail: rawText(meta.contact_email),
    companyName: rawText(meta.company_name),
    fields: {},
  };
}
