import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, sendJson } from '../automation/http-io.js';
import { appRolesOf, EXCHANGE_APP_ID, GRAPH_APP_ID, shippedManifest } from '../../../lib/permissions/manifest.js';
import { LOCAL_TENANT_ID, mintLocalToken } from './token.js';

/**
 * Local stand-in for the App Service / Functions managed-identity endpoint (REST protocol, api-version
 * 2019-08-01): what IDENTITY_ENDPOINT points at in Azure. @azure/identity's ManagedIdentityCredential and
 * the local Logic Apps runtime both fetch their tokens from here, so code paths match Azure's.
 */

export interface IdentityPrincipal {
  objectId: string;
  clientId: string;
  /** ARM resource id of a user-assigned identity, matched by `mi_res_id`. */
  resourceId?: string;
  /** Graph application permissions put in Graph tokens' `roles`; defaults to GRAPH_APP_ROLES. */
  graphRoles?: string[];
  /** Office 365 Exchange Online application permissions (e.g. Exchange.ManageAsApp) put in Exchange tokens' `roles`. */
  exchangeRoles?: string[];
}

/**
 * One Azure resource with a managed identity (the Logic App, the Function App, the Automation account).
 * Each has its own IDENTITY_HEADER, as in App Service, where every app gets its own secret: a process
 * holding one app's header can only get that app's tokens.
 */
export interface IdentityApp {
  name: string;
  /** The first principal is the app's system-assigned identity; the rest are user-assigned. */
  principals: IdentityPrincipal[];
  /** Fixed IDENTITY_HEADER value; random by default (the platform rotates it). */
  header?: string;
}

export interface IdentityStandInOptions {
  port?: number;
  /** Several apps, each with its own header and identities. Overrides `principals` and `header`. */
  apps?: IdentityApp[];
  /** One app (the legacy shape): the first principal is the system-assigned identity; the rest are user-assigned. */
  principals?: IdentityPrincipal[];
  /** Fixed IDENTITY_HEADER value of that one app; a random one (as the platform rotates it) by default. */
  header?: string;
  tokenLifetimeSeconds?: number;
  /**
   * The tenant the identities live in: every token's `tid`, and the issuer of federation assertions. Default
   * LOCAL_TENANT_ID (customer mode: the identities live in the customer's tenant); msp mode passes the MSP's tenant.
   */
  tenantId?: string;
  /**
   * User-assigned identities attached to every app (msp mode: the one identity the multi-tenant app trusts, attached
   * to the Logic App, the helpers and the Automation account). Picked with `client_id`, `principal_id` or `mi_res_id`.
   */
  userAssigned?: IdentityPrincipal[];
  /** Lifetime of federation assertions (resource api://AzureADTokenExchange); default 600 s (they are used at once). */
  assertionLifetimeSeconds?: number;
}

/**
 * The audience of a managed-identity token used as a client assertion for an app that trusts the identity
 * (Microsoft Entra global service); https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
 */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** The issuer Entra puts in managed-identity tokens of a tenant, and the one an app's federated credential names. */
