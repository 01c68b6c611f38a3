import { errors } from '../errors.js';
import { contextUrl, type GraphCall, type GraphResult } from '../http-types.js';
import { evaluateFilter } from './filter-eval.js';
import { parseFilter } from './filter-parser.js';
import { analyzeFilter, type FilterRules } from './filter-rules.js';
import { decodeSkipToken, nextLinkQuery, parseTop } from './paging.js';
import { parseSelect, project, refuseOnCollection } from './select.js';

/**
 * Serves a directory collection with Graph's query-option rules: $filter (plain vs advanced),
 * $search, $orderby, $count, $top, $select and $skiptoken paging.
 */
export interface CollectionSpec {
  /** Context fragment: 'users', 'groups', 'directoryObjects'. */
  contextName: string;
  rules: FilterRules;
  /** Every selectable property name. */
  selectable: readonly string[];
  defaults: readonly string[];
  /** Properties refused in $select on this collection (501). */
  refusedInCollection?: readonly string[];
  /** Properties $orderby accepts. */
  orderable: readonly string[];
  defaultPageSize: number;
  /** Mixed collections (members, memberOf) tag each item with @odata.type. */
  typed?: boolean;
}

export interface CollectionItem {
  view: Record<string, unknown>;
  odataType?: string;
  /** Default properties of this item's type (mixed collections); else the spec's. */
  defaults?: readonly string[];
}

/** True when the request carries what advanced queries need. */
export function isAdvancedQuery(call: GraphCall): boolean {
  return (call.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual' && (call.query.get('$count') ?? '').toLowerCase() === 'true';
}

function applySearch(call: GraphCall, items: CollectionItem[]): CollectionItem[] {
  const search = call.query.get('$search');
  if (search === undefined) return items;
  if ((call.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') throw errors.searchNeedsHeader();
  // "displayName:wa" OR "mail:wa": tokenized prefix match on the named property.
  const clauses = [...search.matchAll(/"([^":]+):([^"]*)"/g)].map((m) => ({ prop: m[1] ?? '', term: (m[2] ?? '').toLowerCase() }));
  if (clauses.length === 0) throw errors.badRequest('Invalid $search query. The syntax is "property:value".');
  return items.filter((it) =>
    clauses.some(({ prop, term }) => {
      const v = it.view[prop];
      return typeof v === 'string' && v.toLowerCase().split(/[\s@._-]+/).some((word) => word.startsWith(term));
    }),
  );
}

function applyOrderBy(call: GraphCall, spec: CollectionSpec, items: CollectionItem[], filtered: boolean): CollectionItem[] {
  const raw = call.query.get('$orderby');
  if (raw === undefined) return items;
  const m = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/i.exec(raw);
  const prop = spec.orderable.find((p) => p.toLowerCase() === (m?.[1] ?? '').toLowerCase());
  if (!m || !prop) throw errors.unsupportedQuery();
  // $filter together with $orderby is advanced-only (https://learn.microsoft.com/graph/aad-advanced-queries).
  if (filtered && !isAdvancedQuery(call)) throw errors.unsupportedQuery();
  const dir = (m[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => dir * String(a.view[prop] ?? '').localeCompare(String(b.view[prop] ?? ''), 'en', { sensitivity: 'base' }));
}

export function listCollection(call: GraphCall, spec: CollectionSpec, all: CollectionItem[]): GraphResult {
  const advanced = isAdvancedQuery(call);
  if (call.query.has('$skip')) throw errors.badRequest("'$skip' is not supported by the service.");
  if (call.query.has('$expand') && advanced) throw errors.unsupportedQuery();
  if (call.query.has('$expand')) throw errors.notImplemented('$expand is not implemented by the Graph stand-in.');
  const select = parseSelect(call.query.get('$select'), spec.rules.typeName, spec.selectable);
  refuseOnCollection(select, spec.refusedInCollection ?? []);
  const pageSize = parseTop(call.query.get('$top'), spec.defaultPageSize);

  let items = all;
  const rawFilter = call.query.get('$filter');
  if (rawFilter !== undefined) {
    const ast = parseFilter(rawFilter);
    const analysis = analyzeFilter(ast, spec.rules);
    if (analysis.advanced && !advanced) {
      throw errors.unsupportedQuery(analysis.notIndexed ? 'The request uses a filter property that is not indexed' : undefined);
    }
    items = items.filter((it) => evaluateFilter(ast, it.view));
  }
  items = applySearch(call, items);
  items = applyOrderBy(call, spec, items, rawFilter !== undefined);

  const token = call.query.get('$skiptoken');
  const offset = token === undefined ? 0 : decodeSkipToken(token);
  const page = items.slice(offset, offset + pageSize);
  const fragment = select ? `${spec.contextName}(${select.join(',')})` : spec.contextName;
  const body: Record<string, unknown> = { '@odata.context': contextUrl(call.version, fragment) };
  // @odata.count only on the first page, and only for advanced queries (ignored otherwise).
  if (advanced && offset === 0) body['@odata.count'] = items.length;
  if (offset + pageSize < items.length) {
    body['@odata.nextLink'] = `${call.publicBase}/${call.version}/${call.segments.map(encodeURIComponent).join('/')}?${nextLinkQuery(call.rawQuery, offset + pageSize)}`;
  }
  body.value = page.map((it) => {
    const projected = project(it.view, select, it.defaults ?? spec.defaults);
    return spec.typed && it.odataType ? { '@odata.type': it.odataType, ...projected } : projected;
  });
  return { status: 200, body };
}

/** GET .../$count: text/plain number, advanced only (ConsistencyLevel header required). */
export function countCollection(call: GraphCall, spec: CollectionSpec, all: CollectionItem[]): GraphResult {
  if ((call.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') throw errors.countNotSupported();
  let items = all;
  const rawFilter = call.query.get('$filter');
  if (rawFilter !== undefined) {
    const ast = parseFilter(rawFilter);
    analyzeFilter(ast, spec.rules);
    items = items.filter((it) => evaluateFilter(ast, it.view));
  }
  return { status: 200, body: String(items.length), headers: { 'Content-Type': 'text/plain' } };
}
