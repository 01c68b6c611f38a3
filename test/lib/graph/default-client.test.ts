import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, resetSettingsCache } from '../../../lib/config/settings.js';
import { getGraphClient, resetGraphClients } from '../../../lib/graph/default-client.js';
import { resetCustomerTokenSources } from '../../../lib/msp/customer-token.js';
import { startIdentityStandIn, type IdentityStandIn } from '../../../local/standins/identity/index.js';
import { startFakeGraph, type FakeGraph } from '../msp/support/fake-graph.js';
import { startFakeSignIn, type FakeSignIn } from '../msp/support/fake-sign-in.js';

/**
 * The settings-built client: one client per (mode, tenant); no secret or certificate path exists. In msp mode
 * (GRAPH_AUTH_MODE customer-tenant) each customer tenant gets its own token from the federated credential flow
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#third-case-access-token-request-with-a-federated-credential).
 */
const APP = '0f0f0f0f-1111-2222-3333-444444444444';
const IDENTITY_CLIENT_ID = '1d1d1d1d-1111-2222-3333-444444444444';
const CONTOSO = 'c0c0c0c0-1111-2222-3333-444444444444';
const FABRIKAM = 'fabfab00-1111-2222-3333-444444444444';

let identity: IdentityStandIn;
let signIn: FakeSignIn;
let graph: FakeGraph;
const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

beforeAll(async () => {
  identity = await startIdentityStandIn({ principals: [{ objectId: 'f0f0f0f0-1111-2222-3333-444444444444', clientId: 'system' }, { objectId: '2e2e2e2e-1111-2222-3333-444444444444', clientId: IDENTITY_CLIENT_ID }] });
  Object.assign(process.env, identity.env());
  signIn = await startFakeSignIn({ appClientId: APP, assertion: (a) => a.split('.').length === 3, tenants: [CONTOSO, FABRIKAM], consented: [CONTOSO, FABRIKAM] });
  graph = await startFakeGraph();
  graph.answer = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"value":[]}' });
});
afterAll(async () => {
  for (const [k, v] of [['IDENTITY_ENDPOINT', saved.endpoint], ['IDENTITY_HEADER', saved.header]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await Promise.all([identity?.stop(), signIn?.stop(), graph?.stop()]);
});
afterEach(() => {
  resetGraphClients();
  resetCustomerTokenSources();
  resetSettingsCache();
});

const mspSettings = () =>
  loadSettings({ DEPLOYMENT_MODE: 'msp', MSP_APP_CLIENT_ID: APP, MSP_IDENTITY_CLIENT_ID: IDENTITY_CLIENT_ID, AZURE_AUTHORITY_HOST: signIn.url, GRAPH_BASE_URL: graph.url });

describe('getGraphClient', () => {
  it('customer mode: one managed-identity client, whatever tenant id a look-up names', async () => {
    const settings = loadSettings({ GRAPH_BASE_URL: 'http://127.0.0.1:9' });
    const a = await getGraphClient({ settings });
    expect(await getGraphClient({ settings })).toBe(a);
    expect(await getGraphClient({ settings, tenantId: CONTOSO })).toBe(a);
    expect(a.baseUrl).toBe('http://127.0.0.1:9');
  });

  it("msp mode: one client per customer tenant, each presenting that tenant's token", async () => {
    const settings = mspSettings();
    const contoso = await getGraphClient({ settings, tenantId: CONTOSO });
    const fabrikam = await getGraphClient({ settings, tenantId: FABRIKAM });
    expect(await getGraphClient({ settings, tenantId: CONTOSO.toUpperCase() })).toBe(contoso);
    expect(fabrikam).not.toBe(contoso);
    graph.calls.length = 0;
    await contoso.get('/domains');
    await fabrikam.get('/domains');
    const auth = graph.calls.map((c) => String(c.headers.authorization));
    expect(auth[0]).toContain(`tok|${CONTOSO}|https://graph.microsoft.com/.default|`);
    expect(auth[1]).toContain(`tok|${FABRIKAM}|`);
    expect(signIn.requests.every((r) => r.form.client_id === APP && r.form.grant_type === 'client_credentials')).toBe(true);
  });

  it("msp mode, consent withdrawn: the typed error (AADSTS7000229, customer:add fix), not 'Graph could not be reached'", async () => {
    signIn.consented.delete(FABRIKAM);
    try {
      await expect(getGraphClient({ settings: mspSettings(), tenantId: FABRIKAM })).rejects.toMatchObject({ code: 'forbidden', status: 403, details: { reason: 'consent_missing', aadsts: 'AADSTS7000229' } });
    } finally {
      signIn.consented.add(FABRIKAM);
    }
  });

  it('msp mode without a tenant: configuration error, never the MSP tenant', async () => {
    await expect(getGraphClient({ settings: mspSettings() })).rejects.toMatchObject({ code: 'configuration', status: 500, step: 'graph_client' });
  });
});
