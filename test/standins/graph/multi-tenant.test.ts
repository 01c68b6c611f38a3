import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultTenantFixture, fabrikamTenantFixture, startGraphStandIn, type GraphStandIn } from '../../../local/standins/graph/index.js';
import { federationIssuer, TOKEN_EXCHANGE_AUDIENCE } from '../../../local/standins/identity/index.js';
import { EntraDirectory, JWT_BEARER, mspDirectoryRoles, setUpMspTenants, startSignInStandIn, tenantAdmin, type SignInStandIn } from '../../../local/standins/identity/signin/index.js';
import { mintLocalToken } from '../../../local/standins/identity/token.js';
import { roleTemplateId } from '../../../local/standins/graph/tenant/role-catalog.js';
import { appRolesOf, shippedManifest } from '../../../lib/permissions/manifest.js';
import { rawGraph } from './helpers.js';

/**
 * msp mode: one Graph stand-in hosts several customer tenants (Contoso and Fabrikam, whose names collide on
 * purpose), and a token reaches only the tenant its `tid` names, as an app-only token is issued for one tenant
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow: "{tenant}" is the tenant
 * the token is for). Tokens come from the sign-in stand-in's real exchange, so `roles`/`wids` are what that tenant
 * consented and assigned (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 */

const MSP_TENANT = '0e0e0e0e-1111-4222-8333-444444444444';
const APP_ID = '7a7a7a7a-0000-4000-8000-000000000001';
const UAMI = '5c5c5c5c-0000-4000-8000-000000000001';
const contoso = defaultTenantFixture();
const fabrikam = fabrikamTenantFixture();
const CONTOSO = contoso.tenantId;
const FABRIKAM = fabrikam.tenantId;

let graph: GraphStandIn;
let signIn: SignInStandIn;
let directory: EntraDirectory;

beforeAll(async () => {
  directory = new EntraDirectory();
  graph = await startGraphStandIn({ tenants: [contoso, fabrikam], directory });
  signIn = await startSignInStandIn({ directory });
});

beforeEach(() => {
  for (const t of [CONTOSO, FABRIKAM]) {
    directory.revoke(t, APP_ID);
    graph.admin.forTenant(t).reset();
  }
  setUpMspTenants(directory, { appId: APP_ID, mspTenantId: MSP_TENANT, identityPrincipalId: UAMI, customers: [{ tenantId: CONTOSO }, { tenantId: FABRIKAM }] });
  graph.admin.clearRequests();
});

afterAll(async () => {
  await graph?.stop();
  await signIn?.stop();
});

