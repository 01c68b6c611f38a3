import { loadSettings, type Settings } from '../config/settings.js';
import { AppError } from '../errors/app-error.js';
import { customerTokenSource } from '../msp/customer-token.js';
import { createGraphClient, type GraphClient } from './client.js';
import { createCredential, type GraphAuth } from './credential.js';
import { cachedTokenProvider, GRAPH_SCOPE } from './token-provider.js';

/**
 * The GraphClient the helpers use, built from app settings once per (mode, tenant) and reused, so token caching
 * works across requests. In msp mode (GRAPH_AUTH_MODE customer-tenant) every call names the customer's tenant and
 * gets that tenant's token; there is no default tenant, so a helper that forgets the tenant fails instead of
 * reading the MSP's own directory. In customer mode the managed identity reaches only its own tenant, so a tenant
 * id given there is not used.
 */
const clients = new Map<string, Promise<GraphClient>>();

function authFor(settings: Settings, tenantId: string | undefined): GraphAuth {
  if (settings.GRAPH_AUTH_MODE === 'customer-tenant') {
    if (!tenantId) {
      throw new AppError({
        code: 'configuration',
        message: "This deployment serves several customer tenants (msp mode), and the helper was not told which customer's tenant to read.",
        status: 500,
        fix: "This is a defect in the workflow or helper: pass the customer's tenant id (from /api/msp/resolve-customer) with the request.",
        step: 'graph_client',
      });
    }
    return {
      mode: 'customer-tenant',
      tenantId,
      appClientId: settings.MSP_APP_CLIENT_ID ?? '',
      identityClientId: settings.MSP_IDENTITY_CLIENT_ID ?? '',
      authorityHost: settings.AZURE_AUTHORITY_HOST,
    };
  }
  // A user-assigned identity is named by MANAGED_IDENTITY_CLIENT_ID; unset = the system-assigned identity.
  return { mode: 'managed-identity', ...(settings.MANAGED_IDENTITY_CLIENT_ID ? { clientId: settings.MANAGED_IDENTITY_CLIENT_ID } : {}) };
}

export async function getGraphClient(options: { settings?: Settings; tenantId?: string } = {}): Promise<GraphClient> {
  const settings = options.settings ?? loadSettings();
  const auth = authFor(settings, options.tenantId);
  const cacheKey = [
    settings.GRAPH_BASE_URL,
    auth.mode,
    auth.mode === 'managed-identity' ? (auth.clientId ?? '') : `${auth.authorityHost}|${auth.appClientId}|${auth.identityClientId}|${auth.tenantId.toLowerCase()}`,
  ].join('|');
  if (auth.mode === 'customer-tenant') {
    // The token first, on every call (a cache hit after the first): the Graph SDK would turn a token failure into
    // "Graph could not be reached", while this surfaces the typed CustomerTokenError (AADSTS code, fix) at once,
    // e.g. when the customer's admin withdrew consent.
    await customerTokenSource({
      AZURE_AUTHORITY_HOST: auth.authorityHost,
      MSP_APP_CLIENT_ID: auth.appClientId,
      MSP_IDENTITY_CLIENT_ID: auth.identityClientId,
    }).getToken(auth.tenantId, GRAPH_SCOPE);
  }
  let client = clients.get(cacheKey);
  if (!client) {
    client = Promise.resolve(createGraphClient({ baseUrl: settings.GRAPH_BASE_URL, token: cachedTokenProvider(createCredential(auth)) }));
    clients.set(cacheKey, client);
  }
  return client;
}

/** Forgets cached clients (tests). */
export function resetGraphClients(): void {
  clients.clear();
}
