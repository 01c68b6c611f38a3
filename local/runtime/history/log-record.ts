import type { ActionRecord, RepetitionRecord, RunRecord } from '../model.js';

/**
 * One line of a history segment file. Short keys keep the files small: a busy runtime writes
 * a dozen of these per run. Later lines supersede earlier ones with the same identity.
 */
export type LogRecord =
  | { k: 'run'; run: RunRecord }
  | { k: 'act'; w: string; r: string; a: ActionRecord }
  | { k: 'rep'; w: string; r: string; p: RepetitionRecord };

/** Parses one segment line; undefined for a line that is not a record (e.g. torn by a crash mid-write). */
export function parseLogLine(line: string): LogRecord | undefined {
  if (line.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const k = (value as { k?: unknown }).k;
  if (k === 'run' || k === 'act' || k === 'rep') return value as LogRecord;
  return undefined;
}
