import type { ActionExecutor } from './types.js';

/** Compose: evaluates its inputs; outputs('X') is the same value. */
export const compose: ActionExecutor = async (ctx) => {
  const value = ctx.evaluateInputs();
  return { code: 'OK', inputs: value, outputs: value };
};
