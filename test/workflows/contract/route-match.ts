import { parseTemplate, type ExpressionNode } from '../../../local/runtime/expressions/index.js';
import type { RegisteredRoute } from './function-routes.js';

/**
 * Matches an Http action's URI (a WDL template) against the helper route templates. Parts computed
 * at run time (`@{...}`) match any text, so `/api/idempotency/@{body('x')?['record']}` is accepted
 * when some registered route could be what it evaluates to.
 */
const DYNAMIC = '\u0000';

function isParameterCall(node: ExpressionNode, parameter: string): boolean {
  if (node.kind !== 'call' || node.name.toLowerCase() !== 'parameters' || node.dereferences.length > 0) return false;
  const arg = node.args[0];
  return node.args.length === 1 && arg?.kind === 'literal' && arg.value === parameter;
}

/**
 * The URI with `@{parameters('<base>')}` removed from its start, run-time parts replaced by a marker,
 * query string dropped; undefined when the URI does not start with that base parameter.
 */
export function pathAfterBase(uri: string, baseParameter: string): string | undefined {
  let template;
  try {
    template = parseTemplate(uri);
  } catch {
    return undefined;
  }
  if (template.kind !== 'interpolation') return undefined;
  const [first, ...rest] = template.segments;
  if (!first || first.kind !== 'expression' || !isParameterCall(first.expression, baseParameter)) return undefined;
  const path = rest.map((s) => (s.kind === 'text' ? s.text : DYNAMIC)).join('');
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

/** True when the string mentions `parameters('<name>')` at its very start (either template form). */
export function startsWithParameter(uri: string, parameter: string): boolean {
  return pathAfterBase(uri, parameter) !== undefined || uri.replace(/\s+/g, '').startsWith(`@parameters('${parameter}')`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function segmentMatches(template: string, actual: string): boolean {
  if (template.startsWith('{') && template.endsWith('}')) return actual.length > 0;
  if (!actual.includes(DYNAMIC)) return template.toLowerCase() === actual.toLowerCase();
  const pattern = actual.split(DYNAMIC).map(escapeRegExp).join('.+');
  return new RegExp(`^${pattern}$`, 'i').test(template);
}

function routeMatches(route: string, actual: string[]): boolean {
  const template = route.split('/').filter((s) => s !== '');
  for (let i = 0; i < template.length; i++) {
    const t = template[i] as string;
    if (t.startsWith('{*')) return actual.length > i;
    const a = actual[i];
    if (a === undefined) return template.slice(i).every((rest) => /^\{[^}]*\?\}$/.test(rest));
    if (!segmentMatches(t, a)) return false;
  }
  return actual.length === template.length;
}

/** Registered routes this path (after the base URL) and method could reach. */
export function matchingRoutes(path: string, method: string, routePrefix: string, routes: readonly RegisteredRoute[]): { byPath: RegisteredRoute[]; byPathAndMethod: RegisteredRoute[] } {
  const segments = path.split('/').filter((s) => s !== '');
  const prefix = routePrefix.split('/').filter((s) => s !== '');
  const head = segments.slice(0, prefix.length);
  if (head.length !== prefix.length || !head.every((s, i) => s.toLowerCase() === (prefix[i] as string).toLowerCase())) {
    return { byPath: [], byPathAndMethod: [] };
  }
  const actual = segments.slice(prefix.length);
  const byPath = routes.filter((r) => routeMatches(r.route, actual));
  return { byPath, byPathAndMethod: byPath.filter((r) => r.methods.includes(method.toUpperCase())) };
}

export function displayPath(path: string): string {
  return path.split(DYNAMIC).join('@{…}');
}
