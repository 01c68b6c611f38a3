import { ActionFailure } from '../errors.js';
import { Frame } from '../frame.js';
import { expressionContext } from '../expression-context.js';
import { inputField } from './input-field.js';
import type { ActionExecutor } from './types.js';

/** Select: maps every item of `from` through the `select` template, item() being the item. */
export const select: ActionExecutor = async (ctx) => {
  const from = ctx.evaluate(inputField(ctx.action, 'from'));
  if (!Array.isArray(from)) {
    throw new ActionFailure('InvalidTemplate', `The 'from' property of action '${ctx.action.name}' must be an array.`);
  }
  ctx.noteInputs({ from, select: (ctx.action.def.inputs as { select?: unknown }).select });
  const mapping = inputField(ctx.action, 'select');
  const body = from.map((item, index) => {
    try {
      return mapping(expressionContext(ctx.run, new Frame(ctx.frame, { name: ctx.action.name, item, index })));
    } catch (err) {
      throw new ActionFailure('InvalidTemplate', `Unable to process template language expressions in action '${ctx.action.name}' inputs at line '0' and column '0': '${(err as Error).message}'.`);
    }
  });
  return { code: 'OK', outputs: { body } };
};
