import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import defaultTenant from './fixtures/default-tenant.json' with { type: 'json' };
import { handleAdmin } from './admin/admin-http.js';
import { createGraphAdmin, type AdminTarget, type GraphAdmin } from './admin/graph-admin.js';
import { GraphAuthorization, type GraphPermissionsOptions } from './authorization.js';
import { FaultInjector, type FaultRule, type LatencyConfig } from './faults.js';
import { GraphPipeline } from './pipeline.js';
import { RequestLog } from './request-log.js';
import { allRoutes, buildRouter } from './routes.js';
import type { TenantFixtureInput } from './tenant/fixture-schema.js';
import { parseTenantFixture } from './tenant/load-fixture.js';
import { TenantState } from './tenant/state.js';

/**
 * Microsoft Graph stand-in: a stateful local Graph (v1.0 and beta) over node:http, with an admin API
 * for tenant fixtures, the request log and fault injection. See docs/graph-stand-in.md.
 */

export type { GraphAdmin, RecipientInfo } from './admin/graph-admin.js';
export type { FaultRule, LatencyConfig, ListedFaultRule } from './faults.js';
export type { RequestLogEntry } from './request-log.js';
export type { TenantFixture, TenantFixtureInput } from './tenant/fixture-schema.js';
export { FixtureError, parseTenantFixture } from './tenant/load-fixture.js';
export { GRAPH_AUDIENCES } from './pipeline.js';
export type { GraphPermissionsOptions } from './authorization.js';

export interface GraphStandInOptions {
  port?: number;
  host?: string;
  /** Tenant fixture (validated); defaults to fixtures/default-tenant.json. */
  tenant?: TenantFixtureInput;
  faults?: FaultRule[];
  latency?: LatencyConfig;
  /** Directory replication lag in ms (default 0): see GraphAdmin.setReplicationLag. */
  replicationLagMs?: number;
  /**
   * Enforce a permissions manifest (infra/permissions.json): each call needs the permission Microsoft
   * documents for it. Without it every token may do everything (unit tests of other parts).
   */
  permissions?: GraphPermissionsOptions;
  /** Where warnings about fault rules that can never match go; default stderr. */
  onFaultWarning?: (message: string) => void;
}

export interface GraphStandIn {
  /** Base URL without /v1.0, e.g. http://127.0.0.1:7081 */
  url: string;
  stop(): Promise<void>;
  admin: GraphAdmin;
  /** Fault rules no call has matched yet, with a line saying why (`npm start` prints them when it stops). */
  unmatchedRules(): ReturnType<FaultInjector['unmatchedRules']>;
  /**
   * The live tenant, for another stand-in in the same process to share (the Automation stand-in's Exchange
   * model reads and writes mail facts through it, docs/exchange-stand-in.md). A getter, because loading a
   * fixture or resetting replaces the state object. Tests arrange the tenant through `admin` instead.
   */
  tenantState(): TenantState;
}

/** The shipped default tenant (contoso), validated. */
export function defaultTenantFixture() {
  return parseTenantFixture(defaultTenant);
}

export async function startGraphStandIn(opts: GraphStandInOptions = {}): Promise<GraphStandIn> {
  const fixture = parseTenantFixture(opts.tenant ?? defaultTenant);
  const target: AdminTarget = {
    fixture,
    state: new TenantState(fixture),
    replicationLagMs: 0,
    ...(opts.permissions ? { authorization: new GraphAuthorization(opts.permissions) } : {}),
  };
  // Rules are checked against the route table when added: one that can never match is named on stderr.
  const routeTable = allRoutes(() => Promise.reject(new Error('route table only')));
  const faults = new FaultInjector(routeTable, opts.onFaultWarning ?? ((message) => process.stderr.write(`graph stand-in: ${message}\n`)));
  for (const rule of opts.faults ?? []) faults.add(rule);
  if (opts.latency) faults.setLatency(opts.latency);
  const log = new RequestLog();
  const admin = createGraphAdmin(target, faults, log);
  if (opts.replicationLagMs) admin.setReplicationLag(opts.replicationLagMs);

  let pipeline: GraphPipeline | undefined;
  const router = buildRouter((sub, itemId) => {
    const ids = sub.requestIds;
    return (pipeline as GraphPipeline).execute(sub, ids, `/${sub.version}/${sub.segments.join('/')}`, { requestId: ids.requestId, itemId });
  });
  pipeline = new GraphPipeline({ state: () => target.state, router, faults, log, authorization: () => target.authorization });

  const host = opts.host ?? '127.0.0.1';
  let publicBase = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const work = path === '/_admin' || path.startsWith('/_admin/')
      ? handleAdmin(admin, req, res)
      : /^\/(v1\.0|beta)(\/|$)/.test(path)
        ? (pipeline as GraphPipeline).handle(req, res, publicBase)
        : Promise.resolve().then(() => {
            res.statusCode = 404;
            res.setHeader('Content-Type', 'application/json');
            res.end(JSON.stringify({ error: { code: 'NotFound', message: `Unknown API version or path '${path}'. Use /v1.0 or /beta.` } }));
          });
    work.catch((err: unknown) => {
      process.stderr.write(`graph stand-in: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  publicBase = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: publicBase,
    admin,
    unmatchedRules: () => faults.unmatchedRules(),
    tenantState: () => target.state,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
