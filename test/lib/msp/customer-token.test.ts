import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CustomerTokenError } from '../../../lib/msp/customer-token-error.js';
import { createCustomerTokenSource, customerTokenSource, EXCHANGE_SCOPE, GRAPH_SCOPE, resetCustomerTokenSources } from '../../../lib/msp/customer-token.js';
import { startIdentityStandIn, type IdentityStandIn } from '../../../local/standins/identity/index.js';
import { startFakeSignIn, type FakeSignIn } from './support/fake-sign-in.js';

/**
 * Tokens for customer tenants: the client credentials flow with a federated credential, Learn
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#third-case-access-token-request-with-a-federated-credential
 * and the AADSTS codes of https://learn.microsoft.com/entra/identity-platform/reference-error-codes.
 */
const APP = '0f0f0f0f-1111-2222-3333-444444444444';
const CONTOSO = 'c0c0c0c0-1111-2222-3333-444444444444';
const FABRIKAM = 'fabfab00-1111-2222-3333-444444444444';
const UNCONSENTED = 'dddddddd-1111-2222-3333-444444444444';
const ASSERTION = 'assertion-jwt-of-the-user-assigned-identity';

let signIn: FakeSignIn;
const clock = { now: Date.parse('2026-12-06T11:00:00Z') };

beforeAll(async () => {
  signIn = await startFakeSignIn({ appClientId: APP, assertion: ASSERTION, tenants: [CONTOSO, FABRIKAM, UNCONSENTED], consented: [CONTOSO, FABRIKAM] });
});
afterAll(async () => {
  await signIn?.stop();
});
beforeEach(() => {
  signIn.requests.length = 0;
  signIn.forced.length = 0;
});

function source(assertion: () => Promise<string> = async () => ASSERTION) {
  return createCustomerTokenSource({ authorityHost: signIn.url, appClientId: APP, assertion, now: () => clock.now });
}

async function failure(promise: Promise<unknown>): Promise<CustomerTokenError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CustomerTokenError);
  return err as CustomerTokenError;
}

describe('customer-tenant tokens (client credentials with a federated credential)', () => {
  it('sends the documented form to <authority>/<tenant>/oauth2/v2.0/token (Learn: third case, federated credential)', async () => {
    const token = await source().getToken(CONTOSO, GRAPH_SCOPE);
    expect(token.token.startsWith(`tok|${CONTOSO}|${GRAPH_SCOPE}|`)).toBe(true);
    expect(signIn.requests).toEqual([
      {
        tenant: CONTOSO,
        form: {
          grant_type: 'client_credentials',
          client_id: APP,
          scope: 'https://graph.microsoft.com/.default',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: ASSERTION,
        },
      },
    ]);
  });

  it('caches per tenant and scope; parallel callers share one request', async () => {
    const tokens = source();
    const [a, b] = await Promise.all([tokens.getToken(CONTOSO, GRAPH_SCOPE), tokens.getToken(CONTOSO, GRAPH_SCOPE)]);
    const c = await tokens.getToken(CONTOSO, GRAPH_SCOPE);
    expect(a.token).toBe(b.token);
    expect(c.token).toBe(a.token);
    expect(signIn.requests).toHaveLength(1);
    const fabrikam = await tokens.getToken(FABRIKAM, GRAPH_SCOPE);
    const exchange = await tokens.getToken(CONTOSO, EXCHANGE_SCOPE);
    expect(fabrikam.token).toContain(FABRIKAM);
    expect(fabrikam.token).not.toContain(CONTOSO);
    expect(exchange.token).toContain('outlook.office365.com');
    expect(signIn.requests.map((r) => `${r.tenant} ${r.form.scope}`)).toEqual([
      `${CONTOSO} ${GRAPH_SCOPE}`,
      `${FABRIKAM} ${GRAPH_SCOPE}`,
      `${CONTOSO} ${EXCHANGE_SCOPE}`,
    ]);
  });

  it('renews a token five minutes before it expires, not earlier', async () => {
    const tokens = source();
    const first = await tokens.getToken(CONTOSO, GRAPH_SCOPE);
    clock.now += (3599 - 301) * 1000;
    expect((await tokens.getToken(CONTOSO, GRAPH_SCOPE)).token).toBe(first.token);
    clock.now += 2000;
    const renewed = await tokens.getToken(CONTOSO, GRAPH_SCOPE);
    expect(renewed.token).not.toBe(first.token);
    expect(signIn.requests).toHaveLength(2);
  });

  it('a tenant without consent: typed error with AADSTS7000229 and the customer:add fix (undocumented: observed as invalid_client 401)', async () => {
    const err = await failure(source().getToken(UNCONSENTED, GRAPH_SCOPE));
    expect(err).toMatchObject({ reason: 'consent_missing', code: 'forbidden', status: 403, aadsts: '7000229', tenantId: UNCONSENTED });
    expect(err.fix).toContain('npm run customer:add');
    expect(err.message).toContain(UNCONSENTED);
    expect(JSON.stringify(err.toBody())).not.toContain(ASSERTION);
  });

  it('AADSTS700016 (application not found in the directory) also reads as consent missing', async () => {
    signIn.forced.push({ status: 400, body: { error: 'unauthorized_client', error_description: "AADSTS700016: Application with identifier 'x' was not found in the directory 'y'.", error_codes: [700016] } });
    expect(await failure(source().getToken(CONTOSO, GRAPH_SCOPE))).toMatchObject({ reason: 'consent_missing', aadsts: '700016' });
  });

  it('an assertion the federated credential does not match: configuration error that says to re-run the msp deploy', async () => {
    const err = await failure(source(async () => 'someone-elses-assertion').getToken(CONTOSO, GRAPH_SCOPE));
    expect(err).toMatchObject({ reason: 'federation_mismatch', code: 'configuration', status: 500, aadsts: '700213' });
    expect(err.fix).toContain('npm run deploy -- --mode msp');
  });

  it('an unknown tenant (AADSTS90002) is not_found; a tenant that is not a GUID or domain never reaches the sign-in', async () => {
    expect(await failure(source().getToken('eeeeeeee-1111-2222-3333-444444444444', GRAPH_SCOPE))).toMatchObject({ reason: 'tenant_not_found', status: 404, aadsts: '90002' });
    signIn.requests.length = 0;
    expect(await failure(source().getToken('contoso.com/../common', GRAPH_SCOPE))).toMatchObject({ reason: 'tenant_not_found' });
    expect(signIn.requests).toHaveLength(0);
  });

  it('sign-in outages (503, 429) are retryable service_unavailable; an unlisted AADSTS number is still named', async () => {
    signIn.forced.push({ status: 503, body: 'gateway' });
    expect(await failure(source().getToken(CONTOSO, GRAPH_SCOPE))).toMatchObject({ reason: 'sign_in_unavailable', code: 'service_unavailable', retryable: true });
    signIn.forced.push({ status: 400, body: { error: 'invalid_request', error_description: 'AADSTS123456: something new', error_codes: [123456] } });
    const other = await failure(source().getToken(CONTOSO, GRAPH_SCOPE));
    expect(other).toMatchObject({ reason: 'refused', aadsts: '123456' });
    expect(other.message).toContain('AADSTS123456');
  });

  it('the identity endpoint failing is assertion_unavailable, and a failed exchange is not cached', async () => {
    const tokens = source(async () => {
      throw new Error('ManagedIdentityCredential: no identity');
    });
    expect(await failure(tokens.getToken(CONTOSO, GRAPH_SCOPE))).toMatchObject({ reason: 'assertion_unavailable', code: 'configuration' });
    signIn.forced.push({ status: 503, body: {} });
    const retried = source();
    await failure(retried.getToken(CONTOSO, GRAPH_SCOPE));
    expect((await retried.getToken(CONTOSO, GRAPH_SCOPE)).token).toContain(CONTOSO);
  });
});

