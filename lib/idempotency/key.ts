/**
 * Ledger keys. One row per (ticket, canonical intent, normalised fields): aliases of one intent share
 * a key ("Disable Account" and "User Offboarding" are one request) and two different requests on one ticket do not.
 */
export interface ClaimSubject {
  ticketId: number;
  /** Canonical intent id, e.g. "user-offboarding" (never the alias as received). */
  intent: string;
  /**
   * Canonical request key hash (lib/contract/request-key.ts): fields compared as the tenant compares them
   * (addresses case-insensitive, group lists order-insensitive, ...), secrets left out.
   */
  fieldsHash: string;
}

export interface LedgerKey {
  partitionKey: string;
  rowKey: string;
}

/** Table keys may not contain / \ # ? or control characters; ids and hex never do, but check. */
const FORBIDDEN = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

export function ledgerKey(subject: ClaimSubject): LedgerKey {
  if (!Number.isSafeInteger(subject.ticketId) || subject.ticketId < 0) throw new TypeError('ticketId must be a non-negative integer.');
  if (!/^[a-z0-9-]+$/.test(subject.intent)) throw new TypeError('intent must be a canonical intent id.');
  if (!/^[0-9a-f]{32,}$/i.test(subject.fieldsHash)) throw new TypeError('fieldsHash must be a hex digest.');
  const key = { partitionKey: String(subject.ticketId), rowKey: `${subject.intent}_${subject.fieldsHash.slice(0, 32).toLowerCase()}` };
  if (FORBIDDEN.test(key.partitionKey) || FORBIDDEN.test(key.rowKey)) throw new TypeError('Invalid ledger key.');
  return key;
}

export function isLedgerKey(value: unknown): value is LedgerKey {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.partitionKey === 'string' && typeof v.rowKey === 'string' && /^\d+$/.test(v.partitionKey) && /^[a-z0-9-]+_[0-9a-f]{32}$/.test(v.rowKey);
}
