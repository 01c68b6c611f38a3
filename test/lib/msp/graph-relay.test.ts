import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerRegistryReader } from '../../../lib/msp/customer-registry.js';
import type { CustomerRow } from '../../../lib/msp/customer-row.js';
import { createCustomerTokenSource, type CustomerTokenSource } from '../../../lib/msp/customer-token.js';
import { relayableRuleIds, relayGraphCall, relayRulesFor, type RelayRequest } from '../../../lib/msp/graph-relay.js';
import { startFakeGraph, type FakeGraph } from './support/fake-graph.js';
import { startFakeSignIn, type FakeSignIn } from './support/fake-sign-in.js';

/**
 * The Graph relay of msp mode (docs/msp-mode.md): allowed calls reach Graph with the customer's own tenant token
 * and come back verbatim; anything else, and any unknown or removed customer, is refused before a token is asked for.
 */
const APP = '0f0f0f0f-1111-2222-3333-444444444444';
const CONTOSO_TENANT = 'c0c0c0c0-1111-2222-3333-444444444444';
const FABRIKAM_TENANT = 'fabfab00-1111-2222-3333-444444444444';
const USER = '5a5a5a5a-1111-2222-3333-444444444444';
const GROUP = '6b6b6b6b-1111-2222-3333-444444444444';

const row = (id: string, tenantId: string, domain: string): CustomerRow => ({
  id,
  displayName: id,
  tenantId,
  domains: [domain],
  exchangeOrganization: `${id}.onmicrosoft.com`,
  webhookKeyId: 'k',
  webhookKeyHash: '0'.repeat(64),
  status: 'active',
  addedAt: '2026-12-01T09:00:00.000Z',
});
const rows = new Map<string, CustomerRow>();
const registry: CustomerRegistryReader = { getCustomer: async (id) => (rows.get(id) ? { ...rows.get(id)! } : undefined) };

let signIn: FakeSignIn;
let graph: FakeGraph;
let tokens: CustomerTokenSource;

beforeAll(async () => {
  signIn = await startFakeSignIn({ appClientId: APP, assertion: 'assertion', tenants: [CONTOSO_TENANT, FABRIKAM_TENANT], consented: [CONTOSO_TENANT, FABRIKAM_TENANT] });
  graph = await startFakeGraph();
});
afterAll(async () => {
  await signIn?.stop();
  await graph?.stop();
});
beforeEach(() => {
  rows.clear();
  rows.set('contosocorp', row('contosocorp', CONTOSO_TENANT, 'contoso.com'));
  rows.set('fabrikam', row('fabrikam', FABRIKAM_TENANT, 'fabrikam.com'));
  signIn.consented.add(CONTOSO_TENANT);
  signIn.requests.length = 0;
  graph.calls.length = 0;
  graph.answer = () => ({ status: 204 });
  tokens = createCustomerTokenSource({ authorityHost: signIn.url, appClientId: APP, assertion: async () => 'assertion' });
});

function request(customerId: string, method: string, graphPath: string, init: { search?: string; headers?: Record<string, string>; body?: string } = {}): RelayRequest {
  const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return { customerId, method, graphPath, search: init.search ?? '', header: (name) => headers[name.toLowerCase()], body: init.body === undefined ? undefined : Buffer.from(init.body) };
}

const deps = () => ({ registry, tokens, graphBaseUrl: graph.url });

