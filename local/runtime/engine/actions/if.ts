import { ActionFailure } from '../errors.js';
import { compileCondition } from './condition.js';
import { containerOutcome } from './container-outcome.js';
import type { ActionExecutor } from './types.js';

/** If (Condition): runs `actions` or `else.actions`; the other branch is recorded as skipped. */
export const ifAction: ActionExecutor = async (ctx) => {
  const action = ctx.action;
  let compiled = action.fields.get('condition');
  if (!compiled) {
    compiled = compileCondition(action.def.expression);
    action.fields.set('condition', compiled);
  }
  const result = ctx.evaluate(compiled, 'expression');
  if (typeof result !== 'boolean') {
    throw new ActionFailure(
      'InvalidTemplate',
      `Unable to process template language expressions for action '${action.name}'. The expression must evaluate to a boolean, but it evaluated to '${JSON.stringify(result)}'.`,
    );
  }
  const run = result ? action.children : action.elseChildren;
  const other = result ? action.elseChildren : action.children;
  if (other) {
    ctx.skipGraph(other, ctx.frame, 'ActionBranchingConditionNotSatisfied',
      `The execution of template action '{action}' is skipped: the branching condition for this action is not satisfied.`);
  }
  const status = run ? await ctx.runGraph(run, ctx.frame) : 'Succeeded';
  return containerOutcome(status, { inputs: { expressionResult: result } });
};
