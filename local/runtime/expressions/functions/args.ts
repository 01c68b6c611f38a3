import { ExpressionError } from '../errors.js';
import { BinaryValue, Decimal, isObject, typeName, type Value, type ValueObject } from '../values.js';

/** Argument checks shared by the function families; messages follow the host's wording. */

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];

function count(n: number, noun = 'parameter'): string {
  return `${WORDS[n] ?? String(n)} ${noun}${n === 1 ? '' : 's'}`;
}

export function arityMessage(name: string, min: number, max: number, got: number): string {
  let expects: string;
  if (min === max) expects = `expects ${count(min)}`;
  else if (max === Infinity) expects = `expects at least ${count(min)}`;
  else if (max === min + 1) expects = `expects either ${WORDS[min] ?? min} or ${count(max)}`;
  else expects = `expects between ${WORDS[min] ?? min} and ${count(max)}`;
  return `The template language function '${name}' ${expects}. The function was invoked with '${got}' parameter${got === 1 ? '' : 's'}.`;
}

function which(index: number | undefined): string {
  return index === undefined ? 'its parameter' : `its ${ORDINALS[index] ?? `#${index + 1}`} parameter`;
}

/** "The template language function 'x' expects its first parameter to <expectation>. ..." */
export function typeError(name: string, expectation: string, value: Value | undefined, index?: number): ExpressionError {
  return new ExpressionError(
    `The template language function '${name}' expects ${which(index)} to ${expectation}. The provided value is of type '${typeName(value)}'.`,
  );
}

export function fail(name: string, reason: string): ExpressionError {
  return new ExpressionError(`The template language function '${name}' failed: ${reason}`);
}

export function arg(args: Value[], i: number): Value {
  return args[i] ?? null;
}

export function str(name: string, args: Value[], i: number, expectation = 'be a string'): string {
  const v = arg(args, i);
  if (typeof v !== 'string') throw typeError(name, expectation, v, args.length > 1 ? i : undefined);
  return v;
}

/** An integer argument (a float with no fraction is accepted, as the host does). */
export function int(name: string, args: Value[], i: number, expectation = 'be an integer'): bigint {
  const v = arg(args, i);
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (v instanceof Decimal && v.isInteger()) return v.truncate();
  throw typeError(name, expectation, v, args.length > 1 ? i : undefined);
}

export function intNum(name: string, args: Value[], i: number, expectation?: string): number {
  return Number(int(name, args, i, expectation));
}

export function obj(name: string, args: Value[], i: number, expectation = 'be of type object'): ValueObject {
  const v = arg(args, i);
  if (!isObject(v)) throw typeError(name, expectation, v, args.length > 1 ? i : undefined);
  return v;
}

export function arr(name: string, args: Value[], i: number, expectation = 'be an array'): Value[] {
  const v = arg(args, i);
  if (!Array.isArray(v)) throw typeError(name, expectation, v, args.length > 1 ? i : undefined);
  return v;
}

export function optionalStr(name: string, args: Value[], i: number): string | undefined {
  const v = args[i];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw typeError(name, 'be a string', v, i);
  return v;
}

export function isBinary(v: Value): v is BinaryValue {
  return v instanceof BinaryValue;
}
