import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HistoryStore, WorkflowEngine } from '../model.js';
import { AccessKeys } from './access-keys.js';
import { callbackUrl, isRequestTrigger } from './callback-url.js';
import { findWorkflow, type ServerContext } from './context.js';
import { sendError } from './http-io.js';
import { refuseForeignCaller, ownHostNames } from './local-caller.js';
import { managementCallerAllowed } from './management-auth.js';
import { operationRoutes } from './management/operation-routes.js';
import { MANAGEMENT_PREFIX } from './management/paths.js';
import { runRoutes } from './management/run-routes.js';
import { workflowRoutes } from './management/workflow-routes.js';
import { runHistoryPage } from './page/run-history-page.js';
import { matchRoute, type Route } from './router.js';
import { triggerRoutes } from './trigger-endpoint.js';

/** Logic Apps' limit on a request message (100 MB). */
export const MAX_TRIGGER_BODY_BYTES = 100 * 1024 * 1024;

export interface RuntimeServerOptions {
  engine: WorkflowEngine;
  history: HistoryStore;
  /** Where keys.json (the workflows' SAS access keys) lives. */
  dataDir: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  maxBodyBytes?: number;
}

export interface RuntimeServer {
  url: string;
  keys: AccessKeys;
  /** Signed invoke URL of a workflow's Request trigger. */
  triggerUrl(workflow: string, trigger?: string): string;
  /** workflow name -> signed invoke URL, for every workflow with a Request trigger. */
  callbackUrls(): Record<string, string>;
  runHistoryUrl: string;
  /** Stops accepting connections; resolves once open ones have ended (in-flight trigger calls may still complete). */
  close(): Promise<void>;
  /** Drops every connection still open, e.g. a caller still waiting after runs were drained. */
  forceClose(): void;
}

const managementRoutes: Route[] = [...operationRoutes, ...workflowRoutes, ...runRoutes];

const pageRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/$/,
    handle: ({ res }) => {
      res.writeHead(302, { location: '/runs', 'content-length': '0' });
      res.end();
    },
  },
  {
    method: 'GET',
    pattern: /^\/runs(?:\/([^/]+)\/([^/]+))?\/?$/,
    handle: ({ res }) => {
      const html = runHistoryPage();
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': String(Buffer.byteLength(html)),
        // The page is self-contained: nothing but its own inline script/style and same-origin API calls.
        'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      res.end(html);
    },
  },
];

async function dispatch(ctx: ServerContext, ownHosts: Set<string>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', ctx.baseUrl());
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const isManagement = path === MANAGEMENT_PREFIX || path.startsWith(`${MANAGEMENT_PREFIX}/`);
  const isTrigger = !isManagement && path.startsWith('/api/');
  const routes = isManagement ? managementRoutes : isTrigger ? triggerRoutes : pageRoutes;
  // Trigger URLs take posts from anywhere (they are signed); the rest is for this machine's own page and tools.
  if (!isTrigger) {
    const refusal = refuseForeignCaller(req, ownHosts);
    if (refusal) return sendError(res, refusal.status, refusal.code, refusal.message);
  }
  if (isManagement && !managementCallerAllowed(req)) {
    return req.headers.authorization
      ? sendError(res, 401, 'InvalidAuthenticationToken', 'The access token is invalid.')
      : sendError(res, 401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
  }
  const match = matchRoute(routes, method, path);
  if (!match) return sendError(res, 404, 'NotFound', `No resource at '${path}'.`);
  if ('methodNotAllowed' in match) return sendError(res, 405, 'MethodNotAllowed', `The method '${method}' is not allowed on '${path}'.`);
  await match.route.handle({ ctx, req, res, params: match.params, url });
}

/** Starts the runtime's HTTP server: trigger endpoints, management API and run-history page. */
export async function startRuntimeServer(options: RuntimeServerOptions): Promise<RuntimeServer> {
  const keys = await AccessKeys.open(options.dataDir);
  await keys.ensure(options.engine.project.workflows.keys());
  let baseUrl = '';
  const ctx: ServerContext = {
    engine: options.engine,
    history: options.history,
    keys,
    baseUrl: () => baseUrl,
    maxBodyBytes: options.maxBodyBytes ?? MAX_TRIGGER_BODY_BYTES,
    accepting: true,
  };
  let ownHosts = new Set<string>();
  const server: Server = createServer((req, res) => {
    dispatch(ctx, ownHosts, req, res).catch((err: unknown) => {
      // Never echo internals (they may quote request data); the message stays generic.
      process.stderr.write(`runtime server: ${req.method ?? ''} ${(req.url ?? '').split('?')[0] ?? ''} failed: ${err instanceof Error ? err.message : String(err)}\n`);
      if (!res.headersSent) sendError(res, 500, 'InternalServerError', 'The server encountered an internal error.');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  baseUrl = `http://${publicHost}:${port}`;
  ownHosts = ownHostNames(port, baseUrl);

  const triggerUrl = (workflow: string, trigger?: string): string => {
    const wf = findWorkflow(ctx, workflow);
    if (!wf) throw new Error(`Unknown workflow '${workflow}'.`);
    if (trigger !== undefined && trigger !== wf.triggerName) throw new Error(`Workflow '${workflow}' has no trigger '${trigger}'.`);
    return callbackUrl(baseUrl, wf, keys).value;
  };

  return {
    url: baseUrl,
    keys,
    triggerUrl,
    callbackUrls: () => {
      const out: Record<string, string> = {};
      for (const wf of options.engine.project.workflows.values()) if (isRequestTrigger(wf)) out[wf.name] = callbackUrl(baseUrl, wf, keys).value;
      return out;
    },
    runHistoryUrl: `${baseUrl}/runs`,
    close: () => {
      ctx.accepting = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      return closed;
    },
    forceClose: () => server.closeAllConnections(),
  };
}
