import { errors } from './errors.js';
import type { GraphCall, GraphResult, RouteHandler, RouteParams } from './http-types.js';

/**
 * Segment-pattern router. Patterns look like 'users/{user}/authentication/phoneMethods/{id}';
 * literal segments match case-insensitively as Graph's do. A path that matches with another
 * method gets 405; a path nothing matches gets Graph's "Resource not found for the segment".
 */
export interface Route {
  method: string;
  pattern: string;
  handler: RouteHandler;
}

interface CompiledRoute extends Route {
  parts: string[];
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(routes: readonly Route[]): this {
    for (const r of routes) this.routes.push({ ...r, parts: r.pattern.split('/').filter(Boolean) });
    return this;
  }

  private match(parts: string[], segments: string[]): RouteParams | undefined {
    if (parts.length !== segments.length) return undefined;
    const params: RouteParams = {};
    for (let i = 0; i < parts.length; i += 1) {
      const p = parts[i] as string;
      const s = segments[i] as string;
      if (p.startsWith('{') && p.endsWith('}')) params[p.slice(1, -1)] = s;
      else if (p.toLowerCase() !== s.toLowerCase()) return undefined;
    }
    return params;
  }

  /** How many leading segments some route accepts, to name the first unknown one. */
  private matchedPrefix(segments: string[]): number {
    let best = 0;
    for (const r of this.routes) {
      let i = 0;
      while (i < r.parts.length && i < segments.length) {
        const p = r.parts[i] as string;
        const ok = (p.startsWith('{') && p.endsWith('}')) || p.toLowerCase() === (segments[i] as string).toLowerCase();
        if (!ok) break;
        i += 1;
      }
      best = Math.max(best, i);
    }
    return best;
  }

  async dispatch(call: GraphCall): Promise<GraphResult> {
    let methodMismatch = false;
    for (const r of this.routes) {
      const params = this.match(r.parts, call.segments);
      if (!params) continue;
      if (r.method !== call.method) {
        methodMismatch = true;
        continue;
      }
      return r.handler(call, params);
    }
    if (methodMismatch) throw errors.methodNotAllowed();
    const at = this.matchedPrefix(call.segments);
    throw errors.segmentNotFound(call.segments[at] ?? call.segments[call.segments.length - 1] ?? '');
  }
}
