import type { ActionRecord, RepetitionRecord, RunFilter, RunRecord } from '../model.js';
import { recordOfLine, runLine, type ParsedLine } from './log-record.js';

/** An action/repetition kept as its segment line, parsed on first read. */
interface Lazy<T> {
  line: string;
  value?: T;
}

interface RunEntry {
  workflow: string;
  name: string;
  /** Undefined while only action lines of the run have been seen. */
  run?: RunRecord;
  actions: Map<string, Lazy<ActionRecord>>;
  /** action name -> repetition name -> record */
  repetitions: Map<string, Map<string, Lazy<RepetitionRecord>>>;
}

const key = (workflow: string, runName: string): string => `${workflow}\u0000${runName}`;

/** Listing order: start time, then run name so equal start times stay stable. */
function before(a: RunRecord, b: RunRecord): boolean {
  if (a.startTime !== b.startTime) return a.startTime < b.startTime;
  return a.name < b.name;
}

function read<T>(lazy: Lazy<T>): T | undefined {
  lazy.value ??= recordOfLine<T>(lazy.line);
  return lazy.value;
}

/**
 * The in-memory view of run history: latest record per run/action/repetition, plus runs kept
 * sorted by start time so newest-first listing walks from the end and stops at `top`.
 * Both the durable and the in-memory store answer reads from here.
 */
export class RunIndex {
  private readonly entries = new Map<string, RunEntry>();
  /** Ascending by (startTime, name). Runs arrive roughly in start order, so inserts land near the end. */
  private readonly sorted: RunEntry[] = [];

  apply(parsed: ParsedLine): void {
    if (parsed.k === 'run') return this.putRun(parsed.run);
    const entry = this.entryFor(parsed.w, parsed.r);
    if (parsed.k === 'act') {
      entry.actions.set(parsed.n, { line: parsed.line });
      return;
    }
    let reps = entry.repetitions.get(parsed.n);
    if (!reps) {
      reps = new Map();
      entry.repetitions.set(parsed.n, reps);
    }
    reps.set(parsed.i, { line: parsed.line });
  }

  private putRun(run: RunRecord): void {
    const entry = this.entryFor(run.workflow, run.name);
    const previous = entry.run;
    entry.run = run;
    if (!previous) this.insertSorted(entry);
    else if (previous.startTime !== run.startTime) {
      this.sorted.splice(this.sorted.indexOf(entry), 1);
      this.insertSorted(entry);
    }
  }

  private entryFor(workflow: string, name: string): RunEntry {
    const k = key(workflow, name);
    let entry = this.entries.get(k);
    if (!entry) {
      entry = { workflow, name, actions: new Map(), repetitions: new Map() };
      this.entries.set(k, entry);
    }
    return entry;
  }

  private insertSorted(entry: RunEntry): void {
    const run = entry.run;
    if (!run) return;
    const last = this.sorted[this.sorted.length - 1]?.run;
    if (!last || before(last, run)) {
      this.sorted.push(entry);
      return;
    }
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const probe = this.sorted[mid]?.run;
      if (probe && before(probe, run)) lo = mid + 1;
      else hi = mid;
    }
    this.sorted.splice(lo, 0, entry);
  }

  getRun(workflow: string, runName: string): RunRecord | undefined {
    return this.entries.get(key(workflow, runName))?.run;
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
    const out: ActionRecord[] = [];
    for (const lazy of entry.actions.values()) {
      const action = read(lazy);
      if (action) out.push(action);
    }
    return out.sort((a, b) => a.order - b.order);
  }

  listRepetitions(workflow: string, runName: string, action: string): RepetitionRecord[] {
    const reps = this.entries.get(key(workflow, runName))?.repetitions.get(action);
    if (!reps) return [];
    const out: RepetitionRecord[] = [];
    for (const lazy of reps.values()) {
      const rep = read(lazy);
      if (rep) out.push(rep);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** How many lines a compacted log would hold. */
  liveCount(): number {
    let n = 0;
    for (const entry of this.entries.values()) {
      if (entry.run) n++;
      n += entry.actions.size;
      for (const reps of entry.repetitions.values()) n += reps.size;
    }
    return n;
  }

  /** Every live line, each run before its actions, oldest run first: the content of a compacted log. */
  *liveLines(): Generator<string> {
    const orphans = [...this.entries.values()].filter((e) => !e.run);
    for (const entry of [...this.sorted, ...orphans]) {
      if (entry.run) yield runLine(entry.run);
      for (const lazy of entry.actions.values()) yield lazy.line;
      for (const reps of entry.repetitions.values()) for (const lazy of reps.values()) yield lazy.line;
    }
  }
}
