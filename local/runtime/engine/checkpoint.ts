import type { CheckpointJournal } from '../history/sqlite-store.js';
import type { WorkflowHttpResponse } from '../model.js';
import type { ActionResultView, Frame } from './frame.js';
import type { DeclaredVariable, RunState } from './run-state.js';
import type { Sealer } from './seal.js';

/**
 * One checkpoint of a stateful run in flight. The first (seq 0) is written when the run starts and
 * holds the trigger; each later one is written when an action of the run's top level (including
 * actions nested in Scope, If and Switch, which share it) reaches its final status, and holds that
 * result plus the run's variables and counters at that moment.
 */
export interface Checkpoint {
  trigger?: Record<string, unknown>;
  /** Top-level results not in an earlier checkpoint (a finished loop also brings up its last repetition's). */
  results?: ActionResultView[];
  variables: Array<[string, DeclaredVariable]>;
  order: number;
  repetitionCounts: Array<[string, number]>;
  repetitionNames: Array<[string, number]>;
  responded: boolean;
  /** The answer of a secured Response action (never in run history), for a parent waiting on this run. */
  securedResponse?: WorkflowHttpResponse;
}

/** Everything a resumed run starts from: the checkpoints folded together. */
export interface SavedRunState {
  trigger: Record<string, unknown>;
  results: ActionResultView[];
  variables: Array<[string, DeclaredVariable]>;
  order: number;
  repetitionCounts: Array<[string, number]>;
  repetitionNames: Array<[string, number]>;
  responded: boolean;
  securedResponse?: WorkflowHttpResponse;
}

/** What the engine calls while stateful runs execute (EngineShared.checkpoints). */
export interface RunCheckpointer {
  started(run: RunState): void;
  recorded(run: RunState, frame: Frame, view: ActionResultView): void;
  finished(run: RunState): void;
  /** A run resumed with `next` checkpoints already saved (its restored results among them). */
  resumed(run: RunState, next: number): void;
}

/** Writes sealed checkpoints of Stateful runs to the history database; Stateless runs keep state in memory only. */
export class RunCheckpoints implements RunCheckpointer {
  private readonly seq = new WeakMap<RunState, number>();
  /** Results already in a checkpoint, so each is written once. */
  private readonly written = new WeakSet<ActionResultView>();

  constructor(
    private readonly journal: CheckpointJournal,
    private readonly sealer: Sealer,
  ) {}

  private write(run: RunState, checkpoint: Checkpoint): void {
    if (run.compiled.workflow.kind !== 'Stateful') return;
    const seq = this.seq.get(run) ?? 0;
    this.seq.set(run, seq + 1);
    try {
      this.journal.saveCheckpoint(run.workflowName, run.record.name, seq, this.sealer.seal(checkpoint));
    } catch {
      // A checkpoint that cannot be written only costs the ability to resume; the run carries on.
    }
  }

  private snapshot(run: RunState): Checkpoint {
    const c: Checkpoint = {
      variables: [...run.variables],
      order: run.order,
      repetitionCounts: [...run.repetitionCounts],
      repetitionNames: [...run.repetitionNames],
      responded: run.responded,
    };
    const secured = run.shared.securedResponses.get(`${run.workflowName.toLowerCase()}/${run.record.name}`);
    if (secured) c.securedResponse = secured;
    return c;
  }

  started(run: RunState): void {
    this.write(run, { ...this.snapshot(run), trigger: run.triggerObject });
  }

  recorded(run: RunState, frame: Frame, view: ActionResultView): void {
    // Loop repetitions run in frames of their own: an interrupted loop runs again as a whole.
    if (frame.parent !== undefined || frame.loop !== undefined) return;
    if (run.compiled.workflow.kind !== 'Stateful') return;
    const results: ActionResultView[] = [];
    for (const r of frame.results.values()) {
      if (this.written.has(r)) continue;
      this.written.add(r);
      results.push(r);
    }
    if (!results.includes(view)) results.push(view);
    this.write(run, { ...this.snapshot(run), results });
  }

  finished(run: RunState): void {
    this.seq.delete(run);
    if (run.compiled.workflow.kind !== 'Stateful') return;
    try {
      this.journal.dropCheckpoints(run.workflowName, run.record.name);
    } catch {
      // Left-over checkpoints of a finished run are never read (only Running/Waiting runs resume).
    }
  }

  /** Drops a run's checkpoints by name (a run that cannot resume). */
  forget(workflow: string, runName: string): void {
    this.journal.dropCheckpoints(workflow, runName);
  }

  resumed(run: RunState, next: number): void {
    this.seq.set(run, next);
    for (const r of run.restored) this.written.add(r);
  }

  /** Folds a run's checkpoints; undefined when there are none or one cannot be unsealed. */
  load(workflow: string, runName: string): { state: SavedRunState; count: number } | undefined {
    const rows = this.journal.listCheckpoints(workflow, runName);
    let state: SavedRunState | undefined;
    const results = new Map<string, ActionResultView>();
    for (const row of rows) {
      const c = this.sealer.open<Checkpoint>(row);
      if (!c) return undefined;
      if (c.trigger) state = { trigger: c.trigger, results: [], variables: [], order: 0, repetitionCounts: [], repetitionNames: [], responded: false };
      if (!state) return undefined;
      for (const r of c.results ?? []) results.set(r.name, r);
      state.variables = c.variables;
      state.order = c.order;
      state.repetitionCounts = c.repetitionCounts;
      state.repetitionNames = c.repetitionNames;
      state.responded = c.responded;
      if (c.securedResponse) state.securedResponse = c.securedResponse;
    }
    if (!state) return undefined;
    state.results = [...results.values()];
    return { state, count: rows.length };
  }
}

/** Puts a resumed run back where its last checkpoint left it; the scheduler skips the restored results. */
export function restoreRunState(run: RunState, root: Frame, saved: SavedRunState): void {
  run.triggerObject = saved.trigger;
  for (const [name, variable] of saved.variables) run.variables.set(name, variable);
  for (const [name, n] of saved.repetitionCounts) run.repetitionCounts.set(name, n);
  for (const [name, n] of saved.repetitionNames) run.repetitionNames.set(name, n);
  run.order = saved.order;
  run.responded = saved.responded;
  for (const result of saved.results) {
    root.results.set(result.name, result);
    run.restored.add(result);
  }
  if (saved.securedResponse) run.shared.securedResponses.set(`${run.workflowName.toLowerCase()}/${run.record.name}`, saved.securedResponse);
}
