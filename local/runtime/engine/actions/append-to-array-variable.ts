import { changeVariable as saveVariableChange } from '../committed-variables.js';
import { ActionFailure } from '../errors.js';
import type { ActionExecutor } from './types.js';
import { declaredTypeName, detach, requireVariable } from './variable-types.js';

/** AppendToArrayVariable: pushes one value (any JSON type) onto an Array variable. */
export const appendToArrayVariable: ActionExecutor = async (ctx) => {
  const inputs = ctx.evaluateInputs() as { name?: unknown; value?: unknown } | undefined;
  const { key, name, variable } = requireVariable(ctx.run, inputs?.name);
  if (variable.type !== 'array') {
    throw new ActionFailure(
      'InvalidTemplate',
      `The variable '${name}' of type '${declaredTypeName(variable.type) ?? variable.type}' cannot be appended to by 'AppendToArrayVariable'. Only variables of type 'Array' support this operation.`,
    );
  }
  const value = inputs?.value === undefined ? null : inputs.value;
  saveVariableChange(ctx.run, ctx.frame, ctx.action.name, { kind: 'appendItem', key, value: detach(value) });
  return { code: 'OK', inputs: { name, value } };
};
