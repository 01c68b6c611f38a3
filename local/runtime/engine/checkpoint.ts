import type { CheckpointJournal } from '../history/sqlite-store.js';
import type { WorkflowHttpResponse } from '../model.js';
import { applyVariableChange, checkpointUnit, commitVariableChanges, type VariableChange } from './committed-variables.js';
import type { ActionResultView, Frame } from './frame.js';
import type { DeclaredVariable, RunState, SavedRepetition } from './run-state.js';
import type { Sealer } from './seal.js';

/** The child run a Workflow action started, recorded as it starts so a restart adopts it by id. */
export interface ChildLink {
  action: string;
  workflow: string;
  runName: string;
}

/**
 * One checkpoint of a stateful run in flight. The first (seq 0) is written when the run starts and
 * holds the trigger; later ones are written when an action of the run's top level (including
 * actions nested in Scope, If and Switch, which share it) reaches its final status, when a repetition
 * of a top-level For each / Until finishes, when a top-level Wait starts waiting and when a Workflow
 * action starts its child. The first holds the run's variables; each later one the variable changes
 * of the work it saves (./committed-variables.ts: a change counts only once the work that made it is
 * in a checkpoint), so a long loop appending to an array writes each item once, not the whole array
 * again per repetition. Each also holds the counters at that moment.
 */
export interface Checkpoint {
  trigger?: Record<string, unknown>;
  /** Top-level results not in an earlier checkpoint (a finished loop also brings up its last repetition's). */
  results?: ActionResultView[];
  /** All variables (first checkpoint). */
  variables?: Array<[string, DeclaredVariable]>;
  /** Variable changes made by the work this checkpoint saves, in order. */
  variableChanges?: VariableChange[];
  order: number;
  repetitionCounts: Array<[string, number]>;
  repetitionNames: Array<[string, number]>;
  responded: boolean;
  /** The answer of a secured Response action (never in run history), for a parent waiting on this run. */
  securedResponse?: WorkflowHttpResponse;
  /** A finished repetition of a top-level loop still running. */
  repetition?: SavedRepetition;
  /** A top-level Wait action's due time (ms since epoch), written when it starts waiting. */
  wait?: { action: string; due: number };
  child?: ChildLink;
}

/**
 * Action types whose work stays inside the run (no call to another service, no answer to a caller):
 * running one again after a crash changes nothing outside, so a loop repetition of only these may be
 * saved with the next batch of history writes instead of a commit of its own.
 */
const IN_RUN_TYPES = new Set([
  'compose', 'initializevariable', 'setvariable', 'incrementvariable', 'decrementvariable', 'appendtoarrayvariable',
  'appendtostringvariable', 'parsejson', 'query', 'select', 'if', 'switch', 'scope', 'foreach', 'until', 'wait',
]);

/** Notes that an action about to run in a loop repetition may call out of the run (see IN_RUN_TYPES). */
export function noteLoopAction(run: RunState, frame: Frame, action: { name: string; type: string }): void {
  if (!run.checkpointed || IN_RUN_TYPES.has(action.type.toLowerCase())) return;
  const unit = checkpointUnit(frame, action.name);
  if (typeof unit !== 'string') run.repetitionsCallingOut.add(unit);
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
  /** Finished repetitions of top-level loops that had not finished. */
  repetitions: SavedRepetition[];
  /** Due times of top-level Wait actions that had not finished, by action name. */
  waits: Array<[string, number]>;
  /** Child runs started by Workflow actions, by action name. */
  children: Array<[string, ChildLink]>;
}

/** What the engine calls while stateful runs execute (EngineShared.checkpoints). */
export interface RunCheckpointer {
  started(run: RunState): void;
  recorded(run: RunState, frame: Frame, view: ActionResultView): void;
  /** A repetition of a loop ended (only repetitions of top-level loops are saved). */
  repetitionFinished(run: RunState, loop: string, index: number, frame: Frame, status: SavedRepetition['status']): void;
  /** A Wait action starts waiting until `due` (only top-level Wait actions are saved). */
  waitStarted(run: RunState, frame: Frame, action: string, due: number): void;
  /** A Workflow action started a child run. */
  childStarted(run: RunState, action: string, child: { workflow: string; runName: string }): void;
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

  private write(run: RunState, checkpoint: Checkpoint, deferCommit = false): void {
    if (!run.checkpointed || run.suspended) return;
    const seq = this.seq.get(run) ?? 0;
    this.seq.set(run, seq + 1);
    try {
      this.journal.saveCheckpoint(run.workflowName, run.record.name, seq, this.sealer.seal(checkpoint), { deferCommit });
    } catch {
      // A checkpoint that cannot be written only costs the ability to resume; the run carries on.
    }
  }

