import type { RunFilter, RunStatus } from '../../model.js';

export class FilterSyntaxError extends Error {}

const STATUSES: readonly RunStatus[] = ['Running', 'Waiting', 'Succeeded', 'Failed', 'Cancelled'];

/** Splits on the word `and` outside single-quoted literals (which may hold spaces and `''`). */
function clauses(filter: string): string[] {
  const tokens = filter.match(/'(?:[^']|'')*'|[^\s']+/g) ?? [];
  const out: string[][] = [[]];
  for (const token of tokens) {
    if (token.toLowerCase() === 'and') out.push([]);
    else out[out.length - 1]?.push(token);
  }
  return out.map((c) => c.join(' ')).filter((c) => c.length > 0);
}

function literal(raw: string): string {
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) return raw.slice(1, -1).replace(/''/g, "'");
  return raw;
}

function instant(raw: string, shiftMs: number): string {
  const value = literal(raw);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new FilterSyntaxError(`'${value}' is not a valid date-time.`);
  return new Date(ms + shiftMs).toISOString();
}

/**
 * Parses the run-list `$filter` Azure accepts: `status eq 'Failed'`, `startTime ge 2026-01-01T00:00:00Z`,
 * `startTime le ...`, `ClientTrackingId eq '...'`, joined with `and`. Field names are matched
 * case-insensitively, as the service does.
 */
export function parseRunFilter(filter: string | undefined): RunFilter {
  const out: RunFilter = {};
  if (!filter) return out;
  for (const clause of clauses(filter)) {
    const m = /^(\w+)\s+(eq|ge|gt|le|lt)\s+('(?:[^']|'')*'|\S+)$/i.exec(clause);
    if (!m) throw new FilterSyntaxError(`The filter clause '${clause}' is not supported.`);
    const field = (m[1] ?? '').toLowerCase();
    const op = (m[2] ?? '').toLowerCase();
    const raw = m[3] ?? '';
    if (field === 'status' && op === 'eq') {
      const value = literal(raw).toLowerCase();
      const status = STATUSES.find((s) => s.toLowerCase() === value);
      if (!status) throw new FilterSyntaxError(`'${literal(raw)}' is not a run status.`);
      out.status = status;
    } else if (field === 'clienttrackingid' && op === 'eq') {
      out.clientTrackingId = literal(raw);
    } else if (field === 'starttime' && (op === 'ge' || op === 'gt')) {
      out.startedAfter = instant(raw, op === 'gt' ? 1 : 0);
    } else if (field === 'starttime' && (op === 'le' || op === 'lt')) {
      out.startedBefore = instant(raw, op === 'lt' ? -1 : 0);
    } else {
      throw new FilterSyntaxError(`The filter on '${m[1] ?? ''}' with operator '${op}' is not supported.`);
    }
  }
  return out;
}
