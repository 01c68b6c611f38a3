import { isRecord } from './http-io.js';

/**
 * Faults queued through a stand-in's admin API (`POST /_admin/faults`): the next `count` matching calls
 * fail with `status`, so tests can drive a workflow's error handling without breaking the stand-in.
 */

export interface Fault {
  status: number;
  remaining: number;
  message: string;
  /** ARM-style error code (Automation); ignored by stand-ins whose error shape has none. */
  code?: string;
  retryAfterSeconds?: number;
  /** Only calls with this HTTP method fail (e.g. PUT to fail job creation but not polling). */
  method?: string;
}

export type FaultParse = { ok: true; fault: Fault } | { ok: false; message: string };

export function parseFault(body: unknown): FaultParse {
  if (!isRecord(body)) return { ok: false, message: 'Body must be a JSON object.' };
  const { status, count = 1, message, code, retryAfterSeconds, method } = body;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
    return { ok: false, message: "'status' must be an HTTP error status (400-599)." };
  }
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return { ok: false, message: "'count' must be a positive integer." };
  if (retryAfterSeconds !== undefined && (typeof retryAfterSeconds !== 'number' || retryAfterSeconds < 0)) {
    return { ok: false, message: "'retryAfterSeconds' must be a non-negative number." };
  }
  const fault: Fault = { status, remaining: count, message: typeof message === 'string' ? message : `Injected fault ${status}.` };
  if (typeof code === 'string') fault.code = code;
  if (typeof retryAfterSeconds === 'number') fault.retryAfterSeconds = retryAfterSeconds;
  if (typeof method === 'string') fault.method = method.toUpperCase();
  return { ok: true, fault };
}

export class FaultQueue {
  private readonly faults: Fault[] = [];

  add(fault: Fault): void {
    this.faults.push(fault);
  }

  clear(): void {
    this.faults.length = 0;
  }

  pending(): Array<{ status: number; remaining: number; method?: string }> {
    return this.faults.map((f) => ({ status: f.status, remaining: f.remaining, ...(f.method ? { method: f.method } : {}) }));
  }

  /** Consumes one use of the first fault that applies to `method`, if any. */
  take(method: string): Fault | undefined {
    const index = this.faults.findIndex((f) => !f.method || f.method === method.toUpperCase());
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  /** Retry-After header for a fault, when it has one. */
  static headers(fault: Fault): Record<string, string> {
    return fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
  }
}
