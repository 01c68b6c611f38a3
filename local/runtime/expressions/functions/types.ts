import type { ExpressionContext } from '../context.js';
import type { Value } from '../values.js';

/** What a function implementation receives besides its arguments. */
export interface CallEnv {
  ctx: ExpressionContext;
  /** The function name as written in the expression, for messages. */
  name: string;
}

export interface FunctionDef {
  /** Canonical spelling (lookup is case-insensitive). */
  name: string;
  minArgs: number;
  /** Infinity for variadic functions. */
  maxArgs: number;
  /** Evaluated arguments. */
  impl?: (args: Value[], env: CallEnv) => Value;
  /** Short-circuiting functions receive thunks instead (and, or, if, coalesce). */
  lazy?: (args: Array<() => Value>, env: CallEnv) => Value;
  /** Known to the language but refused by this runtime (none today; see UnsupportedFunctionError). */
  unsupported?: boolean;
}

export function fn(name: string, minArgs: number, maxArgs: number, impl: FunctionDef['impl']): FunctionDef {
  return { name, minArgs, maxArgs, impl };
}
