import { compileValue, type CompiledValue } from '../compiled-value.js';
import type { CompiledAction } from '../compile.js';

/**
 * One property of `inputs`, compiled on its own: Query/Select evaluate `where`/`select` once per
 * item, so their inputs cannot be evaluated as one tree.
 */
export function inputField(action: CompiledAction, key: string): CompiledValue {
  const cacheKey = `inputs.${key}`;
  let c = action.fields.get(cacheKey);
  if (!c) {
    const inputs = action.def.inputs;
    const raw = inputs !== null && typeof inputs === 'object' ? (inputs as Record<string, unknown>)[key] : undefined;
    c = compileValue(raw);
    action.fields.set(cacheKey, c);
  }
  return c;
}
