import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_APP_ROLES, startIdentityStandIn, type IdentityStandIn } from '../../../local/standins/identity/index.js';
import { verifyLocalToken } from '../../../local/standins/identity/token.js';

const SYSTEM = { objectId: '0f0f0f0f-0000-4000-8000-000000000001', clientId: 'c1c1c1c1-0000-4000-8000-000000000001' };
const USER_ASSIGNED = {
  objectId: '0f0f0f0f-0000-4000-8000-000000000002',
  clientId: 'c1c1c1c1-0000-4000-8000-000000000002',
  resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami-helpers',
};

let id: IdentityStandIn;
const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };

function tokenUrl(query: string): string {
  return `${id.url}?${query}`;
}

beforeAll(async () => {
  id = await startIdentityStandIn({ principals: [SYSTEM, USER_ASSIGNED] });
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  await id.stop();
});

describe('REST protocol (api-version 2019-08-01)', () => {
  it('issues a token for the system-assigned identity in the documented shape', async () => {
    const res = await fetch(tokenUrl('resource=https://vault.azure.net&api-version=2019-08-01'), { headers: { 'X-IDENTITY-HEADER': id.header } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ resource: 'https://vault.azure.net', token_type: 'Bearer', client_id: SYSTEM.clientId });
    expect(typeof body.expires_on).toBe('string');
    expect(Number(body.expires_on)).toBeGreaterThan(Date.now() / 1000);
    const check = verifyLocalToken(`Bearer ${String(body.access_token)}`, ['https://vault.azure.net']);
    expect(check.ok && check.claims.oid).toBe(SYSTEM.objectId);
    expect(check.ok && check.claims.roles).toBeUndefined();
  });

  it('puts the Graph application permissions in Graph tokens', async () => {
    const res = await fetch(tokenUrl('resource=https://graph.microsoft.com&api-version=2019-08-01'), { headers: { 'X-IDENTITY-HEADER': id.header } });
    const body = (await res.json()) as { access_token: string };
    const check = verifyLocalToken(`Bearer ${body.access_token}`, ['https://graph.microsoft.com']);
    expect(check.ok && check.claims.roles).toEqual([...GRAPH_APP_ROLES]);
  });

  it('selects a user-assigned identity by client_id, principal_id or mi_res_id', async () => {
    const h = { headers: { 'X-IDENTITY-HEADER': id.header } };
    for (const q of [`client_id=${USER_ASSIGNED.clientId}`, `principal_id=${USER_ASSIGNED.objectId}`, `mi_res_id=${encodeURIComponent(USER_ASSIGNED.resourceId)}`]) {
      const body = (await (await fetch(tokenUrl(`resource=https://management.azure.com/&api-version=2019-08-01&${q}`), h)).json()) as { client_id: string };
      expect(body.client_id).toBe(USER_ASSIGNED.clientId);
    }
    const unknown = await fetch(tokenUrl('resource=https://management.azure.com/&api-version=2019-08-01&client_id=nobody'), h);
    expect(unknown.status).toBe(400);
    const two = await fetch(tokenUrl(`resource=x&api-version=2019-08-01&client_id=${USER_ASSIGNED.clientId}&principal_id=${USER_ASSIGNED.objectId}`), h);
    expect(two.status).toBe(400);
  });

  it('refuses requests without the right X-IDENTITY-HEADER, api-version or resource', async () => {
    const q = 'resource=https://vault.azure.net&api-version=2019-08-01';
    expect((await fetch(tokenUrl(q))).status).toBe(400);
    expect((await fetch(tokenUrl(q), { headers: { 'X-IDENTITY-HEADER': 'guess' } })).status).toBe(401);
    const h = { headers: { 'X-IDENTITY-HEADER': id.header } };
    expect((await fetch(tokenUrl('resource=https://vault.azure.net'), h)).status).toBe(400);
    expect((await fetch(tokenUrl('resource=https://vault.azure.net&api-version=2017-09-01'), h)).status).toBe(400);
    expect((await fetch(tokenUrl('api-version=2019-08-01'), h)).status).toBe(400);
    expect((await fetch(tokenUrl('resource=https://vault.azure.net/.default&api-version=2019-08-01'), h)).status).toBe(400);
  });
});

describe('@azure/identity against the stand-in (App Service path)', () => {
  it('ManagedIdentityCredential and DefaultAzureCredential get tokens with only IDENTITY_ENDPOINT / IDENTITY_HEADER set', async () => {
    Object.assign(process.env, id.env());
    const mi = await new ManagedIdentityCredential().getToken('https://management.azure.com/.default');
    const check = verifyLocalToken(`Bearer ${mi.token}`, ['https://management.azure.com/']);
    expect(check.ok && check.claims.oid).toBe(SYSTEM.objectId);
    expect(mi.expiresOnTimestamp).toBeGreaterThan(Date.now());

    const uami = await new ManagedIdentityCredential({ clientId: USER_ASSIGNED.clientId }).getToken('https://vault.azure.net/.default');
    const uCheck = verifyLocalToken(`Bearer ${uami.token}`, ['https://vault.azure.net']);
    expect(uCheck.ok && uCheck.claims.oid).toBe(USER_ASSIGNED.objectId);

    const dac = await new DefaultAzureCredential().getToken('https://graph.microsoft.com/.default');
    const gCheck = verifyLocalToken(`Bearer ${dac.token}`, ['https://graph.microsoft.com']);
    expect(gCheck.ok && gCheck.claims.roles).toContain('User.ReadWrite.All');
  });
});
