import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord, readJson, sendJson } from '../../automation/http-io.js';
import { DirectoryError, type EntraDirectory, type FederatedCredential } from './directory.js';
import type { SignInLog } from './sign-in-log.js';

/**
 * /_admin of the sign-in stand-in (local only, no auth): set up the Entra side of msp mode in tests and scripts.
 * The typed client is `tenantAdmin(url)` in admin-client.ts.
 */

function problem(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { code: status === 404 ? 'NotFound' : 'BadRequest', message } });
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

export async function handleSignInAdmin(directory: EntraDirectory, log: SignInLog, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const body = ['POST', 'PUT', 'DELETE'].includes(method) ? await readJson(req) : undefined;
  if (body instanceof SyntaxError) return problem(res, 400, 'The request body is not valid JSON.');
  const b = isRecord(body) ? body : {};
  const parts = path.split('/').filter(Boolean).slice(1).map(decodeURIComponent); // drop "_admin"
  try {
    const [first, tid, op, extra] = parts;
    if (method === 'GET' && first === 'directory' && parts.length === 1) return sendJson(res, 200, directory.snapshot());
    if (first === 'requests' && parts.length === 1) {
      if (method === 'GET') return sendJson(res, 200, { value: log.list() });
      if (method === 'DELETE') {
        log.clear();
        res.writeHead(204).end();
        return;
      }
    }
    if (first === 'apps' && parts.length === 1 && method === 'POST') {
      const appId = b.appId;
      const homeTenantId = b.homeTenantId;
      if (typeof appId !== 'string' || typeof homeTenantId !== 'string') return problem(res, 400, 'appId and homeTenantId are required.');
      const fics = Array.isArray(b.federatedCredentials) ? (b.federatedCredentials as FederatedCredential[]) : [];
      return sendJson(res, 201, directory.registerApp({ appId, homeTenantId, displayName: typeof b.displayName === 'string' ? b.displayName : 'Thread intent runner', federatedCredentials: fics }));
    }
    if (first === 'tenants') {
      if (parts.length === 1 && method === 'GET') return sendJson(res, 200, { value: directory.tenants() });
      if (parts.length === 1 && method === 'POST') {
        if (typeof b.tenantId !== 'string' || !Array.isArray(b.domains)) return problem(res, 400, 'tenantId and domains are required.');
        return sendJson(res, 201, directory.upsertTenant({ tenantId: b.tenantId, displayName: typeof b.displayName === 'string' ? b.displayName : b.tenantId, domains: b.domains as never }));
      }
      if (tid && parts.length === 2 && method === 'DELETE') {
        return directory.removeTenant(tid) ? void res.writeHead(204).end() : problem(res, 404, `No tenant ${tid}.`);
      }
      if (tid && op === 'service-principals' && parts.length === 3 && method === 'GET') return sendJson(res, 200, { value: directory.servicePrincipals(tid) });
      if (tid && op === 'consent' && parts.length === 3 && method === 'POST') {
        if (typeof b.appId !== 'string') return problem(res, 400, 'appId is required.');
        const graph = strings(b.graphRoles);
        const exchange = strings(b.exchangeRoles);
        const sp = graph || exchange ? directory.consent(tid, b.appId, { graph: graph ?? [], exchange: exchange ?? [] }) : directory.consent(tid, b.appId);
        return sendJson(res, 200, sp);
      }
      if (tid && op === 'consent' && extra && parts.length === 4 && method === 'DELETE') {
        return directory.revoke(tid, extra) ? void res.writeHead(204).end() : problem(res, 404, `The app ${extra} has no service principal in tenant ${tid}.`);
      }
      if (tid && op === 'directory-roles' && parts.length === 3 && (method === 'POST' || method === 'DELETE')) {
        const roles = strings(b.roles);
        if (typeof b.appId !== 'string' || !roles) return problem(res, 400, 'appId and roles (directory role names) are required.');
        return sendJson(res, 200, method === 'POST' ? directory.assignDirectoryRoles(tid, b.appId, roles) : directory.removeDirectoryRoles(tid, b.appId, roles));
      }
    }
    return problem(res, 404, `No admin operation ${method} ${path}.`);
  } catch (err) {
    if (err instanceof DirectoryError) return problem(res, 400, err.message);
    throw err;
  }
}
