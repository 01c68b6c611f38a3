import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { OutboundRequest, OutboundResponse } from '../model.js';
import { contentBody } from './content.js';

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

/**
 * Parses a response body the way actions expose it (https://learn.microsoft.com/azure/logic-apps/logic-apps-content-type):
 * JSON content types as JSON, text/plain as a string, anything else as `{"$content-type", "$content"}` (base64),
 * so a later Response or Http action can pass it on with its own content type.
 */
export function parseBody(raw: Buffer | string, contentType: string | undefined): unknown {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  return contentBody(bytes, contentType, { invalidJson: 'text' });
}

/**
 * services.http over node:http/https (not fetch): the request carries exactly the headers the caller
 * gives (fetch refuses `Expect` and adds accept-language, sec-fetch-mode and accept-encoding of its own,
 * which Azure does not send); only the transport's own Host, Content-Length and Connection are added.
 * The host's request timeout applies unless the request sets one.
 */
export function createNodeHttp(defaultTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS) {
  return function http(request: OutboundRequest, signal?: AbortSignal): Promise<OutboundResponse> {
    return new Promise<OutboundResponse>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return reject(new OutboundConnectionError(`Http request failed: the URL '${request.url}' is not valid.`, 'InvalidUri'));
      }
      const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
      if (!send) return reject(new OutboundConnectionError(`Http request failed: the scheme of '${url.protocol}' is not http or https.`, 'InvalidUri'));
      const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
      const body = request.body === undefined || /^(GET|HEAD)$/i.test(request.method) ? undefined : toBuffer(request.body);
      const headers: OutgoingHttpHeaders = {};
      // The length is the transport's to state; an action's own Content-Length would only disagree with it.
      for (const [k, v] of Object.entries(request.headers)) if (k.toLowerCase() !== 'content-length') headers[k] = v;
      if (body !== undefined) headers['Content-Length'] = String(body.length);
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const req = send(url, { method: request.method, headers });
      const onAbort = (): void => {
        finish(() => reject(signal?.reason));
        req.destroy();
      };
      const timer = setTimeout(() => {
        finish(() => reject(new OutboundConnectionError(`The request to '${request.url}' timed out.`, 'RequestTimeout')));
        req.destroy();
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err: NodeJS.ErrnoException) => {
        finish(() => reject(new OutboundConnectionError(`Http request failed: ${err.message}`, err.code ?? 'ServiceRequestFailed')));
      });
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err: NodeJS.ErrnoException) => {
          finish(() => reject(new OutboundConnectionError(`Http request failed: ${err.message}`, err.code ?? 'ServiceRequestFailed')));
        });
        res.on('end', () => {
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
          const raw = Buffer.concat(chunks);
          finish(() => resolve({ statusCode: res.statusCode ?? 0, headers: out, body: parseBody(raw, out['content-type']) }));
        });
      });
      // The body goes out with the headers; a server that answers `Expect: 100-continue` still reads it.
      req.end(body);
    });
  };
}

function toBuffer(body: string | Uint8Array): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
}

