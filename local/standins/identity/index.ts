import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, sendJson } from '../automation/http-io.js';
import { mintLocalToken } from './token.js';

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
  /** Graph application permissions put in Graph tokens; defaults to GRAPH_APP_ROLES. */
  graphRoles?: string[];
}

export interface IdentityStandInOptions {
  port?: number;
  /** The first principal is the system-assigned identity; the rest are user-assigned. */
  principals?: IdentityPrincipal[];
  /** Fixed IDENTITY_HEADER value; a random one (as the platform rotates it) by default. */
  header?: string;
  tokenLifetimeSeconds?: number;
}

export interface IdentityStandIn {
  /** The token endpoint itself (IDENTITY_ENDPOINT), e.g. http://127.0.0.1:1234/msi/token. */
  url: string;
  /** The IDENTITY_HEADER secret callers must echo in X-IDENTITY-HEADER. */
  header: string;
  principals: readonly IdentityPrincipal[];
  env(): { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string };
  /** How many tokens were issued, per resource (lets tests see caching at work). */
  issued(): Record<string, number>;
  stop(): Promise<void>;
}

/** Application permissions the project's managed identity holds on Microsoft Graph (README permission table). */
export const GRAPH_APP_ROLES: readonly string[] = [
  'User.ReadWrite.All',
  'Group.Read.All',
  'GroupMember.ReadWrite.All',
  'Directory.Read.All',
  'Organization.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'MailboxSettings.ReadWrite',
  'Mail.Send',
];

const GRAPH_RESOURCES = ['https://graph.microsoft.com', 'https://graph.microsoft.com/'];
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

export async function startIdentityStandIn(opts: IdentityStandInOptions = {}): Promise<IdentityStandIn> {
  const principals: IdentityPrincipal[] = opts.principals?.length
    ? opts.principals.map((p) => ({ ...p }))
    : [{ objectId: randomUUID(), clientId: randomUUID() }];
  const header = opts.header ?? randomUUID();
  const lifetime = opts.tokenLifetimeSeconds ?? 24 * 3600;
  const issued: Record<string, number> = {};

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.toLowerCase() !== TOKEN_PATH) return sendJson(res, 404, errorBody(404, 'Not found.'));
    if (req.method !== 'GET') return sendJson(res, 405, errorBody(405, 'Only GET is supported.'));
    const sent = req.headers['x-identity-header'];
    // Same order as the platform: the SSRF header first, then the query.
    if (sent === undefined || sent === '') return sendJson(res, 400, errorBody(400, 'The X-IDENTITY-HEADER header is required.'));
    if (sent !== header) return sendJson(res, 401, errorBody(401, 'The X-IDENTITY-HEADER header value is not valid.'));
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
    const principal = pickPrincipal(principals, q);
    if (typeof principal === 'string') return sendJson(res, 400, errorBody(400, principal));
    if (!principal) return sendJson(res, 400, errorBody(400, 'No MSI found for specified ClientId/ResourceId.'));

    const isGraph = GRAPH_RESOURCES.includes(resource.toLowerCase());
    const token = mintLocalToken(
      {
        aud: resource,
        oid: principal.objectId,
        appid: principal.clientId,
        ...(isGraph ? { roles: [...(principal.graphRoles ?? GRAPH_APP_ROLES)] } : {}),
      },
      lifetime,
    );
    issued[resource] = (issued[resource] ?? 0) + 1;
    const now = Math.floor(Date.now() / 1000);
    sendJson(res, 200, {
      access_token: token,
      expires_on: String(now + lifetime),
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
    header,
    principals,
    env: () => ({ IDENTITY_ENDPOINT: url, IDENTITY_HEADER: header }),
    issued: () => ({ ...issued }),
    stop: () => srv.close(),
  };
}