/** A token for `tenant` through the sign-in stand-in, as the helpers get one in msp mode. */
async function tokenFor(tenant: string, scope = 'https://graph.microsoft.com/.default'): Promise<string> {
  const assertion = mintLocalToken({ aud: TOKEN_EXCHANGE_AUDIENCE, oid: UAMI, sub: UAMI, tid: MSP_TENANT, iss: federationIssuer(MSP_TENANT), ver: '2.0' }, 600);
  const res = await fetch(`${signIn.url}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APP_ID, scope, client_assertion_type: JWT_BEARER, client_assertion: assertion }).toString(),
  });
  const body = (await res.json()) as { access_token?: string; error_description?: string };
  if (!body.access_token) throw new Error(`no token for ${tenant}: ${body.error_description ?? res.status}`);
  return body.access_token;
}

async function get(tenant: string, path: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await rawGraph(graph.url, path, { token: token ?? (await tokenFor(tenant)), headers: { ConsistencyLevel: 'eventual' } });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

describe('isolation: a token reaches only its own tenant', () => {
  it("tenant A's token never sees tenant B's users, even with the same name", async () => {
    const a = await get(CONTOSO, '/v1.0/users/adele.vance@contoso.com');
    expect(a.status).toBe(200);
    expect((await get(CONTOSO, '/v1.0/users/adele.vance@fabrikam.com')).status).toBe(404);
    const b = await get(FABRIKAM, '/v1.0/users/adele.vance@fabrikam.com');
    expect(b.status).toBe(200);
    expect(b.body.id).not.toBe(a.body.id);
    expect((await get(FABRIKAM, '/v1.0/users/adele.vance@contoso.com')).status).toBe(404);
    // Nor by object id.
    expect((await get(CONTOSO, `/v1.0/users/${String(b.body.id)}`)).status).toBe(404);
  });

  it('a group name found in both tenants resolves to each tenant\'s own group; the other\'s id is not found', async () => {
    const filter = `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Marketing'")}`;
    const inContoso = (await get(CONTOSO, filter)).body.value as Array<{ id: string }>;
    const inFabrikam = (await get(FABRIKAM, filter)).body.value as Array<{ id: string }>;
    expect(inContoso).toHaveLength(1);
    expect(inFabrikam).toHaveLength(1);
    expect(inContoso[0]?.id).not.toBe(inFabrikam[0]?.id);
    expect((await get(CONTOSO, `/v1.0/groups/${inFabrikam[0]?.id ?? ''}`)).status).toBe(404);
    const marketingTeam = `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Marketing Team'")}`;
    expect((await get(CONTOSO, marketingTeam)).body.value).toEqual([]);
    expect((await get(FABRIKAM, marketingTeam)).body.value).toHaveLength(1);
  });

  it("a write with tenant A's token changes tenant A only", async () => {
    const token = await tokenFor(FABRIKAM);
    const res = await rawGraph(graph.url, '/v1.0/users/alex.wilber@fabrikam.com', { method: 'PATCH', token, body: JSON.stringify({ jobTitle: 'Head of Marketing' }) });
    expect(res.status).toBe(204);
    expect(graph.admin.forTenant(FABRIKAM).tenant().users.find((u) => u.userPrincipalName === 'alex.wilber@fabrikam.com')?.jobTitle).toBe('Head of Marketing');
    expect(graph.admin.forTenant(CONTOSO).tenant().users.find((u) => u.userPrincipalName === 'alex.wilber@contoso.com')?.jobTitle).not.toBe('Head of Marketing');
  });

  it('$batch items stay in the tenant of the batch\'s token (https://learn.microsoft.com/graph/json-batching)', async () => {
    const res = await rawGraph(graph.url, '/v1.0/$batch', {
      method: 'POST',
      token: await tokenFor(FABRIKAM),
      body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/users/adele.vance@contoso.com' }, { id: '2', method: 'GET', url: '/users/adele.vance@fabrikam.com' }] }),
    });
    const body = (await res.json()) as { responses: Array<{ id: string; status: number }> };
    expect(body.responses.find((r) => r.id === '1')?.status).toBe(404);
    expect(body.responses.find((r) => r.id === '2')?.status).toBe(200);
  });

  it('refuses a token whose tid is not hosted (e.g. a managed-identity token of the MSP tenant): 401 InvalidAuthenticationToken (https://learn.microsoft.com/graph/errors)', async () => {
    const msi = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: UAMI, tid: MSP_TENANT, roles: appRolesOf(shippedManifest(), 'logicApp') });
    const res = await rawGraph(graph.url, '/v1.0/users/adele.vance@contoso.com', { token: msi });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('names the tenant of every call in the request log', async () => {
    await get(CONTOSO, '/v1.0/organization');
    await get(FABRIKAM, '/v1.0/organization');
    expect(graph.admin.requests().map((r) => r.tenant)).toEqual([CONTOSO, FABRIKAM]);
  });
});

