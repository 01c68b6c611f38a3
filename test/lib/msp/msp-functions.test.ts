import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetSettingsCache } from '../../../lib/config/settings.js';
import { graphFor } from '../../../lib/functions/graph-for.js';
import { mspGraphRelay } from '../../../lib/functions/msp-graph-relay.js';
import { mspResolveCustomer } from '../../../lib/functions/msp-resolve-customer.js';
import { mspVerifyTenant } from '../../../lib/functions/msp-verify-tenant.js';
import { resetGraphClients } from '../../../lib/graph/default-client.js';
import { CUSTOMERS_TABLE, toCustomerEntity, type CustomerRow } from '../../../lib/msp/customer-row.js';
import { resetCustomerTokenSources } from '../../../lib/msp/customer-token.js';
import { getTableClient } from '../../../lib/storage/tables.js';
import { startAzurite, type AzuriteTables } from '../../../local/standins/azurite.js';
import { startIdentityStandIn, type IdentityStandIn } from '../../../local/standins/identity/index.js';
import { newWebhookKey } from '../../../scripts/customers/webhook-key.js';
import { call, CALLER } from '../functions/call.js';
import { startFakeGraph, type FakeGraph } from './support/fake-graph.js';
import { startFakeSignIn, type FakeSignIn } from './support/fake-sign-in.js';

/**
 * The msp entry points as the Functions worker runs them, with the settings msp mode deploys (infra/README.md
 * "msp mode": DEPLOYMENT_MODE, MSP_APP_CLIENT_ID, MSP_IDENTITY_CLIENT_ID), the managed-identity stand-in for the
 * assertion, a fake sign-in endpoint, a fake Graph and Azurite for the registry.
 */
const APP = '0f0f0f0f-1111-2222-3333-444444444444';
const IDENTITY_CLIENT_ID = '1d1d1d1d-1111-2222-3333-444444444444';
const CONTOSO_TENANT = 'c0c0c0c0-1111-2222-3333-444444444444';
const NEW_TENANT = 'dddddddd-1111-2222-3333-444444444444';
const TECHNICIAN = '7e7e7e7e-1111-2222-3333-444444444444';
const SP = '5e5e5e5e-1111-2222-3333-444444444444';
const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const key = newWebhookKey();

let identity: IdentityStandIn;
let signIn: FakeSignIn;
let graph: FakeGraph;
let azurite: AzuriteTables;
const savedEnv = { ...process.env };

const contoso: CustomerRow = {
  id: 'contosocorp',
  displayName: 'Contoso Corp',
  tenantId: CONTOSO_TENANT,
  domains: ['contoso.com', 'contosocorp.onmicrosoft.com'],
  exchangeOrganization: 'contosocorp.onmicrosoft.com',
  webhookKeyId: key.keyId,
  webhookKeyHash: key.verifier,
  status: 'active',
  addedAt: '2026-12-01T09:00:00.000Z',
};

function claims(jwt: string): { aud?: string; appid?: string } {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { aud?: string; appid?: string };
}

beforeAll(async () => {
  identity = await startIdentityStandIn({ principals: [{ objectId: 'f0f0f0f0-1111-2222-3333-444444444444', clientId: 'system' }, { objectId: '2e2e2e2e-1111-2222-3333-444444444444', clientId: IDENTITY_CLIENT_ID }] });
  signIn = await startFakeSignIn({
    appClientId: APP,
    assertion: (a) => claims(a).aud === 'api://AzureADTokenExchange' && claims(a).appid === IDENTITY_CLIENT_ID,
    tenants: [CONTOSO_TENANT, NEW_TENANT],
    consented: [CONTOSO_TENANT],
  });
  graph = await startFakeGraph();
  azurite = await startAzurite();
  const table = await getTableClient(CUSTOMERS_TABLE, { connectionString: azurite.connectionString });
  const { PartitionKey, RowKey, ...rest } = toCustomerEntity(contoso);
  await table.createEntity({ partitionKey: PartitionKey as string, rowKey: RowKey as string, ...rest });
  Object.assign(process.env, {
    ...identity.env(),
    DEPLOYMENT_MODE: 'msp',
    MSP_APP_CLIENT_ID: APP,
    MSP_IDENTITY_CLIENT_ID: IDENTITY_CLIENT_ID,
    AZURE_AUTHORITY_HOST: signIn.url,
    GRAPH_BASE_URL: graph.url,
    TABLES_CONNECTION_STRING: azurite.connectionString,
    ALLOWED_CALLER_OBJECT_IDS: CALLER,
    ONBOARDING_CALLER_OBJECT_IDS: TECHNICIAN,
  });
  delete process.env.GRAPH_AUTH_MODE;
  resetSettingsCache();
});

