import { errors } from '../errors.js';

/**
 * Opaque $skiptoken values shaped like Graph's directory tokens (X'4453707…'): hex of a small
 * marker plus the offset. The nextLink repeats every other query option, so the offset is enough.
 */
const MARKER = 'DSpt';

export function encodeSkipToken(offset: number): string {
  return `X'${Buffer.from(`${MARKER}${offset}`, 'utf8').toString('hex').toUpperCase()}'`;
}

export function decodeSkipToken(token: string): number {
  const m = /^X'([0-9A-Fa-f]+)'$/.exec(token);
  const text = m?.[1] ? Buffer.from(m[1], 'hex').toString('utf8') : '';
  const offset = text.startsWith(MARKER) ? Number(text.slice(MARKER.length)) : NaN;
  if (!Number.isInteger(offset) || offset < 0) throw errors.badRequest('Invalid paging token.');
  return offset;
}

/** $top for directory objects: 1–999, default page size per collection. */
export function parseTop(raw: string | undefined, defaultSize: number): number {
  if (raw === undefined) return defaultSize;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || n < 1 || n > 999) throw errors.pageSize(raw);
  return n;
}

/** The query string for the next page: every original option except $skiptoken, then the new token. */
export function nextLinkQuery(rawQuery: string, offset: number): string {
  const kept = rawQuery
    .split('&')
    .filter((part) => part !== '' && !/^(\$|%24)skiptoken=/i.test(part));
  // Graph writes the quotes percent-encoded: $skiptoken=X%274453707...%27
  kept.push(`$skiptoken=${encodeURIComponent(encodeSkipToken(offset)).replace(/'/g, '%27')}`);
  return kept.join('&');
}
