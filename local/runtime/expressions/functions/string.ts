import { randomUUID } from 'node:crypto';
import { ExpressionError } from '../errors.js';
import { formatNumber } from '../format/number-format.js';
import { BinaryValue, isNumeric, stringify, type Value } from '../values.js';
import { arg, fail, intNum, optionalStr, str, typeError } from './args.js';
import { fn, type FunctionDef } from './types.js';

/** String functions. indexOf/lastIndexOf/nthIndexOf/startsWith/endsWith ignore case, per the docs. */

function lowerPair(name: string, args: Value[]): [string, string] {
  return [str(name, args, 0).toLowerCase(), str(name, args, 1).toLowerCase()];
}

/** Dotless ı and dotted İ keep their case under .NET's invariant culture (they are Turkish-specific mappings). */
const INVARIANT_KEEPS = new Set(['\u0131', '\u0130']);

/**
 * .NET ToUpperInvariant/ToLowerInvariant: one character to one character, without context (no "ß" -> "SS",
 * no final sigma, "ı" and "İ" unchanged), as recorded from the host in IllogicApps StringFunctionsTests.
 */
export function invariantCase(text: string, to: 'upper' | 'lower'): string {
  let out = '';
  for (const ch of text) {
    if (INVARIANT_KEEPS.has(ch)) {
      out += ch;
      continue;
    }
    const mapped = to === 'upper' ? ch.toUpperCase() : ch.toLowerCase();
    out += [...mapped].length === 1 ? mapped : ch;
  }
  return out;
}

function guid(format: string | undefined): string {
  const d = randomUUID();
  switch ((format ?? 'D').toUpperCase()) {
    case 'D':
      return d;
    case 'N':
      return d.replace(/-/g, '');
    case 'B':
      return `{${d}}`;
    case 'P':
      return `(${d})`;
    case 'X': {
      const h = d.replace(/-/g, '');
      const parts = [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16)].map((p) => `0x${p}`);
      const tail = h.slice(16).match(/../g)?.map((b) => `0x${b}`) ?? [];
      return `{${parts.join(',')},{${tail.join(',')}}}`;
    }
    default:
      throw new ExpressionError(`The template language function 'guid' format '${format ?? ''}' is not valid: use N, D, B, P or X.`);
  }
}

function nthIndexOf(name: string, args: Value[]): bigint {
  const [text, search] = lowerPair(name, args);
  const n = intNum(name, args, 2);
  if (n === 0) throw fail(name, 'the occurrence number must not be zero.');
  if (n > 0) {
    let from = 0;
    for (let k = 1; ; k++) {
      const at = text.indexOf(search, from);
      if (at < 0) return -1n;
      if (k === n) return BigInt(at);
      from = at + 1;
    }
  }
  let from = text.length;
  for (let k = -1; ; k--) {
    const at = text.lastIndexOf(search, from);
    if (at < 0) return -1n;
    if (k === n) return BigInt(at);
    from = at - 1;
    if (from < 0) return -1n;
  }
}

export const stringFunctions: FunctionDef[] = [
  fn('concat', 1, Infinity, (args) => args.map(stringify).join('')),
  fn('substring', 2, 3, (args, env) => {
    const text = str(env.name, args, 0);
    const start = intNum(env.name, args, 1);
    const length = args.length > 2 ? intNum(env.name, args, 2) : text.length - start;
    if (start < 0 || length < 0 || start + length > text.length) {
      throw new ExpressionError(
        `The template language function '${env.name}' parameters are out of range: 'start index' and 'length' must be non-negative integers and their sum must be no larger than the length of the string.`,
      );
    }
    return text.substr(start, length);
  }),
  fn('slice', 2, 3, (args, env) => {
    const text = str(env.name, args, 0);
    const len = text.length;
    const clamp = (i: number): number => Math.min(len, Math.max(0, i < 0 ? len + i : i));
    const start = clamp(intNum(env.name, args, 1));
    const end = args.length > 2 && arg(args, 2) !== null ? clamp(intNum(env.name, args, 2)) : len;
    return end <= start ? '' : text.slice(start, end);
  }),
  fn('replace', 3, 3, (args, env) => {
    const text = str(env.name, args, 0);
    const oldValue = str(env.name, args, 1);
    const newValue = arg(args, 2);
    if (oldValue === '') throw fail(env.name, "String cannot be of zero length. (Parameter 'oldValue')");
    return text.split(oldValue).join(newValue === null ? '' : stringify(newValue));
  }),
  fn('guid', 0, 1, (args, env) => guid(optionalStr(env.name, args, 0))),
  fn('toLower', 1, 1, (args, env) => invariantCase(str(env.name, args, 0), 'lower')),
  fn('toUpper', 1, 1, (args, env) => invariantCase(str(env.name, args, 0), 'upper')),
  fn('indexOf', 2, 2, (args, env) => {
    const [text, search] = lowerPair(env.name, args);
    return BigInt(text.indexOf(search));
  }),
  fn('lastIndexOf', 2, 2, (args, env) => {
    const [text, search] = lowerPair(env.name, args);
    return BigInt(search === '' ? text.length : text.lastIndexOf(search));
  }),
  fn('nthIndexOf', 3, 3, (args, env) => nthIndexOf(env.name, args)),
  fn('startsWith', 2, 2, (args, env) => {
    const [text, search] = lowerPair(env.name, args);
    return text.startsWith(search);
  }),
  fn('endsWith', 2, 2, (args, env) => {
    const [text, search] = lowerPair(env.name, args);
    return text.endsWith(search);
  }),
  fn('split', 2, 2, (args, env) => {
    const text = str(env.name, args, 0, 'be of type string');
    const separator = str(env.name, args, 1, 'be of type string');
    return separator === '' ? [text] : text.split(separator);
  }),
  fn('trim', 1, 1, (args, env) => {
    const v = arg(args, 0);
    if (typeof v !== 'string') {
      throw new ExpressionError(
        `The template language function '${env.name}' was invoked with parameters that are not valid: the parameter must be a string, not a value of type '${v === null ? 'Null' : v instanceof BinaryValue ? 'Binary' : typeof v}'.`,
      );
    }
    return v.trim();
  }),
  fn('formatNumber', 2, 3, (args, env) => {
    const n = arg(args, 0);
    if (!isNumeric(n)) throw typeError(env.name, 'be a number', n, 0);
    return formatNumber(n, str(env.name, args, 1), optionalStr(env.name, args, 2));
  }),
  fn('trimByteOrderMark', 1, 1, (args, env) => {
    const v = arg(args, 0);
    if (typeof v === 'string') return v.replace(/^\uFEFF/, '');
    if (v instanceof BinaryValue) {
      const bytes = v.bytes();
      const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      return bom ? BinaryValue.fromBytes(bytes.subarray(3), v.contentType) : v;
    }
    throw typeError(env.name, 'be a string or binary content', v);
  }),
  fn('utf8Length', 1, 1, (args, env) => BigInt(Buffer.byteLength(str(env.name, args, 0), 'utf8'))),
  fn('utf16Length', 1, 1, (args, env) => BigInt(str(env.name, args, 0).length)),
];

