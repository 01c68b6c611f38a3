import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerTokenError } from '../../../lib/msp/customer-token-error.js';
import { ManagedIdentityCredential } from '@azure/identity';
import { createCustomerTokenSource, EXCHANGE_SCOPE, GRAPH_SCOPE, TOKEN_EXCHANGE_SCOPE } from '../../../lib/msp/customer-token.js';
import { startIdentityStandIn, type IdentityStandIn } from '../../../local/standins/identity/index.js';
import { EntraDirectory, setUpMspTenants, startSignInStandIn, type SignInStandIn } from '../../../local/standins/identity/signin/index.js';

/**
 * lib/msp/customer-token.ts against the local sign-in stand-in (local/standins/identity/signin) and the
 * managed-identity stand-in's federation assertion: the whole secretless exchange of
 * https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
 */
const MSP_TENANT = 'a1a1a1a1-1111-4222-8333-444444444444';
const CONTOSO = 'c0c0c0c0-1111-4222-8333-444444444444';
const FABRIKAM = 'fabfab00-1111-4222-8333-444444444444';
const APP = '0f0f0f0f-1111-4222-8333-444444444444';
const TRUSTED = { objectId: '2e2e2e2e-1111-4222-8333-444444444444', clientId: '1d1d1d1d-1111-4222-8333-444444444444' };
const UNTRUSTED = { objectId: '3f3f3f3f-1111-4222-8333-444444444444', clientId: '4a4a4a4a-1111-4222-8333-444444444444' };

let identity: IdentityStandIn;
let signIn: SignInStandIn;
const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };

beforeAll(async () => {
  identity = await startIdentityStandIn({ tenantId: MSP_TENANT, userAssigned: [TRUSTED, UNTRUSTED] });
  const directory = new EntraDirectory();
  directory.upsertTenant({ tenantId: CONTOSO, displayName: 'Contoso', domains: [{ name: 'contoso.com', isInitial: false, isDefault: true }, { name: 'contosocorp.onmicrosoft.com', isInitial: true, isDefault: false }] });
  directory.upsertTenant({ tenantId: FABRIKAM, displayName: 'Fabrikam', domains: [{ name: 'fabrikam.onmicrosoft.com', isInitial: true, isDefault: true }] });
  setUpMspTenants(directory, { appId: APP, mspTenantId: MSP_TENANT, identityPrincipalId: TRUSTED.objectId, customers: [{ tenantId: CONTOSO }, { tenantId: FABRIKAM, consent: false }] });
  signIn = await startSignInStandIn({ directory });
  // The stand-in's endpoint and header, as the App Service platform sets them for the Function App.
  Object.assign(process.env, identity.env());
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await Promise.all([identity?.stop(), signIn?.stop()]);
});

function tokensFor(identityClientId: string) {
  const mi = new ManagedIdentityCredential({ clientId: identityClientId, authorityHost: 'https://login.microsoftonline.com' });
  return createCustomerTokenSource({
    authorityHost: signIn.url,
    appClientId: APP,
    assertion: async () => (await mi.getToken(TOKEN_EXCHANGE_SCOPE))?.token ?? '',
  });
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { tid?: string; aud?: string; appid?: string; azp?: string };

describe('customer-tenant tokens from the local sign-in stand-in', () => {
  it("a consented tenant gets a token of its own tenant for the app, for Graph and for Exchange Online", async () => {
    const tokens = tokensFor(TRUSTED.clientId);
    const graph = claimsOf((await tokens.getToken(CONTOSO, GRAPH_SCOPE)).token);
    expect(graph.tid).toBe(CONTOSO);
    expect(graph.appid ?? graph.azp).toBe(APP);
    const exchange = claimsOf((await tokens.getToken('contoso.com', EXCHANGE_SCOPE)).token);
    expect(exchange.tid).toBe(CONTOSO);
  });

  it('a tenant without consent is consent_missing; an identity the app does not trust is federation_mismatch', async () => {
    const missing = await tokensFor(TRUSTED.clientId).getToken(FABRIKAM, GRAPH_SCOPE).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(CustomerTokenError);
    expect(missing).toMatchObject({ reason: 'consent_missing', status: 403 });
    const untrusted = await tokensFor(UNTRUSTED.clientId).getToken(CONTOSO, GRAPH_SCOPE).catch((e: unknown) => e);
    expect(untrusted).toMatchObject({ reason: 'federation_mismatch', code: 'configuration' });
  });
});
