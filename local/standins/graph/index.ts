import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import defaultTenant from './fixtures/default-tenant.json' with { type: 'json' };
import fabrikamTenant from './fixtures/fabrikam-tenant.json' with { type: 'json' };
import type { EntraDirectory } from '../identity/signin/directory.js';
import { handleAdmin } from './admin/admin-http.js';
import { createGraphAdmin, type GraphAdmin } from './admin/graph-admin.js';
import { GraphAuthorization, type GraphPermissionsOptions } from './authorization.js';
import { FaultInjector, type FaultRule, type LatencyConfig } from './faults.js';
import { GraphPipeline } from './pipeline.js';
import { RequestLog } from './request-log.js';
import { allRoutes, buildRouter } from './routes.js';
import type { TenantFixtureInput } from './tenant/fixture-schema.js';
import { parseTenantFixture } from './tenant/load-fixture.js';
import type { TenantState } from './tenant/state.js';
import { TenantHost } from './tenant/tenant-host.js';

/**
 * Microsoft Graph stand-in: a stateful local Graph (v1.0 and beta) over node:http, with an admin API
 * for tenant fixtures, the request log and fault injection. See docs/graph-stand-in.md.
 */

export type { GraphAdmin, GraphTenantAdmin, HostedTenantSummary, RecipientInfo } from './admin/graph-admin.js';
export type { FaultRule, LatencyConfig, ListedFaultRule } from './faults.js';
export type { RequestLogEntry } from './request-log.js';
export type { TenantFixture, TenantFixtureInput } from './tenant/fixture-schema.js';
export { FixtureError, parseTenantFixture } from './tenant/load-fixture.js';
export { GRAPH_AUDIENCES } from './pipeline.js';
export type { GraphPermissionsOptions } from './authorization.js';

export interface GraphStandInOptions {
  port?: number;
  host?: string;
  /** Tenant fixture (validated); defaults to fixtures/default-tenant.json. Customer mode: the one tenant. */
  tenant?: TenantFixtureInput;
  /**
   * msp mode: the tenants to host (the first is the default one of /_admin/tenant). Each token reaches only the
   * tenant its `tid` names; a token of a tenant not hosted is refused (401). Overrides `tenant`.
   */
  tenants?: TenantFixtureInput[];
  /**
   * msp mode: the Entra directory the sign-in stand-in serves (the same object). Hosted tenants are registered in it
   * (id, name, verified domains) and /servicePrincipals answers from it.
   */
  directory?: EntraDirectory;
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
   * The live tenant (the default one, or `tenantId`'s in msp mode), for another stand-in in the same process to
   * share (the Automation stand-in's Exchange model reads and writes mail facts through it,
   * docs/exchange-stand-in.md). A getter, because loading a fixture or resetting replaces the state object. Tests
   * arrange the tenant through `admin` instead. Throws for a tenant not hosted.
   */
  tenantState(tenantId?: string): TenantState;
  /** Ids of the hosted tenants (one in customer mode). */
  tenantIds(): string[];
}

/** The shipped default tenant (contoso), validated. */
export function defaultTenantFixture() {
  return parseTenantFixture(defaultTenant);
}

/** The shipped second tenant (Fabrikam) for msp mode: names that collide with Contoso's, so isolation shows. */
export function fabrikamTenantFixture() {
  return parseTenantFixture(fabrikamTenant);
}

export async function startGraphStandIn(opts: GraphStandInOptions = {}): Promise<GraphStandIn> {
  const multiTenant = opts.tenants !== undefined;
  const fixtures = (multiTenant ? (opts.tenants ?? []) : [opts.tenant ?? defaultTenant]).map((t) => parseTenantFixture(t));
  const tenants = new TenantHost(fixtures, multiTenant, opts.permissions ? new GraphAuthorization(opts.permissions) : undefined, opts.directory);
  // Rules are checked against the route table when added: one that can never match is named on stderr.
  const routeTable = allRoutes(() => Promise.reject(new Error('route table only')));
  const faults = new FaultInjector(routeTable, opts.onFaultWarning ?? ((message) => process.stderr.write(`graph stand-in: ${message}\n`)));
  for (const rule of opts.faults ?? []) faults.add(rule);
  if (opts.latency) faults.setLatency(opts.latency);
  const log = new RequestLog();
  const admin = createGraphAdmin(tenants, faults, log);
  if (opts.replicationLagMs) admin.setReplicationLag(opts.replicationLagMs);

  let pipeline: GraphPipeline | undefined;
  const router = buildRouter((sub, itemId) => {
    const ids = sub.requestIds;
    return (pipeline as GraphPipeline).execute(sub, ids, `/${sub.version}/${sub.segments.join('/')}`, { requestId: ids.requestId, itemId });
  });
  pipeline = new GraphPipeline({ stateFor: (tid) => tenants.stateFor(tid), multiTenant, router, faults, log, authorization: () => tenants.authorization });

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
    tenantState: (tenantId) => (tenantId === undefined ? tenants.defaultTarget() : tenants.target(tenantId)).state,
    tenantIds: () => tenants.targets().map((t) => t.state.tenantId),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
