import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, errors, graphDate, GraphError, type RequestIds } from './errors.js';
import type { FaultInjector } from './faults.js';
import type { GraphCall, GraphResult } from './http-types.js';
import { parseQuery, splitResourcePath } from './path.js';
import type { RequestLog } from './request-log.js';
import type { Router } from './router.js';
import type { TenantState } from './tenant/state.js';
import { verifyLocalToken, type TokenCheck, type TokenFailure } from '../identity/token.js';
import { roleNameByTemplateId } from './tenant/role-catalog.js';
import { authorizeCall, openCaller, type GraphAuthorization } from './authorization.js';

/**
 * The request pipeline every Graph call goes through: authentication, body parsing, fault injection,
 * routing, Graph's error envelope and headers, and the request log. $batch items re-enter at `execute`.
 */

export const GRAPH_AUDIENCES = ['https://graph.microsoft.com', 'https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000'];

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const TOKEN_MESSAGES: Record<TokenFailure, string> = {
  missing: 'Access token is empty.',
  malformed: 'CompactToken parsing failed with error code: 80049217',
  'bad-signature': 'Access token validation failure.',
  expired: 'Access token has expired or is not yet valid.',
  'wrong-audience': 'Access token validation failure. Invalid audience.',
  'wrong-tenant': 'Access token validation failure.',
};

export interface PipelineDeps {
  /**
   * The tenant a token's `tid` reaches: in customer mode the one hosted tenant whatever the tid; in msp mode the
   * hosted tenant with that id, undefined when none (the call is refused as an invalid token).
   */
  stateFor(tid: string): TenantState | undefined;
  /** msp mode: the request log names each call's tenant. */
  multiTenant: boolean;
  router: Router;
  faults: FaultInjector;
  log: RequestLog;
  /** Permission enforcement; absent: every token may do everything (unit tests of other parts). */
  authorization(): GraphAuthorization | undefined;
}

