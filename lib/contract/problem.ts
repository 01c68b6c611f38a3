/**
 * One thing wrong with a webhook request. Every problem is reported at once, so a technician fixes the
 * ticket's fields in one pass instead of one round trip per mistake.
 */
export interface Problem {
  /** Where the problem is, in the caller's own terms: "intent_fields.User Email", "meta_data.ticket_id". */
  path: string;
  /** What is wrong, in plain words; never echoes a secret value. */
  message: string;
  /** What to change to make it right. */
  fix: string;
}

/** Outcome of one coercion: the typed value, or what is wrong with the raw one. */
export type Coerced<T> = { ok: true; value: T } | { ok: false; message: string; fix: string };

export const accept = <T>(value: T): Coerced<T> => ({ ok: true, value });
export const reject = <T = never>(message: string, fix: string): Coerced<T> => ({ ok: false, message, fix });
