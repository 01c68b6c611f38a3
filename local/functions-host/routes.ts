/**
 * Azure Functions route templates ("status/{ticketId}/{key}", "items/{id?}", "files/{*path}",
 * "users/{id:int}") compiled to matchers. Matching is case-insensitive on literals, as in the host.
 */
export interface RouteMatcher {
  template: string;
  match(path: string): Record<string, string> | undefined;
}

interface Segment {
  literal?: string;
  param?: string;
  optional?: boolean;
  catchAll?: boolean;
  constraint?: string;
}

function parseSegment(text: string): Segment {
  const m = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?(\?)?\}$/.exec(text);
  if (!m) return { literal: text.toLowerCase() };
  return { param: m[2] as string, catchAll: m[1] === '*', constraint: m[3], optional: m[4] === '?' };
}

function satisfies(constraint: string | undefined, value: string): boolean {
  switch (constraint) {
    case undefined:
      return true;
    case 'int':
    case 'long':
      return /^-?\d+$/.test(value);
    case 'guid':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
    case 'alpha':
      return /^[A-Za-z]+$/.test(value);
    case 'bool':
      return /^(true|false)$/i.test(value);
    default:
      return true;
  }
}

export function compileRoute(template: string): RouteMatcher {
  const segments = template.replace(/^\/+|\/+$/g, '').split('/').filter(Boolean).map(parseSegment);
  return {
    template,
    match(path) {
      const parts = path.replace(/^\/+|\/+$/g, '').split('/').filter(Boolean);
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const seg = segments[i] as Segment;
        const part = parts[i];
        if (seg.catchAll && seg.param) {
          params[seg.param] = parts.slice(i).map(decodeURIComponent).join('/');
          return params;
        }
        if (part === undefined) {
          if (seg.optional) continue;
          return undefined;
        }
        if (seg.literal !== undefined) {
          if (decodeURIComponent(part).toLowerCase() !== seg.literal) return undefined;
        } else if (seg.param) {
          let value: string;
          try {
            value = decodeURIComponent(part);
          } catch {
            return undefined;
          }
          if (!satisfies(seg.constraint, value)) return undefined;
          params[seg.param] = value;
        }
      }
      return parts.length <= segments.length ? params : undefined;
    },
  };
}
