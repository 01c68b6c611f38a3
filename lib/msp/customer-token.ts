import { ManagedIdentityCredential } from '@azure/identity';
import { CustomerTokenError, reasonForAadsts } from './customer-token-error.js';

/**
 * Tokens for a customer's tenant in msp mode, without any secret: the multi-tenant app's only credential is a
 * user-assigned managed identity configured as its federated identity credential. The helpers get a token of that
 * identity for `api://AzureADTokenExchange` and present it as the app's client assertion in the OAuth 2.0 client
 * credentials flow, in the customer's tenant:
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#third-case-access-token-request-with-a-federated-credential
 * https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
 *
 * A plain form POST rather than MSAL: MSAL refuses http authorities, and the local sign-in stand-in is http.
 * Neither the assertion nor the token is ever logged or put in an error.
 */
export const TOKEN_EXCHANGE_SCOPE = 'api://AzureADTokenExchange/.default';
export { GRAPH_SCOPE } from '../graph/token-provider.js';
export const EXCHANGE_SCOPE = 'https://outlook.office365.com/.default';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Same margin as lib/graph/token-provider.ts: a token is renewed five minutes before it expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface CustomerToken {
  token: string;
  /** Epoch milliseconds. */
  expiresOnTimestamp: number;
}

export interface CustomerTokenSource {
  /** A token for `scope` (e.g. GRAPH_SCOPE) in the customer's tenant (id or verified domain). */
  getToken(tenantId: string, scope: string): Promise<CustomerToken>;
  /** Forgets every cached token (tests; a customer removed and added again). */
  clear(): void;
}

export interface CustomerTokenOptions {
  /** e.g. https://login.microsoftonline.com (AZURE_AUTHORITY_HOST); no trailing slash needed. */
  authorityHost: string;
  /** The multi-tenant app's client id (MSP_APP_CLIENT_ID). */
  appClientId: string;
  /** The managed identity's token for api://AzureADTokenExchange: the client assertion. */
  assertion: () => Promise<string>;
  fetch?: typeof fetch;
  now?: () => number;
}

/** A tenant id (GUID) or a domain name: nothing else may reach the token URL's path. */
const TENANT_PATTERN = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)$/i;

interface TokenAnswer {
  access_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_codes?: unknown;
  error_description?: unknown;
  trace_id?: unknown;
}

function aadstsOf(answer: TokenAnswer): string | undefined {
  if (Array.isArray(answer.error_codes) && answer.error_codes.length > 0) return String(answer.error_codes[0]);
  const match = typeof answer.error_description === 'string' ? /AADSTS(\d+)/.exec(answer.error_description) : null;
  return match?.[1];
}

export function createCustomerTokenSource(options: CustomerTokenOptions): CustomerTokenSource {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const authority = options.authorityHost.replace(/\/+$/, '');
  const cache = new Map<string, CustomerToken>();
  const pending = new Map<string, Promise<CustomerToken>>();

  async function exchange(tenantId: string, scope: string): Promise<CustomerToken> {
    let assertion: string;
    try {
      assertion = await options.assertion();
    } catch (cause) {
      throw new CustomerTokenError({ reason: 'assertion_unavailable', tenantId, cause });
    }
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.appClientId,
      scope,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    });
    let response: Response;
    try {
      response = await doFetch(`${authority}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      });
    } catch (cause) {
      throw new CustomerTokenError({ reason: 'sign_in_unavailable', tenantId, cause });
    }
    let answer: TokenAnswer = {};
    try {
      answer = (await response.json()) as TokenAnswer;
    } catch {
      // A non-JSON answer (a gateway's HTML page) is judged by its status below.
    }
    if (response.ok && typeof answer.access_token === 'string' && answer.access_token !== '') {
      const seconds = Number(answer.expires_in);
      const lifetimeMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3600_000;
      return { token: answer.access_token, expiresOnTimestamp: now() + lifetimeMs };
    }
    const traceId = typeof answer.trace_id === 'string' ? answer.trace_id : undefined;
    if (response.status === 429 || response.status >= 500 || response.ok) {
      throw new CustomerTokenError({ reason: 'sign_in_unavailable', tenantId, upstreamStatus: response.status, ...(traceId ? { traceId } : {}) });
    }
    const aadsts = aadstsOf(answer);
    throw new CustomerTokenError({ reason: reasonForAadsts(aadsts), tenantId, upstreamStatus: response.status, ...(aadsts ? { aadsts } : {}), ...(traceId ? { traceId } : {}) });
  }

  return {
    async getToken(tenantId, scope) {
      const tenant = tenantId.trim().toLowerCase();
      if (!TENANT_PATTERN.test(tenant)) throw new CustomerTokenError({ reason: 'tenant_not_found', tenantId: tenantId.slice(0, 80) });
      const key = `${tenant}|${scope}`;
      const cached = cache.get(key);
      if (cached && cached.expiresOnTimestamp - REFRESH_MARGIN_MS > now()) return cached;
      let inFlight = pending.get(key);
      if (!inFlight) {
        // Parallel callers for the same tenant and scope share one request.
        inFlight = exchange(tenant, scope)
          .then((token) => {
            cache.set(key, token);
            return token;
          })
          .finally(() => pending.delete(key));
        pending.set(key, inFlight);
      }
      return inFlight;
    },
    clear() {
      cache.clear();
    },
  };
}

export interface CustomerTokenSettings {
  AZURE_AUTHORITY_HOST: string;
  MSP_APP_CLIENT_ID?: string | undefined;
  MSP_IDENTITY_CLIENT_ID?: string | undefined;
}

const sources = new Map<string, CustomerTokenSource>();

/**
 * The process-wide source for the configured app and identity, so the Graph relay, verify-tenant and the helpers'
 * own look-ups share one cache. The assertion comes from the App Service managed-identity endpoint
 * (IDENTITY_ENDPOINT / IDENTITY_HEADER), asked for the user-assigned identity by its client id.
 */
export function customerTokenSource(settings: CustomerTokenSettings): CustomerTokenSource {
  const appClientId = settings.MSP_APP_CLIENT_ID ?? '';
  const identityClientId = settings.MSP_IDENTITY_CLIENT_ID ?? '';
  const key = `${settings.AZURE_AUTHORITY_HOST}|${appClientId}|${identityClientId}`;
  let source = sources.get(key);
  if (!source) {
    // @azure/identity also reads AZURE_AUTHORITY_HOST and refuses an http one (the local sign-in stand-in); the
    // managed-identity endpoint never uses the authority, so it gets Microsoft's https host explicitly.
    const identity = new ManagedIdentityCredential({ clientId: identityClientId, authorityHost: 'https://login.microsoftonline.com' });
    source = createCustomerTokenSource({
      authorityHost: settings.AZURE_AUTHORITY_HOST,
      appClientId,
      assertion: async () => {
        const result = await identity.getToken(TOKEN_EXCHANGE_SCOPE);
        if (!result?.token) throw new Error('The managed-identity endpoint returned no token.');
        return result.token;
      },
    });
    sources.set(key, source);
  }
  return source;
}

/** Forgets the process-wide sources and their tokens (tests). */
export function resetCustomerTokenSources(): void {
  for (const source of sources.values()) source.clear();
  sources.clear();
}
