import type { ActionRecord, HistoryStore, RepetitionRecord, RunFilter, RunRecord } from '../model.js';

/**
 * In-memory HistoryStore for engine tests, the engine bench and quick local runs: same upsert semantics as the
 * durable store (records keyed by run/action name), deep-copied on save so later engine mutations
 * cannot change what was "persisted".
 */
export class MemoryHistory implements HistoryStore {
  readonly runs = new Map<string, RunRecord>();
  readonly actions = new Map<string, Map<string, ActionRecord>>();
  readonly repetitions = new Map<string, RepetitionRecord[]>();
  /** Every saveAction call in order, to assert start-then-end recording. */
  readonly actionWrites: ActionRecord[] = [];

  constructor(private readonly copy = true) {}

  private key(workflow: string, runName: string): string {
    return `${workflow}/${runName}`;
  }

  private clone<T>(v: T): T {
    return this.copy ? structuredClone(v) : v;
  }

  saveRun(run: RunRecord): void {
    this.runs.set(this.key(run.workflow, run.name), this.clone(run));
  }

  saveAction(workflow: string, runName: string, action: ActionRecord): void {
    const k = this.key(workflow, runName);
    let m = this.actions.get(k);
    if (!m) this.actions.set(k, (m = new Map()));
    const rec = this.clone(action);
    m.set(action.name, rec);
    if (this.copy) this.actionWrites.push(rec);
  }

  saveRepetition(workflow: string, runName: string, repetition: RepetitionRecord): void {
    const k = `${this.key(workflow, runName)}/${repetition.action}`;
    let list = this.repetitions.get(k);
    if (!list) this.repetitions.set(k, (list = []));
    const i = list.findIndex((r) => r.name === repetition.name);
    if (i >= 0) list[i] = this.clone(repetition);
    else list.push(this.clone(repetition));
  }

  getRun(workflow: string, runName: string): RunRecord | undefined {
    return this.runs.get(this.key(workflow, runName));
  }

  listRuns(filter: RunFilter): RunRecord[] {
    const out = [...this.runs.values()].filter(
      (r) =>
        (!filter.workflow || r.workflow === filter.workflow) &&
        (!filter.status || r.status === filter.status) &&
        (!filter.clientTrackingId || r.clientTrackingId === filter.clientTrackingId) &&
        (!filter.startedAfter || r.startTime >= filter.startedAfter) &&
        (!filter.startedBefore || r.startTime <= filter.startedBefore),
    );
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return filter.top ? out.slice(0, filter.top) : out;
  }

  listActions(workflow: string, runName: string): ActionRecord[] {
    return [...(this.actions.get(this.key(workflow, runName))?.values() ?? [])].sort((a, b) => a.order - b.order);
  }

  listRepetitions(workflow: string, runName: string, action: string): RepetitionRecord[] {
    return [...(this.repetitions.get(`${this.key(workflow, runName)}/${action}`) ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
