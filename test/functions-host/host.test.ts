import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFunctionsHost, type FunctionsHost } from '../../local/functions-host/index.js';
import { startAzurite, type AzuriteTables } from '../../local/standins/azurite.js';
import { startGraphStandIn, type GraphStandIn } from '../../local/standins/graph/index.js';
import { startIdentityStandIn, type IdentityStandIn } from '../../local/standins/identity/index.js';
import { mintLocalToken } from '../../local/standins/identity/token.js';

/**
 * The helpers served by the local Functions host behind Easy Auth emulation, against the Graph
 * stand-in (via managed identity) and Azurite: the whole path a workflow's Http action takes.
 */
const AUDIENCE = 'api://thread-intent-helpers';
const LOGIC_APP = '0f0f0f0f-1111-2222-3333-444444444444';
let host: FunctionsHost;
let graph: GraphStandIn;
let identity: IdentityStandIn;
let azurite: AzuriteTables;

beforeAll(async () => {
  [graph, identity, azurite] = await Promise.all([startGraphStandIn(), startIdentityStandIn(), startAzurite()]);
  host = await startFunctionsHost({
    allowedAudience: AUDIENCE,
    env: {
      ALLOWED_CALLER_OBJECT_IDS: LOGIC_APP,
      GRAPH_BASE_URL: graph.url,
      TABLES_CONNECTION_STRING: azurite.connectionString,
      ...identity.env(),
    },
  });
});
afterAll(async () => {
  await host?.stop();
  await Promise.all([graph?.stop(), identity?.stop(), azurite?.stop()]);
});

const token = (oid: string, aud = AUDIENCE) => `Bearer ${mintLocalToken({ aud, oid })}`;

async function post(path: string, body: unknown, headers: Record<string, string> = { authorization: token(LOGIC_APP) }) {
  const res = await fetch(`${host.url}/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}

describe('Easy Auth emulation and caller identity', () => {
  it('serves the anonymous health probe without a token', async () => {
    const res = await fetch(`${host.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('401 without a token; a client-sent x-ms-client-principal-id is stripped, not trusted', async () => {
    expect((await post('lookups/user', { user: 'adele.vance@contoso.com' }, {})).status).toBe(401);
    const spoofed = await post('lookups/user', { user: 'adele.vance@contoso.com' }, { 'x-ms-client-principal-id': LOGIC_APP });
    expect(spoofed).toMatchObject({ status: 401, json: { error: { code: 'unauthorized' } } });
  });

  it('401 from Easy Auth itself for a token with the wrong audience or a bad signature', async () => {
    const wrongAudience = await post('lookups/user', { user: 'x@contoso.com' }, { authorization: token(LOGIC_APP, 'https://graph.microsoft.com') });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get('www-authenticate')).toMatch(/invalid_token/);
    const forged = `${token(LOGIC_APP).slice(0, -4)}AAAA`;
    expect((await post('lookups/user', { user: 'x@contoso.com' }, { authorization: forged })).status).toBe(401);
  });

  it('403 for a valid token of an identity that is not allowed, 200 for the Logic App', async () => {
    const other = await post('lookups/user', { user: 'adele.vance@contoso.com' }, { authorization: token('99999999-1111-2222-3333-444444444444') });
    expect(other).toMatchObject({ status: 403, json: { error: { code: 'forbidden' } } });
    const ok = await post('lookups/user', { user: 'adele.vance@contoso.com' });
    expect(ok).toMatchObject({ status: 200, json: { user: { displayName: 'Adele Vance' } } });
  });
});

describe('helpers through the host', () => {
  it('validate → claim → complete → duplicate', async () => {
    const validated = await post('webhook/validate', {
      intent_name: 'Disable Account',
      intent_fields: { 'User Email': 'adele.vance@contoso.com' },
      meta_data: { ticket_id: 4242, contact_name: 'Pat', contact_email: 'pat@msp.example', company_name: 'Contoso' },
    });
    expect(validated.status).toBe(200);
    const request = (validated.json as { request: { intent: string } }).request;
    expect(request.intent).toBe('user-offboarding');
    const claim = await post('idempotency/claim', { request, runId: 'run-a' });
    expect(claim).toMatchObject({ status: 200, json: { outcome: 'claimed', runId: 'run-a' } });
    const key = (claim.json as { key: unknown }).key;
    expect((await post('idempotency/claim', { request, runId: 'run-b' })).json).toMatchObject({ outcome: 'in_progress', runId: 'run-a' });
    expect((await post('idempotency/complete', { key, runId: 'run-b', response: {} })).status).toBe(409);
    expect((await post('idempotency/complete', { key, runId: 'run-a', response: { status: 'success', message: 'Disabled.' } })).status).toBe(200);
    expect((await post('idempotency/claim', { request, runId: 'run-c' })).json).toMatchObject({ outcome: 'duplicate', storedResponse: { status: 'success' } });
  });

  it('lookups: groups with per-name outcomes, license, privileged, domains', async () => {
    const groups = await post('lookups/groups', { groups: ['Sales Team', 'Project Phoenix'] });
    expect(groups.json).toMatchObject({ groups: [{ name: 'Sales Team', ok: true, group: { kind: 'security' } }, { name: 'Project Phoenix', ok: false, error: { code: 'ambiguous' } }] });
    expect((await post('lookups/license', { license: 'Microsoft 365 E3' })).json).toMatchObject({ license: { skuPartNumber: 'SPE_E3' } });
    expect((await post('lookups/license', { license: 'E5' })).status).toBe(404);
    expect((await post('lookups/privileged', { user: 'megan.bowen@contoso.com' })).json).toMatchObject({ privileged: true, roles: ['Global Administrator'] });
    const domains = await fetch(`${host.url}/api/lookups/domains`, { headers: { authorization: token(LOGIC_APP) } });
    expect(((await domains.json()) as { domains: unknown[] }).domains).toHaveLength(2);
  });

  it('runs the purge timer on demand with the master key only', async () => {
    const url = `${host.url}/admin/functions/idempotencyPurge`;
    expect((await fetch(url, { method: 'POST' })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', headers: { 'x-functions-key': host.masterKey } })).status).toBe(202);
  });

  it('answers 404 for unknown routes and wrong methods', async () => {
    expect((await fetch(`${host.url}/api/nope`)).status).toBe(404);
    expect((await fetch(`${host.url}/api/health`, { method: 'DELETE' })).status).toBe(404);
  });
});
