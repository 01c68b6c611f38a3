import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRule, LatencyConfig } from '../faults.js';
import { ManifestError } from '../../../../lib/permissions/manifest.js';
import { FixtureError } from '../tenant/load-fixture.js';
import type { GraphAdmin } from './graph-admin.js';

/** /_admin over HTTP (local only, no auth): the same operations as the in-process GraphAdmin. */

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  res.statusCode = status;
  if (body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

function problem(res: ServerResponse, status: number, code: string, message: string, problems?: string[]): void {
  send(res, status, { error: { code, message, ...(problems ? { problems } : {}) } });
}

export async function handleAdmin(admin: GraphAdmin, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  const route = `${(req.method ?? 'GET').toUpperCase()} ${url.pathname.replace(/\/$/, '')}`;
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    problem(res, 400, 'InvalidJson', 'The request body is not valid JSON.');
    return;
  }
  try {
    switch (route) {
      case 'GET /_admin/tenant':
        return send(res, 200, admin.tenant());
      case 'POST /_admin/tenant': {
        admin.loadTenant(body);
        const t = admin.tenant();
        return send(res, 200, { loaded: true, users: t.users.length, groups: t.groups.length });
      }
      case 'POST /_admin/reset':
        admin.reset();
        return send(res, 200, { reset: true });
      case 'GET /_admin/requests': {
        const since = Number(url.searchParams.get('since') ?? '0');
        return send(res, 200, { value: admin.requests(Number.isFinite(since) ? since : 0) });
      }
      case 'DELETE /_admin/requests':
        admin.clearRequests();
        return send(res, 204);
      case 'GET /_admin/faults':
        return send(res, 200, admin.faults());
      case 'POST /_admin/faults': {
        // One rule, or {rules: [...], latency: {...}} to set several at once.
        const b = (body ?? {}) as { rules?: FaultRule[]; latency?: LatencyConfig };
        const rules = Array.isArray(b.rules) ? b.rules : b.latency !== undefined && b.rules === undefined ? [] : [body as FaultRule];
        const added = rules.map((r) => admin.addFault(r));
        if (b.latency !== undefined) admin.setLatency(b.latency);
        return send(res, 201, { rules: added, ...(b.latency !== undefined ? { latency: b.latency } : {}) });
      }
      case 'DELETE /_admin/faults':
        admin.clearFaults();
        return send(res, 204);
      case 'POST /_admin/replication-lag': {
        const ms = (body as { ms?: unknown } | undefined)?.ms;
        admin.setReplicationLag(typeof ms === 'number' ? ms : NaN);
        return send(res, 200, { replicationLagMs: ms });
      }
      case 'GET /_admin/mail':
        return send(res, 200, { value: admin.sentMail() });
      case 'GET /_admin/permissions': {
        const p = admin.permissions();
        return p ? send(res, 200, p) : problem(res, 404, 'NotEnforcing', 'This Graph stand-in enforces no permissions manifest.');
      }
      case 'PUT /_admin/permissions':
        admin.setPermissions((body as { manifest?: unknown } | undefined)?.manifest ?? body);
        return send(res, 200, { updated: true });
      case 'GET /_admin/recipients':
        return send(res, 200, { value: admin.recipients() });
      default:
        return problem(res, 404, 'NotFound', `No admin operation ${route}.`);
    }
  } catch (err) {
    if (err instanceof FixtureError) return problem(res, 400, 'InvalidFixture', err.message, err.problems);
    if (err instanceof ManifestError) return problem(res, 400, 'InvalidManifest', err.message, err.problems);
    if (err instanceof Error) return problem(res, 400, 'BadRequest', err.message);
    throw err;
  }
}
