import { randomUUID } from 'node:crypto';
import { Client, type Context } from '@microsoft/microsoft-graph-client';
import type { AppError } from '../errors/app-error.js';
import { toGraphAppError } from './errors.js';
import { getRequestHeader } from './headers.js';
import { attemptLogs, AuthMiddleware, FetchMiddleware, RetryMiddleware, type FetchLike } from './middleware.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';

/**
 * THE Graph seam. Everything in the helpers that talks to Microsoft Graph goes through a
 * GraphClient: the SDK client with our middleware (retry with Retry-After, token, fetch), a fresh
 * client-request-id on every call, and every failure converted to AppError.
 */
export interface GraphCallOptions {
  /** Extra request headers, e.g. { ConsistencyLevel: 'eventual' }. */
  headers?: Record<string, string>;
  /** Step name put on errors, e.g. "resolve_user". */
  step?: string;
  /** API version for this call only, e.g. "beta" for data v1.0 does not expose; the client's version otherwise. */
  version?: 'v1.0' | 'beta';
}

export interface GraphClient {
  /** e.g. "https://graph.microsoft.com" (no version). */
  readonly baseUrl: string;
  readonly version: string;
  /** The retry policy of this client; $batch uses it for throttled items too. */
  readonly retryPolicy: RetryPolicy;
  get<T>(path: string, options?: GraphCallOptions): Promise<T>;
  post<T>(path: string, body: unknown, options?: GraphCallOptions): Promise<T>;
  patch<T>(path: string, body: unknown, options?: GraphCallOptions): Promise<T>;
  delete(path: string, options?: GraphCallOptions): Promise<void>;
  /** The relative path for an @odata.nextLink, or undefined when it points outside the Graph version root. */
  relativeLink(link: string): string | undefined;
}

export interface GraphClientOptions {
  baseUrl?: string;
  version?: string;
  /** Returns a bearer token for Graph (see token-provider.ts). */
  token: () => Promise<string>;
  retry?: Partial<RetryPolicy>;
  fetch?: FetchLike;
}

export type GraphMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const baseUrl = (options.baseUrl ?? 'https://graph.microsoft.com').replace(/\/+$/, '');
  const version = options.version ?? 'v1.0';
  const requestIdOf = (c: Context): string | undefined => getRequestHeader(c.options, 'client-request-id');
  const retryPolicy = defaultRetryPolicy(options.retry);
  const retry = new RetryMiddleware(retryPolicy, requestIdOf);
  const auth = new AuthMiddleware(options.token);
  const terminal = new FetchMiddleware(options.fetch ?? ((input, init) => fetch(input, init)));
  retry.setNext(auth);
  auth.setNext(terminal);
  const sdk = Client.initWithMiddleware({ middleware: retry, baseUrl, defaultVersion: version });

  async function call<T>(method: GraphMethod, path: string, body: unknown, opts: GraphCallOptions = {}): Promise<T> {
    const clientRequestId = randomUUID();
    let request = sdk.api(path).header('client-request-id', clientRequestId);
    if (opts.version) request = request.version(opts.version);
    for (const [name, value] of Object.entries(opts.headers ?? {})) request = request.header(name, value);
    try {
      switch (method) {
        case 'GET':
          return (await request.get()) as T;
        case 'POST':
          return (await request.post(body)) as T;
        case 'PATCH':
          return (await request.patch(body)) as T;
        case 'DELETE':
          return (await request.delete()) as T;
      }
    } catch (err) {
      const error: AppError = toGraphAppError(err, {
        step: opts.step,
        clientRequestId,
        attempts: attemptLogs.get(clientRequestId)?.attempts,
        request: { method, path: `/${opts.version ?? version}${path.startsWith('/') ? '' : '/'}${path}` },
      });
      throw error;
    } finally {
      attemptLogs.delete(clientRequestId);
    }
  }

  return {
    baseUrl,
    version,
    retryPolicy,
    get: (path, o) => call('GET', path, undefined, o),
    post: (path, body, o) => call('POST', path, body, o),
    patch: (path, body, o) => call('PATCH', path, body, o),
    delete: (path, o) => call<void>('DELETE', path, undefined, o),
    relativeLink(link) {
      let url: URL;
      try {
        url = new URL(link, `${baseUrl}/${version}/`);
      } catch {
        return undefined;
      }
      // Only the path under our version root is kept; the host is always ours, so a link can
      // never send the token elsewhere.
      const prefix = `/${version}/`;
      const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
      const path = url.pathname.startsWith(basePath + prefix) ? url.pathname.slice(basePath.length) : url.pathname;
      if (!path.startsWith(prefix)) return undefined;
      return path.slice(prefix.length - 1) + url.search;
    },
  };
}