export function federationIssuer(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

export interface IdentityStandIn {
  /** The token endpoint itself (IDENTITY_ENDPOINT), e.g. http://127.0.0.1:1234/msi/token. */
  url: string;
  /** The IDENTITY_HEADER secret of the first app. */
  header: string;
  /** Every principal of every app. */
  principals: readonly IdentityPrincipal[];
  /** IDENTITY_ENDPOINT and IDENTITY_HEADER of one app (the first one by default). */
  env(app?: string): { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string };
  /** How many tokens were issued, per resource (lets tests see caching at work). */
  issued(): Record<string, number>;
  stop(): Promise<void>;
}

/**
 * Graph application permissions of a principal that names none: what the Logic App and the helpers hold
 * together in infra/permissions.json (one identity standing in for both, as unit tests use it).
 */
export const GRAPH_APP_ROLES: readonly string[] = (() => {
  const m = shippedManifest();
  return [...new Set([...appRolesOf(m, 'logicApp'), ...appRolesOf(m, 'helpers')])];
})();

const GRAPH_RESOURCES = ['https://graph.microsoft.com', 'https://graph.microsoft.com/', GRAPH_APP_ID];
const EXCHANGE_RESOURCES = ['https://outlook.office365.com', 'https://outlook.office365.com/', 'https://outlook.office.com', 'https://outlook.office.com/', EXCHANGE_APP_ID];
const TOKEN_PATH = '/msi/token';

function errorBody(status: number, message: string): { statusCode: number; message: string; correlationId: string } {
  return { statusCode: status, message, correlationId: randomUUID() };
}

function pickPrincipal(principals: readonly IdentityPrincipal[], q: URLSearchParams): IdentityPrincipal | string | undefined {
  const selectors = ['client_id', 'principal_id', 'object_id', 'mi_res_id'].filter((k) => q.has(k));
  if (selectors.length > 1) return 'Only one of client_id, principal_id (object_id) or mi_res_id may be specified.';
  const eq = (a: string | undefined, b: string | null) => !!a && !!b && a.toLowerCase() === b.toLowerCase();
  if (q.has('client_id')) return principals.find((p) => eq(p.clientId, q.get('client_id')));
  if (q.has('principal_id')) return principals.find((p) => eq(p.objectId, q.get('principal_id')));
  if (q.has('object_id')) return principals.find((p) => eq(p.objectId, q.get('object_id')));
  if (q.has('mi_res_id')) return principals.find((p) => eq(p.resourceId, q.get('mi_res_id')));
  return principals[0];
}

function rolesFor(principal: IdentityPrincipal, resource: string): string[] | undefined {
  const r = resource.toLowerCase();
  if (GRAPH_RESOURCES.includes(r)) return [...(principal.graphRoles ?? GRAPH_APP_ROLES)];
  if (EXCHANGE_RESOURCES.includes(r)) return principal.exchangeRoles ? [...principal.exchangeRoles] : undefined;
  return undefined;
}

export async function startIdentityStandIn(opts: IdentityStandInOptions = {}): Promise<IdentityStandIn> {
  const apps: Array<{ name: string; header: string; principals: IdentityPrincipal[] }> = opts.apps?.length
    ? opts.apps.map((a) => ({ name: a.name, header: a.header ?? randomUUID(), principals: a.principals.map((p) => ({ ...p })) }))
    : [
        {
          name: 'default',
          header: opts.header ?? randomUUID(),
          principals: opts.principals?.length ? opts.principals.map((p) => ({ ...p })) : [{ objectId: randomUUID(), clientId: randomUUID() }],
        },
      ];
  if (new Set(apps.map((a) => a.header)).size !== apps.length) throw new Error('each identity app needs its own IDENTITY_HEADER');
  const attached = (opts.userAssigned ?? []).map((p) => ({ ...p }));
  const principals = [...apps.flatMap((a) => a.principals), ...attached];
  for (const app of apps) app.principals.push(...attached);
  const lifetime = opts.tokenLifetimeSeconds ?? 24 * 3600;
  const assertionLifetime = opts.assertionLifetimeSeconds ?? 600;
  const tenantId = opts.tenantId ?? LOCAL_TENANT_ID;
  const issued: Record<string, number> = {};

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.toLowerCase() !== TOKEN_PATH) return sendJson(res, 404, errorBody(404, 'Not found.'));
    if (req.method !== 'GET') return sendJson(res, 405, errorBody(405, 'Only GET is supported.'));
    const sent = req.headers['x-identity-header'];
    // Same order as the platform: the SSRF header first, then the query.
    if (sent === undefined || sent === '') return sendJson(res, 400, errorBody(400, 'The X-IDENTITY-HEADER header is required.'));
    const app = apps.find((a) => a.header === sent);
    if (!app) return sendJson(res, 401, errorBody(401, 'The X-IDENTITY-HEADER header value is not valid.'));
    const q = url.searchParams;
    const apiVersion = q.get('api-version');
    if (apiVersion !== '2019-08-01') {
      return sendJson(res, 400, errorBody(400, apiVersion ? `The api-version '${apiVersion}' is not supported; use 2019-08-01.` : 'The api-version query parameter is required.'));
    }
    const resource = q.get('resource');
    if (!resource) return sendJson(res, 400, errorBody(400, 'The resource query parameter is required.'));
    if (resource.endsWith('/.default')) {
      return sendJson(res, 400, errorBody(400, `'${resource}' is a scope; the resource parameter takes a resource URI.`));
    }
    const principal = pickPrincipal(app.principals, q);
    if (typeof principal === 'string') return sendJson(res, 400, errorBody(400, principal));
    if (!principal) return sendJson(res, 400, errorBody(400, 'No MSI found for specified ClientId/ResourceId.'));

    const assertion = resource.toLowerCase() === TOKEN_EXCHANGE_AUDIENCE.toLowerCase();
    const roles = assertion ? undefined : rolesFor(principal, resource);
    const tokenLifetime = assertion ? assertionLifetime : lifetime;
    const token = mintLocalToken(
      {
        aud: assertion ? TOKEN_EXCHANGE_AUDIENCE : resource,
        oid: principal.objectId,
        appid: principal.clientId,
        tid: tenantId,
        // A federation assertion is a v2.0 token of the identity's tenant whose subject is its principal id:
        // exactly what the app's federated credential (issuer, subject, audience) is matched against.
        ...(assertion ? { iss: federationIssuer(tenantId), sub: principal.objectId, azp: principal.clientId, ver: '2.0' } : {}),
        ...(roles ? { roles } : {}),
      },
      tokenLifetime,
    );
    issued[resource] = (issued[resource] ?? 0) + 1;
    const now = Math.floor(Date.now() / 1000);
    sendJson(res, 200, {
      access_token: token,
      expires_on: String(now + tokenLifetime),
      not_before: String(now),
      resource,
      token_type: 'Bearer',
      client_id: principal.clientId,
    });
  };

  const srv = await listen(opts.port ?? 0, handle);
  const url = `${srv.origin}${TOKEN_PATH}`;
  return {
    url,
    header: apps[0]!.header,
    principals,
    env: (name?: string) => {
      const app = name === undefined ? apps[0] : apps.find((a) => a.name === name);
      if (!app) throw new Error(`no identity app named '${name}'`);
      return { IDENTITY_ENDPOINT: url, IDENTITY_HEADER: app.header };
    },
    issued: () => ({ ...issued }),
    stop: () => srv.close(),
  };
}

export { verifyStandInToken, type StandInTokenExpectations, type TokenCheck } from './token.js';
