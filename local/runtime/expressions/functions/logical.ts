import { ExpressionError } from '../errors.js';
import { Decimal, deepEquals, isNumeric, toDouble, typeName, type Value } from '../values.js';
import { fn, type FunctionDef } from './types.js';

/** Logical comparison functions; and/or/if short-circuit like the host. */

function truthy(name: string, v: Value): boolean {
  if (typeof v === 'boolean') return v;
  throw new ExpressionError(
    `The template language function '${name}' expects all of its parameters to be of type boolean. The provided value is of type '${typeName(v)}'.`,
  );
}

/** Orders two numbers or two strings (ordinal); anything else is an error. */
export function compareValues(name: string, a: Value, b: Value): number {
  if (isNumeric(a) && isNumeric(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    if (a instanceof Decimal && b instanceof Decimal) return a.compare(b);
    const x = toDouble(a);
    const y = toDouble(b);
    // NaN compares below everything, as .NET's Double.CompareTo does.
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new ExpressionError(
    `The template language function '${name}' expects two parameters of matching type: both numbers or both strings. The provided values are of types '${typeName(a)}' and '${typeName(b)}'.`,
  );
}

export const logicalFunctions: FunctionDef[] = [
  {
    name: 'and',
    minArgs: 1,
    maxArgs: Infinity,
    lazy: (args, env) => {
      for (const a of args) if (!truthy(env.name, a())) return false;
      return true;
    },
  },
  {
    name: 'or',
    minArgs: 1,
    maxArgs: Infinity,
    lazy: (args, env) => {
      for (const a of args) if (truthy(env.name, a())) return true;
      return false;
    },
  },
  {
    name: 'if',
    minArgs: 3,
    maxArgs: 3,
    lazy: ([cond, then, otherwise], env) => (truthy(env.name, (cond as () => Value)()) ? (then as () => Value)() : (otherwise as () => Value)()),
  },
  fn('not', 1, 1, ([v], env) => !truthy(env.name, v ?? null)),
  fn('equals', 2, 2, ([a, b]) => deepEquals(a ?? null, b ?? null)),
  fn('less', 2, 2, ([a, b], env) => compareValues(env.name, a ?? null, b ?? null) < 0),
  fn('lessOrEquals', 2, 2, ([a, b], env) => compareValues(env.name, a ?? null, b ?? null) <= 0),
  fn('greater', 2, 2, ([a, b], env) => compareValues(env.name, a ?? null, b ?? null) > 0),
  fn('greaterOrEquals', 2, 2, ([a, b], env) => compareValues(env.name, a ?? null, b ?? null) >= 0),
];
