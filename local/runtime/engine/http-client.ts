import type { OutboundRequest, OutboundResponse } from '../model.js';

/** Runtime.Backend.HttpOperation.RequestTimeout default (00:03:45). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 225_000;

/** Outbound call failed before any HTTP response (refused, reset, DNS, timeout): retriable in Logic Apps. */
export class OutboundConnectionError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'OutboundConnectionError';
    this.code = code;
  }
}

/** Parses a body the way actions expose it: JSON when the content type says so, text otherwise. */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType && /[/+]json\b/i.test(contentType)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** services.http over fetch, with the host's request timeout unless the request sets one. */
export function createFetchHttp(defaultTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS) {
  return async function http(request: OutboundRequest, signal?: AbortSignal): Promise<OutboundResponse> {
    const timeout = AbortSignal.timeout(request.timeoutMs ?? defaultTimeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      const init: RequestInit = { method: request.method, headers: request.headers, signal: combined, redirect: 'manual' };
      if (request.body !== undefined && !/^(GET|HEAD)$/i.test(request.method)) init.body = request.body;
      res = await fetch(request.url, init);
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      if (timeout.aborted) throw new OutboundConnectionError(`The request to '${request.url}' timed out.`, 'RequestTimeout');
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new OutboundConnectionError(
        `Http request failed: ${cause?.message ?? (err as Error).message}`,
        cause?.code ?? 'ServiceRequestFailed',
      );
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const text = await res.text();
    return { statusCode: res.status, headers, body: parseBody(text, headers['content-type']) };
  };
}
