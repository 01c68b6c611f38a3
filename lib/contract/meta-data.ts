import { describeType } from './coerce.js';
import type { Problem } from './problem.js';
import { unsafeCharacter } from './text-safety.js';
import type { RequestMeta } from './types.js';

/**
 * `meta_data`: the ticket id must be a whole number (integer-like strings such as " 42 " accepted, as
 * Thread sometimes sends strings); contact and company texts are informational and default to "".
 */
export function parseTicketId(value: unknown, problems: Problem[]): number | undefined {
  const path = 'meta_data.ticket_id';
  const fix = 'Send meta_data.ticket_id as the whole-number Thread ticket id, e.g. 5678.';
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    problems.push({ path, message: 'The ticket id is required and was not given.', fix });
    return undefined;
  }
  // The id labels the run (clientTrackingId) and reaches headers and mail subjects: a control character
  // there broke the answer after the change was made (issue 11 finding 3), so it is refused outright.
  const unsafe = typeof value === 'string' ? unsafeCharacter(value) : undefined;
  if (unsafe) {
    problems.push({ path, message: `The ticket id contains ${unsafe}; it must be digits only.`, fix });
    return undefined;
  }
  let id: number | undefined;
  if (typeof value === 'number') id = value;
  else if (typeof value === 'string' && /^\d+$/.test(value.trim())) id = Number(value.trim());
  if (id === undefined || !Number.isSafeInteger(id) || id < 1) {
    const shown = typeof value === 'string' || typeof value === 'number' ? `"${String(value).trim()}"` : describeType(value);
    problems.push({ path, message: `The ticket id must be a positive whole number; got ${shown}.`, fix });
    return undefined;
  }
  return id;
}

function metaText(meta: Record<string, unknown>, key: string, problems: Problem[]): string {
  const value = meta[key];
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') {
    const unsafe = unsafeCharacter(value.trim());
    if (unsafe) {
      problems.push({ path: `meta_data.${key}`, message: `${key} contains ${unsafe}.`, fix: `Send meta_data.${key} as plain text on one line.` });
      return '';
    }
    return value.trim();
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  problems.push({ path: `meta_data.${key}`, message: `${key} must be text, not ${describeType(value)}.`, fix: `Send meta_data.${key} as text or leave it out.` });
  return '';
}

export function parseMetaData(value: unknown, problems: Problem[]): { ticketId: number | undefined; meta: RequestMeta } {
  const empty: RequestMeta = { contactName: '', contactEmail: '', companyName: '' };
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({
      path: 'meta_data',
      message: value === undefined ? 'meta_data is required and was not given.' : `meta_data must be an object, not ${describeType(value)}.`,
      fix: 'Send meta_data as an object with ticket_id, contact_name, contact_email and company_name.',
    });
    return { ticketId: undefined, meta: empty };
  }
  const meta = value as Record<string, unknown>;
  return {
    ticketId: parseTicketId(meta.ticket_id, problems),
    meta: {
      contactName: metaText(meta, 'contact_name', problems),
      contactEmail: metaText(meta, 'contact_email', problems),
      companyName: metaText(meta, 'company_name', problems),
    },
  };
}
