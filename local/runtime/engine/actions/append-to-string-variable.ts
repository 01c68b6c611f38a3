import { changeVariable as saveVariableChange } from '../committed-variables.js';
import { ActionFailure } from '../errors.js';
import type { ActionExecutor } from './types.js';
import { azureTypeName, declaredTypeName, requireVariable } from './variable-types.js';

/** AppendToStringVariable: appends text to a String variable; numbers and booleans are written as text. */
export const appendToStringVariable: ActionExecutor = async (ctx) => {
  const inputs = ctx.evaluateInputs() as { name?: unknown; value?: unknown } | undefined;
  const { key, name, variable } = requireVariable(ctx.run, inputs?.name);
  if (variable.type !== 'string') {
    throw new ActionFailure(
      'InvalidTemplate',
      `The variable '${name}' of type '${declaredTypeName(variable.type) ?? variable.type}' cannot be appended to by 'AppendToStringVariable'. Only variables of type 'String' support this operation.`,
    );
  }
  const value = inputs?.value;
  if (value !== null && typeof value === 'object') {
    throw new ActionFailure(
      'InvalidTemplate',
      `The value of type '${azureTypeName(value)}' cannot be appended to the variable '${name}' of type 'String'.`,
    );
  }
  const text = value === undefined || value === null ? '' : typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  saveVariableChange(ctx.run, ctx.frame, ctx.action.name, { kind: 'appendText', key, text });
  return { code: 'OK', inputs: { name, value } };
};
