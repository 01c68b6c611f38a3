import { changeVariable as saveVariableChange } from '../committed-variables.js';
import type { ActionExecutor } from './types.js';
import { detach, fitsType, requireVariable, typeMismatch } from './variable-types.js';

/** SetVariable: replaces the value; it must fit the declared type. Output body {name, value}. */
export const setVariable: ActionExecutor = async (ctx) => {
  const inputs = ctx.evaluateInputs() as { name?: unknown; value?: unknown } | undefined;
  const { key, name, variable } = requireVariable(ctx.run, inputs?.name);
  const value = inputs?.value === undefined ? null : inputs.value;
  if (!fitsType(variable.type, value)) throw typeMismatch(name, variable.type, value);
  saveVariableChange(ctx.run, ctx.frame, ctx.action.name, { kind: 'set', key, variable: { type: variable.type, value: detach(value) } });
  return { code: 'OK', inputs: { name, value }, outputs: { body: { name, value } } };
};
