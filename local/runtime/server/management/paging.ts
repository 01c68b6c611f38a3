import type { RunRecord } from '../../model.js';

/** Default and largest page of the list endpoints. */
export const DEFAULT_TOP = 30;
export const MAX_TOP = 250;

interface Position {
  t: string;
  n: string;
}

export function encodeSkipToken(run: RunRecord): string {
  return Buffer.from(JSON.stringify({ t: run.startTime, n: run.name } satisfies Position)).toString('base64url');
}

export function decodeSkipToken(token: string): Position | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Position>;
    return typeof value.t === 'string' && typeof value.n === 'string' ? { t: value.t, n: value.n } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One page of a newest-first run list. Pages continue after the last item's (startTime, name),
 * so runs that start while a client pages do not shift what it sees.
 */
export function pageRuns(runs: RunRecord[], top: number, skipToken: string | undefined): { page: RunRecord[]; next?: RunRecord } {
  let start = 0;
  const after = skipToken ? decodeSkipToken(skipToken) : undefined;
  if (after) {
    start = runs.findIndex((r) => r.startTime < after.t || (r.startTime === after.t && r.name < after.n));
    if (start < 0) start = runs.length;
  }
  const page = runs.slice(start, start + top);
  const last = page[page.length - 1];
  return start + top < runs.length && last ? { page, next: last } : { page };
}

/** The store-side continuation of a `$skiptoken`, so a page is read from the database, not sliced from every run. */
export function continueAfter(skipToken: string | null): { continueAfter?: { startTime: string; name: string } } {
  const after = skipToken ? decodeSkipToken(skipToken) : undefined;
  return after ? { continueAfter: { startTime: after.t, name: after.n } } : {};
}

export function parseTop(raw: string | null): number | undefined {
  if (raw === null) return DEFAULT_TOP;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) return undefined;
  return Math.min(n, MAX_TOP);
}
