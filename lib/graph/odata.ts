/**
 * OData literal and query-string building. Every value that ends up inside a `$filter` goes through
 * `odataString`, so a name such as "O'Brien Team" can neither break the filter (Graph answers 400)
 * nor change its meaning (https://learn.microsoft.com/graph/query-parameters#escaping-single-quotes: a single quote is escaped by doubling it).
 */

/** Doubles single quotes; the result is safe between quotes in an OData expression. */
export function escapeODataLiteral(value: string): string {
  return value.replace(/'/g, "''");
}

/** A quoted OData string literal: `O'Brien` → `'O''Brien'`. */
export function odataString(value: string): string {
  return `'${escapeODataLiteral(value)}'`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** GUID literals are unquoted in Graph filters (e.g. `skuId eq cbdc14ab-...`); refuse anything else. */
export function odataGuid(value: string): string {
  if (!isGuid(value)) throw new TypeError('Expected a GUID for an OData GUID literal.');
  return value.toLowerCase();
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

/**
 * Builds `?a=b&c=d` with every value percent-encoded (`&`, `#`, `?`, `+`, `/`, `=` and spaces are
 * encoded; the already-doubled `'` is left as is, which Graph accepts). Arrays are comma-joined
 * ($select). Undefined values are left out. Keys keep their `$` for readability in logs.
 */
export function buildQuery(params: Record<string, QueryValue>): string {
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(params)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(',') : String(raw);
    parts.push(`${encodeURIComponent(key).replace(/%24/g, '$')}=${encodeURIComponent(value)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
