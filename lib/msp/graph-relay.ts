import { AppError } from '../errors/app-error.js';
import { GRAPH_CALL_RULES, graphPathSegments, rulesForCall, type GraphCallRule } from '../permissions/graph-calls.js';
import { requireActiveCustomer, type CustomerRegistryReader } from './customer-registry.js';
import { GRAPH_SCOPE, type CustomerTokenSource } from './customer-token.js';

/**
 * The Graph relay of msp mode (docs/msp-mode.md). A workflow Http action's ManagedServiceIdentity
 * authentication reaches only the identity's own tenant
 * (https://learn.microsoft.com/azure/logic-apps/authenticate-with-managed-identity), so in msp mode the workflows
 * send their Graph writes here with their managed-identity token for the helpers, and the relay forwards them to
 * Graph with a token for the customer's tenant. Graph's status, the headers the workflows read and the body come
 * back verbatim, so retry policies (Retry-After) and the workflows' error handling behave as in customer mode. No
 * customer token ever passes through the workflow, so none can appear in run history.
 *
 * What may pass: only calls that lib/permissions/graph-calls.ts lists AND grants to the Logic App (the workflows'
 * own writes and reads); anything else is refused with 403 naming the path. The customer is read from the registry
 * on every call, so a removed customer is refused at once.
 */
export interface RelayRequest {
  customerId: string;
  method: string;
  /** The path after the customer id, as sent (still percent-encoded), e.g. "v1.0/users/abc/revokeSignInSessions". */
  graphPath: string;
  /** The query string with its "?", or "". */
  search: string;
  header(name: string): string | null | undefined;
  body?: Buffer | undefined;
}

export interface RelayResponse {
  status: number;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RelayDependencies {
  registry: CustomerRegistryReader;
  tokens: CustomerTokenSource;
  /** e.g. https://graph.microsoft.com (GRAPH_BASE_URL), no version. */
  graphBaseUrl: string;
  fetch?: typeof fetch;
}

/** Request headers Graph uses that the workflows may send; the caller's Authorization is never forwarded. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'client-request-id', 'return-client-request-id', 'consistencylevel', 'if-match', 'if-none-match', 'prefer'];
/** Response headers the workflows and their retry policies read. */
const RETURNED_RESPONSE_HEADERS = ['retry-after', 'request-id', 'client-request-id', 'content-type'];

function refusedPath(method: string, graphPath: string, why: string): AppError {
  return new AppError({
    code: 'forbidden',
    message: `The Graph relay does not forward ${method} /${graphPath.slice(0, 300)}: ${why}`,
    status: 403,
    fix: 'Only the Graph calls the workflows are built to make pass through the relay (lib/permissions/graph-calls.ts, rows granted to the Logic App). A new call needs its row there and the permission in infra/permissions.json.',
    step: 'graph_relay',
    details: { method, path: `/${graphPath.slice(0, 300)}` },
  });
}

function topLevelKeys(body: Buffer | undefined, contentType: string | null | undefined): string[] {
  if (!body || body.length === 0 || !/json/i.test(contentType ?? 'application/json')) return [];
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  } catch {
    return [];
  }
}

/**
 * The rows of graph-calls.ts that allow this call through the relay, or a 403. Encoded slashes, backslashes, dot
 * segments and empty segments are refused outright: Graph could route them differently from how they were checked.
 */
export function relayRulesFor(method: string, graphPath: string, body?: Buffer, contentType?: string | null): GraphCallRule[] {
  const upper = method.toUpperCase();
  const version = /^(v1\.0|beta)\//i.exec(graphPath)?.[1];
  if (!version) throw refusedPath(upper, graphPath, 'the path must start with v1.0/ or beta/.');
  const rest = graphPath.slice(version.length + 1);
  if (/%2f|%5c|\\/i.test(rest) || rest.split('/').some((s) => s === '' || s === '.' || s === '..' || s === '%2e' || s === '%2e%2e')) {
    throw refusedPath(upper, graphPath, 'the path holds an encoded slash, a backslash, an empty or a dot segment.');
  }
  const { segments } = graphPathSegments(`/${graphPath}`);
  const rules = rulesForCall(upper, version.toLowerCase() === 'beta' ? 'beta' : 'v1.0', segments, topLevelKeys(body, contentType));
  if (rules.length === 0) throw refusedPath(upper, graphPath, 'it is not a Microsoft Graph call this project makes.');
  const ungranted = rules.filter((r) => !r.granted?.logicApp?.length);
  if (ungranted.length > 0) {
    throw refusedPath(upper, graphPath, `the workflows are not meant to ${ungranted.map((r) => r.does).join(' or ')}.`);
  }
  return rules;
}

/** Ids of the rows the relay forwards (for documentation and tests). */
export function relayableRuleIds(): string[] {
  return GRAPH_CALL_RULES.filter((r) => r.granted?.logicApp?.length).map((r) => r.id);
}

export async function relayGraphCall(request: RelayRequest, deps: RelayDependencies): Promise<RelayResponse> {
  const method = request.method.toUpperCase();
  // Customer first: an unknown or removed customer learns nothing about which paths pass.
  const customer = await requireActiveCustomer(deps.registry, request.customerId, 'graph_relay');
  relayRulesFor(method, request.graphPath, request.body, request.header('content-type'));
  const { token } = await deps.tokens.getToken(customer.tenantId, GRAPH_SCOPE);

  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.header(name);
    if (value) headers[name] = value;
  }
  const url = `${deps.graphBaseUrl.replace(/\/+$/, '')}/${request.graphPath}${request.search}`;
  const doFetch = deps.fetch ?? ((input, init) => fetch(input, init));
  let response: Response;
  try {
    response = await doFetch(url, {
      method,
      headers,
      ...(request.body && request.body.length > 0 && method !== 'GET' && method !== 'DELETE' ? { body: new Uint8Array(request.body) } : {}),
      redirect: 'manual',
    });
  } catch (cause) {
    throw new AppError({
      code: 'service_unavailable',
      message: 'Microsoft Graph could not be reached through the relay.',
      status: 503,
      retryable: true,
      fix: 'Wait a few minutes, then send the request again (the automatic retries were used up); if it keeps happening, check the Microsoft 365 service health page.',
      step: 'graph_relay',
      cause,
    });
  }
  const out: Record<string, string> = {};
  for (const name of RETURNED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) out[name] = value;
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: out, ...(bytes.length > 0 ? { body: bytes } : {}) };
}