describe('customerTokenSource(settings): the assertion comes from the managed-identity endpoint', () => {
  let identity: IdentityStandIn;
  const IDENTITY_CLIENT_ID = '1d1d1d1d-1111-2222-3333-444444444444';
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

  beforeAll(async () => {
    identity = await startIdentityStandIn({ principals: [{ objectId: 'f0f0f0f0-1111-2222-3333-444444444444', clientId: 'system-assigned-client' }, { objectId: '2e2e2e2e-1111-2222-3333-444444444444', clientId: IDENTITY_CLIENT_ID }] });
    Object.assign(process.env, identity.env());
  });
  afterAll(async () => {
    resetCustomerTokenSources();
    process.env.IDENTITY_ENDPOINT = saved.endpoint;
    process.env.IDENTITY_HEADER = saved.header;
    if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
    if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
    await identity?.stop();
  });

  it('asks for the user-assigned identity (client_id) and resource api://AzureADTokenExchange (Learn: configure an app to trust a managed identity)', async () => {
    const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { aud?: string; appid?: string };
    const local = await startFakeSignIn({
      appClientId: APP,
      assertion: (a) => claimsOf(a).aud === 'api://AzureADTokenExchange' && claimsOf(a).appid === IDENTITY_CLIENT_ID,
      tenants: [CONTOSO],
      consented: [CONTOSO],
    });
    try {
      const tokens = customerTokenSource({ AZURE_AUTHORITY_HOST: local.url, MSP_APP_CLIENT_ID: APP, MSP_IDENTITY_CLIENT_ID: IDENTITY_CLIENT_ID });
      expect(customerTokenSource({ AZURE_AUTHORITY_HOST: local.url, MSP_APP_CLIENT_ID: APP, MSP_IDENTITY_CLIENT_ID: IDENTITY_CLIENT_ID })).toBe(tokens);
      expect((await tokens.getToken(CONTOSO, GRAPH_SCOPE)).token).toContain(CONTOSO);
      expect(identity.issued()['api://AzureADTokenExchange']).toBeGreaterThanOrEqual(1);
    } finally {
      await local.stop();
    }
  });
});