describe('Graph relay: forwarding', () => {
  it("forwards an allowed write with the customer's tenant token and returns Graph's answer verbatim", async () => {
    graph.answer = () => ({
      status: 400,
      headers: { 'content-type': 'application/json', 'request-id': 'req-1', 'client-request-id': 'cr-1', 'x-ms-ags-diagnostic': '{}' },
      body: '{"error":{"code":"Request_BadRequest","message":"One or more added object references already exist for the following modified properties: \'members\'."}}',
    });
    const body = `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/${USER}"}`;
    const answer = await relayGraphCall(
      request('contosocorp', 'POST', `v1.0/groups/${GROUP}/members/$ref`, {
        headers: { 'content-type': 'application/json', authorization: 'Bearer helpers-audience-token', 'client-request-id': 'cr-1', 'x-custom': 'dropped' },
        body,
      }),
      deps(),
    );
    expect(answer.status).toBe(400);
    expect(answer.headers).toEqual({ 'content-type': 'application/json', 'request-id': 'req-1', 'client-request-id': 'cr-1' });
    expect(answer.body?.toString()).toContain('added object references already exist');
    expect(graph.calls).toHaveLength(1);
    const call = graph.calls[0]!;
    expect(call).toMatchObject({ method: 'POST', url: `/v1.0/groups/${GROUP}/members/$ref`, body });
    expect(call.headers.authorization).toBe(`Bearer tok|${CONTOSO_TENANT}|https://graph.microsoft.com/.default|1`);
    expect(call.headers['client-request-id']).toBe('cr-1');
    expect(call.headers['x-custom']).toBeUndefined();
  });

  it("a request for customer B presents B's tenant token, never A's", async () => {
    await relayGraphCall(request('contosocorp', 'POST', `v1.0/users/${USER}/revokeSignInSessions`), deps());
    await relayGraphCall(request('fabrikam', 'POST', `v1.0/users/${USER}/revokeSignInSessions`), deps());
    const [a, b] = graph.calls.map((c) => String(c.headers.authorization));
    expect(a).toContain(CONTOSO_TENANT);
    expect(b).toContain(FABRIKAM_TENANT);
    expect(b).not.toContain(CONTOSO_TENANT);
  });

  it('keeps the query string and passes 429 with Retry-After through (the workflow retry policy reads it)', async () => {
    graph.answer = () => ({ status: 429, headers: { 'retry-after': '7', 'content-type': 'application/json' }, body: '{"error":{"code":"TooManyRequests"}}' });
    const answer = await relayGraphCall(request('contosocorp', 'GET', `v1.0/users/${USER}`, { search: '?$select=id' }), deps());
    expect(graph.calls[0]?.url).toBe(`/v1.0/users/${USER}?$select=id`);
    expect(answer).toMatchObject({ status: 429, headers: { 'retry-after': '7' } });
  });

  it('a PATCH is judged by its body: setting a password passes (granted to the Logic App)', async () => {
    await relayGraphCall(request('contosocorp', 'PATCH', `v1.0/users/${USER}`, { headers: { 'content-type': 'application/json' }, body: '{"passwordProfile":{"password":"x"}}' }), deps());
    expect(graph.calls).toHaveLength(1);
  });
});

describe('Graph relay: refusals', () => {
  it.each([
    ['GET', 'v1.0/applications', 'not a Microsoft Graph call this project makes'],
    ['DELETE', `v1.0/users/${USER}`, 'not meant to delete a user'],
    ['GET', 'v1.0/users', 'not meant to look up users'],
    ['POST', 'v1.0/$batch', 'not meant to send a $batch'],
    ['GET', `v1.0/users/${USER}%2F..%2Fapplications`, 'encoded slash'],
    ['GET', `v1.0/users/../applications`, 'dot segment'],
    ['GET', `users/${USER}`, 'must start with v1.0/ or beta/'],
  ])('%s /%s is refused with 403 naming the path, before any token or Graph call', async (method, path, why) => {
    const err = await relayGraphCall(request('contosocorp', method, path), deps()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'forbidden', status: 403, details: { method, path: `/${path}` } });
    expect((err as Error).message).toContain(why);
    expect(signIn.requests).toHaveLength(0);
    expect(graph.calls).toHaveLength(0);
  });

  it('every row the relay forwards is one the Logic App is granted (lib/permissions/graph-calls.ts)', () => {
    expect(relayableRuleIds()).toEqual(expect.arrayContaining(['group-member-add', 'group-member-remove', 'user-update-password', 'user-revoke-sessions', 'user-assign-license', 'user-create']));
    expect(relayableRuleIds()).not.toContain('user-delete');
    expect(() => relayRulesFor('PATCH', `v1.0/groups/${GROUP}`, Buffer.from('{"members@odata.bind":[]}'), 'application/json')).toThrow(/not meant to add members/);
  });

  it('an unknown customer is refused (403 unknown_customer)', async () => {
    await expect(relayGraphCall(request('northwind', 'POST', `v1.0/users/${USER}/revokeSignInSessions`), deps())).rejects.toMatchObject({ code: 'unknown_customer', status: 403 });
    expect(graph.calls).toHaveLength(0);
  });

  it('a removed customer is refused from the next call on, even with a cached token', async () => {
    await relayGraphCall(request('contosocorp', 'POST', `v1.0/users/${USER}/revokeSignInSessions`), deps());
    rows.set('contosocorp', { ...rows.get('contosocorp')!, status: 'removed', removedAt: '2026-12-06T11:00:00.000Z' });
    await expect(relayGraphCall(request('contosocorp', 'POST', `v1.0/users/${USER}/revokeSignInSessions`), deps())).rejects.toMatchObject({ code: 'customer_removed', status: 403 });
    expect(graph.calls).toHaveLength(1);
  });

  it("consent revoked in the customer's tenant: 403 with the AADSTS code and the customer:add fix; Graph is not called", async () => {
    signIn.consented.delete(CONTOSO_TENANT);
    const err = await relayGraphCall(request('contosocorp', 'POST', `v1.0/users/${USER}/revokeSignInSessions`), deps()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'forbidden', status: 403, details: { reason: 'consent_missing', aadsts: 'AADSTS7000229' } });
    expect(graph.calls).toHaveLength(0);
  });
});