export type ExecutedResult = GraphResult & { headers: Record<string, string> };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function headerMap(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new GraphError(413, 'RequestEntityTooLarge', 'The request body exceeds the maximum allowed size of 4 MB.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GraphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
}

/** Graph's 401 for a token it does not accept, with its WWW-Authenticate challenge. */
function tokenError(reason: TokenFailure): GraphError {
  const err = errors.invalidToken(TOKEN_MESSAGES[reason]);
  return new GraphError(err.status, err.code, err.message, {
    headers: { 'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' },
  });
}

export class GraphPipeline {
  /** Verified tokens by their text: clients resend the same token, and HMAC + JSON per call shows in the bench. */
  private readonly tokenCache = new Map<string, Extract<TokenCheck, { ok: true }>>();

  constructor(private readonly deps: PipelineDeps) {}

  private verify(authorization: string | undefined): TokenCheck {
    const cached = authorization ? this.tokenCache.get(authorization) : undefined;
    if (cached && cached.claims.exp * 1000 >= Date.now()) return cached;
    const check = verifyLocalToken(authorization, GRAPH_AUDIENCES);
    if (check.ok && authorization) {
      if (this.tokenCache.size >= 256) this.tokenCache.clear();
      this.tokenCache.set(authorization, check);
    } else if (authorization) this.tokenCache.delete(authorization);
    return check;
  }

  /** Runs one call (direct or $batch item): faults, routing, error envelope, log. Never throws GraphError. */
  async execute(call: GraphCall, ids: RequestIds, pathForLog: string, batch?: { requestId: string; itemId: string }): Promise<ExecutedResult> {
    const started = Date.now();
    const resourcePath = `/${call.segments.join('/')}`;
    const decision = this.deps.faults.decide(call.method, call.version, resourcePath);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    let result: GraphResult;
    try {
      authorizeCall(call);
      if (decision.error) throw decision.error;
      result = await this.deps.router.dispatch(call);
    } catch (err) {
      const graphErr =
        err instanceof GraphError ? err : new GraphError(500, 'UnknownError', 'An internal server error occurred in the Graph stand-in.');
      if (!(err instanceof GraphError)) process.stderr.write(`graph stand-in: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      result = { status: graphErr.status, body: errorBody(graphErr, ids), headers: graphErr.options.headers ?? {} };
    }
    const headers: Record<string, string> = { 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId, ...(result.headers ?? {}) };
    if (result.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = typeof result.body === 'string' ? 'text/plain' : JSON_TYPE;
    }
    const writes = ['POST', 'PATCH', 'PUT'].includes(call.method) && call.segments[0] !== '$batch';
    this.deps.log.add({
      time: new Date(started).toISOString(),
      method: call.method,
      path: pathForLog,
      query: call.rawQuery,
      status: result.status,
      durationMs: Date.now() - started,
      requestId: ids.requestId,
      clientRequestId: ids.clientRequestId,
      ...(writes && call.body !== undefined ? { body: call.body } : {}),
      ...(batch ? { batch } : {}),
      caller: call.caller.identity ?? call.caller.oid,
      ...(call.method === 'PATCH' && call.body && typeof call.body === 'object' && !Array.isArray(call.body) ? { bodyKeys: Object.keys(call.body) } : {}),
      ...(decision.ruleId && decision.error ? { fault: decision.ruleId } : {}),
      ...(decision.delayMs > 0 ? { injectedDelayMs: decision.delayMs } : {}),
      ...(this.deps.multiTenant ? { tenant: call.state.tenantId } : {}),
    });
    return { ...result, headers };
  }

  /** Handles /v1.0/... and /beta/... over HTTP. */
  async handle(req: IncomingMessage, res: ServerResponse, publicBase: string): Promise<void> {
    const headers = headerMap(req);
    const requestId = randomUUID();
    const ids: RequestIds = { requestId, clientRequestId: headers['client-request-id'] ?? requestId, date: graphDate() };
    const rawUrl = (req.url ?? '/').split('#')[0] as string;
    const q = rawUrl.indexOf('?');
    const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q === -1 ? '' : rawUrl.slice(q + 1);
    const [, versionSegment, ...rest] = rawPath.split('/');
    const version = versionSegment === 'beta' ? 'beta' : 'v1.0';
    const method = (req.method ?? 'GET').toUpperCase();

    let result: ExecutedResult;
    const fail = (err: GraphError): ExecutedResult => {
      const r: ExecutedResult = {
        status: err.status,
        body: errorBody(err, ids),
        headers: { 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId, 'Content-Type': JSON_TYPE, ...(err.options.headers ?? {}) },
      };
      this.deps.log.add({
        time: new Date().toISOString(),
        method,
        path: rawPath,
        query: rawQuery,
        status: err.status,
        durationMs: 0,
        requestId: ids.requestId,
        clientRequestId: ids.clientRequestId,
      });
      return r;
    };
    try {
      const token = this.verify(headers.authorization);
      if (!token.ok) throw tokenError(token.reason);
      // text/plain bodies stay text (sendMail's base64 MIME form); everything else must be JSON.
      const rawBody = ['POST', 'PATCH', 'PUT', 'DELETE'].includes(method) ? await readBody(req) : '';
      const isText = (headers['content-type'] ?? '').toLowerCase().startsWith('text/plain');
      const body = isText ? (rawBody === '' ? undefined : rawBody) : parseJsonBody(rawBody);
      const state = this.deps.stateFor(token.claims.tid);
      if (!state) throw tokenError('wrong-tenant');
      const authz = this.deps.authorization();
      // msp mode: the token (from the sign-in stand-in) names the directory roles of the app's service principal in
      // that tenant (`wids`, role template ids; absent = none). Customer mode: managed-identity tokens carry no
      // `wids`, so the fixture's `caller` says which roles the identity holds.
      const directoryRoles = this.deps.multiTenant || token.claims.wids ? (token.claims.wids ?? []).map((w) => roleNameByTemplateId(w)).filter((r): r is string => r !== undefined) : state.caller.roles;
      // msp mode checks every call against the token's roles even without a manifest: what a customer consented
      // to is all the app may do there (Graph reads app permissions from the token's `roles`).
      const caller = authz
        ? authz.grantsFor(token.claims.oid, token.claims.roles, directoryRoles)
        : this.deps.multiTenant
          ? { oid: token.claims.oid, appRoles: [...(token.claims.roles ?? [])], directoryRoles: [...directoryRoles], enforced: true }
          : openCaller(token.claims.oid, token.claims.roles, directoryRoles, state.caller.permissions);
      const call: GraphCall = {
        method,
        version,
        segments: splitResourcePath(rest.join('/')),
        query: parseQuery(rawQuery),
        rawQuery,
        headers,
        body,
        publicBase,
        callerOid: token.claims.oid,
        caller,
        state,
        requestIds: ids,
      };
      result = await this.execute(call, ids, rawPath);
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      result = fail(err);
    }
    res.statusCode = result.status;
    for (const [k, v] of Object.entries(result.headers)) res.setHeader(k, v);
    if (result.body === undefined || result.status === 204) {
      res.end();
      return;
    }
    res.end(typeof result.body === 'string' ? result.body : JSON.stringify(result.body));
  }
}
