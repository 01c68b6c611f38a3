import { field } from '../compile.js';
import { containerOutcome } from './container-outcome.js';
import type { ActionExecutor } from './types.js';

function sameCase(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && a === b);
}

/** Switch: runs the first case whose `case` equals the expression, else `default`; the rest are skipped. */
export const switchAction: ActionExecutor = async (ctx) => {
  const action = ctx.action;
  const value = ctx.evaluate(field(action, 'expression'), 'expression');
  const chosen = (action.cases ?? []).find((c) => sameCase(c.value, value));
  const graph = chosen ? chosen.graph : action.defaultGraph;
  const reason = `The execution of template action '{action}' is skipped: the branching condition for this action is not satisfied.`;
  for (const c of action.cases ?? []) if (c !== chosen) ctx.skipGraph(c.graph, ctx.frame, 'ActionBranchingConditionNotSatisfied', reason);
  if (chosen && action.defaultGraph) ctx.skipGraph(action.defaultGraph, ctx.frame, 'ActionBranchingConditionNotSatisfied', reason);
  const status = graph ? await ctx.runGraph(graph, ctx.frame) : 'Succeeded';
  return containerOutcome(status, { inputs: { expressionResult: value } });
};
