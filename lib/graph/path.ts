/**
 * Graph URL path building. Every user-supplied value placed in a path is encoded here, so `#`, `?`
 * and `/` in a UPN cannot cut the path short or address another resource.
 */

/** Percent-encodes one path segment, including `/`, `#`, `?`, `%` and `'`. */
export function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(/'/g, '%27');
}

/**
 * Path of a user addressed by object id or UPN. Graph rejects `/users/$x@y` with 400; a UPN that
 * starts with `$` must be addressed as `/users('$x@y')` (https://learn.microsoft.com/graph/api/user-get). Inside the key
 * literal a quote is doubled as in any OData string.
 */
export function userPath(idOrUpn: string): string {
  if (idOrUpn.startsWith('$')) {
    return `/users('${encodeSegment(idOrUpn).replace(/%27/g, "''").replace(/%24/g, '$')}')`;
  }
  return `/users/${encodeSegment(idOrUpn)}`;
}

/**
 * Tagged template for Graph paths: literal parts are kept, interpolated values are encoded as
 * single segments. `graphPath`/groups/${groupId}/members/${userId}/$ref``.
 */
export function graphPath(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += encodeSegment(String(value)) + (strings[i + 1] ?? '');
  });
  return out;
}
