import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityStandIn, type IdentityStandIn } from '../../../local/standins/identity/index.js';
import { verifyLocalToken } from '../../../local/standins/identity/token.js';
import { appRolesOf, EXCHANGE_APP_ID, shippedManifest } from '../../../lib/permissions/manifest.js';

/**
 * Several apps, one identity endpoint: in App Service every app gets its own IDENTITY_ENDPOINT and
 * IDENTITY_HEADER, so one app's secret never yields another app's token
 * (https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference).
 * Each identity's tokens carry that identity's application permissions from infra/permissions.json.
 */

const manifest = shippedManifest();
const LOGIC = { objectId: '0a0a0a0a-0000-4000-8000-000000000001', clientId: '0b0b0b0b-0000-4000-8000-000000000001' };
const HELPERS = { objectId: '0a0a0a0a-0000-4000-8000-000000000002', clientId: '0b0b0b0b-0000-4000-8000-000000000002' };
const AUTOMATION = { objectId: '0a0a0a0a-0000-4000-8000-000000000003', clientId: '0b0b0b0b-0000-4000-8000-000000000003' };

let id: IdentityStandIn;

beforeAll(async () => {
  id = await startIdentityStandIn({
    apps: [
      { name: 'logicApp', principals: [{ ...LOGIC, graphRoles: appRolesOf(manifest, 'logicApp') }] },
      { name: 'helpers', principals: [{ ...HELPERS, graphRoles: appRolesOf(manifest, 'helpers') }] },
      { name: 'automation', principals: [{ ...AUTOMATION, graphRoles: [], exchangeRoles: appRolesOf(manifest, 'automation', EXCHANGE_APP_ID) }] },
    ],
  });
});

afterAll(async () => {
  await id?.stop();
});

async function tokenFor(app: string, resource: string): Promise<{ status: number; claims?: ReturnType<typeof verifyLocalToken> }> {
  const env = id.env(app);
  const res = await fetch(`${env.IDENTITY_ENDPOINT}?resource=${encodeURIComponent(resource)}&api-version=2019-08-01`, { headers: { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER } });
  if (res.status !== 200) return { status: res.status };
  const body = (await res.json()) as { access_token: string };
  return { status: 200, claims: verifyLocalToken(`Bearer ${body.access_token}`, [resource]) };
}

describe('one identity per app', () => {
  it('gives each app its own IDENTITY_HEADER', () => {
    const headers = ['logicApp', 'helpers', 'automation'].map((a) => id.env(a).IDENTITY_HEADER);
    expect(new Set(headers).size).toBe(3);
  });

  it("an app's header yields only its own identity, with its manifest Graph permissions in roles", async () => {
    const logic = await tokenFor('logicApp', 'https://graph.microsoft.com');
    const helpers = await tokenFor('helpers', 'https://graph.microsoft.com');
    expect(logic.claims?.ok && logic.claims.claims.oid).toBe(LOGIC.objectId);
    expect(logic.claims?.ok && logic.claims.claims.roles).toEqual(appRolesOf(manifest, 'logicApp'));
    expect(helpers.claims?.ok && helpers.claims.claims.oid).toBe(HELPERS.objectId);
    expect(helpers.claims?.ok && helpers.claims.claims.roles).toEqual(appRolesOf(manifest, 'helpers'));
  });

  it("another app's principal cannot be picked with this app's header", async () => {
    const env = id.env('helpers');
    const res = await fetch(`${env.IDENTITY_ENDPOINT}?resource=https://graph.microsoft.com&api-version=2019-08-01&principal_id=${LOGIC.objectId}`, {
      headers: { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER },
    });
    expect(res.status).toBe(400);
  });

  it('puts Exchange.ManageAsApp in the Automation identity\'s Exchange Online token (app-only-auth-powershell-v2)', async () => {
    const t = await tokenFor('automation', 'https://outlook.office365.com/');
    expect(t.claims?.ok && t.claims.claims.roles).toEqual(['Exchange.ManageAsApp']);
    const helpersExchange = await tokenFor('helpers', 'https://outlook.office365.com/');
    expect(helpersExchange.claims?.ok && helpersExchange.claims.claims.roles).toBeUndefined();
  });

  it('refuses an unknown header with 401', async () => {
    const res = await fetch(`${id.url}?resource=https://graph.microsoft.com&api-version=2019-08-01`, { headers: { 'X-IDENTITY-HEADER': 'not-a-header' } });
    expect(res.status).toBe(401);
  });
});
