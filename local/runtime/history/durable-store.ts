import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryStore } from '../model.js';
import { parseLine } from './log-record.js';
import { IndexedHistoryStore } from './memory-store.js';
import { RunIndex } from './run-index.js';
import { listSegments, segmentName } from './segment-files.js';
import { SegmentWriter } from './segment-writer.js';

export interface HistoryStoreOptions {
  /** How long appended records may wait in memory before they are written (default 25 ms). */
  flushIntervalMs?: number;
  /** Segment size at which a new segment file starts (default 64 MiB). */
  maxSegmentBytes?: number;
  /**
   * Compact at open when fewer than this share of the lines on disk are still live (default 0.6).
   * The engine writes each action twice (started, finished) and a run three times, so a log of
   * finished runs is ~48% superseded: 0.6 compacts it, while a freshly compacted log with a few
   * new runs appended is left alone.
   */
  compactBelowLiveRatio?: number;
  /** Logs shorter than this are never compacted: not worth a rewrite (default 1000 lines). */
  compactMinLines?: number;
}

export interface OpenedLog {
  lines: number;
  live: number;
  compacted: boolean;
}

class DurableHistoryStore extends IndexedHistoryStore {
  constructor(
    private readonly writer: SegmentWriter,
    loaded: RunIndex,
    readonly opened: OpenedLog,
  ) {
    super(loaded);
  }

  protected persist(line: string): void {
    this.writer.append(line);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.close();
  }
}

/**
 * Opens (or creates) the run-history store in `dir`: replays every segment into the in-memory
 * index, compacts when most lines on disk are superseded, then appends to the newest segment.
 */
export async function openHistoryStore(dir: string, options: HistoryStoreOptions = {}): Promise<HistoryStore & { readonly opened: OpenedLog }> {
  await mkdir(dir, { recursive: true });
  await rm(join(dir, 'compact.tmp'), { force: true });
  const index = new RunIndex();
  let lines = 0;
  const segments = await listSegments(dir);
  for (const segment of segments) {
    const text = await readFile(segment.path, 'utf8');
    for (const line of text.split('\n')) {
      const parsed = parseLine(line);
      if (!parsed) continue;
      index.apply(parsed);
      lines++;
    }
  }
  const live = index.liveCount();
  const ratio = options.compactBelowLiveRatio ?? 0.6;
  const minLines = options.compactMinLines ?? 1000;
  const last = segments[segments.length - 1];
  let segment = last?.n ?? 1;
  let size = last ? (await stat(last.path)).size : 0;
  let compacted = false;
  if (last && lines >= minLines && live < lines * ratio) {
    segment = last.n + 1;
    size = await writeCompacted(dir, index, segment);
    // The compacted segment is complete on disk before any older one is removed.
    for (const old of segments) await rm(old.path, { force: true });
    compacted = true;
  }
  const writer = new SegmentWriter({
    dir,
    segment,
    size,
    maxSegmentBytes: options.maxSegmentBytes ?? 64 * 1024 * 1024,
    flushIntervalMs: options.flushIntervalMs ?? 25,
  });
  return new DurableHistoryStore(writer, index, { lines, live, compacted });
}

async function writeCompacted(dir: string, index: RunIndex, segment: number): Promise<number> {
  const tmp = join(dir, 'compact.tmp');
  const handle = await open(tmp, 'w');
  let size = 0;
  try {
    let batch: string[] = [];
    const writeBatch = async (): Promise<void> => {
      const buffer = Buffer.from(batch.join('\n') + '\n', 'utf8');
      await handle.write(buffer);
      size += buffer.length;
      batch = [];
    };
    for (const line of index.liveLines()) {
      batch.push(line);
      if (batch.length >= 1000) await writeBatch();
    }
    if (batch.length > 0) await writeBatch();
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, join(dir, segmentName(segment)));
  return size;
}
