import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExchangeModel } from './exchange-model.js';
import { ExchangeFixtureError, MailboxSchema } from './exchange-state.js';
import { FaultQueue, parseFault } from './fault-queue.js';
import { readJson, sendJson } from './http-io.js';
import type { JobEngine } from './job-engine.js';
import { jobJson } from './job-model.js';

/** The Automation stand-in's /_admin API: Exchange state, jobs, reset and fault injection. */

export interface AdminContext {
  exchange: ExchangeModel;
  engine: JobEngine;
  faults: FaultQueue;
  /** The fixture the stand-in started from, reloaded by reset. */
  fixture: unknown;
}

function fixtureError(res: ServerResponse, err: unknown): void {
  if (err instanceof ExchangeFixtureError) return sendJson(res, 400, { error: { code: 'InvalidFixture', message: err.message } });
  throw err;
}

export async function handleAdmin(ctx: AdminContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const route = `${req.method ?? 'GET'} ${path}`;
  switch (route) {
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
      ctx.exchange.load(ctx.fixture);
      return sendJson(res, 200, { reset: true });
    case 'GET /_admin/jobs':
      return sendJson(res, 200, { value: ctx.engine.list().map(jobJson) });
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
