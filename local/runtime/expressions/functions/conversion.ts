import { ExpressionError } from '../errors.js';
import { parseJsonText } from '../json-text.js';
import { BinaryValue, Decimal, isValidBase64, stringify, toJsonText, typeName, type Value } from '../values.js';
import { arg, optionalStr, str, typeError } from './args.js';
import { dataUriToBinary, dataUriToString } from './data-uri.js';
import { isFloat, isInt, toDecimal, toFloat, toInt } from './numeric-conversion.js';
import { fn, type FunctionDef } from './types.js';
import { isXml, xmlValueToJson } from './xml.js';

/** Conversion functions: JSON, numbers, booleans, base64, binary, data URIs, URI components. */

/** Bytes of a value as the host would send it: strings as UTF-8, binary as is, the rest as JSON. */
function bytesOf(v: Value): Buffer {
  if (v instanceof BinaryValue) return v.bytes();
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  return Buffer.from(toJsonText(v), 'utf8');
}

/** .NET Uri.EscapeDataString: only RFC 3986 unreserved characters stay unescaped. */
export function escapeDataString(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + (c.charCodeAt(0).toString(16).toUpperCase()));
}

function unescapeDataString(text: string): string {
  // Uri.UnescapeDataString leaves malformed escapes untouched instead of failing.
  return text.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function base64Text(name: string, args: Value[]): string {
  const text = str(name, args, 0);
  const compact = text.replace(/\s/g, '');
  if (!isValidBase64(compact)) throw new ExpressionError(`The template language function '${name}' was invoked with a parameter that is not valid: '${text}' is not a valid Base-64 string.`);
  return text;
}

function json(name: string, v: Value): Value {
  if (typeof v === 'string') return parseJsonText(v);
  if (isXml(v)) return xmlValueToJson(v);
  if (v instanceof BinaryValue) return parseJsonText(v.text());
  if (v === null || typeof v === 'object') return v;
  throw typeError(name, 'be a string or binary content containing JSON', v);
}

function bool(name: string, v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof Decimal) return v.mantissa !== 0n;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
  }
  throw new ExpressionError(
    `The template language function '${name}' was invoked with a parameter that is not valid. The value '${stringify(v)}' of type '${typeName(v)}' cannot be converted to a boolean.`,
  );
}

/**
 * Text of a non-string, non-binary value for binary() and dataUri(): booleans as .NET writes them ("True",
 * "False"), the rest as JSON; null is refused (IllogicApps BinaryConversionTests, which record the host).
 */
function valueText(name: string, v: Value): string {
  if (v === null) throw new ExpressionError(`The template language function '${name}' expects a value that is not null.`);
  if (typeof v === 'boolean') return stringify(v);
  return toJsonText(v);
}

function binary(name: string, v: Value): BinaryValue {
  if (v instanceof BinaryValue || typeof v === 'string') return BinaryValue.fromBytes(bytesOf(v));
  return BinaryValue.fromBytes(Buffer.from(valueText(name, v), 'utf8'));
}

function dataUri(name: string, v: Value): string {
  if (v instanceof BinaryValue) return `data:${v.contentType};base64,${v.content}`;
  if (typeof v === 'string') return `data:text/plain;charset=utf-8;base64,${Buffer.from(v, 'utf8').toString('base64')}`;
  return `data:application/json;charset=utf-8;base64,${Buffer.from(valueText(name, v), 'utf8').toString('base64')}`;
}

export const conversionFunctions: FunctionDef[] = [
  fn('json', 1, 1, (args, env) => json(env.name, arg(args, 0))),
  fn('int', 1, 1, (args, env) => toInt(env.name, arg(args, 0))),
  fn('float', 1, 2, (args, env) => toFloat(env.name, arg(args, 0), optionalStr(env.name, args, 1))),
  fn('decimal', 1, 1, (args, env) => toDecimal(env.name, arg(args, 0))),
  fn('string', 1, 1, (args) => stringify(arg(args, 0))),
  fn('bool', 1, 1, (args, env) => bool(env.name, arg(args, 0))),
  fn('isInt', 1, 1, (args) => isInt(arg(args, 0))),
  fn('isFloat', 1, 2, (args, env) => isFloat(arg(args, 0), optionalStr(env.name, args, 1))),
  fn('array', 1, 1, (args) => [arg(args, 0)]),
  fn('createArray', 0, Infinity, (args) => [...args]),
  fn('base64', 1, 1, (args) => bytesOf(arg(args, 0)).toString('base64')),
  fn('base64ToBinary', 1, 1, (args, env) => new BinaryValue('application/octet-stream', base64Text(env.name, args))),
  fn('base64ToString', 1, 1, (args, env) => Buffer.from(base64Text(env.name, args).replace(/\s/g, ''), 'base64').toString('utf8')),
  fn('decodeBase64', 1, 1, (args, env) => Buffer.from(base64Text(env.name, args).replace(/\s/g, ''), 'base64').toString('utf8')),
  fn('binary', 1, 1, (args, env) => binary(env.name, arg(args, 0))),
  fn('dataUri', 1, 1, (args, env) => dataUri(env.name, arg(args, 0))),
  fn('dataUriToBinary', 1, 1, (args, env) => dataUriToBinary(str(env.name, args, 0))),
  fn('decodeDataUri', 1, 1, (args, env) => dataUriToBinary(str(env.name, args, 0))),
  fn('dataUriToString', 1, 1, (args, env) => dataUriToString(str(env.name, args, 0))),
  fn('encodeUriComponent', 1, 1, (args) => escapeDataString(stringify(arg(args, 0)))),
  fn('uriComponent', 1, 1, (args) => escapeDataString(stringify(arg(args, 0)))),
  fn('decodeUriComponent', 1, 1, (args, env) => unescapeDataString(str(env.name, args, 0))),
  fn('uriComponentToString', 1, 1, (args, env) => unescapeDataString(str(env.name, args, 0))),
  fn('uriComponentToBinary', 1, 1, (args, env) => BinaryValue.fromBytes(Buffer.from(unescapeDataString(str(env.name, args, 0)), 'utf8'))),
];
