import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, readBody, sendJson } from '../../automation/http-io.js';
import { federationIssuer } from '../index.js';
import { handleSignInAdmin } from './admin-routes.js';
import { EntraDirectory } from './directory.js';
import { SignInLog } from './sign-in-log.js';
import { sts } from './sts-errors.js';
import { exchangeClientAssertion } from './token-exchange.js';

/**
 * Local stand-in for the Microsoft Entra sign-in endpoints msp mode uses (login.microsoftonline.com): its URL is
 * what AZURE_AUTHORITY_HOST points at. It serves the client-credentials token endpoint with a federated credential
 * (token-exchange.ts), each tenant's OpenID configuration (how a domain becomes a tenant id) and /_admin to set
 * up tenants, the multi-tenant app, consent and directory roles. See docs/graph-stand-in.md, "Sign-in stand-in".
 */

export { EntraDirectory, DirectoryError, mspConsentRoles, mspDirectoryRoles } from './directory.js';
export type { AppRegistration, DirectoryTenant, FederatedCredential, ServicePrincipalRecord } from './directory.js';
export type { SignInLogEntry } from './sign-in-log.js';
export { JWT_BEARER } from './token-exchange.js';

export interface SignInStandInOptions {
  port?: number;
  /** The directory to serve; share it with the Graph stand-in (`directory` option) so both see one Entra. */
  directory?: EntraDirectory;
  /** Lifetime of issued access tokens; Entra's client-credentials sample answers 3599. */
  tokenLifetimeSeconds?: number;
}

export interface SignInStandIn {
  /** Authority host, e.g. http://127.0.0.1:41234 (Azure: https://login.microsoftonline.com). */
  url: string;
  directory: EntraDirectory;
  /** Token requests so far (tenant, client id, scope, status, AADSTS code); never tokens. */
  requests(): ReturnType<SignInLog['list']>;
  stop(): Promise<void>;
}

const FORM = 'application/x-www-form-urlencoded';

export async function startSignInStandIn(opts: SignInStandInOptions = {}): Promise<SignInStandIn> {
  const directory = opts.directory ?? new EntraDirectory();
  const lifetime = opts.tokenLifetimeSeconds ?? 3599;
  const log = new SignInLog();
  let origin = '';

  const token = async (req: IncomingMessage, res: ServerResponse, tenantKey: string): Promise<void> => {
    if ((req.method ?? 'GET').toUpperCase() !== 'POST') {
      const e = sts.wrongMethod(req.method ?? 'GET');
      log.add({ tenant: tenantKey, status: e.status, errorCode: e.body.error_codes[0] });
      return sendJson(res, e.status, e.body);
    }
    const text = await readBody(req);
    // Entra reads the form body only; a JSON body is a request without parameters.
    const form = (req.headers['content-type'] ?? '').toLowerCase().startsWith(FORM) ? new URLSearchParams(text) : new URLSearchParams();
    const outcome = exchangeClientAssertion(directory, tenantKey, form, lifetime);
    const base = { tenant: tenantKey, ...(form.get('client_id') ? { clientId: form.get('client_id') as string } : {}), ...(form.get('scope') ? { scope: form.get('scope') as string } : {}) };
    if (!outcome.ok) {
      log.add({ ...base, ...(directory.tenant(tenantKey) ? { tenantId: directory.tenant(tenantKey)?.tenantId } : {}), status: outcome.error.status, errorCode: outcome.error.body.error_codes[0] });
      return sendJson(res, outcome.error.status, outcome.error.body, { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
    }
    log.add({ ...base, tenantId: outcome.tenant.tenantId, status: 200 });
    sendJson(res, 200, outcome.body, { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
  };

  /** https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri */
  const openIdConfiguration = (res: ServerResponse, tenantKey: string): void => {
    const tenant = directory.tenant(tenantKey);
    if (!tenant) {
      const e = sts.tenantNotFound(tenantKey, 'invalid_tenant');
      return sendJson(res, e.status, e.body);
    }
    const tid = tenant.tenantId;
    sendJson(res, 200, {
      token_endpoint: `${origin}/${tid}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${origin}/${tid}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      // The issuer is an identifier, not where the stand-in listens: Azure's value, so the tenant id parses the same.
      issuer: federationIssuer(tid),
      request_uri_parameter_supported: false,
      authorization_endpoint: `${origin}/${tid}/oauth2/v2.0/authorize`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
    });
  };

  const srv = await listen(opts.port ?? 0, async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/_admin' || path.startsWith('/_admin/')) return handleSignInAdmin(directory, log, req, res, path);
    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/i.exec(path);
    if (tokenPath?.[1]) return token(req, res, decodeURIComponent(tokenPath[1]));
    const oidc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/i.exec(path);
    if (oidc?.[1] && (req.method ?? 'GET').toUpperCase() === 'GET') return openIdConfiguration(res, decodeURIComponent(oidc[1]));
    sendJson(res, 404, { error: 'not_found', error_description: `The sign-in stand-in serves /{tenant}/oauth2/v2.0/token, /{tenant}/v2.0/.well-known/openid-configuration and /_admin; not ${path}.` });
  });
  origin = srv.origin;
  return { url: origin, directory, requests: () => log.list(), stop: () => srv.close() };
}
export { tenantAdmin, TenantAdminError, type TenantAdmin } from './admin-client.js';
export { LOCAL_MSP, setUpMspTenants, type MspSetup } from './msp-setup.js';
