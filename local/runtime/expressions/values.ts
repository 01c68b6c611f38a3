import { Decimal } from './decimal.js';
import { ExpressionError } from './errors.js';

/**
 * Values as the evaluator holds them. The WDL distinguishes integers (int64), floats (double)
 * and decimals, which JSON numbers cannot: integers are `bigint`, floats are `number`, decimals
 * are {@link Decimal}. Binary content is {@link BinaryValue}. Objects and arrays hold values of
 * the same kinds. {@link toInternal} / {@link toExternal} convert at the boundary with plain JSON.
 */
export type Value = null | boolean | string | bigint | number | Decimal | BinaryValue | Value[] | ValueObject;
export interface ValueObject {
  [key: string]: Value;
}

export { Decimal };

/**
 * Sets a property even when the key is "__proto__" (a plain assignment would replace the
 * object's prototype and drop the data).
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Binary content; `content` is kept as the base64 text it was given (the host does the same). */
export class BinaryValue {
  constructor(
    readonly contentType: string,
    readonly content: string,
  ) {}

  static fromBytes(bytes: Uint8Array, contentType = 'application/octet-stream'): BinaryValue {
    return new BinaryValue(contentType, Buffer.from(bytes).toString('base64'));
  }

  /** Decodes the base64 content; throws when it is not valid base64. */
  bytes(): Buffer {
    const compact = this.content.replace(/[\s]/g, '');
    if (!isValidBase64(compact)) {
      throw new ExpressionError(`The input is not a valid Base-64 string: '${this.content}'.`);
    }
    return Buffer.from(compact, 'base64');
  }

  /** Text of the content in the charset its content type names (UTF-8 when none). */
  text(): string {
    const charset = /;\s*charset=([^;]+)/i.exec(this.contentType)?.[1]?.trim();
    return decodeText(this.bytes(), charset);
  }
}

export function isValidBase64(compact: string): boolean {
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}

const ENCODINGS: Record<string, BufferEncoding> = {
  'utf-8': 'utf8',
  utf8: 'utf8',
  ascii: 'ascii',
  'us-ascii': 'ascii',
  'utf-16': 'utf16le',
  'utf-16le': 'utf16le',
  unicode: 'utf16le',
  'iso-8859-1': 'latin1',
  latin1: 'latin1',
  'windows-1252': 'latin1',
};

export function isKnownCharset(charset: string): boolean {
  return charset.toLowerCase() in ENCODINGS;
}

export function decodeText(bytes: Buffer, charset: string | undefined): string {
  if (charset === undefined) return bytes.toString('utf8');
  const encoding = ENCODINGS[charset.toLowerCase()];
  if (!encoding) throw new ExpressionError(`'${charset}' is not a supported encoding name.`);
  return bytes.toString(encoding);
}

export function isObject(v: Value | undefined): v is ValueObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Decimal) && !(v instanceof BinaryValue);
}

export function isNumeric(v: Value | undefined): v is bigint | number | Decimal {
  return typeof v === 'bigint' || typeof v === 'number' || v instanceof Decimal;
}

/** Type names as the host writes them in error messages. */
export function typeName(v: Value | undefined): string {
  if (v === null || v === undefined) return 'Null';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'bigint') return 'Integer';
  if (typeof v === 'number') return 'Float';
  if (v instanceof Decimal) return 'Decimal';
  if (v instanceof BinaryValue) return 'Binary';
  if (Array.isArray(v)) return 'Array';
  return 'Object';
}

const INT64_LIMIT = 2 ** 63;

/** Plain JSON (from the engine) -> evaluator values. Integral numbers become integers. */
export function toInternal(v: unknown): Value {
  return convertTree(v, internalLeaf);
}

/** Evaluator values -> plain JSON for the engine. Binary becomes the {$content-type,$content} envelope. */
export function toExternal(v: Value): unknown {
  return convertTree(v, externalLeaf);
}

type Container = { kind: 'array'; items: unknown[] } | { kind: 'object'; entries: Array<[string, unknown]> };
/** A converted leaf, or the container whose members still need converting. */
type Step<T> = { leaf: T } | { container: Container; out: T };

function internalLeaf(v: unknown): Step<Value> {
  if (v === null || v === undefined) return { leaf: null };
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return { leaf: v };
    case 'number':
      return { leaf: Number.isInteger(v) && Math.abs(v) < INT64_LIMIT ? BigInt(v) : v };
    case 'object':
      break;
    default:
      return { leaf: null };
  }
  if (v instanceof Decimal || v instanceof BinaryValue) return { leaf: v };
  if (v instanceof Date) return { leaf: v.toISOString() };
  if (Array.isArray(v)) return { container: { kind: 'array', items: v }, out: [] };
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 2 && typeof obj['$content'] === 'string' && typeof obj['$content-type'] === 'string') {
    return { leaf: new BinaryValue(obj['$content-type'], obj['$content']) };
  }
  return { container: { kind: 'object', entries: keys.map((k) => [k, obj[k]]) }, out: {} };
}

function externalLeaf(v: unknown): Step<unknown> {
  const value = v as Value;
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return { leaf: value };
  if (typeof value === 'bigint') return { leaf: Number(value) };
  if (value instanceof Decimal) return { leaf: value.toNumber() };
  if (value instanceof BinaryValue) return { leaf: { '$content-type': value.contentType, '$content': value.content } };
  if (Array.isArray(value)) return { container: { kind: 'array', items: value }, out: [] };
  return { container: { kind: 'object', entries: Object.entries(value) }, out: {} };
}

