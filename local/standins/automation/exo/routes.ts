import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExchangeModel } from '../exchange-model.js';
import { isRecord, readJson, sendJson } from '../http-io.js';
import { authorizeExchange, checkOrganization, type ExchangeRoleHolders } from './access.js';
import { invokeCmdlet } from './dispatch.js';
import { notModelled } from './parameters.js';

/**
 * The two endpoints the stub ExchangeOnlineManagement module calls when the Automation stand-in runs a
 * runbook under pwsh (docs/exchange-stand-in.md, "Cmdlet protocol"):
 *   POST /connect {organization, managedIdentity}   -> 200 {ok:true} | 200 {error}
 *   POST /cmdlet  {cmdlet, parameters}               -> 200 {output:[...]} | 200 {error}
 * Both need `Authorization: Bearer <Exchange token>`; every call is checked as EXO checks each request.
 */

export interface ExoCall {
  endpoint: 'connect' | 'cmdlet';
  cmdlet: string;
  /** Parameter names only: values may be messages a mailbox owner wrote. */
  parameters: string[];
  outcome: 'ok' | 'error';
}

export interface ExoContext {
  exchange: ExchangeModel;
  /** Read per request, so tests can change who holds an Exchange role. */
  roleHolders(): ExchangeRoleHolders;
  /** Calls served since the last reset, for tests and /_admin/exchange/calls. */
  calls: ExoCall[];
}

function badRequest(res: ServerResponse, message: string): void {
  sendJson(res, 400, { error: { message, category: 'InvalidArgument', errorId: 'BadRequest', exceptionType: 'System.ArgumentException' } });
}

export async function handleExo(ctx: ExoContext, req: IncomingMessage, res: ServerResponse, path: '/connect' | '/cmdlet'): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, { error: { message: `${req.method ?? 'GET'} is not supported on ${path}; use POST.` } });
  const body = await readJson(req);
  if (!isRecord(body)) return badRequest(res, `The body of ${path} must be a JSON object.`);
  const access = authorizeExchange(req.headers.authorization, ctx.roleHolders());

  if (path === '/connect') {
    const record = (outcome: ExoCall['outcome']) => ctx.calls.push({ endpoint: 'connect', cmdlet: 'Connect-ExchangeOnline', parameters: Object.keys(body), outcome });
    const refusal = !access.ok
      ? access.error
      : body.managedIdentity !== true
        ? notModelled('Connect-ExchangeOnline', 'without -ManagedIdentity (runbooks connect with the Automation account identity)')
        : checkOrganization(typeof body.organization === 'string' ? body.organization : '', ctx.exchange.organization);
    record(refusal ? 'error' : 'ok');
    return sendJson(res, 200, refusal ? { error: refusal.toJSON() } : { ok: true });
  }

  if (typeof body.cmdlet !== 'string' || body.cmdlet === '') return badRequest(res, 'The body of /cmdlet needs "cmdlet": the cmdlet name.');
  const parameters = body.parameters === undefined || body.parameters === null ? {} : body.parameters;
  if (!isRecord(parameters)) return badRequest(res, '"parameters" must be an object of parameter names to values.');
  const answer = access.ok ? invokeCmdlet(ctx.exchange, access.session, body.cmdlet, parameters) : { error: access.error.toJSON() };
  ctx.calls.push({ endpoint: 'cmdlet', cmdlet: body.cmdlet, parameters: Object.keys(parameters), outcome: 'error' in answer ? 'error' : 'ok' });
  sendJson(res, 200, answer);
}
