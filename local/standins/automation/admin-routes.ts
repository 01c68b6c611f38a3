import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineChoice } from './engine-choice.js';
import type { ExchangeModel } from './exchange-model.js';
import type { HostedOrganizations } from './exo/organizations.js';
import type { ExoCall } from './exo/routes.js';
import { ExchangeFixtureError, MailboxSchema } from './exchange-state.js';
import { FaultQueue, parseFault } from './fault-queue.js';
import { isRecord, readJson, sendJson } from './http-io.js';
import type { JobEngine } from './job-engine.js';
import { adminJobJson } from './job-model.js';
import { changeAccess, resetAccess } from './admin-access.js';
import type { ExchangeAccessState } from './runbook-identity.js';
import type { AutomationVariableValue } from './runbooks/runbook-types.js';

/** The Automation stand-in's /_admin API: Exchange state, jobs, engine, Exchange access, reset and fault injection. */

export interface AdminContext {
  exchange: ExchangeModel;
  engine: JobEngine;
  faults: FaultQueue;
  /** The fixture the stand-in started from, reloaded by reset. */
  fixture: unknown;
  choice: EngineChoice;
  access: ExchangeAccessState;
  calls: ExoCall[];
  /** The Automation variables jobs see now. */
  variables(): Record<string, AutomationVariableValue>;
  /** Changes made through POST /_admin/variables (cleared by reset). */
  changedVariables: Record<string, AutomationVariableValue>;
  /** msp mode: the hosted customer organizations. */
  organizations?: HostedOrganizations;
}

function fixtureError(res: ServerResponse, err: unknown): void {
  if (err instanceof ExchangeFixtureError) return sendJson(res, 400, { error: { code: 'InvalidFixture', message: err.message } });
  throw err;
}

export async function handleAdmin(ctx: AdminContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const route = `${req.method ?? 'GET'} ${path}`;
  // msp mode: GET|POST /_admin/organizations/{tenant id}/exchange, one customer organization's state.
  const perOrganization = /^\/_admin\/organizations\/([^/]+)\/exchange$/.exec(path);
  if (perOrganization && (req.method === 'GET' || req.method === 'POST')) {
    const hosted = ctx.organizations?.byTenant(decodeURIComponent(perOrganization[1] ?? ''));
    if (!hosted) return sendJson(res, 404, { error: { code: 'NotFound', message: `No organization is hosted for tenant ${perOrganization[1] ?? ''}.` } });
    if (req.method === 'POST') {
      try {
        hosted.exchange.load(await readJson(req));
      } catch (err) {
        return fixtureError(res, err);
      }
    }
    return sendJson(res, 200, hosted.exchange.snapshot());
  }
  switch (route) {
    case 'GET /_admin/organizations':
      return sendJson(res, 200, { value: (ctx.organizations?.list() ?? []).map((o) => ({ tenantId: o.tenantId, organization: o.organization })) });
    case 'GET /_admin/exchange':
      return sendJson(res, 200, ctx.exchange.snapshot());
    case 'POST /_admin/exchange': {
      const body = await readJson(req);
      try {
        ctx.exchange.load(body);
      } catch (err) {
        return fixtureError(res, err);
      }
      return sendJson(res, 200, ctx.exchange.snapshot());
    }
    case 'POST /_admin/exchange/mailboxes': {
      // Adds (or replaces) one mailbox, e.g. for a user the Graph stand-in created during a test.
      const parsed = MailboxSchema.safeParse(await readJson(req));
      if (!parsed.success) return sendJson(res, 400, { error: { code: 'InvalidMailbox', message: parsed.error.issues[0]?.message ?? 'invalid mailbox' } });
      const state = ctx.exchange.snapshot();
      const key = parsed.data.PrimarySmtpAddress.toLowerCase();
      state.Mailboxes = [...state.Mailboxes.filter((m) => m.PrimarySmtpAddress.toLowerCase() !== key), parsed.data];
      try {
        ctx.exchange.load(state);
      } catch (err) {
        return fixtureError(res, err);
      }
      return sendJson(res, 201, parsed.data);
    }
    case 'POST /_admin/reset':
      ctx.engine.clear();
      ctx.faults.clear();
      if (ctx.organizations) ctx.organizations.reset();
      else ctx.exchange.load(ctx.fixture);
      ctx.calls.length = 0;
      for (const k of Object.keys(ctx.changedVariables)) delete ctx.changedVariables[k];
      resetAccess(ctx.access);
      return sendJson(res, 200, { reset: true });
    case 'GET /_admin/jobs':
      return sendJson(res, 200, { value: ctx.engine.list().map(adminJobJson) });
    case 'GET /_admin/variables':
      return sendJson(res, 200, ctx.variables());
    case 'POST /_admin/variables': {
      // Sets Automation variables (JSON values, as the account's variable assets hold them), e.g. {"AllowExternalForwarding": true}.
      const body = await readJson(req);
      const valid = isRecord(body) && Object.values(body).every((v) => ['string', 'boolean', 'number'].includes(typeof v));
      if (!valid) return sendJson(res, 400, { error: { code: 'InvalidVariables', message: 'The body must be an object of variable names to string, boolean or number values.' } });
      Object.assign(ctx.changedVariables, body);
      return sendJson(res, 200, ctx.variables());
    }
    case 'GET /_admin/engine':
      return sendJson(res, 200, { engine: ctx.choice.engine, reason: ctx.choice.reason, ...(ctx.choice.pwsh ? { pwsh: ctx.choice.pwsh } : {}) });
    case 'GET /_admin/exchange/calls':
      return sendJson(res, 200, { value: ctx.calls });
    case 'GET /_admin/exchange/access':
      return sendJson(res, 200, { identity: ctx.access.identity, roleHolders: ctx.access.holders });
    case 'POST /_admin/exchange/access': {
      const problem = changeAccess(ctx.access, await readJson(req));
      if (problem) return sendJson(res, 400, { error: { code: 'InvalidAccess', message: problem } });
      return sendJson(res, 200, { identity: ctx.access.identity, roleHolders: ctx.access.holders });
    }
    case 'POST /_admin/faults': {
      const parsed = parseFault(await readJson(req));
      if (!parsed.ok) return sendJson(res, 400, { error: { code: 'InvalidFault', message: parsed.message } });
      ctx.faults.add(parsed.fault);
      return sendJson(res, 200, { pending: ctx.faults.pending() });
    }
    case 'DELETE /_admin/faults':
      ctx.faults.clear();
      return sendJson(res, 200, { pending: [] });
    default:
      return sendJson(res, 404, { error: { code: 'NotFound', message: `No admin route ${route}` } });
  }
}