/**
 * Depth-first conversion with an explicit stack instead of recursion: a webhook body nested thousands of
 * levels deep must reach the workflow (whose validator then refuses it with a 400), not overflow the runtime's
 * call stack and fail the run with a 5xx.
 */
function convertTree<T>(root: unknown, leafOf: (v: unknown) => Step<T>): T {
  const first = leafOf(root);
  if ('leaf' in first) return first.leaf;
  interface Frame { container: Container; out: T; index: number }
  const stack: Frame[] = [{ container: first.container, out: first.out, index: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const { container } = frame;
    const size = container.kind === 'array' ? container.items.length : container.entries.length;
    if (frame.index >= size) {
      stack.pop();
      continue;
    }
    const i = frame.index++;
    const [key, member] = container.kind === 'array' ? [i, container.items[i]] : (container.entries[i] as [string, unknown]);
    const step = leafOf(member);
    const converted = 'leaf' in step ? step.leaf : step.out;
    if (container.kind === 'array') (frame.out as unknown[])[key as number] = converted;
    else setOwn(frame.out as Record<string, unknown>, key as string, converted);
    if (!('leaf' in step)) stack.push({ container: step.container, out: step.out, index: 0 });
  }
  return first.out;
}

/**
 * .NET Core's shortest round-trip double formatting (double.ToString()): fixed notation for
 * decimal exponents -4..14 (0.0001 stays fixed, 0.00001 is 1E-05), otherwise "d.dddE+XX" with at least two exponent digits.
 */
export function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mant = '0', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp >= 15 || exp < -4) {
    const sign = exp < 0 ? '-' : '+';
    return `${mant}E${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return n.toString().includes('e') ? expandFixed(mant, exp) : n.toString();
}

function expandFixed(mant: string, exp: number): string {
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const point = 1 + exp;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return (neg ? '-' : '') + out;
}

/** Newtonsoft writes doubles with a decimal point so they read back as floats. */
function jsonDouble(n: number): string {
  if (!Number.isFinite(n)) return JSON.stringify(formatDouble(n));
  const text = formatDouble(n);
  return /[.E]/.test(text) ? text : text + '.0';
}

/** Compact JSON text as the host serialises values (Newtonsoft, Formatting.None). */
export function toJsonText(v: Value): string {
  // Iterative, like the conversions above: string() of a deeply nested trigger body must not overflow the stack.
  const parts: string[] = [];
  const pending: Array<Value | { close: string } | { sep: string }> = [v];
  while (pending.length > 0) {
    const item = pending.pop() as Value | { close: string } | { sep: string };
    if (item !== null && typeof item === 'object' && !Array.isArray(item) && !(item instanceof Decimal) && !(item instanceof BinaryValue)) {
      if (MARKERS.has(item)) {
        parts.push('close' in item ? (item.close as string) : (item.sep as string));
        continue;
      }
    }
    const value = item as Value;
    if (value === null) parts.push('null');
    else if (typeof value === 'string') parts.push(JSON.stringify(value));
    else if (typeof value === 'boolean') parts.push(value ? 'true' : 'false');
    else if (typeof value === 'bigint') parts.push(value.toString());
    else if (typeof value === 'number') parts.push(jsonDouble(value));
    else if (value instanceof Decimal) {
      const text = value.toString();
      parts.push(text.includes('.') ? text : text + '.0');
    } else if (value instanceof BinaryValue) {
      pending.push({ '$content-type': value.contentType, '$content': value.content });
    } else if (Array.isArray(value)) {
      parts.push('[');
      pending.push(marker({ close: ']' }));
      for (let i = value.length - 1; i >= 0; i--) {
        pending.push(value[i] as Value);
        if (i > 0) pending.push(marker({ sep: ',' }));
      }
    } else {
      parts.push('{');
      pending.push(marker({ close: '}' }));
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i] as [string, Value];
        pending.push(x);
        pending.push(marker({ sep: (i > 0 ? ',' : '') + JSON.stringify(k) + ':' }));
      }
    }
  }
  return parts.join('');
}

/** Punctuation queued between values; kept apart from real objects by identity. */
const MARKERS = new WeakSet<object>();
function marker<T extends object>(m: T): T {
  MARKERS.add(m);
  return m;
}

/** The string form used by `@{...}`, string(), concat() and join(): culture-invariant .NET ToString. */
export function stringify(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return formatDouble(v);
  if (v instanceof Decimal) return v.toString();
  if (v instanceof BinaryValue) return v.text();
  return toJsonText(v);
}

/** Numeric value as a double, for comparisons between kinds. */
export function toDouble(v: bigint | number | Decimal): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return v.toNumber();
}

/** Deep equality as JToken.DeepEquals: numbers by value across kinds, strings ordinal, objects by key set. */
export function deepEquals(a: Value, b: Value): boolean {
  if (isNumeric(a) && isNumeric(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
    if (a instanceof Decimal && b instanceof Decimal) return a.compare(b) === 0;
    return toDouble(a) === toDouble(b);
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (a instanceof BinaryValue || b instanceof BinaryValue) {
    return a instanceof BinaryValue && b instanceof BinaryValue && a.contentType === b.contentType && a.content === b.content;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEquals(x, b[i] as Value));
  }
  if (a instanceof Decimal || b instanceof Decimal) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEquals(a[k] as Value, b[k] as Value));
}

/**
 * Property lookup as the host does it: an exact-case match wins, otherwise the first key that
 * matches case-insensitively. Returns the key actually present, or undefined.
 */
export function findKey(obj: ValueObject, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}
