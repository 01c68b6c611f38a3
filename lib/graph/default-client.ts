import { loadSettings, type Settings } from '../config/settings.js';
import { getSecret } from '../secrets/index.js';
import { createGraphClient, type GraphClient } from './client.js';
import { createCredential, type GraphAuth } from './credential.js';
import { cachedTokenProvider } from './token-provider.js';

/**
 * The GraphClient the helpers use, built from app settings once per (mode, tenant) and reused, so
 * token caching works across requests. In app-registration modes a customer tenant id may be given
 * per call (one multi-tenant app, one token per customer tenant).
 */
const clients = new Map<string, Promise<GraphClient>>();

async function authFor(settings: Settings, tenantId: string | undefined): Promise<GraphAuth> {
  const tenant = tenantId ?? settings.AZURE_TENANT_ID ?? '';
  const clientId = settings.AZURE_CLIENT_ID ?? '';
  switch (settings.GRAPH_AUTH_MODE) {
    case 'managed-identity':
      // A user-assigned identity is named by MANAGED_IDENTITY_CLIENT_ID; AZURE_CLIENT_ID is the app registration's.
      return { mode: 'managed-identity', ...(settings.MANAGED_IDENTITY_CLIENT_ID ? { clientId: settings.MANAGED_IDENTITY_CLIENT_ID } : {}) };
    case 'client-secret':
      return { mode: 'client-secret', tenantId: tenant, clientId, clientSecret: await getSecret(settings.GRAPH_CLIENT_SECRET_NAME) };
    case 'client-certificate':
      return { mode: 'client-certificate', tenantId: tenant, clientId, certificatePem: await getSecret(settings.GRAPH_CLIENT_CERTIFICATE_NAME) };
  }
}

export function getGraphClient(options: { settings?: Settings; tenantId?: string } = {}): Promise<GraphClient> {
  const settings = options.settings ?? loadSettings();
  const cacheKey = [
    settings.GRAPH_BASE_URL,
    settings.GRAPH_AUTH_MODE,
    settings.GRAPH_AUTH_MODE === 'managed-identity' ? (settings.MANAGED_IDENTITY_CLIENT_ID ?? '') : (settings.AZURE_CLIENT_ID ?? ''),
    options.tenantId ?? settings.AZURE_TENANT_ID ?? '',
  ].join('|');
  let client = clients.get(cacheKey);
  if (!client) {
    client = authFor(settings, options.tenantId).then((auth) =>
      createGraphClient({ baseUrl: settings.GRAPH_BASE_URL, token: cachedTokenProvider(createCredential(auth)) }),
    );
    client.catch(() => clients.delete(cacheKey));
    clients.set(cacheKey, client);
  }
  return client;
}

/** Forgets cached clients (tests, secret rotation). */
export function resetGraphClients(): void {
  clients.clear();
}