  private snapshot(run: RunState): Checkpoint {
    const c: Checkpoint = {
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
    this.write(run, { ...this.snapshot(run), trigger: run.triggerObject, variables: [...run.variables] });
  }

  recorded(run: RunState, frame: Frame, view: ActionResultView): void {
    // Loop repetitions run in frames of their own: an interrupted loop runs again as a whole.
    // Those of top-level loops are saved one by one (repetitionFinished).
    if (frame.parent !== undefined || frame.loop !== undefined) return;
    if (!run.checkpointed || run.suspended) return;
    const results: ActionResultView[] = [];
    for (const r of frame.results.values()) {
      if (this.written.has(r)) continue;
      this.written.add(r);
      results.push(r);
    }
    if (!results.includes(view)) results.push(view);
    const variableChanges = results.flatMap((r) => commitVariableChanges(run, r.name));
    this.write(run, { ...this.snapshot(run), results, variableChanges });
  }

  repetitionFinished(run: RunState, loop: string, index: number, frame: Frame, status: SavedRepetition['status']): void {
    // Repetitions of nested loops are part of the top-level repetition they run in.
    if (!run.checkpointed || run.suspended || frame.parent?.parent !== undefined) return;
    const variableChanges = commitVariableChanges(run, frame);
    // A repetition that called out is committed before the loop goes on, so a restart never repeats
    // its calls; one that stayed inside the run may be lost to a crash and simply run again.
    const deferCommit = !run.repetitionsCallingOut.has(frame);
    this.write(run, { ...this.snapshot(run), variableChanges, repetition: { loop, index, status, results: [...frame.results.values()] } }, deferCommit);
  }

  waitStarted(run: RunState, frame: Frame, action: string, due: number): void {
    if (frame.parent !== undefined) return;
    this.write(run, { ...this.snapshot(run), wait: { action, due } });
  }

  childStarted(run: RunState, action: string, child: { workflow: string; runName: string }): void {
    this.write(run, { ...this.snapshot(run), child: { action, ...child } });
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
    const repetitions = new Map<string, SavedRepetition>();
    const waits = new Map<string, number>();
    const children = new Map<string, ChildLink>();
    const variables = new Map<string, DeclaredVariable>();
    for (const row of rows) {
      const c = this.sealer.open<Checkpoint>(row);
      if (!c) return undefined;
      if (c.trigger) state = { trigger: c.trigger, results: [], variables: [], order: 0, repetitionCounts: [], repetitionNames: [], responded: false, repetitions: [], waits: [], children: [] };
      if (!state) return undefined;
      for (const r of c.results ?? []) results.set(r.name, r);
      if (c.repetition) repetitions.set(`${c.repetition.loop}\u0000${c.repetition.index}`, c.repetition);
      if (c.wait) waits.set(c.wait.action, c.wait.due);
      if (c.child) children.set(c.child.action, c.child);
      if (c.variables) {
        variables.clear();
        for (const [name, variable] of c.variables) variables.set(name, variable);
      }
      for (const change of c.variableChanges ?? []) applyVariableChange(variables, change);
      state.order = c.order;
      state.repetitionCounts = c.repetitionCounts;
      state.repetitionNames = c.repetitionNames;
      state.responded = c.responded;
      if (c.securedResponse) state.securedResponse = c.securedResponse;
    }
    if (!state) return undefined;
    state.results = [...results.values()];
    state.variables = [...variables];
    // A loop or Wait whose own result is saved does not run again: its repetitions and due time are moot.
    state.repetitions = [...repetitions.values()].filter((r) => !results.has(r.loop));
    state.waits = [...waits].filter(([name]) => !results.has(name));
    state.children = [...children];
    return { state, count: rows.length };
  }
}

/** Puts a resumed run back where its last checkpoint left it; the scheduler skips the restored results. */
export function restoreRunState(run: RunState, root: Frame, saved: SavedRunState): void {
  run.triggerObject = saved.trigger;
  for (const [name, variable] of saved.variables) run.variables.set(name, variable);
  for (const repetition of saved.repetitions) {
    let byIndex = run.restoredRepetitions.get(repetition.loop);
    if (!byIndex) run.restoredRepetitions.set(repetition.loop, (byIndex = new Map()));
    byIndex.set(repetition.index, repetition);
  }
  for (const [name, due] of saved.waits) run.restoredWaits.set(name, due);
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
