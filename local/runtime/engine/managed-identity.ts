import type { OutboundRequest, OutboundResponse } from '../model.js';

interface CachedToken {
  token: string;
  expiresAtMs: number;
}

/** Refresh this long before expiry so a token never expires mid-request. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface ManagedIdentityOptions {
  setting: (name: string) => string | undefined;
  http: (request: OutboundRequest) => Promise<OutboundResponse>;
  now: () => number;
}

/**
 * Tokens from the App Service managed-identity endpoint (IDENTITY_ENDPOINT + X-IDENTITY-HEADER,
 * api-version 2019-08-01), cached per audience and client id until shortly before `expires_on`.
 */
export function createManagedIdentityTokenProvider(opts: ManagedIdentityOptions) {
  const cache = new Map<string, CachedToken>();
  const inflight = new Map<string, Promise<string>>();

  async function fetchToken(audience: string, clientId: string | undefined): Promise<CachedToken> {
    const endpoint = opts.setting('IDENTITY_ENDPOINT');
    const header = opts.setting('IDENTITY_HEADER');
    if (!endpoint || !header) {
      throw Object.assign(new Error('Managed identity is not available: IDENTITY_ENDPOINT and IDENTITY_HEADER must be set.'), {
        code: 'ManagedIdentityNotAvailable',
      });
    }
    const url = new URL(endpoint);
    url.searchParams.set('resource', audience);
    url.searchParams.set('api-version', '2019-08-01');
    if (clientId) url.searchParams.set('client_id', clientId);
    const res = await opts.http({ method: 'GET', url: url.toString(), headers: { 'X-IDENTITY-HEADER': header } });
    const body = res.body as { access_token?: unknown; expires_on?: unknown; expires_in?: unknown } | undefined;
    if (res.statusCode !== 200 || typeof body?.access_token !== 'string') {
      throw Object.assign(new Error(`The managed identity endpoint returned status ${res.statusCode} for audience '${audience}'.`), {
        code: 'ManagedIdentityTokenFailed',
      });
    }
    const expiresOn = Number(body.expires_on);
    const expiresAtMs = Number.isFinite(expiresOn) && expiresOn > 0
      ? expiresOn * 1000
      : opts.now() + (Number(body.expires_in) || 3600) * 1000;
    return { token: body.access_token, expiresAtMs };
  }

  return async function managedIdentityToken(audience: string, clientId?: string): Promise<string> {
    const key = `${audience}\n${clientId ?? ''}`;
    const cached = cache.get(key);
    if (cached && cached.expiresAtMs - REFRESH_MARGIN_MS > opts.now()) return cached.token;
    let pending = inflight.get(key);
    if (!pending) {
      pending = fetchToken(audience, clientId)
        .then((t) => {
          cache.set(key, t);
          return t.token;
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return pending;
  };
}
