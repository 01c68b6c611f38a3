import { randomInt } from 'node:crypto';
import { ExpressionError } from '../errors.js';
import { Decimal, isNumeric, type Value } from '../values.js';
import { arg, int, typeError } from './args.js';
import { compareValues } from './logical.js';
import { fn, type FunctionDef } from './types.js';

/**
 * Arithmetic with the host's number kinds: integer op integer stays an int64 (overflow is an
 * error, division truncates), any float makes a double, any decimal makes a decimal.
 */
type Num = bigint | number | Decimal;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function num(name: string, args: Value[], i: number): Num {
  const v = arg(args, i);
  if (!isNumeric(v)) throw typeError(name, 'be an integer or a decimal number', v, i);
  return v;
}

function checked(name: string, v: bigint): bigint {
  if (v < INT64_MIN || v > INT64_MAX) {
    throw new ExpressionError(`The template language function '${name}' failed: Arithmetic operation resulted in an overflow.`);
  }
  return v;
}

function asDecimal(v: Num): Decimal {
  if (v instanceof Decimal) return v;
  return typeof v === 'bigint' ? Decimal.fromBigInt(v) : Decimal.fromNumber(v);
}

function asDouble(v: Num): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v.toNumber();
}

interface Op {
  int(a: bigint, b: bigint): bigint;
  float(a: number, b: number): number;
  dec(a: Decimal, b: Decimal): Decimal;
  /** Division-like operations refuse a zero divisor of any kind. */
  zeroCheck?: boolean;
}

function isZero(v: Num): boolean {
  return typeof v === 'bigint' ? v === 0n : typeof v === 'number' ? v === 0 : v.mantissa === 0n;
}

function arithmetic(name: string, args: Value[], op: Op): Num {
  const a = num(name, args, 0);
  const b = num(name, args, 1);
  if (op.zeroCheck && isZero(b)) throw new ExpressionError(`The template language function '${name}' failed: Attempted to divide by zero.`);
  try {
    if (a instanceof Decimal || b instanceof Decimal) return op.dec(asDecimal(a), asDecimal(b));
  } catch (err) {
    if (err instanceof ExpressionError) throw new ExpressionError(`The template language function '${name}' failed: ${err.message}`);
    throw err;
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return checked(name, op.int(a, b));
  return op.float(asDouble(a), asDouble(b));
}

function numbersOf(name: string, args: Value[]): Num[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (list.length === 0) throw new ExpressionError(`The template language function '${name}' expects at least one number.`);
  return list.map((v, i) => {
    if (!isNumeric(v)) throw typeError(name, 'be numbers or an array of numbers', v, i);
    return v;
  });
}

export const mathFunctions: FunctionDef[] = [
  fn('add', 2, 2, (args, env) => arithmetic(env.name, args, { int: (a, b) => a + b, float: (a, b) => a + b, dec: (a, b) => a.add(b) })),
  fn('sub', 2, 2, (args, env) => arithmetic(env.name, args, { int: (a, b) => a - b, float: (a, b) => a - b, dec: (a, b) => a.sub(b) })),
  fn('mul', 2, 2, (args, env) => arithmetic(env.name, args, { int: (a, b) => a * b, float: (a, b) => a * b, dec: (a, b) => a.mul(b) })),
  fn('div', 2, 2, (args, env) =>
    arithmetic(env.name, args, { int: (a, b) => a / b, float: (a, b) => a / b, dec: (a, b) => a.div(b), zeroCheck: true }),
  ),
  fn('mod', 2, 2, (args, env) =>
    arithmetic(env.name, args, { int: (a, b) => a % b, float: (a, b) => a % b, dec: (a, b) => a.mod(b), zeroCheck: true }),
  ),
  fn('min', 1, Infinity, (args, env) => extreme(env.name, args, -1)),
  fn('max', 1, Infinity, (args, env) => extreme(env.name, args, 1)),
  fn('range', 2, 2, (args, env) => {
    const start = int(env.name, args, 0);
    const count = int(env.name, args, 1);
    if (count < 0n) throw typeError(env.name, 'be a non-negative integer', arg(args, 1), 1);
    if (count > 100_000n) throw new ExpressionError(`The template language function '${env.name}' count '${count}' exceeds the limit of 100000.`);
    checked(env.name, start + count);
    return Array.from({ length: Number(count) }, (_, i) => start + BigInt(i));
  }),
  fn('rand', 2, 2, (args, env) => {
    const min = int(env.name, args, 0);
    const max = int(env.name, args, 1);
    if (min >= max) throw new ExpressionError(`The template language function '${env.name}' expects the minimum value '${min}' to be less than the maximum value '${max}'.`);
    const span = max - min;
    if (span <= BigInt(Number.MAX_SAFE_INTEGER)) return min + BigInt(randomInt(0, Number(span) > 2 ** 47 ? 2 ** 47 : Number(span)));
    return min + BigInt(Math.floor(Math.random() * Number(span)));
  }),
];

/**
 * min()/max(): with a decimal among the values the answer is a decimal too (the host widens every value to
 * the widest kind first; IllogicApps NumericLimitsTests: mul(max(20, decimal('10'), 30.1), 1e50) overflows).
 */
function extreme(name: string, args: Value[], sign: 1 | -1): Value {
  const values = numbersOf(name, args);
  const best = values.reduce((m, v) => (sign * compareValues(name, v, m) > 0 ? v : m));
  if (!(best instanceof Decimal) && values.some((v) => v instanceof Decimal)) {
    return typeof best === 'bigint' ? Decimal.fromBigInt(best) : Decimal.fromNumber(best as number);
  }
  return best;
}
