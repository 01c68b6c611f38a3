import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { segmentName } from './segment-files.js';

export interface SegmentWriterOptions {
  dir: string;
  /** Segment number to append to (created when missing). */
  segment: number;
  /** Bytes already in that segment. */
  size: number;
  /** Roll to a new segment past this size, so no single file grows without bound. */
  maxSegmentBytes: number;
  flushIntervalMs: number;
}

/**
 * Batches appended lines in memory and writes them in one `write` per interval (or on flush()).
 * Writes are chained so they land in order; the engine never waits on disk.
 */
export class SegmentWriter {
  private pending: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private handle: FileHandle | undefined;
  private failure: unknown;
  private segment: number;
  private size: number;

  constructor(private readonly options: SegmentWriterOptions) {
    this.segment = options.segment;
    this.size = options.size;
  }

  append(line: string): void {
    if (this.failure !== undefined) throw new Error(`History store cannot write: ${String(this.failure)}`);
    this.pending.push(line);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush().catch(() => undefined);
      }, this.options.flushIntervalMs);
      // Pending writes must not keep a finished process alive; close() flushes them.
      this.timer.unref();
    }
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    this.chain = this.chain.then(() => this.write(batch));
    return this.chain;
  }

  private async write(lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    try {
      if (this.size >= this.options.maxSegmentBytes && this.handle) {
        await this.handle.close();
        this.handle = undefined;
        this.segment++;
        this.size = 0;
      }
      this.handle ??= await open(join(this.options.dir, segmentName(this.segment)), 'a');
      const buffer = Buffer.from(lines.join('\n') + '\n', 'utf8');
      await this.handle.write(buffer);
      this.size += buffer.length;
    } catch (err) {
      this.failure = err instanceof Error ? err.message : err;
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle?.close();
    this.handle = undefined;
  }
}
