import type { ActionRecord, HistoryStore, RepetitionRecord, RunFilter, RunRecord } from '../model.js';
import type { LogRecord } from './log-record.js';
import { RunIndex } from './run-index.js';

/**
 * Shared read/write surface of both stores. Every saved record is snapshotted through JSON at
 * save time, so a caller that later mutates its object cannot change what history shows, and a
 * record that would not survive the durable store's serialisation fails the same way here.
 */
export abstract class IndexedHistoryStore implements HistoryStore {
  protected closed = false;

  constructor(protected readonly index: RunIndex = new RunIndex()) {}

  /** Receives each record's serialised line; the durable store writes it to disk. */
  protected abstract persist(line: string): void;

  private record(record: LogRecord): void {
    if (this.closed) throw new Error('History store is closed.');
    const line = JSON.stringify(record);
    this.index.apply(JSON.parse(line) as LogRecord);
    this.persist(line);
  }

  saveRun(run: RunRecord): void {
    this.record({ k: 'run', run });
  }

  saveAction(workflow: string, runName: string, action: ActionRecord): void {
    this.record({ k: 'act', w: workflow, r: runName, a: action });
  }

  saveRepetition(workflow: string, runName: string, repetition: RepetitionRecord): void {
    this.record({ k: 'rep', w: workflow, r: runName, p: repetition });
  }

  getRun(workflow: string, runName: string): RunRecord | undefined {
    return this.index.getRun(workflow, runName);
  }

  listRuns(filter: RunFilter): RunRecord[] {
    return this.index.listRuns(filter);
  }

  listActions(workflow: string, runName: string): ActionRecord[] {
    return this.index.listActions(workflow, runName);
  }

  listRepetitions(workflow: string, runName: string, action: string): RepetitionRecord[] {
    return this.index.listRepetitions(workflow, runName, action);
  }

  abstract flush(): Promise<void>;
  abstract close(): Promise<void>;
}

class MemoryHistoryStore extends IndexedHistoryStore {
  protected persist(): void {
    // Nothing to persist: the index is the whole store.
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** History that lives only as long as the process: for tests and throwaway runtimes. */
export function createMemoryHistoryStore(): HistoryStore {
  return new MemoryHistoryStore();
}
