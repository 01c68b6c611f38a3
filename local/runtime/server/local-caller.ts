import type { IncomingMessage } from 'node:http';
import { isJsonMediaType } from '../engine/content.js';

/** Why a request to the management API or run-history page was refused, as the caller is told. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The names a browser on this machine uses for the runtime: its loopback names with its port. */
export function ownHostNames(port: number, baseUrl: string): Set<string> {
  const names = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  try {
    names.add(new URL(baseUrl).host.toLowerCase());
  } catch {
    // baseUrl is always set once the server listens.
  }
  return names;
}

/**
 * Guards the management API and the run-history page against web pages in the user's browser
 * (the Request trigger endpoint is not guarded: any client may post to a signed trigger URL):
 * - DNS rebinding: a page on evil.example re-pointed at 127.0.0.1 sends `Host: evil.example:<port>`;
 *   only the runtime's own loopback names are answered (421 otherwise).
 * - Cross-site calls: a browser names the calling page in `Origin`; only the runtime's own page is
 *   accepted (403 otherwise).
 * - Cross-site "simple" POSTs (form or text/plain bodies need no CORS preflight): state-changing calls
 *   must carry a JSON content type, which a foreign page cannot send without a preflight this server
 *   never approves (403 otherwise).
 * A caller presenting a bearer token is judged by its token instead (management-auth.ts); a browser
 * page cannot attach one it does not hold.
 */
export function refuseForeignCaller(req: IncomingMessage, ownHosts: Set<string>): Refusal | undefined {
  if (req.headers.authorization) return undefined;
  const host = (req.headers.host ?? '').toLowerCase();
  if (!ownHosts.has(host)) {
    return {
      status: 421,
      code: 'MisdirectedRequest',
      message: `This local runtime answers its management API and run-history page only as ${[...ownHosts].map((h) => `http://${h}`).join(', ')}; the request named the host '${req.headers.host ?? ''}'. Open the run-history page with one of those addresses.`,
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    return {
      status: 403,
      code: 'CrossOriginRequestRefused',
      message: `The management API only answers its own run-history page; a page from '${origin}' may not call it.`,
    };
  }
  const method = (req.method ?? 'GET').toUpperCase();
  if (!SAFE_METHODS.has(method) && !isJsonMediaType(req.headers['content-type'])) {
    return {
      status: 403,
      code: 'JsonContentTypeRequired',
      message: `A ${method} to the management API must send 'Content-Type: application/json' (a bearer token also works); a form or plain-text post could come from another web site.`,
    };
  }
  return undefined;
}
