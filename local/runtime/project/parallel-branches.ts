import type { TreeAction, TreeScope } from './definition-tree.js';
import { isRecord } from './read-json.js';

/**
 * Which sibling actions can run at the same time, i.e. sit in parallel branches of each other.
 *
 * Azure starts every action of a scope whose runAfter conditions are met, so two siblings run in
 * parallel branches when neither waits (through runAfter, directly or not) for the other
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-control-flow-branches).
 * Two branches that can never both run are not parallel: when both need the same earlier action to
 * end in statuses that exclude each other (one after its Succeeded, the other after its Failed), at
 * most one of them runs. Interpretation, not stated on the Learn page: it keeps the documented
 * try/catch shape (one path on success, another on failure) apart from actions that do race.
 */

type Requirements = Map<string, Set<string>>;

interface ScopeFacts {
  /** Every action each action waits for, directly or through others. */
  upstream: Map<string, Set<string>>;
  /** For each action: the statuses earlier actions must end in for it to run at all (not be skipped). */
  requirements: Map<string, Requirements>;
}

function runAfterOf(action: TreeAction | undefined): Array<[string, Set<string>]> {
  const raw = action?.def.runAfter;
  if (!isRecord(raw)) return [];
  return Object.entries(raw).map(([pred, statuses]) => [pred, new Set(Array.isArray(statuses) ? statuses.map((s) => String(s).toLowerCase()) : [])]);
}

function analyse(scope: TreeScope): ScopeFacts {
  const upstream = new Map<string, Set<string>>();
  const requirements = new Map<string, Requirements>();
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (upstream.has(name) || visiting.has(name)) return; // runAfter cycles are reported elsewhere
    visiting.add(name);
    const up = new Set<string>();
    const req: Requirements = new Map();
    const need = (pred: string, statuses: Set<string>): void => {
      const had = req.get(pred);
      req.set(pred, had ? new Set([...had].filter((s) => statuses.has(s))) : new Set(statuses));
    };
    for (const [pred, statuses] of runAfterOf(scope.actions.get(name))) {
      if (!scope.actions.has(pred)) continue;
      visit(pred);
      up.add(pred);
      for (const u of upstream.get(pred) ?? []) up.add(u);
      need(pred, statuses);
      // A predecessor that must have run (its Skipped status not accepted) brings its own conditions.
      if (!statuses.has('skipped')) for (const [p, s] of requirements.get(pred) ?? []) need(p, s);
    }
    visiting.delete(name);
    upstream.set(name, up);
    requirements.set(name, req);
  };
  for (const name of scope.actions.keys()) visit(name);
  return { upstream, requirements };
}

function exclusive(a: Requirements | undefined, b: Requirements | undefined): boolean {
  if (!a || !b) return false;
  for (const [pred, statuses] of a) {
    const other = b.get(pred);
    if (other && ![...statuses].some((s) => other.has(s))) return true;
  }
  return false;
}

const cache = new WeakMap<TreeScope, ScopeFacts>();

/** Siblings of `action` that can run at the same time as it. */
export function parallelSiblings(action: TreeAction): string[] {
  const scope = action.scope;
  let facts = cache.get(scope);
  if (!facts) {
    facts = analyse(scope);
    cache.set(scope, facts);
  }
  const mine = facts.upstream.get(action.name) ?? new Set<string>();
  const out: string[] = [];
  for (const other of scope.actions.keys()) {
    if (other === action.name || mine.has(other) || facts.upstream.get(other)?.has(action.name)) continue;
    if (exclusive(facts.requirements.get(action.name), facts.requirements.get(other))) continue;
    out.push(other);
  }
  return out;
}
