import { ActionFailure } from '../errors.js';
import { Frame } from '../frame.js';
import { expressionContext } from '../expression-context.js';
import { inputField } from './input-field.js';
import type { ActionExecutor } from './types.js';

/** Query (Filter array): keeps the items of `from` for which `where` is true, item() being the item. */
export const query: ActionExecutor = async (ctx) => {
  const from = ctx.evaluate(inputField(ctx.action, 'from'));
  if (!Array.isArray(from)) {
    throw new ActionFailure('InvalidTemplate', `The 'from' property of action '${ctx.action.name}' must be an array, but it is of type '${from === null ? 'Null' : typeof from}'.`);
  }
  ctx.noteInputs({ from, where: (ctx.action.def.inputs as { where?: unknown }).where });
  const where = inputField(ctx.action, 'where');
  const kept: unknown[] = [];
  for (let i = 0; i < from.length; i++) {
    const frame = new Frame(ctx.frame, { name: ctx.action.name, item: from[i], index: i });
    let ok: unknown;
    try {
      ok = where(expressionContext(ctx.run, frame));
    } catch (err) {
      throw new ActionFailure('InvalidTemplate', `Unable to process template language expressions in action '${ctx.action.name}' inputs at line '0' and column '0': '${(err as Error).message}'.`);
    }
    if (ok === true) kept.push(from[i]);
  }
  return { code: 'OK', outputs: { body: kept } };
};
