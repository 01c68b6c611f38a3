import { Client, HTTPMessageHandler, RetryHandler, RetryHandlerOptions, type Context } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultTenantFixture, FixtureError, startGraphStandIn, type GraphStandIn } from '../../../local/standins/graph/index.js';
import { graphClient, graphFailure, graphToken, rawGraph } from './helpers.js';

let g: GraphStandIn;
let client: ReturnType<typeof graphClient>;
beforeAll(async () => {
  g = await startGraphStandIn();
  client = graphClient(g.url);
});
afterAll(async () => g.stop());
beforeEach(() => {
  g.admin.loadTenant(defaultTenantFixture());
  g.admin.clearFaults();
  g.admin.clearRequests();
});

const admin = (path: string, init: RequestInit = {}) => fetch(`${g.url}/_admin${path}`, { ...init, headers: { 'Content-Type': 'application/json' } });

describe('authentication', () => {
  it('answers 401 InvalidAuthenticationToken with Graph messages', async () => {
    const cases: Array<[string | null, string]> = [
      [null, 'Access token is empty.'],
      ['not-a-jwt', 'CompactToken parsing failed with error code: 80049217'],
      [graphToken({ lifetimeSeconds: -120 }), 'Access token has expired or is not yet valid.'],
      [graphToken({ aud: 'https://management.azure.com/' }), 'Access token validation failure. Invalid audience.'],
    ];
    for (const [token, message] of cases) {
      const r = await rawGraph(g.url, '/v1.0/users/adele.vance@contoso.com', { token, headers: { 'client-request-id': 'abc-123' } });
      const body = (await r.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
      expect([r.status, body.error.code, body.error.message]).toEqual([401, 'InvalidAuthenticationToken', message]);
      expect(body.error.innerError['client-request-id']).toBe('abc-123');
      expect(r.headers.get('request-id')).toBe(body.error.innerError['request-id']);
    }
  });

  it('accepts every Graph audience form, on v1.0 and beta', async () => {
    for (const aud of ['https://graph.microsoft.com', 'https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000']) {
      expect((await rawGraph(g.url, '/beta/users/adele.vance@contoso.com', { token: graphToken({ aud }) })).status).toBe(200);
    }
  });

  it('names unknown segments and wrong methods like Graph', async () => {
    const f = await graphFailure(client.api('/usres/adele.vance@contoso.com').get());
    expect([f.statusCode, f.code, f.message]).toEqual([400, 'BadRequest', "Resource not found for the segment 'usres'."]);
    const m = await graphFailure(client.api('/subscribedSkus').post({}));
    expect(m.statusCode).toBe(405);
  });
});

describe('fault injection', () => {
  it('throttles the next N calls with 429 + Retry-After, then recovers', async () => {
    const r = await admin('/faults', { method: 'POST', body: JSON.stringify({ method: 'GET', path: '/users/*', status: 429, retryAfter: 3, count: 2 }) });
    expect(r.status).toBe(201);
    for (let i = 0; i < 2; i += 1) {
      const res = await rawGraph(g.url, '/v1.0/users/adele.vance@contoso.com');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      const body = (await res.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
      expect(body.error).toMatchObject({ code: 'TooManyRequests', message: 'Please retry again later.', innerError: { code: '429', status: '429' } });
    }
    expect((await rawGraph(g.url, '/v1.0/users/adele.vance@contoso.com')).status).toBe(200);
    expect((await rawGraph(g.url, '/v1.0/groups')).status).toBe(200);
  });

  it('fails a seeded share of calls, identically for the same seed', async () => {
    const run = async () => {
      g.admin.clearFaults();
      g.admin.addFault({ path: '/domains', status: 503, probability: 0.5, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await rawGraph(g.url, '/v1.0/domains')).status);
      return statuses;
    };
    const first = await run();
    expect(first).toEqual(await run());
    expect(first.filter((s) => s === 503).length).toBeGreaterThan(3);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(3);
  });

  it('answers 504 and lets the SDK see the status', async () => {
    g.admin.addFault({ method: 'POST', path: '/users/*/assignLicense', status: 504 });
    const f = await graphFailure(client.api('/users/adele.vance@contoso.com/assignLicense').post({ addLicenses: [], removeLicenses: [] }));
    expect(f.statusCode).toBe(504);
  });

  it('adds latency, fixed globally or random within bounds per route, without changing answers', async () => {
    g.admin.setLatency({ fixedMs: 5 });
    g.admin.addFault({ path: '/groups', latencyMs: { min: 10, max: 20 }, seed: 7 });
    expect((await rawGraph(g.url, '/v1.0/domains')).status).toBe(200);
    expect((await rawGraph(g.url, '/v1.0/groups')).status).toBe(200);
    const [domains, groups] = g.admin.requests();
    expect(domains?.injectedDelayMs).toBe(5);
    expect(groups?.injectedDelayMs).toBeGreaterThanOrEqual(15);
    expect(groups?.injectedDelayMs).toBeLessThanOrEqual(25);
    expect(g.admin.faults().latency).toEqual({ fixedMs: 5 });
  });

  it("lets the SDK's RetryHandler honour Retry-After and succeed", async () => {
    g.admin.addFault({ method: 'GET', path: '/domains', status: 429, retryAfter: 1, count: 1 });
    const bearer = {
      next: undefined as undefined | { execute(c: Context): Promise<void> },
      async execute(c: Context) {
        c.options = { ...(c.options ?? {}), headers: { ...((c.options?.headers as Record<string, string>) ?? {}), Authorization: `Bearer ${graphToken()}` } };
        await this.next?.execute(c);
      },
      setNext(n: { execute(c: Context): Promise<void> }) {
        this.next = n;
      },
    };
    const retry = new RetryHandler(new RetryHandlerOptions(0, 3));
    bearer.setNext(retry);
    retry.setNext(new HTTPMessageHandler());
    const sdk = Client.initWithMiddleware({ middleware: bearer, baseUrl: `${g.url}/`, defaultVersion: 'v1.0' });
    const r = await sdk.api('/domains').get();
    expect(r.value.length).toBe(3);
    expect(g.admin.requests().map((e) => e.status)).toEqual([429, 200]);
  });

  it('refuses invalid rules', async () => {
    const r = await admin('/faults', { method: 'POST', body: JSON.stringify({ status: 418 }) });
    expect(r.status).toBe(400);
  });
});

describe('admin API', () => {
  it('logs requests with ?since and clears them', async () => {
    await rawGraph(g.url, '/v1.0/users/adele.vance@contoso.com');
    const first = (await (await admin('/requests')).json()) as { value: Array<{ seq: number; path: string; status: number; method: string }> };
    expect(first.value.at(-1)).toMatchObject({ method: 'GET', path: '/v1.0/users/adele.vance@contoso.com', status: 200 });
    const since = first.value.at(-1)?.seq ?? 0;
    await rawGraph(g.url, '/v1.0/domains');
    const later = (await (await admin(`/requests?since=${since}`)).json()) as { value: Array<{ path: string }> };
    expect(later.value.map((e) => e.path)).toEqual(['/v1.0/domains']);
    expect((await admin('/requests', { method: 'DELETE' })).status).toBe(204);
    expect(g.admin.requests()).toEqual([]);
  });

  it('redacts passwords in logged bodies', async () => {
    await client.api('/users/adele.vance@contoso.com').patch({ passwordProfile: { password: 'S3cret!Value-99', forceChangePasswordNextSignIn: true } });
    const text = JSON.stringify(g.admin.requests());
    expect(text).not.toContain('S3cret!Value-99');
    expect(text).toContain('"forceChangePasswordNextSignIn":true');
  });

  it('loads a tenant over HTTP, resets to it, and reports the current state', async () => {
    const t = defaultTenantFixture();
    const small = { ...t, users: t.users.slice(0, 3), groups: [] };
    const load = await admin('/tenant', { method: 'POST', body: JSON.stringify(small) });
    expect(await load.json()).toEqual({ loaded: true, users: 3, groups: 0 });
    await client.api(`/users/${t.users[0]?.id}`).patch({ jobTitle: 'Changed' });
    const current = (await (await admin('/tenant')).json()) as { users: Array<{ jobTitle: string }> };
    expect(current.users[0]?.jobTitle).toBe('Changed');
    await admin('/reset', { method: 'POST' });
    expect((await client.api(`/users/${t.users[0]?.id}`).get()).jobTitle).toBe(t.users[0]?.jobTitle);
  });

  it('refuses a malformed fixture naming the JSON path and the problem', async () => {
    const t = defaultTenantFixture();
    const broken = { ...t, users: [{ ...t.users[0], id: 'not-a-guid' }, { ...t.users[1], licenses: [{ skuId: '00000000-0000-0000-0000-000000000000' }] }] };
    const r = await admin('/tenant', { method: 'POST', body: JSON.stringify(broken) });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { code: string; problems: string[] } };
    expect(body.error.code).toBe('InvalidFixture');
    expect(body.error.problems).toContain('$.users[0].id: must be a GUID');
    expect(() => g.admin.loadTenant({ ...t, groups: [{ ...t.groups[0], members: ['00000000-0000-0000-0000-000000000000'] }] })).toThrow(FixtureError);
    expect(() => g.admin.loadTenant({ ...t, groups: [{ ...t.groups[0], members: ['00000000-0000-0000-0000-000000000000'] }] })).toThrow(
      "$.groups[0].members[0]: no user or group with id '00000000-0000-0000-0000-000000000000'",
    );
    // The refused fixture left the running tenant alone.
    expect((await client.api('/users/adele.vance@contoso.com').get()).displayName).toBe('Adele Vance');
  });

  it('exposes mailbox and group recipients for the Exchange stand-in', async () => {
    const r = (await (await admin('/recipients')).json()) as { value: Array<{ primarySmtpAddress: string; recipientType: string; members?: string[] }> };
    const find = (a: string) => r.value.find((x) => x.primarySmtpAddress === a);
    expect(find('info@contoso.com')?.recipientType).toBe('shared');
    expect(find('adele.vance@contoso.com')?.recipientType).toBe('user');
    expect(find('all-staff@contoso.com')?.recipientType).toBe('distribution');
    expect(find('finance-mesg@contoso.com')?.members).toContain('emily.braun@contoso.com');
  });
});

describe('fixture defaults', () => {
  it('gives a fixture without caller the realistic default roles: a Global Administrator reset is refused', async () => {
    const { caller: _caller, ...rest } = defaultTenantFixture();
    g.admin.loadTenant(rest);
    expect(g.admin.tenant().caller.roles).toEqual(['User Administrator', 'Helpdesk Administrator', 'Authentication Administrator']);
    const reset = { passwordProfile: { password: 'Tr0ub4dor&3-horse' } };
    await expect(client.api('/users/adele.vance@contoso.com').patch(reset)).resolves.toBeUndefined();
    expect((await graphFailure(client.api('/users/megan.bowen@contoso.com').patch(reset))).statusCode).toBe(403);
  });
});
