import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings, resetSettingsCache } from '../../../lib/config/settings.js';
import { getGraphClient, resetGraphClients } from '../../../lib/graph/default-client.js';
import { createSecretStore, setSecretStore } from '../../../lib/secrets/index.js';

/** The settings-built client: secrets read by name, one client per (mode, tenant). No network here. */
afterEach(() => {
  resetGraphClients();
  setSecretStore(undefined);
  resetSettingsCache();
});

describe('getGraphClient', () => {
  it('reads the client secret by its configured name and keeps one client per customer tenant', async () => {
    const asked: string[] = [];
    setSecretStore(
      createSecretStore({
        client: {
          getSecret: async (name: string) => {
            asked.push(name);
            return { value: 'not-a-real-secret' };
          },
        },
      }),
    );
    const settings = loadSettings({
      GRAPH_AUTH_MODE: 'client-secret',
      AZURE_TENANT_ID: '11111111-2222-3333-4444-555555555555',
      AZURE_CLIENT_ID: '99999999-2222-3333-4444-555555555555',
      GRAPH_CLIENT_SECRET_NAME: 'msp-graph-secret',
      GRAPH_BASE_URL: 'http://127.0.0.1:9',
    });
    const a = await getGraphClient({ settings });
    const b = await getGraphClient({ settings });
    const other = await getGraphClient({ settings, tenantId: 'aaaaaaaa-2222-3333-4444-555555555555' });
    expect(a).toBe(b);
    expect(other).not.toBe(a);
    expect(new Set(asked)).toEqual(new Set(['msp-graph-secret']));
    expect(a.baseUrl).toBe('http://127.0.0.1:9');
  });
});