afterAll(async () => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  resetSettingsCache();
  resetGraphClients();
  resetCustomerTokenSources();
  await Promise.all([identity?.stop(), signIn?.stop(), graph?.stop(), azurite?.stop()]);
});

beforeEach(() => {
  graph.calls.length = 0;
  graph.answer = () => ({ status: 204 });
});

describe('POST /api/msp/resolve-customer', () => {
  it("answers the customer's tenant for the right key", async () => {
    const { answer } = await call(mspResolveCustomer, { body: { customerId: 'contosocorp', customerKey: key.key } });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      customer: { id: 'contosocorp', displayName: 'Contoso Corp', tenantId: CONTOSO_TENANT, exchangeOrganization: 'contosocorp.onmicrosoft.com', domains: ['contoso.com', 'contosocorp.onmicrosoft.com'] },
    });
  });

  it('refuses a wrong key and an unknown customer with 403 and a fix', async () => {
    const wrong = await call(mspResolveCustomer, { body: { customerId: 'contosocorp', customerKey: 'guess' } });
    expect(wrong.answer).toMatchObject({ status: 403, json: { error: { code: 'bad_customer_key' } } });
    const unknown = await call(mspResolveCustomer, { body: { customerId: 'northwind', customerKey: key.key } });
    expect(unknown.answer).toMatchObject({ status: 403, json: { error: { code: 'unknown_customer', fix: expect.stringContaining('customer:add') } } });
  });

  it('names the customer refused in details (the router tracks it) and refuses a URL without customer parameters with the fix', async () => {
    const wrong = await call(mspResolveCustomer, { body: { customerId: 'contosocorp', customerKey: 'guess' } });
    expect(wrong.answer.json).toMatchObject({ error: { details: { customerId: 'contosocorp' } } });
    const bare = await call(mspResolveCustomer, { body: { customerId: '', customerKey: '' } });
    expect(bare.answer).toMatchObject({ status: 403, json: { error: { code: 'unknown_customer', fix: expect.stringContaining('customerKey=') } } });
    expect(String((bare.answer.json as { error: { message: string } }).error.message)).toContain('no customer and no customerKey');
    const keyless = await call(mspResolveCustomer, { body: { customerId: 'contosocorp', customerKey: '' } });
    expect(keyless.answer).toMatchObject({ status: 403, json: { error: { code: 'bad_customer_key', details: { customerId: 'contosocorp' } } } });
  });

  it('is off in customer mode (404)', async () => {
    process.env.DEPLOYMENT_MODE = 'customer';
    try {
      const { answer } = await call(mspResolveCustomer, { body: { customerId: 'contosocorp', customerKey: key.key } });
      expect(answer).toMatchObject({ status: 404, json: { error: { code: 'not_found' } } });
    } finally {
      process.env.DEPLOYMENT_MODE = 'msp';
    }
  });
});

