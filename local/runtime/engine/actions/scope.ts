import { containerOutcome } from './container-outcome.js';
import type { ActionExecutor } from './types.js';

/** Scope: runs its actions; Failed when one of its branches ends in an unhandled failure. */
export const scope: ActionExecutor = async (ctx) => {
  const children = ctx.action.children;
  const status = children ? await ctx.runGraph(children, ctx.frame) : 'Succeeded';
  return containerOutcome(status);
};
