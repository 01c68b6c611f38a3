import type { ActionRecord, RepetitionRecord, RunFilter, RunRecord } from '../model.js';
import type { LogRecord } from './log-record.js';

interface RunEntry {
  run: RunRecord;
  actions: Map<string, ActionRecord>;
  /** action name -> repetition name -> record */
  repetitions: Map<string, Map<string, RepetitionRecord>>;
}

const key = (workflow: string, runName: string): string => `${workflow}\u0000${runName}`;

/** Ordering used for listing: start time, then run name so equal start times stay stable. */
function before(a: RunRecord, b: RunRecord): boolean {
  if (a.startTime !== b.startTime) return a.startTime < b.startTime;
  return a.name < b.name;
}

/**
 * The in-memory view of run history: latest record per run/action/repetition, plus the runs
 * kept sorted by start time so newest-first listing walks from the end and stops at `top`.
 * Both the durable and the in-memory store answer reads from here.
 */
export class RunIndex {
  private readonly entries = new Map<string, RunEntry>();
  /** Ascending by (startTime, name). Runs arrive roughly in start order, so inserts are near the end. */
  private readonly sorted: RunEntry[] = [];
  /** Records held for actions/repetitions whose run record has not been seen yet (engine saves the run first, but be tolerant). */
  private orphans = 0;

  apply(record: LogRecord): void {
    if (record.k === 'run') this.putRun(record.run);
    else if (record.k === 'act') this.entryFor(record.w, record.r).actions.set(record.a.name, record.a);
    else {
      const entry = this.entryFor(record.w, record.r);
      let reps = entry.repetitions.get(record.p.action);
      if (!reps) {
        reps = new Map();
        entry.repetitions.set(record.p.action, reps);
      }
      reps.set(record.p.name, record.p);
    }
  }

  private putRun(run: RunRecord): void {
    const k = key(run.workflow, run.name);
    const existing = this.entries.get(k);
    if (existing && !isPlaceholder(existing.run)) {
      const moved = existing.run.startTime !== run.startTime;
      if (moved) this.removeSorted(existing);
      existing.run = run;
      if (moved) this.insertSorted(existing);
      return;
    }
    if (existing) {
      // A placeholder created by an early action record: adopt the real run.
      this.orphans--;
      existing.run = run;
      this.insertSorted(existing);
      return;
    }
    const entry: RunEntry = { run, actions: new Map(), repetitions: new Map() };
    this.entries.set(k, entry);
    this.insertSorted(entry);
  }

  private entryFor(workflow: string, runName: string): RunEntry {
    const k = key(workflow, runName);
    let entry = this.entries.get(k);
    if (!entry) {
      entry = { run: placeholderRun(workflow, runName), actions: new Map(), repetitions: new Map() };
      this.entries.set(k, entry);
      this.orphans++;
    }
    return entry;
  }

  private insertSorted(entry: RunEntry): void {
    let lo = 0;
    let hi = this.sorted.length;
    // Fast path: newest run so far.
    const last = this.sorted[hi - 1];
    if (last === undefined || before(last.run, entry.run)) {
      this.sorted.push(entry);
      return;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const probe = this.sorted[mid];
      if (probe !== undefined && before(probe.run, entry.run)) lo = mid + 1;
      else hi = mid;
    }
    this.sorted.splice(lo, 0, entry);
  }

  private removeSorted(entry: RunEntry): void {
    const at = this.sorted.indexOf(entry);
    if (at >= 0) this.sorted.splice(at, 1);
  }

  getRun(workflow: string, runName: string): RunRecord | undefined {
    const entry = this.entries.get(key(workflow, runName));
    return entry && !isPlaceholder(entry.run) ? entry.run : undefined;
  }

  listRuns(filter: RunFilter): RunRecord[] {
    const out: RunRecord[] = [];
    const top = filter.top ?? Number.POSITIVE_INFINITY;
    if (top <= 0) return out;
    for (let i = this.sorted.length - 1; i >= 0; i--) {
      const run = this.sorted[i]?.run;
      if (!run) continue;
      if (filter.startedBefore !== undefined && run.startTime > filter.startedBefore) continue;
      // Sorted ascending: once below the lower bound nothing older can match.
      if (filter.startedAfter !== undefined && run.startTime < filter.startedAfter) break;
      if (filter.workflow !== undefined && run.workflow !== filter.workflow) continue;
      if (filter.status !== undefined && run.status !== filter.status) continue;
      if (filter.clientTrackingId !== undefined && run.clientTrackingId !== filter.clientTrackingId) continue;
      out.push(run);
      if (out.length >= top) break;
    }
    return out;
  }

  listActions(workflow: string, runName: string): ActionRecord[] {
    const entry = this.entries.get(key(workflow, runName));
    if (!entry) return [];
    return [...entry.actions.values()].sort((a, b) => a.order - b.order);
  }

  listRepetitions(workflow: string, runName: string, action: string): RepetitionRecord[] {
    const reps = this.entries.get(key(workflow, runName))?.repetitions.get(action);
    if (!reps) return [];
    return [...reps.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** How many records a compacted log would hold. */
  liveCount(): number {
    let n = 0;
    for (const entry of this.entries.values()) {
      if (!isPlaceholder(entry.run)) n++;
      n += entry.actions.size;
      for (const reps of entry.repetitions.values()) n += reps.size;
    }
    return n;
  }

  /** Every live record, runs before their actions, oldest run first: the content of a compacted log. */
  *liveRecords(): Generator<LogRecord> {
    const placeholders = [...this.entries.values()].filter((e) => isPlaceholder(e.run));
    for (const entry of [...this.sorted, ...placeholders]) {
      const { workflow, name } = entry.run;
      if (!isPlaceholder(entry.run)) yield { k: 'run', run: entry.run };
      for (const a of entry.actions.values()) yield { k: 'act', w: workflow, r: name, a };
      for (const reps of entry.repetitions.values()) for (const p of reps.values()) yield { k: 'rep', w: workflow, r: name, p };
    }
  }
}

const PLACEHOLDER = Symbol('placeholder');

function placeholderRun(workflow: string, name: string): RunRecord {
  const run = {
    workflow,
    name,
    status: 'Running',
    startTime: '',
    clientTrackingId: '',
    correlationId: '',
    trigger: { name: '', type: '', status: 'Running', code: '', startTime: '' },
    version: '',
  } satisfies RunRecord;
  Object.defineProperty(run, PLACEHOLDER, { value: true, enumerable: false });
  return run;
}

function isPlaceholder(run: RunRecord): boolean {
  return (run as unknown as Record<symbol, unknown>)[PLACEHOLDER] === true;
}
