import { createServer, type Server } from 'node:http';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { oneTimeLinkPage, oneTimeLinkReveal } from '../../../lib/functions/one-time-link.js';

/**
 * Serves the two one-time-link functions on 127.0.0.1 (free port) by routing to their exported
 * handlers, so a real browser can exercise the page. A test double for the functions host, limited to
 * these two routes.
 */
export async function serveLinkFunctions(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const reveal = /^\/api\/secret\/([^/]+)\/reveal$/.exec(url.pathname);
        const page = /^\/api\/secret\/([^/]+)$/.exec(url.pathname);
        const route = reveal && req.method === 'POST' ? { fn: oneTimeLinkReveal, id: reveal[1] } : page && req.method === 'GET' ? { fn: oneTimeLinkPage, id: page[1] } : undefined;
        if (!route) {
          res.writeHead(404).end();
          return;
        }
        const request = new HttpRequest({
          method: req.method ?? 'GET',
          url: url.toString(),
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
          params: { id: decodeURIComponent(route.id ?? '') },
          body: { string: Buffer.concat(chunks).toString('utf8') },
        });
        const response = await route.fn.handler(request, new InvocationContext());
        const headers = (response.headers ?? {}) as Record<string, string>;
        const body = response.jsonBody !== undefined ? JSON.stringify(response.jsonBody) : String(response.body ?? '');
        res.writeHead(response.status ?? 200, headers).end(body);
      })().catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
