import { changeVariable as saveVariableChange } from '../committed-variables.js';
import { ActionFailure } from '../errors.js';
import type { ActionExecutor, ExecutionContext } from './types.js';
import { azureTypeName, declaredTypeName, requireVariable } from './variable-types.js';

/** Shared by Increment/DecrementVariable: numeric variables only, `value` defaults to 1. */
export async function changeVariable(ctx: ExecutionContext, sign: 1 | -1) {
  const inputs = ctx.evaluateInputs() as { name?: unknown; value?: unknown } | undefined;
  const { key, name, variable } = requireVariable(ctx.run, inputs?.name);
  const verb = sign > 0 ? 'incremented' : 'decremented';
  if (variable.type !== 'integer' && variable.type !== 'float') {
    throw new ActionFailure(
      'InvalidTemplate',
      `The variable '${name}' of type '${declaredTypeName(variable.type) ?? variable.type}' cannot be ${verb}. Only variables of type 'Integer' or 'Float' support this operation.`,
    );
  }
  const by = inputs?.value === undefined ? 1 : inputs.value;
  if (typeof by !== 'number' || (variable.type === 'integer' && !Number.isInteger(by))) {
    throw new ActionFailure(
      'InvalidTemplate',
      `The variable '${name}' of type '${declaredTypeName(variable.type)}' cannot be ${verb} by a value of type '${azureTypeName(by)}'.`,
    );
  }
  const value = Number(saveVariableChange(ctx.run, ctx.frame, ctx.action.name, { kind: 'add', key, by: sign * by })?.value ?? 0);
  return { code: 'OK', inputs: { name, value: by }, outputs: { body: { name, value } } };
}

export const incrementVariable: ActionExecutor = (ctx) => changeVariable(ctx, 1);
