import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExchangeModel } from '../exchange-model.js';
import { isRecord, readJson, sendJson } from '../http-io.js';
import { authorizeExchange, authorizeTenantToken, checkOrganization, unauthorized, type ExchangeRoleHolders } from './access.js';
import { invokeCmdlet } from './dispatch.js';
import type { HostedOrganizations } from './organizations.js';
import { notModelled } from './parameters.js';

/**
 * The two endpoints the stub ExchangeOnlineManagement module calls when the Automation stand-in runs a
 * runbook under pwsh (docs/exchange-stand-in.md, "Cmdlet protocol"):
 *   POST /connect {organization, managedIdentity}   -> 200 {ok:true} | 200 {error}     (customer mode)
 *   POST /connect {organization, accessToken:true}  -> 200 {ok:true} | 200 {error}     (msp mode: -AccessToken)
 *   POST /cmdlet  {cmdlet, parameters[, organization]} -> 200 {output:[...]} | 200 {error}
 * Both need `Authorization: Bearer <Exchange token>`; every call is checked as EXO checks each request. A session
 * opened with -AccessToken sends that token and its organization with every cmdlet (as the module calls
 * .../adminapi/.../<organization>/InvokeCommand), and is served by the organization of the token's tenant.
 */

export interface ExoCall {
  endpoint: 'connect' | 'cmdlet';
  cmdlet: string;
  /** Parameter names only: values may be messages a mailbox owner wrote. */
  parameters: string[];
  outcome: 'ok' | 'error';
  /** msp mode: the organization the call named (-Organization of its session). */
  organization?: string;
}

export interface ExoContext {
  exchange: ExchangeModel;
  /** Read per request, so tests can change who holds an Exchange role. */
  roleHolders(): ExchangeRoleHolders;
  /** Calls served since the last reset, for tests and /_admin/exchange/calls. */
  calls: ExoCall[];
  /** msp mode: the customer organizations served, chosen by the token's tenant. */
  organizations?: HostedOrganizations;
}

function badRequest(res: ServerResponse, message: string): void {
  sendJson(res, 400, { error: { message, category: 'InvalidArgument', errorId: 'BadRequest', exceptionType: 'System.ArgumentException' } });
}

export async function handleExo(ctx: ExoContext, req: IncomingMessage, res: ServerResponse, path: '/connect' | '/cmdlet'): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, { error: { message: `${req.method ?? 'GET'} is not supported on ${path}; use POST.` } });
  const body = await readJson(req);
  if (!isRecord(body)) return badRequest(res, `The body of ${path} must be a JSON object.`);

  const requested = typeof body.organization === 'string' ? body.organization : '';
  if (path === '/connect') {
    const record = (outcome: ExoCall['outcome']) =>
      ctx.calls.push({ endpoint: 'connect', cmdlet: 'Connect-ExchangeOnline', parameters: Object.keys(body), outcome, ...(ctx.organizations ? { organization: requested } : {}) });
    const refusal = connectRefusal(ctx, req.headers.authorization, body, requested);
    record(refusal ? 'error' : 'ok');
    return sendJson(res, 200, refusal ? { error: refusal.toJSON() } : { ok: true });
  }

  if (typeof body.cmdlet !== 'string' || body.cmdlet === '') return badRequest(res, 'The body of /cmdlet needs "cmdlet": the cmdlet name.');
  const parameters = body.parameters === undefined || body.parameters === null ? {} : body.parameters;
  if (!isRecord(parameters)) return badRequest(res, '"parameters" must be an object of parameter names to values.');
  if (typeof body.organization === 'string') {
    // A session opened with -AccessToken (msp mode): served by the organization of the token's tenant.
    const tenant = ctx.organizations ? authorizeTenantToken(req.headers.authorization, ctx.organizations, requested) : { ok: false as const, error: unauthorized() };
    const answer = tenant.ok ? invokeCmdlet(tenant.hosted.exchange, tenant.session, body.cmdlet, parameters) : { error: tenant.error.toJSON() };
    ctx.calls.push({ endpoint: 'cmdlet', cmdlet: body.cmdlet, parameters: Object.keys(parameters), outcome: 'error' in answer ? 'error' : 'ok', organization: requested });
    return sendJson(res, 200, answer);
  }
  // msp mode hosts no organization in the Automation account's own tenant: its managed-identity sessions get nothing.
  const access = ctx.organizations ? { ok: false as const, error: unauthorized() } : authorizeExchange(req.headers.authorization, ctx.roleHolders());
  const answer = access.ok ? invokeCmdlet(ctx.exchange, access.session, body.cmdlet, parameters) : { error: access.error.toJSON() };
  ctx.calls.push({ endpoint: 'cmdlet', cmdlet: body.cmdlet, parameters: Object.keys(parameters), outcome: 'error' in answer ? 'error' : 'ok' });
  sendJson(res, 200, answer);
}

/** Why Connect-ExchangeOnline fails, or undefined when it connects. */
function connectRefusal(ctx: ExoContext, authorization: string | undefined, body: Record<string, unknown>, requested: string) {
  if (body.accessToken === true) {
    if (!ctx.organizations) return notModelled('Connect-ExchangeOnline', 'with -AccessToken in customer mode (runbooks connect with -ManagedIdentity there)');
    const tenant = authorizeTenantToken(authorization, ctx.organizations, requested);
    return tenant.ok ? undefined : tenant.error;
  }
  // msp mode: the Automation account's own identity lives in the MSP's tenant, which has no organization here.
  if (ctx.organizations) return unauthorized();
  const access = authorizeExchange(authorization, ctx.roleHolders());
  if (!access.ok) return access.error;
  if (body.managedIdentity !== true) return notModelled('Connect-ExchangeOnline', 'without -ManagedIdentity (runbooks connect with the Automation account identity)');
  return checkOrganization(requested, ctx.exchange.organization);
}
