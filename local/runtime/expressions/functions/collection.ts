import { ExpressionError } from '../errors.js';
import { deepEquals, findKey, isObject, stringify, type Value, type ValueObject } from '../values.js';
import { compareValues } from './logical.js';
import { arg, arr, intNum, str, typeError } from './args.js';
import { fn, type FunctionDef } from './types.js';

/** Collection functions over arrays, strings and (for some) objects. */

function arrayOrString(name: string, v: Value, index?: number): Value[] | string {
  if (typeof v === 'string' || Array.isArray(v)) return v;
  throw typeError(name, 'be an array or a string', v, index);
}

function dedupe(values: Value[]): Value[] {
  const out: Value[] = [];
  for (const v of values) if (!out.some((o) => deepEquals(o, v))) out.push(v);
  return out;
}

function sameKind(name: string, args: Value[]): 'array' | 'object' {
  if (args.every((a) => Array.isArray(a))) return 'array';
  if (args.every((a) => isObject(a))) return 'object';
  throw new ExpressionError(
    `The template language function '${name}' expects parameters of same type: all arrays or all objects.`,
  );
}

function intersection(name: string, args: Value[]): Value {
  if (sameKind(name, args) === 'array') {
    const [first, ...rest] = args as Value[][];
    return dedupe(first ?? []).filter((v) => rest.every((r) => r.some((x) => deepEquals(x, v))));
  }
  const [first, ...rest] = args as ValueObject[];
  const out: ValueObject = {};
  for (const [k, v] of Object.entries(first ?? {})) {
    if (rest.every((r) => Object.prototype.hasOwnProperty.call(r, k) && deepEquals(r[k] as Value, v))) out[k] = v;
  }
  return out;
}

function union(name: string, args: Value[]): Value {
  if (sameKind(name, args) === 'array') return dedupe((args as Value[][]).flat());
  const out: ValueObject = {};
  for (const o of args as ValueObject[]) for (const [k, v] of Object.entries(o)) out[k] = v;
  return out;
}

function count(name: string, args: Value[], i: number): number {
  const n = intNum(name, args, i, 'be a positive integer');
  if (n < 0) throw typeError(name, 'be a positive integer', arg(args, i), i);
  return n;
}

function sortKey(name: string, v: Value, key: string | undefined): Value {
  if (key === undefined) return v;
  if (!isObject(v)) throw typeError(name, 'be an array of objects when a sort key is given', v, 0);
  const found = findKey(v, key);
  return found === undefined ? null : (v[found] as Value);
}

function sort(args: Value[], name: string): Value[] {
  const items = arr(name, args, 0, 'be an array');
  const key = args.length > 1 ? str(name, args, 1) : undefined;
  // Stable sort; nulls first as the host's comparer places them.
  return [...items].sort((a, b) => {
    const x = sortKey(name, a, key);
    const y = sortKey(name, b, key);
    if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
    return compareValues(name, x, y);
  });
}

function chunk(name: string, args: Value[]): Value[] {
  const source = arrayOrString(name, arg(args, 0), 0);
  const size = intNum(name, args, 1, 'be a positive integer');
  if (size <= 0) throw typeError(name, 'be a positive integer', arg(args, 1), 1);
  const out: Value[] = [];
  for (let i = 0; i < source.length; i += size) out.push(source.slice(i, i + size));
  return out;
}

export const collectionFunctions: FunctionDef[] = [
  fn('contains', 2, 2, (args, env) => {
    const collection = arg(args, 0);
    const value = arg(args, 1);
    if (typeof collection === 'string') {
      if (typeof value !== 'string') throw typeError(env.name, 'be a string when searching a string', value, 1);
      return collection.includes(value);
    }
    if (Array.isArray(collection)) return collection.some((x) => deepEquals(x, value));
    if (isObject(collection)) {
      if (typeof value !== 'string') throw typeError(env.name, 'be a string when searching an object', value, 1);
      return findKey(collection, value) !== undefined;
    }
    throw typeError(env.name, 'be an object, an array or a string', collection, 0);
  }),
  fn('length', 1, 1, (args, env) => BigInt(arrayOrString(env.name, arg(args, 0)).length)),
  fn('empty', 1, 1, (args, env) => {
    const v = arg(args, 0);
    if (v === null) return true;
    if (typeof v === 'string' || Array.isArray(v)) return v.length === 0;
    if (isObject(v)) return Object.keys(v).length === 0;
    throw typeError(env.name, 'be an object, an array or a string', v);
  }),
  // first('') and last('') are '' (an empty array gives null), as recorded from the host in IllogicApps CollectionFunctionsTests.
  fn('first', 1, 1, (args, env) => {
    const v = arrayOrString(env.name, arg(args, 0));
    if (v.length === 0) return typeof v === 'string' ? '' : null;
    return v[0] as Value;
  }),
  fn('last', 1, 1, (args, env) => {
    const v = arrayOrString(env.name, arg(args, 0));
    if (v.length === 0) return typeof v === 'string' ? '' : null;
    return v[v.length - 1] as Value;
  }),
  fn('take', 2, 2, (args, env) => arrayOrString(env.name, arg(args, 0), 0).slice(0, count(env.name, args, 1))),
  fn('skip', 2, 2, (args, env) => arrayOrString(env.name, arg(args, 0), 0).slice(count(env.name, args, 1))),
  fn('join', 2, 2, (args, env) => {
    const items = arr(env.name, args, 0, 'be an array');
    // The separator must be a string; null is refused (IllogicApps CollectionFunctionsTests, recorded from the host).
    const separator = str(env.name, args, 1, 'be of type string');
    return items.map(stringify).join(separator);
  }),
  fn('reverse', 1, 1, (args, env) => [...arr(env.name, args, 0, 'be of type array')].reverse()),
  fn('sort', 1, 2, (args, env) => sort(args, env.name)),
  fn('sortBy', 2, 2, (args, env) => sort(args, env.name)),
  fn('intersection', 1, Infinity, (args, env) => intersection(env.name, args)),
  fn('union', 1, Infinity, (args, env) => union(env.name, args)),
  fn('chunk', 2, 2, (args, env) => chunk(env.name, args)),
];
