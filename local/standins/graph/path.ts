import { errors } from './errors.js';

/**
 * Splits a Graph resource path into decoded segments.
 *
 * - Each segment is %-decoded on its own, so an encoded '/' or '#' (%2F, %23) stays inside it.
 * - The key form `users('$x@y.com')` becomes ['users', '$x@y.com'] ('' inside the quotes is a quote);
 *   it is the only way to address a UPN that starts with '$' (https://learn.microsoft.com/graph/api/user-get, tip).
 * - A bare segment starting with '$' that is not a system segment is refused as Graph does.
 */
const SYSTEM_SEGMENTS = new Set(['$ref', '$count', '$batch', '$value', '$metadata']);

export function splitResourcePath(rawPath: string): string[] {
  const out: string[] = [];
  for (const raw of rawPath.split('/')) {
    if (raw === '') continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      throw errors.badRequest(`Invalid URI: the path segment '${raw}' is not correctly encoded.`);
    }
    const key = /^([A-Za-z]+)\('(.*)'\)$/s.exec(decoded);
    if (key?.[1] && key[2] !== undefined) {
      out.push(key[1], key[2].replace(/''/g, "'"));
      continue;
    }
    // Alternate key `servicePrincipals(appId='…')` (serviceprincipal-get): kept as one `appId='…'` segment.
    const alternate = /^([A-Za-z]+)\(([A-Za-z]+)='(.*)'\)$/s.exec(decoded);
    if (alternate?.[1] && alternate[2] && alternate[3] !== undefined) {
      out.push(alternate[1], `${alternate[2]}='${alternate[3].replace(/''/g, "'")}'`);
      continue;
    }
    if (decoded.startsWith('$') && !SYSTEM_SEGMENTS.has(decoded.toLowerCase())) throw errors.segmentNotFound(decoded);
    out.push(decoded);
  }
  return out;
}

/** Query options keyed by lower-cased name; '+' means space as in form encoding. */
export function parseQuery(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        throw errors.badRequest(`Invalid URI: the query option '${s}' is not correctly encoded.`);
      }
    };
    const key = decode(rawKey).toLowerCase();
    if (out.has(key) && key.startsWith('$')) throw errors.badRequest(`Query option '${key}' was specified more than once, but it must be specified at most once.`);
    out.set(key, decode(rawValue));
  }
  return out;
}
