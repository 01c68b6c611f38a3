import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyEasyAuth } from './easy-auth.js';
import { invokeHttp, invokeTimer, type HostLog } from './invoke.js';
import { collectRegistrations, importRegistrations } from './registrations.js';
import { compileRoute, type RouteMatcher } from './routes.js';

/**
 * Hosts the helpers' registrations locally (`/api/<route>`) without the Azure Functions worker, in
 * front of an Easy Auth emulation, so workflows and tests call helpers exactly as in Azure:
 * managed-identity token in, x-ms-client-principal-id for the function.
 * Non-HTTP functions (the ledger purge timer) can be run on demand with
 * POST /admin/functions/<name> and the master key, as on a real Functions host.
 */
export interface FunctionsHostOptions {
  port?: number;
  /** App settings for the functions; applied to process.env while the host runs. */
  env?: Record<string, string>;
  /** Audience (application id URI) tokens must carry, like Easy Auth's allowed audience. */
  allowedAudience: string;
  /** Module exports holding the registrations; defaults to lib/functions/index.ts. */
  functions?: Record<string, unknown>;
  /** Function log sink; defaults to warnings and errors on stderr. */
  log?: HostLog;
}

export interface FunctionsHost {
  url: string;
  /** Key for POST /admin/functions/<name> (x-functions-key header). */
  masterKey: string;
  /** Names of the HTTP functions served. */
  functions: string[];
  stop(): Promise<void>;
}

const defaultLog: HostLog = (level, fn, ...args) => {
  if (level === 'warning' || level === 'error' || level === 'critical') process.stderr.write(`[${fn}] ${level}: ${args.map(String).join(' ')}\n`);
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

export async function startFunctionsHost(options: FunctionsHostOptions): Promise<FunctionsHost> {
  const previousEnv = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(options.env ?? {})) {
    previousEnv.set(key, process.env[key]);
    process.env[key] = value;
  }
  const { http, timers } = options.functions
    ? collectRegistrations(options.functions)
    : await importRegistrations(() => import('../../lib/functions/index.js') as Promise<Record<string, unknown>>);
  const routes: Array<{ name: string; matcher: RouteMatcher; methods: string[] }> = [...http].map(([name, fn]) => ({
    name,
    matcher: compileRoute(fn.route ?? name),
    methods: (fn.methods ?? ['GET', 'POST']).map((m) => m.toUpperCase()),
  }));
  const masterKey = randomBytes(24).toString('base64url');
  const log = options.log ?? defaultLog;

  const handle = async (req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);

    const admin = /^\/admin\/functions\/([^/]+)$/.exec(url.pathname);
    if (admin && method === 'POST') {
      if (req.headers['x-functions-key'] !== masterKey) return send(res, 401, 'Unauthorized');
      const timer = timers.get(decodeURIComponent(admin[1] as string));
      if (!timer) return send(res, 404, 'Not Found');
      await invokeTimer(decodeURIComponent(admin[1] as string), timer, log);
      return send(res, 202, '');
    }
    if (!url.pathname.toLowerCase().startsWith('/api/')) return send(res, 404, 'Not Found');

    const auth = applyEasyAuth(req.headers, options.allowedAudience);
    if (!auth.ok) {
      return send(res, 401, 'You do not have permission to view this directory or page.', {
        'WWW-Authenticate': `Bearer realm="${url.host}", error="invalid_token"`,
      });
    }
    const path = url.pathname.slice('/api/'.length);
    let matched: { name: string; params: Record<string, string> } | undefined;
    for (const route of routes) {
      const params = route.matcher.match(path);
      if (params && route.methods.includes(method)) {
        matched = { name: route.name, params };
        break;
      }
    }
    if (!matched) return send(res, 404, 'Not Found');
    const fn = http.get(matched.name);
    if (!fn) return send(res, 404, 'Not Found');
    try {
      const result = await invokeHttp(matched.name, fn, { method, url: url.toString(), headers: auth.headers, params: matched.params, body }, log);
      res.statusCode = result.status;
      for (const [name, value] of result.headers) res.setHeader(name, value);
      if (result.cookies.length) res.setHeader('Set-Cookie', result.cookies);
      res.end(result.body);
    } catch (err) {
      // As the Functions host: an unhandled exception is a bare 500; details go to the log only.
      log('error', matched.name, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      if (!res.headersSent) send(res, 500, '');
      else res.end();
    }
  };

  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    handle(req, res, origin).catch((err: unknown) => {
      log('error', 'host', err instanceof Error ? err.message : String(err));
      if (!res.headersSent) send(res, 500, '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    masterKey,
    functions: [...http.keys()],
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => {
          for (const [key, value] of previousEnv) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
          }
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}
