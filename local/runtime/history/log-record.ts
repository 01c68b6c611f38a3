import type { ActionRecord, RepetitionRecord, RunRecord } from '../model.js';

/**
 * Lines of a segment file of the earlier JSON-lines run-history store (read once, to import a data
 * folder it wrote; see legacy-import.ts). Later lines supersede earlier ones with the same identity.
 *
 *   {"k":"run","run":{...}}
 *   {"k":"act","w":"<workflow>","r":"<run>","n":"<action>","a":{...}}
 *   {"k":"rep","w":"<workflow>","r":"<run>","n":"<action>","i":"<repetition>","p":{...}}
 *
 * Action and repetition lines (the bulk: two per action per run) start with their identity so
 * the index can file them without parsing the record; the record is parsed when first read.
 */
export type ParsedLine =
  | { k: 'run'; run: RunRecord }
  | { k: 'act'; w: string; r: string; n: string; line: string }
  | { k: 'rep'; w: string; r: string; n: string; i: string; line: string };

const str = (s: string): string => JSON.stringify(s);

export function runLine(run: RunRecord): string {
  return `{"k":"run","run":${JSON.stringify(run)}}`;
}

export function actionLine(workflow: string, runName: string, action: ActionRecord): string {
  return `{"k":"act","w":${str(workflow)},"r":${str(runName)},"n":${str(action.name)},"a":${JSON.stringify(action)}}`;
}

export function repetitionLine(workflow: string, runName: string, rep: RepetitionRecord): string {
  return `{"k":"rep","w":${str(workflow)},"r":${str(runName)},"n":${str(rep.action)},"i":${str(rep.name)},"p":${JSON.stringify(rep)}}`;
}

const JSON_STRING = '"(?:[^"\\\\]|\\\\.)*"';
const IDENTITY = new RegExp(`^\\{"k":"(act|rep)","w":(${JSON_STRING}),"r":(${JSON_STRING}),"n":(${JSON_STRING})(?:,"i":(${JSON_STRING}))?,"[ap]":\\{`);

/**
 * Files one segment line. Undefined for a line that is not a record, e.g. the torn tail of a
 * write interrupted by a crash (a torn action line that still looks whole is caught when read).
 */
export function parseLine(line: string): ParsedLine | undefined {
  if (line.length === 0 || !line.endsWith('}')) return undefined;
  if (line.startsWith('{"k":"run"')) {
    try {
      const value = JSON.parse(line) as { run?: RunRecord };
      return value.run ? { k: 'run', run: value.run } : undefined;
    } catch {
      return undefined;
    }
  }
  const m = IDENTITY.exec(line);
  if (!m) return undefined;
  const [, kind, w, r, n, i] = m;
  const w_ = JSON.parse(w ?? '""') as string;
  const r_ = JSON.parse(r ?? '""') as string;
  const n_ = JSON.parse(n ?? '""') as string;
  if (kind === 'act') return { k: 'act', w: w_, r: r_, n: n_, line };
  if (i === undefined) return undefined;
  return { k: 'rep', w: w_, r: r_, n: n_, i: JSON.parse(i) as string, line };
}

/** The record held by an action/repetition line; undefined when the line is damaged. */
export function recordOfLine<T>(line: string): T | undefined {
  try {
    const value = JSON.parse(line) as { a?: T; p?: T };
    return value.a ?? value.p;
  } catch {
    return undefined;
  }
}
