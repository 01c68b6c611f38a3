import { changeVariable as saveVariableChange } from '../committed-variables.js';
import { ActionFailure } from '../errors.js';
import type { ActionExecutor } from './types.js';
import { declaredTypeName, defaultValue, detach, fitsType, typeMismatch } from './variable-types.js';

interface VariableDecl {
  name?: unknown;
  type?: unknown;
  value?: unknown;
}

/** InitializeVariable: declares one or more variables with a type; values must fit the type. */
export const initializeVariable: ActionExecutor = async (ctx) => {
  const inputs = ctx.evaluateInputs() as { variables?: VariableDecl[] } | undefined;
  const decls = Array.isArray(inputs?.variables) ? inputs.variables : [];
  const recorded: Array<{ name: string; type: string; value: unknown }> = [];
  for (const d of decls) {
    const name = String(d.name ?? '');
    const type = String(d.type ?? '');
    if (!declaredTypeName(type)) {
      throw new ActionFailure('InvalidTemplate', `The variable '${name}' has an unsupported type '${type}'. Supported types are 'String', 'Integer', 'Float', 'Boolean', 'Object' and 'Array'.`);
    }
    if (ctx.run.variables.has(name.toLowerCase())) {
      throw new ActionFailure('InvalidTemplate', `The variable '${name}' has already been initialized.`);
    }
    const value = d.value === undefined ? defaultValue(type) : d.value;
    if (!fitsType(type, value)) throw typeMismatch(name, type, value);
    saveVariableChange(ctx.run, ctx.frame, ctx.action.name, { kind: 'set', key: name.toLowerCase(), variable: { type: type.toLowerCase(), value: detach(value) } });
    recorded.push({ name, type, value });
  }
  return { code: 'OK', inputs: { variables: recorded } };
};
