import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from './context.js';

export interface RouteRequest {
  ctx: ServerContext;
  req: IncomingMessage;
  res: ServerResponse;
  /** Decoded path segments captured by the pattern's groups. */
  params: string[];
  url: URL;
}

export interface Route {
  method: string;
  /** Matched against the raw (still percent-encoded) path. */
  pattern: RegExp;
  handle(request: RouteRequest): Promise<void> | void;
}

export type RouteMatch = { route: Route; params: string[] } | { methodNotAllowed: true } | undefined;

/** Finds the route for a method and path; tells a wrong method apart from an unknown path. */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    try {
      return { route, params: m.slice(1).map((p) => (p === undefined ? '' : decodeURIComponent(p))) };
    } catch {
      return undefined;
    }
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
}
