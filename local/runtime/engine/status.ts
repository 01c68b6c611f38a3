import type { ActionStatus } from '../model.js';
import type { CompiledGraph } from './compile.js';
import type { ActionResultView, Frame } from './frame.js';

const FAILING: ReadonlySet<ActionStatus> = new Set(['Failed', 'TimedOut', 'Cancelled', 'Aborted']);

/** Whether a runAfter status list accepts a finished action (TimedOut also matches limit.timeout expiry). */
export function runAfterAccepts(statuses: readonly string[], result: ActionResultView): boolean {
  const s = result.status.toLowerCase();
  if (statuses.includes(s)) return true;
  if (statuses.includes('timedout') && (result.status === 'TimedOut' || result.code === 'ActionTimedOut')) return true;
  return false;
}

/**
 * Outcome of a graph per Logic Apps' rules: it fails when a branch ends in a failure nobody handled; a
 * branch ending in Skipped takes the status of the skipped action's predecessor
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-exception-handling#control-run-after-behavior).
 */
export function graphStatus(graph: CompiledGraph, frame: Frame): ActionStatus {
  const memo = new Map<string, boolean>();
  const failing = (name: string, seen: Set<string>): boolean => {
    const cached = memo.get(name);
    if (cached !== undefined) return cached;
    const r = frame.lookup(name);
    if (!r) return false;
    let out: boolean;
    if (FAILING.has(r.status)) out = true;
    else if (r.status === 'Skipped') {
      const preds = graph.actions.get(name)?.runAfter ?? [];
      seen.add(name);
      out = preds.some((p) => !seen.has(p.name) && failing(p.name, seen));
    } else out = false;
    memo.set(name, out);
    return out;
  };
  for (const action of graph.actions.values()) {
    if (action.successors.length === 0 && failing(action.name, new Set())) return 'Failed';
  }
  return 'Succeeded';
}
