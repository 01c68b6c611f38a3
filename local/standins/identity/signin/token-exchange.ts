import { EXCHANGE_APP_ID, GRAPH_APP_ID } from '../../../../lib/permissions/manifest.js';
import { mintLocalToken, verifyJwt } from '../token.js';
import { EntraDirectory, type DirectoryTenant } from './directory.js';
import { sts, type StsError } from './sts-errors.js';

/**
 * POST /{tenant}/oauth2/v2.0/token, client credentials with a federated credential: Learn's "OAuth 2.0 client
 * credentials flow", third case "access token request with a federated credential"
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow), the assertion being a
 * managed identity's token for api://AzureADTokenExchange
 * (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity).
 *
 * Checks, in the order Entra reports them: tenant, grant, client id and scope present, scope valid, the app has a
 * service principal in the tenant, a credential is sent and is an assertion, the assertion is a signed, unexpired
 * JWT, and one federated credential of the app matches its issuer, subject and audience (all three exactly).
 */

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The resources a token can be asked for, by their `.default` scope: aud and the app whose roles go into `roles`. */
const RESOURCES: Record<string, { aud: string; appId: string }> = {
  'https://graph.microsoft.com/.default': { aud: 'https://graph.microsoft.com', appId: GRAPH_APP_ID },
  [`${GRAPH_APP_ID}/.default`]: { aud: 'https://graph.microsoft.com', appId: GRAPH_APP_ID },
  'https://outlook.office365.com/.default': { aud: 'https://outlook.office365.com', appId: EXCHANGE_APP_ID },
  [`${EXCHANGE_APP_ID}/.default`]: { aud: 'https://outlook.office365.com', appId: EXCHANGE_APP_ID },
};

export interface TokenResponse {
  token_type: 'Bearer';
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

export type ExchangeOutcome = { ok: true; body: TokenResponse; tenant: DirectoryTenant; appId: string } | { ok: false; error: StsError };

const fail = (error: StsError): ExchangeOutcome => ({ ok: false, error });

export function exchangeClientAssertion(directory: EntraDirectory, tenantKey: string, form: URLSearchParams, lifetimeSeconds: number): ExchangeOutcome {
  const tenant = directory.tenant(tenantKey);
  if (!tenant) return fail(sts.tenantNotFound(tenantKey));
  const grant = form.get('grant_type');
  if (!grant) return fail(sts.missingParameter('grant_type'));
  if (grant !== 'client_credentials') return fail(sts.unsupportedGrant(grant));
  const clientId = form.get('client_id');
  if (!clientId) return fail(sts.missingParameter('client_id'));
  const scope = form.get('scope');
  if (!scope) return fail(sts.missingParameter('scope'));
  const resource = RESOURCES[scope.trim().toLowerCase()] ?? RESOURCES[scope.trim()];
  if (!resource) return fail(sts.invalidScope(scope));

  const app = directory.app(clientId);
  const sp = app ? directory.servicePrincipal(tenant.tenantId, app.appId) : undefined;
  if (!app || !sp) return fail(sts.appNotInTenant(clientId, tenantKey));

  if (form.has('client_secret')) return fail(sts.invalidSecret(app.appId));
  const assertion = form.get('client_assertion');
  if (!assertion) return fail(sts.noCredential());
  const assertionType = form.get('client_assertion_type');
  if (!assertionType) return fail(sts.missingParameter('client_assertion_type'));
  if (assertionType !== JWT_BEARER) return fail(sts.badAssertionType(assertionType));

  const check = verifyJwt(assertion, 'any');
  if (!check.ok) {
    if (check.reason === 'bad-signature') return fail(sts.badAssertionSignature());
    if (check.reason === 'expired') {
      const claims = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { nbf?: number; exp?: number };
      return fail(sts.assertionExpired(Math.floor(Date.now() / 1000), claims.nbf ?? 0, claims.exp ?? 0));
    }
    return fail(sts.malformedAssertion());
  }
  const claims = check.claims;
  const byIssuer = app.federatedCredentials.filter((f) => f.issuer === claims.iss);
  if (byIssuer.length === 0) return fail(sts.noFederatedMatch('issuer', claims.iss));
  // The subject is compared exactly (case-sensitive GUID), as the Learn page says.
  const bySubject = byIssuer.filter((f) => f.subject === claims.sub);
  if (bySubject.length === 0) return fail(sts.noFederatedMatch('subject', claims.sub ?? ''));
  if (!bySubject.some((f) => f.audiences.includes(claims.aud))) return fail(sts.noFederatedMatch('audience', claims.aud));

  const roles = sp.appRoles.filter((r) => r.resourceAppId === resource.appId).map((r) => r.value);
  const wids = EntraDirectory.roleTemplateIds(sp.directoryRoles);
  const accessToken = mintLocalToken(
    {
      aud: resource.aud,
      iss: `https://sts.windows.net/${tenant.tenantId}/`,
      tid: tenant.tenantId,
      oid: sp.id,
      sub: sp.id,
      appid: app.appId,
      azp: app.appId,
      ver: '1.0',
      // Entra leaves `roles` out of an app token when nothing is consented for that resource.
      ...(roles.length > 0 ? { roles } : {}),
      ...(wids.length > 0 ? { wids } : {}),
    },
    lifetimeSeconds,
  );
  return { ok: true, tenant, appId: app.appId, body: { token_type: 'Bearer', expires_in: lifetimeSeconds, ext_expires_in: lifetimeSeconds, access_token: accessToken } };
}
