import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { federationIssuer, startIdentityStandIn, TOKEN_EXCHANGE_AUDIENCE, type IdentityStandIn } from '../../../local/standins/identity/index.js';
import {
  EntraDirectory,
  JWT_BEARER,
  mspConsentRoles,
  mspDirectoryRoles,
  setUpMspTenants,
  startSignInStandIn,
  tenantAdmin,
  TenantAdminError,
  type SignInStandIn,
} from '../../../local/standins/identity/signin/index.js';
import { mintLocalToken, verifyStandInToken, type LocalTokenClaims } from '../../../local/standins/identity/token.js';
import { roleTemplateId } from '../../../local/standins/graph/tenant/role-catalog.js';

/**
 * msp mode's token path, end to end on the local stand-ins: the user-assigned identity's token for
 * api://AzureADTokenExchange is the client assertion of the multi-tenant app, exchanged per customer tenant
 * (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity;
 * request shape: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow, third case).
 * Refusals carry Entra's AADSTS codes (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 */

const MSP_TENANT = '0e0e0e0e-1111-4222-8333-444444444444';
const CONTOSO = '11111111-2222-3333-4444-555555555555';
const FABRIKAM = '22222222-3333-4444-5555-666666666666';
const APP_ID = '7a7a7a7a-0000-4000-8000-000000000001';
const UAMI = { objectId: '5c5c5c5c-0000-4000-8000-000000000001', clientId: '5d5d5d5d-0000-4000-8000-000000000001', resourceId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-msp' };
const SYSTEM = { objectId: '6c6c6c6c-0000-4000-8000-000000000001', clientId: '6d6d6d6d-0000-4000-8000-000000000001' };

let identity: IdentityStandIn;
let signIn: SignInStandIn;
let directory: EntraDirectory;

function setUpDirectory(): void {
  directory.upsertTenant({ tenantId: CONTOSO, displayName: 'Contoso', domains: [{ name: 'contoso.com', isDefault: true, isInitial: false }, { name: 'contoso.onmicrosoft.com', isDefault: false, isInitial: true }] });
  directory.upsertTenant({ tenantId: FABRIKAM, displayName: 'Fabrikam', domains: [{ name: 'fabrikam.com', isDefault: true, isInitial: false }] });
  setUpMspTenants(directory, { appId: APP_ID, mspTenantId: MSP_TENANT, identityPrincipalId: UAMI.objectId, customers: [{ tenantId: CONTOSO }, { tenantId: FABRIKAM, consent: false }] });
}

beforeAll(async () => {
  identity = await startIdentityStandIn({ tenantId: MSP_TENANT, apps: [{ name: 'logicApp', principals: [SYSTEM] }], userAssigned: [UAMI] });
  directory = new EntraDirectory();
  signIn = await startSignInStandIn({ directory });
});

beforeEach(() => {
  for (const t of directory.tenants()) directory.removeTenant(t.tenantId);
  setUpDirectory();
});

afterAll(async () => {
  await identity?.stop();
  await signIn?.stop();
});

async function miToken(resource: string, select: string = `client_id=${UAMI.clientId}`): Promise<string> {
  const env = identity.env('logicApp');
  const res = await fetch(`${env.IDENTITY_ENDPOINT}?resource=${encodeURIComponent(resource)}&api-version=2019-08-01&${select}`, { headers: { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

function claimsOf(jwt: string): LocalTokenClaims {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as LocalTokenClaims;
}

async function exchange(tenant: string, fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${signIn.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function assertionFields(scope = 'https://graph.microsoft.com/.default', assertion?: string): Promise<Record<string, string>> {
  return { grant_type: 'client_credentials', client_id: APP_ID, scope, client_assertion_type: JWT_BEARER, client_assertion: assertion ?? (await miToken(TOKEN_EXCHANGE_AUDIENCE)) };
}

describe('identity stand-in: the user-assigned identity as a federated credential', () => {
  it('issues an assertion: iss = MSP tenant v2.0 authority, sub = principal id, aud api://AzureADTokenExchange, short-lived (Learn: configure an application to trust a managed identity)', async () => {
    const c = claimsOf(await miToken(TOKEN_EXCHANGE_AUDIENCE));
    expect(c.iss).toBe(`https://login.microsoftonline.com/${MSP_TENANT}/v2.0`);
    expect(c.sub).toBe(UAMI.objectId);
    expect(c.aud).toBe('api://AzureADTokenExchange');
    expect(c.tid).toBe(MSP_TENANT);
    expect(c.roles).toBeUndefined();
    expect(c.exp - c.iat).toBeLessThanOrEqual(600);
  });

  it('attaches the user-assigned identity to every app, picked by client_id, principal_id or mi_res_id (https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference)', async () => {
    for (const select of [`client_id=${UAMI.clientId}`, `principal_id=${UAMI.objectId}`, `mi_res_id=${encodeURIComponent(UAMI.resourceId)}`]) {
      expect(claimsOf(await miToken(TOKEN_EXCHANGE_AUDIENCE, select)).sub).toBe(UAMI.objectId);
    }
    // Without a selector: the system-assigned identity, whose tokens carry the identities' tenant.
    const system = claimsOf(await miToken('https://graph.microsoft.com', 'x=1'));
    expect(system.oid).toBe(SYSTEM.objectId);
    expect(system.tid).toBe(MSP_TENANT);
  });
});

describe('sign-in stand-in: client credentials with a federated credential', () => {
  it('exchanges the assertion for a Graph token of a consented tenant: tid, appid/azp, aud, roles and wids of that tenant (Learn: client credentials flow, federated credential)', async () => {
    const { status, body } = await exchange(CONTOSO, await assertionFields());
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    const check = verifyStandInToken(`Bearer ${String(body.access_token)}`, { audiences: ['https://graph.microsoft.com'], tenants: [CONTOSO] });
    expect(check.ok).toBe(true);
    const c = claimsOf(String(body.access_token));
    expect(c).toMatchObject({ tid: CONTOSO, appid: APP_ID, azp: APP_ID, aud: 'https://graph.microsoft.com', idtyp: 'app' });
    expect(c.oid).toBe(directory.servicePrincipal(CONTOSO, APP_ID)?.id);
    expect([...(c.roles ?? [])].sort()).toEqual([...mspConsentRoles().graph].sort());
    expect(c.wids).toEqual(mspDirectoryRoles().map((r) => roleTemplateId(r)));
    // A token for tenant A is refused where tenant B is expected.
    expect(verifyStandInToken(`Bearer ${String(body.access_token)}`, { audiences: ['https://graph.microsoft.com'], tenants: [FABRIKAM] })).toEqual({ ok: false, reason: 'wrong-tenant' });
  });

  it('issues Exchange Online tokens with the Exchange roles only (scope https://outlook.office365.com/.default; app-only-auth-powershell-v2)', async () => {
    const { status, body } = await exchange(CONTOSO, await assertionFields('https://outlook.office365.com/.default'));
    expect(status).toBe(200);
    const c = claimsOf(String(body.access_token));
    expect(c.aud).toBe('https://outlook.office365.com');
    expect(c.roles).toEqual(mspConsentRoles().exchange);
  });

  it('accepts a verified domain as {tenant} (Learn: client credentials flow, "{tenant}" = GUID or domain)', async () => {
    const { status, body } = await exchange('contoso.com', await assertionFields());
    expect(status).toBe(200);
    expect(claimsOf(String(body.access_token)).tid).toBe(CONTOSO);
  });

  it('refuses a tenant without admin consent: 400 unauthorized_client AADSTS700016 (Learn error codes)', async () => {
    const { status, body } = await exchange(FABRIKAM, await assertionFields());
    expect(status).toBe(400);
    expect(body.error).toBe('unauthorized_client');
    expect(body.error_codes).toEqual([700016]);
    expect(String(body.error_description)).toMatch(/^AADSTS700016: Application with identifier '7a7a7a7a-[^']+' was not found in the directory '22222222-[^']+'/);
    expect(body).toHaveProperty('trace_id');
    expect(body).toHaveProperty('correlation_id');
    expect(body.error_uri).toBe('https://login.microsoftonline.com/error?code=700016');
  });

  it('refuses once consent is revoked (the customer deletes the enterprise app): AADSTS700016 (Learn error codes)', async () => {
    expect((await exchange(CONTOSO, await assertionFields())).status).toBe(200);
    await tenantAdmin(signIn.url).revoke(CONTOSO, APP_ID);
    expect((await exchange(CONTOSO, await assertionFields())).body.error_codes).toEqual([700016]);
  });

  it('refuses an assertion of another subject (the system-assigned identity): AADSTS700213 (undocumented on Learn\'s table: observed as "No matching federated identity record found for presented assertion subject")', async () => {
    const systemAssertion = await miToken(TOKEN_EXCHANGE_AUDIENCE, `principal_id=${SYSTEM.objectId}`);
    const { status, body } = await exchange(CONTOSO, await assertionFields(undefined, systemAssertion));
    expect(status).toBe(400);
    expect(body.error_codes).toEqual([700213]);
    expect(String(body.error_description)).toContain(`presented assertion subject '${SYSTEM.objectId}'`);
  });

  it('refuses an assertion for another audience: AADSTS700212 (undocumented on Learn\'s table: observed as "… presented assertion audience")', async () => {
    const graphToken = await miToken('https://graph.microsoft.com');
    const forged = mintLocalToken({ ...claimsOf(graphToken), iss: federationIssuer(MSP_TENANT), sub: UAMI.objectId, aud: 'https://graph.microsoft.com' }, 300);
    const { status, body } = await exchange(CONTOSO, await assertionFields(undefined, forged));
    expect(status).toBe(400);
    expect(body.error_codes).toEqual([700212]);
  });

  it('refuses an assertion from another issuer (the v1 token of a system identity): AADSTS700211 (undocumented on Learn\'s table: observed as "… presented assertion issuer")', async () => {
    const { body } = await exchange(CONTOSO, await assertionFields(undefined, await miToken('https://graph.microsoft.com')));
    expect(body.error_codes).toEqual([700211]);
  });

  it('refuses an expired assertion: 401 invalid_client AADSTS700024 (undocumented on Learn\'s table: observed as "Client assertion is not within its valid time range")', async () => {
    const expired = mintLocalToken({ aud: TOKEN_EXCHANGE_AUDIENCE, oid: UAMI.objectId, sub: UAMI.objectId, tid: MSP_TENANT, iss: federationIssuer(MSP_TENANT) }, -60);
    const { status, body } = await exchange(CONTOSO, await assertionFields(undefined, expired));
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(body.error_codes).toEqual([700024]);
  });

  it('refuses a tampered assertion: AADSTS700027 (Learn error codes)', async () => {
    const good = await miToken(TOKEN_EXCHANGE_AUDIENCE);
    const [h, , s] = good.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claimsOf(good), sub: 'someone-else' })).toString('base64url');
    expect((await exchange(CONTOSO, await assertionFields(undefined, `${h}.${payload}.${s}`))).body.error_codes).toEqual([700027]);
  });

  it('refuses an unknown tenant: AADSTS90002 (Learn error codes: InvalidTenantName)', async () => {
    const { status, body } = await exchange('nowhere.example', await assertionFields());
    expect(status).toBe(400);
    expect(body.error_codes).toEqual([90002]);
    expect(String(body.error_description)).toContain("Tenant 'nowhere.example' not found.");
  });

  it('knows no secret: a client_secret is wrong (AADSTS7000215), no credential at all is AADSTS7000218 (Learn error codes)', async () => {
    const base = { grant_type: 'client_credentials', client_id: APP_ID, scope: 'https://graph.microsoft.com/.default' };
    expect((await exchange(CONTOSO, { ...base, client_secret: 'guess' })).body.error_codes).toEqual([7000215]);
    expect((await exchange(CONTOSO, base)).body.error_codes).toEqual([7000218]);
  });

  it('checks the request: missing parameter AADSTS900144, other grant AADSTS70003, scope without /.default AADSTS70011 (Learn error codes)', async () => {
    const fields = await assertionFields();
    const { grant_type: _g, ...noGrant } = fields;
    expect((await exchange(CONTOSO, noGrant)).body.error_codes).toEqual([900144]);
    expect((await exchange(CONTOSO, { ...fields, grant_type: 'password' })).body).toMatchObject({ error: 'unsupported_grant_type', error_codes: [70003] });
    expect((await exchange(CONTOSO, { ...fields, scope: 'https://graph.microsoft.com/User.Read.All' })).body).toMatchObject({ error: 'invalid_scope', error_codes: [70011] });
  });

  it('logs who asked for which tenant, never the assertion or the token', async () => {
    await exchange(CONTOSO, await assertionFields());
    const log = await tenantAdmin(signIn.url).requests();
    const last = log[log.length - 1];
    expect(last).toMatchObject({ tenant: CONTOSO, tenantId: CONTOSO, clientId: APP_ID, status: 200 });
    expect(JSON.stringify(log)).not.toMatch(/eyJ/);
  });
});

describe('sign-in stand-in: OpenID configuration and admin API', () => {
  it('turns a domain into the tenant id through the issuer (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc)', async () => {
    const res = await fetch(`${signIn.url}/contoso.com/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { issuer: string; token_endpoint: string };
    expect(body.issuer).toBe(`https://login.microsoftonline.com/${CONTOSO}/v2.0`);
    expect(body.token_endpoint).toBe(`${signIn.url}/${CONTOSO}/oauth2/v2.0/token`);
    const unknown = await fetch(`${signIn.url}/nowhere.example/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error_codes: number[] }).error_codes).toEqual([90002]);
  });

  it('consents, assigns directory roles and refuses what Entra would (tenantAdmin client)', async () => {
    const admin = tenantAdmin(signIn.url);
    const sp = await admin.consent(FABRIKAM, APP_ID, { graphRoles: ['User.ReadWrite.All'] });
    expect(sp.appRoles.map((r) => r.value)).toEqual(['User.ReadWrite.All']);
    expect((await admin.assignDirectoryRoles(FABRIKAM, APP_ID, ['User Administrator'])).directoryRoles).toEqual(['User Administrator']);
    const { body } = await exchange(FABRIKAM, await assertionFields());
    const c = claimsOf(String(body.access_token));
    expect(c.roles).toEqual(['User.ReadWrite.All']);
    expect(c.wids).toEqual([roleTemplateId('User Administrator')]);
    await expect(admin.consent(FABRIKAM, APP_ID, { graphRoles: ['Made.Up.All'] })).rejects.toBeInstanceOf(TenantAdminError);
    await admin.revoke(FABRIKAM, APP_ID);
    // Directory roles can only be assigned to an existing service principal (after consent).
    await expect(admin.assignDirectoryRoles(FABRIKAM, APP_ID, ['User Administrator'])).rejects.toThrow(/after admin consent/);
  });

  it('refuses a domain verified in another tenant (a domain is verified in one tenant only)', async () => {
    await expect(tenantAdmin(signIn.url).addTenant({ tenantId: '33333333-4444-4555-8666-777777777777', displayName: 'Copycat', domains: [{ name: 'contoso.com', isDefault: true, isInitial: false }] })).rejects.toThrow(/already verified/);
  });
});
