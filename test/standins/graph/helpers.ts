import { Client, HTTPMessageHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { mintLocalToken } from '../../../local/standins/identity/token.js';

/**
 * Test helpers: a real @microsoft/microsoft-graph-client pointed at the stand-in.
 *
 * The SDK's AuthenticationHandler only attaches tokens to https:// Graph or custom hosts, so over
 * plain http the chain here sets the bearer header itself (the same header the handler would set).
 */

export const CALLER_OID = '99999999-8888-7777-6666-555555555555';

export function graphToken(overrides: { aud?: string; lifetimeSeconds?: number } = {}): string {
  return mintLocalToken({ aud: overrides.aud ?? 'https://graph.microsoft.com', oid: CALLER_OID, roles: ['User.ReadWrite.All'] }, overrides.lifetimeSeconds ?? 3600);
}

class BearerMiddleware implements Middleware {
  private next?: Middleware;
  constructor(private readonly token: () => string | undefined) {}
  async execute(context: Context): Promise<void> {
    const token = this.token();
    const options = (context.options ??= {});
    const headers = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]);
    if (token !== undefined) headers.set('Authorization', `Bearer ${token}`);
    options.headers = Object.fromEntries(headers.entries());
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

export function graphClient(baseUrl: string, token: () => string | undefined = () => graphToken()): Client {
  const bearer = new BearerMiddleware(token);
  bearer.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({ middleware: bearer, baseUrl: `${baseUrl}/`, defaultVersion: 'v1.0' });
}

/** The pieces of an SDK GraphError a test asserts on. */
export async function graphFailure(promise: Promise<unknown>): Promise<{ statusCode: number; code: string; message: string; body: unknown; requestId: string | null }> {
  try {
    await promise;
  } catch (e) {
    const err = e as { statusCode: number; code: string; message: string; body: unknown; requestId: string | null };
    return { statusCode: err.statusCode, code: err.code, message: err.message, body: err.body, requestId: err.requestId };
  }
  throw new Error('expected the Graph call to fail');
}

/** Raw fetch with a valid token, for what the SDK hides (headers, text bodies, exact status). */
export async function rawGraph(baseUrl: string, path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token !== null) headers.set('Authorization', `Bearer ${init.token ?? graphToken()}`);
  if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  return fetch(`${baseUrl}${path}`, { ...init, headers });
}

export const ids = {
  adele: 'adele.vance@contoso.com',
  megan: 'megan.bowen@contoso.com',
};