describe('ANY /api/msp/graph/{customerId}/{*path}', () => {
  it("forwards the workflow's Graph write to Graph with the customer's tenant token", async () => {
    const { answer } = await call(mspGraphRelay, { method: 'POST', path: 'msp/graph/contosocorp/v1.0/users/5a5a5a5a-1111-2222-3333-444444444444/revokeSignInSessions' });
    expect(answer.status).toBe(204);
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]?.url).toBe('/v1.0/users/5a5a5a5a-1111-2222-3333-444444444444/revokeSignInSessions');
    expect(String(graph.calls[0]?.headers.authorization)).toContain(`tok|${CONTOSO_TENANT}|`);
  });

  it('refuses other callers than the Logic App, and paths outside the table', async () => {
    const stranger = await call(mspGraphRelay, { method: 'POST', path: 'msp/graph/contosocorp/v1.0/users/x/revokeSignInSessions', principal: TECHNICIAN });
    expect(stranger.answer).toMatchObject({ status: 403, json: { error: { step: 'check_caller' } } });
    const path = await call(mspGraphRelay, { method: 'GET', path: 'msp/graph/contosocorp/v1.0/applications' });
    expect(path.answer).toMatchObject({ status: 403, json: { error: { code: 'forbidden', details: { path: '/v1.0/applications' } } } });
    expect(graph.calls).toHaveLength(0);
  });
});

describe('POST /api/msp/verify-tenant', () => {
  it("reads consent, app roles, directory roles and domains in the customer's tenant (infra/README.md Onboarding contract)", async () => {
    graph.answer = (c) => {
      const json = (body: unknown) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (c.url.includes('/servicePrincipals(appId=')) return json({ id: SP, appId: APP });
      if (c.url.includes(`/servicePrincipals/${SP}/appRoleAssignments`)) return json({ value: [{ appRoleId: 'r1' }, { appRoleId: 'r2' }, { appRoleId: 'r1' }] });
      if (c.url.includes('/roleManagement/directory/roleAssignments')) {
        return json({ value: [{ roleDefinitionId: USER_ADMIN, directoryScopeId: '/' }, { roleDefinitionId: 'scoped-role', directoryScopeId: '/administrativeUnits/1' }] });
      }
      if (c.url.includes('/organization')) return json({ value: [{ verifiedDomains: [{ name: 'Contoso.com', isInitial: false }, { name: 'contosocorp.onmicrosoft.com', isInitial: true }] }] });
      return { status: 404, body: '' };
    };
    const { answer } = await call(mspVerifyTenant, { body: { tenantId: CONTOSO_TENANT }, principal: TECHNICIAN });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      consented: true,
      grantedAppRoleIds: ['r1', 'r2'],
      assignedDirectoryRoleIds: [USER_ADMIN],
      initialDomain: 'contosocorp.onmicrosoft.com',
      verifiedDomains: ['contoso.com', 'contosocorp.onmicrosoft.com'],
    });
    expect(graph.calls.every((c) => String(c.headers.authorization).includes(CONTOSO_TENANT))).toBe(true);
    expect(decodeURIComponent(graph.calls.find((c) => c.url.includes('roleAssignments'))?.url ?? '')).toContain(`principalId eq '${SP}'`);
  });

  it('a tenant that has not consented answers consented: false (not an error)', async () => {
    const { answer } = await call(mspVerifyTenant, { body: { tenantId: NEW_TENANT }, principal: TECHNICIAN });
    expect(answer).toMatchObject({ status: 200, json: { consented: false, grantedAppRoleIds: [], assignedDirectoryRoleIds: [] } });
    expect(graph.calls).toHaveLength(0);
  });

  it('only ONBOARDING_CALLER_OBJECT_IDS may call it (the Logic App may not)', async () => {
    const { answer } = await call(mspVerifyTenant, { body: { tenantId: CONTOSO_TENANT } });
    expect(answer).toMatchObject({ status: 403, json: { error: { code: 'forbidden', fix: expect.stringContaining('ONBOARDING_CALLER_OBJECT_IDS') } } });
  });
});

describe('graphFor(tenantId) in msp mode', () => {
  it("reads with the named customer's tenant token; without a tenant it refuses instead of reading the MSP's directory", async () => {
    graph.answer = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"value":[]}' });
    await (await graphFor(CONTOSO_TENANT)).get('/domains');
    expect(String(graph.calls[0]?.headers.authorization)).toContain(`tok|${CONTOSO_TENANT}|`);
    await expect(graphFor(undefined)).rejects.toMatchObject({ code: 'configuration', step: 'graph_client' });
  });
});