describe('per-tenant directory facts the onboarding check reads (infra/README.md "Onboarding")', () => {
  it('/organization and /domains answer per tenant, with the initial domain marked (https://learn.microsoft.com/graph/api/organization-list)', async () => {
    const org = ((await get(FABRIKAM, '/v1.0/organization')).body.value as Array<{ id: string; verifiedDomains: Array<{ name: string; isInitial: boolean }> }>)[0];
    expect(org?.id).toBe(FABRIKAM);
    expect(org?.verifiedDomains.find((d) => d.isInitial)?.name).toBe('fabrikam.onmicrosoft.com');
    const domains = ((await get(CONTOSO, '/v1.0/domains')).body.value as Array<{ id: string }>).map((d) => d.id);
    expect(domains).toContain('contoso.com');
    expect(domains).not.toContain('fabrikam.com');
  });

  it("finds the app's service principal by appId and lists its consented app role ids (serviceprincipal-get, serviceprincipal-list-approleassignments)", async () => {
    const sp = (await get(CONTOSO, `/v1.0/servicePrincipals(appId='${APP_ID}')`)).body;
    expect(sp).toMatchObject({ appId: APP_ID, id: directory.servicePrincipal(CONTOSO, APP_ID)?.id });
    const listed = (await get(CONTOSO, `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${APP_ID}'`)}`)).body.value as Array<{ id: string }>;
    expect(listed.map((s) => s.id)).toEqual([sp.id]);
    const assignments = (await get(CONTOSO, `/v1.0/servicePrincipals/${String(sp.id)}/appRoleAssignments`)).body.value as Array<{ appRoleId: string; resourceDisplayName: string; principalId: string }>;
    const expected = (directory.servicePrincipal(CONTOSO, APP_ID)?.appRoles ?? []).map((r) => r.id).sort();
    expect(assignments.map((a) => a.appRoleId).sort()).toEqual(expected);
    expect(new Set(assignments.map((a) => a.resourceDisplayName))).toEqual(new Set(['Microsoft Graph', 'Office 365 Exchange Online']));
    expect(assignments.every((a) => a.principalId === sp.id)).toBe(true);
  });

  it('lists the directory roles assigned to the service principal (rbacapplication-list-roleassignments)', async () => {
    const spId = directory.servicePrincipal(CONTOSO, APP_ID)?.id ?? '';
    const res = await get(CONTOSO, `/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${spId}'`)}`);
    expect((res.body.value as Array<{ roleDefinitionId: string }>).map((a) => a.roleDefinitionId).sort()).toEqual(mspDirectoryRoles().map((r) => roleTemplateId(r)).sort());
  });

  it('has no service principal of the app where consent was revoked (and the sign-in refuses the tenant)', async () => {
    const token = await tokenFor(FABRIKAM);
    directory.revoke(FABRIKAM, APP_ID);
    expect((await get(FABRIKAM, `/v1.0/servicePrincipals(appId='${APP_ID}')`, token)).status).toBe(404);
    await expect(tokenFor(FABRIKAM)).rejects.toThrow(/AADSTS700016/);
  });
});

