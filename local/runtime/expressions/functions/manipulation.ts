import { ExpressionError } from '../errors.js';
import { BinaryValue, findKey, isObject, type Value, type ValueObject } from '../values.js';
import { arg, str, typeError } from './args.js';
import { fn, type FunctionDef } from './types.js';

/**
 * JSON manipulation. Binary/XML content counts as an object here: the host edits its
 * {$content-type,$content} envelope.
 */

function target(name: string, v: Value): ValueObject {
  if (v instanceof BinaryValue) return { '$content-type': v.contentType, '$content': v.content };
  if (!isObject(v)) throw typeError(name, 'be of type object', v, 0);
  return { ...v };
}

function withoutKey(o: ValueObject, key: string): ValueObject {
  const out: ValueObject = {};
  for (const [k, v] of Object.entries(o)) if (k !== key) out[k] = v;
  return out;
}

export const manipulationFunctions: FunctionDef[] = [
  {
    name: 'coalesce',
    minArgs: 1,
    maxArgs: Infinity,
    lazy: (args) => {
      for (const a of args) {
        const v = a();
        if (v !== null) return v;
      }
      return null;
    },
  },
  fn('addProperty', 3, 3, (args, env) => {
    const o = target(env.name, arg(args, 0));
    const key = str(env.name, args, 1, 'be of type string');
    if (findKey(o, key) !== undefined) {
      throw new ExpressionError(
        `The template language function '${env.name}' expects the property to not exist in the object, but the object already has a property named '${key}'. Use setProperty() to change it.`,
      );
    }
    o[key] = arg(args, 2);
    return o;
  }),
  fn('setProperty', 3, 3, (args, env) => {
    const o = target(env.name, arg(args, 0));
    const key = str(env.name, args, 1, 'be of type string');
    // The host replaces the matching property under its existing spelling, moving it last.
    const existing = findKey(o, key);
    const out = existing === undefined ? o : withoutKey(o, existing);
    out[existing ?? key] = arg(args, 2);
    return out;
  }),
  fn('removeProperty', 2, 2, (args, env) => {
    const o = target(env.name, arg(args, 0));
    const key = str(env.name, args, 1, 'be of type string');
    const existing = findKey(o, key);
    return existing === undefined ? o : withoutKey(o, existing);
  }),
  fn('mergeObjects', 1, Infinity, (args, env) => {
    let out: ValueObject = {};
    args.forEach((a, i) => {
      if (!isObject(a)) throw typeError(env.name, 'be of type object', a, i);
      for (const [k, v] of Object.entries(a)) {
        const existing = findKey(out, k);
        if (existing !== undefined) out = withoutKey(out, existing);
        out[existing ?? k] = v;
      }
    });
    return out;
  }),
];
