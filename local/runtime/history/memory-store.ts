import type { ActionRecord, HistoryStore, RepetitionRecord, RunFilter, RunRecord } from '../model.js';
import { actionLine, repetitionLine, runLine, type ParsedLine } from './log-record.js';
import { RunIndex } from './run-index.js';

/**
 * Shared read/write surface of both stores. Every saved record is serialised at save time, so a
 * caller that later mutates its object cannot change what history shows, and the in-memory
 * store behaves exactly like the durable one (same lines, same index).
 */
export abstract class IndexedHistoryStore implements HistoryStore {
  protected closed = false;

  constructor(protected readonly index: RunIndex = new RunIndex()) {}

  /** Receives each record's serialised line; the durable store writes it to disk. */
  protected abstract persist(line: string): void;

  private record(parsed: ParsedLine, line: string): void {
    if (this.closed) throw new Error('History store is closed.');
    this.index.apply(parsed);
    this.persist(line);
  }

  saveRun(run: RunRecord): void {
    const line = runLine(run);
    // The index keeps its own copy: later changes to the caller's object must not show.
    this.record({ k: 'run', run: (JSON.parse(line) as { run: RunRecord }).run }, line);
  }

  saveAction(workflow: string, runName: string, action: ActionRecord): void {
    const line = actionLine(workflow, runName, action);
    this.record({ k: 'act', w: workflow, r: runName, n: action.name, line }, line);
  }

  saveRepetition(workflow: string, runName: string, repetition: RepetitionRecord): void {
    const line = repetitionLine(workflow, runName, repetition);
    this.record({ k: 'rep', w: workflow, r: runName, n: repetition.action, i: repetition.name, line }, line);
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
