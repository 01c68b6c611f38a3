/**
 * The stand-in's request log (GET /_admin/requests). Write bodies are kept so tests can assert what
 * the code under test sent, with every password-like value replaced: secrets never sit in the log.
 */
export interface RequestLogEntry {
  seq: number;
  time: string;
  method: string;
  /** Path with version, as received: /v1.0/users/adele%40contoso.com */
  path: string;
  /** Query string without '?', '' when none. */
  query: string;
  status: number;
  durationMs: number;
  requestId: string;
  clientRequestId: string;
  /** Request body of POST/PATCH/PUT, redacted. */
  body?: unknown;
  /** Set on $batch sub-requests: the outer request's id and the item id. */
  batch?: { requestId: string; itemId: string };
  /** Fault rule that produced the answer, if one did. */
  fault?: string;
  /** Latency injected before answering (global latency plus firing rules), when any. */
  injectedDelayMs?: number;
  /** Who called: the manifest identity (logicApp, helpers) when the stand-in knows the token's oid, else the oid. */
  caller?: string;
  /** Keys of a PATCH body (what decides the permission a PATCH /users needs), never their values. */
  bodyKeys?: string[];
  /** msp mode: the tenant the call reached (the token's `tid`). */
  tenant?: string;
}

const SECRET_KEY = /pass(word)?|secret|token|newPassword|contentBytes/i;
export const REDACTED = '[REDACTED]';

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) && (typeof v === 'string' || typeof v === 'number') ? REDACTED : redact(v)]),
    );
  }
  return value;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly capacity = 10_000) {}

  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    this.seq += 1;
    const full: RequestLogEntry = { seq: this.seq, ...entry };
    if (full.body !== undefined) full.body = redact(full.body);
    this.entries.push(full);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return full;
  }

  /** Entries with seq greater than `since` (all when omitted). */
  list(since = 0): RequestLogEntry[] {
    return this.entries.filter((e) => e.seq > since);
  }

  clear(): void {
    this.entries = [];
  }

  get lastSeq(): number {
    return this.seq;
  }
}
