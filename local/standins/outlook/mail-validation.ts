/**
 * Validation of a "Send an email (V2)" body (swagger ClientSendHtmlMessage): To, Subject and Body
 * required; To/Cc/Bcc/ReplyTo are ';'-separated address lists; Importance is Low | Normal | High.
 */

export interface OutgoingMail {
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  from?: string;
  subject: string;
  /** HTML body as sent. */
  body: string;
  importance: 'Low' | 'Normal' | 'High';
  sensitivity?: string;
  attachments: Array<{ name: string; bytes: number }>;
}

export type MailCheck = { ok: true; mail: OutgoingMail } | { ok: false; message: string };

const ADDRESS = /^[^@\s;,<>"]+@[^@\s;,<>"]+\.[^@\s;,<>"]+$/;
const IMPORTANCE = ['Low', 'Normal', 'High'] as const;

function addressList(field: string, value: unknown, required: boolean): string[] | string {
  if (value === undefined || value === null || value === '') return required ? `The '${field}' parameter is required.` : [];
  if (typeof value !== 'string') return `The '${field}' parameter must be a string of ';'-separated email addresses.`;
  const parts = value.split(/[;,]/).map((s) => s.trim()).filter(Boolean);
  if (required && parts.length === 0) return `The '${field}' parameter is required.`;
  const bad = parts.find((p) => !ADDRESS.test(p));
  if (bad !== undefined) return `The value '${bad}' in '${field}' is not a valid email address.`;
  return parts;
}

export function validateMail(input: unknown): MailCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, message: 'The request body must be a JSON object.' };
  const b = input as Record<string, unknown>;
  const to = addressList('To', b.To, true);
  if (typeof to === 'string') return { ok: false, message: to };
  const cc = addressList('Cc', b.Cc, false);
  if (typeof cc === 'string') return { ok: false, message: cc };
  const bcc = addressList('Bcc', b.Bcc, false);
  if (typeof bcc === 'string') return { ok: false, message: bcc };
  const replyTo = addressList('ReplyTo', b.ReplyTo, false);
  if (typeof replyTo === 'string') return { ok: false, message: replyTo };
  const from = addressList('From', b.From, false);
  if (typeof from === 'string') return { ok: false, message: from };
  if (from.length > 1) return { ok: false, message: "The 'From' parameter takes a single email address." };
  if (typeof b.Subject !== 'string' || b.Subject === '') return { ok: false, message: "The 'Subject' parameter is required." };
  if (typeof b.Body !== 'string' || b.Body === '') return { ok: false, message: "The 'Body' parameter is required." };
  let importance: OutgoingMail['importance'] = 'Normal';
  if (b.Importance !== undefined && b.Importance !== null && b.Importance !== '') {
    const match = IMPORTANCE.find((i) => typeof b.Importance === 'string' && i.toLowerCase() === b.Importance.toLowerCase());
    if (!match) return { ok: false, message: `The value '${String(b.Importance)}' of 'Importance' is not one of the allowed values: Low, Normal, High.` };
    importance = match;
  }
  const attachments: OutgoingMail['attachments'] = [];
  if (b.Attachments !== undefined && b.Attachments !== null) {
    if (!Array.isArray(b.Attachments)) return { ok: false, message: "The 'Attachments' parameter must be an array." };
    for (const a of b.Attachments as unknown[]) {
      const rec = (a ?? {}) as Record<string, unknown>;
      if (typeof rec.Name !== 'string' || typeof rec.ContentBytes !== 'string') {
        return { ok: false, message: "Each attachment needs a 'Name' and base64 'ContentBytes'." };
      }
      attachments.push({ name: rec.Name, bytes: Buffer.from(rec.ContentBytes, 'base64').length });
    }
  }
  return {
    ok: true,
    mail: {
      to,
      cc,
      bcc,
      replyTo,
      ...(from[0] ? { from: from[0] } : {}),
      subject: b.Subject,
      body: b.Body,
      importance,
      ...(typeof b.Sensitivity === 'string' && b.Sensitivity ? { sensitivity: b.Sensitivity } : {}),
      attachments,
    },
  };
}
