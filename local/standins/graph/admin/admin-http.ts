import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRule, LatencyConfig } from '../faults.js';
import { ManifestError } from '../../../../lib/permissions/manifest.js';
import { FixtureError } from '../tenant/load-fixture.js';
import type { GraphAdmin, GraphTenantAdmin } from './graph-admin.js';

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
    const perTenant = /^(GET|POST|DELETE) \/_admin\/tenants(?:\/([^/]+)(?:\/([a-z-]+))?)?$/.exec(route);
    if (perTenant) return tenantsRoute(admin, res, perTenant[1] as string, perTenant[2] && decodeURIComponent(perTenant[2]), perTenant[3], body);
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

/**
 * msp mode's hosted tenants: GET/POST /_admin/tenants, DELETE /_admin/tenants/{tid}, and per tenant
 * /_admin/tenants/{tid}/{tenant|reset|mail|recipients|replication-lag} with the default-tenant routes' shapes.
 */
function tenantsRoute(admin: GraphAdmin, res: ServerResponse, method: string, tid: string | undefined, op: string | undefined, body: unknown): void {
  if (!tid) {
    if (method === 'GET') return send(res, 200, { value: admin.tenants() });
    if (method === 'POST') {
      admin.addTenant(body);
      return send(res, 201, { value: admin.tenants() });
    }
    return problem(res, 405, 'MethodNotAllowed', `${method} /_admin/tenants is not an admin operation.`);
  }
  if (!admin.tenants().some((t) => t.tenantId.toLowerCase() === tid.toLowerCase())) return problem(res, 404, 'TenantNotHosted', `This Graph stand-in hosts no tenant ${tid}.`);
  if (!op) {
    if (method !== 'DELETE') return problem(res, 405, 'MethodNotAllowed', `${method} /_admin/tenants/${tid} is not an admin operation.`);
    admin.removeTenant(tid);
    return send(res, 204);
  }
  const t: GraphTenantAdmin = admin.forTenant(tid);
  switch (`${method} ${op}`) {
    case 'GET tenant':
      return send(res, 200, t.tenant());
    case 'POST tenant': {
      t.loadTenant(body);
      const f = t.tenant();
      return send(res, 200, { loaded: true, users: f.users.length, groups: f.groups.length });
    }
    case 'POST reset':
      t.reset();
      return send(res, 200, { reset: true });
    case 'GET mail':
      return send(res, 200, { value: t.sentMail() });
    case 'GET recipients':
      return send(res, 200, { value: t.recipients() });
    case 'POST replication-lag': {
      const ms = (body as { ms?: unknown } | undefined)?.ms;
      t.setReplicationLag(typeof ms === 'number' ? ms : NaN);
      return send(res, 200, { replicationLagMs: ms });
    }
    default:
      return problem(res, 404, 'NotFound', `No admin operation ${method} /_admin/tenants/${tid}/${op}.`);
  }
}
