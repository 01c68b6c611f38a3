import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultTenantFixture, startGraphStandIn, type GraphStandIn } from '../../../local/standins/graph/index.js';
import { graphClient, graphFailure } from './helpers.js';

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

type BatchResponse = { responses: Array<{ id: string; status: number; headers?: Record<string, string>; body?: any }> };
const batch = async (requests: unknown[]): Promise<BatchResponse> => client.api('/$batch').post({ requests });
const byId = (r: BatchResponse, id: string) => r.responses.find((x) => x.id === id);

describe('$batch', () => {
  it('runs relative URLs through the same router, with per-item status, headers and body', async () => {
    const r = await batch([
      { id: '1', method: 'GET', url: '/users/adele.vance@contoso.com?$select=id,displayName' },
      { id: '2', method: 'GET', url: "groups?$filter=displayName eq 'Sales Team'&$select=id" },
      { id: '3', method: 'GET', url: '/users/nobody@contoso.com' },
      { id: '4', method: 'GET', url: '/users?$count=true&$filter=endswith(mail,\'@fabrikam.com\')', headers: { ConsistencyLevel: 'eventual' } },
    ]);
    expect(byId(r, '1')).toMatchObject({ status: 200, body: { displayName: 'Adele Vance' } });
    expect(byId(r, '1')?.headers?.['Content-Type']).toContain('application/json');
    expect(byId(r, '2')?.body.value).toHaveLength(1);
    expect(byId(r, '3')).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound' } } });
    expect(byId(r, '4')?.body['@odata.count']).toBe(1);
  });

  it('orders by dependsOn and fails dependents of a failed request with 424', async () => {
    const adele = await client.api('/users/adele.vance@contoso.com').get();
    const json = { 'Content-Type': 'application/json' };
    const r = await batch([
      { id: 'c', method: 'GET', url: `/users/${adele.id}?$select=accountEnabled`, dependsOn: ['b'] },
      { id: 'a', method: 'PATCH', url: `/users/${adele.id}`, body: { accountEnabled: false }, headers: json },
      { id: 'b', method: 'POST', url: `/users/${adele.id}/revokeSignInSessions`, dependsOn: ['a'] },
      { id: 'x', method: 'PATCH', url: '/users/megan.bowen@contoso.com', body: { accountEnabled: false }, headers: json },
      { id: 'y', method: 'GET', url: '/users/megan.bowen@contoso.com', dependsOn: ['x'] },
    ]);
    expect(byId(r, 'a')?.status).toBe(204);
    expect(byId(r, 'b')?.status).toBe(200);
    expect(byId(r, 'c')?.body.accountEnabled).toBe(false);
    expect(byId(r, 'x')?.status).toBe(403);
    expect(byId(r, 'y')?.status).toBe(424);
  });

  it('refuses more than 20 requests, duplicate ids, unknown dependencies and bodies without Content-Type', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/domains' }));
    const f = await graphFailure(batch(many));
    expect([f.statusCode, f.message]).toEqual([400, 'Number of requests inside batch exceeds the limit.']);
    expect((await graphFailure(batch([{ id: 'a', method: 'GET', url: '/domains' }, { id: 'A', method: 'GET', url: '/domains' }]))).statusCode).toBe(400);
    expect((await graphFailure(batch([{ id: 'a', method: 'GET', url: '/domains', dependsOn: ['zz'] }]))).statusCode).toBe(400);
    const noType = await graphFailure(batch([{ id: '1', method: 'PATCH', url: '/users/adele.vance@contoso.com', body: { jobTitle: 'x' } }]));
    expect(noType.message).toBe('Write request id : 1 does not contain Content-Type header or body.');
    await expect(batch(Array.from({ length: 20 }, (_, i) => ({ id: String(i), method: 'GET', url: '/domains' })))).resolves.toBeTruthy();
  });

  it('throttles items on their own, each with its Retry-After', async () => {
    g.admin.addFault({ method: 'GET', path: '/users/*', status: 429, retryAfter: 7, count: 1 });
    const r = await batch([
      { id: '1', method: 'GET', url: '/users/adele.vance@contoso.com' },
      { id: '2', method: 'GET', url: '/users/alex.wilber@contoso.com' },
    ]);
    const statuses = r.responses.map((x) => x.status).sort();
    expect(statuses).toEqual([200, 429]);
    const throttled = r.responses.find((x) => x.status === 429);
    expect(throttled?.headers?.['Retry-After']).toBe('7');
    expect(throttled?.body.error.code).toBe('TooManyRequests');
    const logged = g.admin.requests().filter((e) => e.batch);
    expect(logged.map((e) => e.batch?.itemId).sort()).toEqual(['1', '2']);
  });
});
