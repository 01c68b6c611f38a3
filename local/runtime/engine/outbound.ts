import type { OutboundRequest, OutboundResponse, RetryAttempt } from '../model.js';
import type { ActionOutcome } from './actions/types.js';
import { encodeOutgoingBody } from './content.js';
import { ActionFailure } from './errors.js';
import type { RunState } from './run-state.js';
import { retryAfterMs, sendWithRetry, statusCodeName, type RetryPolicy } from './retry.js';

/** Default polling interval of the async (202 + Location) pattern when no Retry-After is given. */
const DEFAULT_POLL_MS = 10_000;

export interface OutboundCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  /** Adds Authorization (and similar) right before each send; tokens never reach the record. */
  authorize?: (headers: Record<string, string>) => Promise<void>;
  retryPolicy: RetryPolicy;
  asyncPattern: boolean;
}

/** URL with `queries` appended (values JSON-stringified unless strings). */
export function withQueries(url: string, queries: unknown): string {
  if (!queries || typeof queries !== 'object') return url;
  const entries = Object.entries(queries as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null);
  if (entries.length === 0) return url;
  const qs = entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`).join('&');
  return url + (url.includes('?') ? '&' : '?') + qs;
}

export function stringHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (v !== undefined && v !== null) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  return out;
}

/**
 * Performs an Http-style call for an action: retries per policy, follows the 202 + Location
 * async pattern (unless disabled), and maps the final response to the action outcome: 2xx
 * Succeeded, anything else Failed with the .NET status name as code.
 */
export async function performOutbound(run: RunState, call: OutboundCall, signal: AbortSignal, timeoutMs?: number): Promise<ActionOutcome> {
  const services = run.shared.services;
  const baseHeaders = { ...call.headers };
  const body = encodeOutgoingBody(call.body, baseHeaders);
  const send = async (method: string, url: string, payload: string | Buffer | undefined, clientRequestId: string): Promise<OutboundResponse> => {
    const headers: Record<string, string> = { 'x-ms-client-request-id': clientRequestId, ...baseHeaders };
    if (call.authorize) await call.authorize(headers);
    const req: OutboundRequest = { method, url, headers, timeoutMs: timeoutMs ?? run.shared.limits.httpRequestTimeoutMs };
    if (payload !== undefined) req.body = payload;
    return services.http(req, signal);
  };
  const retryHistory: RetryAttempt[] = [];
  let result = await sendWithRetry((id) => send(call.method, call.url, body, id), call.retryPolicy, services.clock, signal);
  retryHistory.push(...result.retryHistory);
  while (call.asyncPattern && result.response?.statusCode === 202) {
    const location = headerValue(result.response.headers, 'location');
    if (!location) break;
    await services.clock.sleep(retryAfterMs(result.response.headers, services.clock.now()) ?? DEFAULT_POLL_MS, signal);
    const pollUrl = new URL(location, call.url).toString();
    result = await sendWithRetry((id) => send('GET', pollUrl, undefined, id), call.retryPolicy, services.clock, signal);
    retryHistory.push(...result.retryHistory);
  }
  if (!result.response) {
    const error = result.error ?? { code: 'ServiceRequestFailed', message: 'The request failed.' };
    return { status: 'Failed', code: error.code, error, retryHistory };
  }
  const res = result.response;
  const outputs: Record<string, unknown> = { statusCode: res.statusCode, headers: res.headers };
  if (res.body !== undefined) outputs.body = res.body;
  if (res.statusCode >= 200 && res.statusCode < 300) return { code: statusCodeName(res.statusCode), outputs, retryHistory };
  const code = statusCodeName(res.statusCode);
  return {
    status: 'Failed',
    code,
    outputs,
    retryHistory,
    error: { code, message: `The request to '${redactUrl(call.url)}' failed with status code '${res.statusCode}' (${code}).` },
  };
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
}

/** Drops the query string (it may hold sig/code keys) from URLs that go into messages. */
export function redactUrl(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : url.slice(0, i);
}

export function requireString(value: unknown, what: string, action: string): string {
  if (typeof value !== 'string' || value === '') throw new ActionFailure('InvalidTemplate', `The '${what}' of action '${action}' must be a non-empty string.`);
  return value;
}
