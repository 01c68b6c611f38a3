import type { Frame } from './frame.js';
import type { DeclaredVariable, RunState } from './run-state.js';

/**
 * One change an action makes to a variable. The engine applies it to the live variables at once and,
 * for a run that checkpoints, keeps it aside until the action (or the loop repetition it ran in) is in
 * a checkpoint: a resumed run then starts from variables that hold exactly the changes of the work it
 * will not run again, so an append in a repetition that runs again after a restart is not made twice.
 */
export type VariableChange =
  | { kind: 'set'; key: string; variable: DeclaredVariable }
  | { kind: 'appendItem'; key: string; value: unknown }
  | { kind: 'appendText'; key: string; text: string }
  | { kind: 'add'; key: string; by: number };

/** Applies a change to a set of variables (the live ones, or those a resumed run folds from its checkpoints). */
export function applyVariableChange(variables: Map<string, DeclaredVariable>, change: VariableChange): void {
  const current = variables.get(change.key);
  switch (change.kind) {
    case 'set':
      variables.set(change.key, change.variable);
      return;
    case 'appendItem': {
      const items = Array.isArray(current?.value) ? current.value : [];
      variables.set(change.key, { type: 'array', value: [...items, change.value] });
      return;
    }
    case 'appendText':
      variables.set(change.key, { type: 'string', value: String(current?.value ?? '') + change.text });
      return;
    case 'add':
      variables.set(change.key, { type: current?.type ?? 'integer', value: Number(current?.value ?? 0) + change.by });
      return;
  }
}

/**
 * What a change waits on before it counts as saved: the repetition of a top-level loop it ran in
 * (the frame of that repetition), or else the top-level action itself (its name). Actions in Scope,
 * If and Switch share the run's root frame; only loop repetitions have frames of their own.
 */
export function checkpointUnit(frame: Frame, action: string): Frame | string {
  let unit: Frame = frame;
  while (unit.parent?.parent !== undefined) unit = unit.parent;
  return unit.parent === undefined ? action : unit;
}

/** Makes a variable change on behalf of an action running in `frame`. */
export function changeVariable(run: RunState, frame: Frame, action: string, change: VariableChange): DeclaredVariable | undefined {
  applyVariableChange(run.variables, change);
  if (run.checkpointed) {
    const unit = checkpointUnit(frame, action);
    const pending = run.pendingVariableChanges.get(unit);
    if (pending) pending.push(change);
    else run.pendingVariableChanges.set(unit, [change]);
  }
  return run.variables.get(change.key);
}

/** The unit's changes, which go into the checkpoint being written (they count from then on). */
export function commitVariableChanges(run: RunState, unit: Frame | string): VariableChange[] {
  const pending = run.pendingVariableChanges.get(unit);
  if (!pending) return [];
  run.pendingVariableChanges.delete(unit);
  return pending;
}
