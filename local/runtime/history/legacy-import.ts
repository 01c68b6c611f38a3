import { createReadStream } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ActionRecord, RepetitionRecord } from '../model.js';
import { parseLine, recordOfLine } from './log-record.js';
import type { SqliteHistoryStore } from './sqlite-store.js';

/** Segment files of the earlier JSON-lines store: `segment-000001.jsonl`, numbered in write order. */
const SEGMENT = /^segment-(\d{6})\.jsonl$/;

export interface LegacyImport {
  /** Segment files read (0 when the data folder had none). */
  segments: number;
  /** Lines imported: runs, actions and repetitions, later lines replacing earlier ones. */
  records: number;
  /** Lines skipped because they were damaged, e.g. the torn tail of a write cut short by a crash. */
  skipped: number;
}

async function segmentFiles(dir: string): Promise<string[]> {
  const found: Array<{ n: number; path: string }> = [];
  for (const name of await readdir(dir)) {
    const m = SEGMENT.exec(name);
    if (m?.[1]) found.push({ n: Number(m[1]), path: join(dir, name) });
  }
  return found.sort((a, b) => a.n - b.n).map((f) => f.path);
}

/**
 * Moves run history written by the earlier JSON-lines store into the database, oldest segment
 * first so later lines replace earlier ones, as they did there. Each segment is imported in one
 * transaction and deleted only after the whole import has committed, so an import cut short by a
 * crash is simply done again at the next start.
 */
export async function importLegacySegments(dir: string, store: SqliteHistoryStore): Promise<LegacyImport> {
  const files = await segmentFiles(dir);
  const result: LegacyImport = { segments: files.length, records: 0, skipped: 0 };
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let batch: string[] = [];
    const write = (): void => {
      const lines_ = batch;
      batch = [];
      store.transaction(() => {
        for (const line of lines_) {
          const parsed = parseLine(line);
          if (!parsed) {
            if (line.length > 0) result.skipped++;
            continue;
          }
          if (parsed.k === 'run') store.saveRun(parsed.run);
          else if (parsed.k === 'act') {
            const action = recordOfLine<ActionRecord>(parsed.line);
            if (!action) {
              result.skipped++;
              continue;
            }
            store.saveAction(parsed.w, parsed.r, action);
          } else {
            const rep = recordOfLine<RepetitionRecord>(parsed.line);
            if (!rep) {
              result.skipped++;
              continue;
            }
            store.saveRepetition(parsed.w, parsed.r, rep);
          }
          result.records++;
        }
      });
    };
    for await (const line of lines) {
      batch.push(line);
      if (batch.length >= 5000) write();
    }
    write();
  }
  for (const file of files) await rm(file, { force: true });
  await rm(join(dir, 'compact.tmp'), { force: true });
  return result;
}