describe('permissions come from the token: what the tenant consented and assigned', () => {
  it('refuses a call the consented app roles do not cover: 403 Authorization_RequestDenied (https://learn.microsoft.com/graph/api/user-update#permissions)', async () => {
    await tenantAdmin(signIn.url).consent(FABRIKAM, APP_ID, { graphRoles: ['Directory.Read.All'] });
    const token = await tokenFor(FABRIKAM);
    expect((await get(FABRIKAM, '/v1.0/users/adele.vance@fabrikam.com', token)).status).toBe(200);
    const res = await rawGraph(graph.url, '/v1.0/users/adele.vance@fabrikam.com', { method: 'PATCH', token, body: JSON.stringify({ jobTitle: 'x' }) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('Authorization_RequestDenied');
  });

  it('sets a password only once the customer assigned User Administrator: the role reaches Graph with the next token (user-update, passwordProfile)', async () => {
    directory.removeDirectoryRoles(FABRIKAM, APP_ID, mspDirectoryRoles());
    const body = JSON.stringify({ passwordProfile: { password: 'Correct-Horse-42!', forceChangePasswordNextSignIn: true } });
    const before = await tokenFor(FABRIKAM);
    expect((await rawGraph(graph.url, '/v1.0/users/alex.wilber@fabrikam.com', { method: 'PATCH', token: before, body })).status).toBe(403);
    await tenantAdmin(signIn.url).assignDirectoryRoles(FABRIKAM, APP_ID, ['User Administrator']);
    expect((await rawGraph(graph.url, '/v1.0/users/alex.wilber@fabrikam.com', { method: 'PATCH', token: before, body })).status).toBe(403);
    expect((await rawGraph(graph.url, '/v1.0/users/alex.wilber@fabrikam.com', { method: 'PATCH', token: await tokenFor(FABRIKAM), body })).status).toBe(204);
  });
});

describe('admin API per tenant', () => {
  it('lists the hosted tenants and answers per tenant over HTTP', async () => {
    const list = (await (await fetch(`${graph.url}/_admin/tenants`)).json()) as { value: Array<{ tenantId: string; domains: string[] }> };
    expect(list.value.map((t) => t.tenantId)).toEqual([CONTOSO, FABRIKAM]);
    const fab = (await (await fetch(`${graph.url}/_admin/tenants/${FABRIKAM}/tenant`)).json()) as { displayName: string };
    expect(fab.displayName).toBe('Fabrikam');
    expect((await fetch(`${graph.url}/_admin/tenants/99999999-0000-4000-8000-000000000000/tenant`)).status).toBe(404);
  });

  it('refuses to load one tenant\'s fixture into another', async () => {
    const res = await fetch(`${graph.url}/_admin/tenants/${FABRIKAM}/tenant`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(contoso) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('POST /_admin/tenants');
  });

  it('resets one tenant without touching the other', async () => {
    await rawGraph(graph.url, '/v1.0/users/alex.wilber@fabrikam.com', { method: 'PATCH', token: await tokenFor(FABRIKAM), body: JSON.stringify({ jobTitle: 'Changed' }) });
    await rawGraph(graph.url, '/v1.0/users/alex.wilber@contoso.com', { method: 'PATCH', token: await tokenFor(CONTOSO), body: JSON.stringify({ jobTitle: 'Changed' }) });
    expect((await fetch(`${graph.url}/_admin/tenants/${FABRIKAM}/reset`, { method: 'POST' })).status).toBe(200);
    expect(graph.admin.forTenant(FABRIKAM).tenant().users.find((u) => u.userPrincipalName === 'alex.wilber@fabrikam.com')?.jobTitle).toBe('Marketing Assistant');
    expect(graph.admin.forTenant(CONTOSO).tenant().users.find((u) => u.userPrincipalName === 'alex.wilber@contoso.com')?.jobTitle).toBe('Changed');
  });

  it('hosts a third tenant on request and stops hosting it: its tokens are refused from then on', async () => {
    const third = { ...structuredClone(fabrikam), tenantId: '33333333-4444-4555-8666-777777777777', displayName: 'Northwind', domains: [{ id: 'northwind.example', isVerified: true, isDefault: true, isInitial: true }], users: [], groups: [] };
    expect((await fetch(`${graph.url}/_admin/tenants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(third) })).status).toBe(201);
    expect(directory.tenant('northwind.example')?.tenantId).toBe(third.tenantId);
    directory.consent(third.tenantId, APP_ID);
    const token = await tokenFor('northwind.example');
    expect((await get(third.tenantId, '/v1.0/organization', token)).status).toBe(200);
    expect((await fetch(`${graph.url}/_admin/tenants/${third.tenantId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await get(third.tenantId, '/v1.0/organization', token)).status).toBe(401);
    await expect(tokenFor(third.tenantId)).rejects.toThrow(/AADSTS90002/);
  });
});

describe('with a permissions manifest (as the local system starts it)', () => {
  it("judges a sign-in token by its own roles and wids, not by the manifest's managed identities (https://learn.microsoft.com/graph/permissions-overview)", async () => {
    const enforcing = await startGraphStandIn({ tenants: [contoso, fabrikam], directory, permissions: { manifest: shippedManifest(), principals: {} } });
    try {
      await tenantAdmin(signIn.url).consent(FABRIKAM, APP_ID, { graphRoles: ['Directory.Read.All'] });
      const token = await tokenFor(FABRIKAM);
      expect((await rawGraph(enforcing.url, '/v1.0/users/adele.vance@fabrikam.com', { token })).status).toBe(200);
      expect((await rawGraph(enforcing.url, '/v1.0/users/adele.vance@fabrikam.com/revokeSignInSessions', { method: 'POST', token })).status).toBe(403);
      expect((await rawGraph(enforcing.url, '/v1.0/users/adele.vance@contoso.com/revokeSignInSessions', { method: 'POST', token: await tokenFor(CONTOSO) })).status).toBe(200);
    } finally {
      await enforcing.stop();
    }
  });
});

describe('customer mode stays as it was', () => {
  it('one tenant, reached by every local token whatever its tid; /_admin/tenants lists it and refuses a second', async () => {
    const single = await startGraphStandIn();
    try {
      const token = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '99999999-8888-7777-6666-555555555555', tid: MSP_TENANT });
      expect((await rawGraph(single.url, '/v1.0/users/adele.vance@contoso.com', { token })).status).toBe(200);
      expect(single.admin.tenants().map((t) => t.tenantId)).toEqual([CONTOSO]);
      expect(() => single.admin.addTenant(fabrikam)).toThrow(/customer mode/);
      expect(single.admin.requests()[0]?.tenant).toBeUndefined();
    } finally {
      await single.stop();
    }
  });
});
