import { ExpressionError } from '../errors.js';
import { parseNumberText } from '../format/number-parse.js';
import { getCulture } from '../format/culture.js';
import { Decimal, typeName, type Value } from '../values.js';

/** int(), float(), decimal(), isInt(), isFloat(): number conversions with the host's quirks. */

const TWO_63 = 2 ** 63;

function cannotParse(text: string, kind: string): ExpressionError {
  return new ExpressionError(`Could not parse ${text} as ${kind}.`);
}

function notConvertible(name: string, v: Value): ExpressionError {
  return new ExpressionError(
    `The template language function '${name}' was invoked with a parameter that is not valid. The value cannot be converted to the target type: a value of type '${typeName(v)}' is not supported.`,
  );
}

function doubleToInt(name: string, d: number): bigint {
  // The host casts NaN to long.MinValue (x86 conversion semantics), so int('nan') is -2^63.
  if (Number.isNaN(d)) return -(2n ** 63n);
  if (!Number.isInteger(d)) {
    throw new ExpressionError(`The template language function '${name}' cannot convert '${d}' to an integer: it has a fractional part.`);
  }
  if (d >= TWO_63 || d < -TWO_63) {
    throw new ExpressionError(`The template language function '${name}' cannot convert '${d}' to an integer: the value is outside the 64-bit integer range.`);
  }
  return BigInt(d);
}

export function parseFloatText(text: string, locale: string | undefined): number | undefined {
  if (/^\s*nan\s*$/i.test(text)) return NaN;
  // With a culture named, its infinity symbol parses (float('Infinity', '') is Infinity); without one it
  // does not (IllogicApps NumericConversionTests, recorded from the host).
  if (locale !== undefined) {
    const culture = getCulture(locale);
    const t = text.trim().toLowerCase();
    const inf = culture.infinity.toLowerCase();
    if (t === inf || t === '+' + inf) return Infinity;
    if (t === culture.minus.toLowerCase() + inf) return -Infinity;
  }
  const canonical = parseNumberText(text, locale, { allowExponent: true });
  return canonical === undefined ? undefined : Number(canonical);
}

export function toInt(name: string, v: Value): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return doubleToInt(name, v);
  if (v instanceof Decimal) {
    if (!v.isInteger()) throw new ExpressionError(`The template language function '${name}' cannot convert '${v.toString()}' to an integer: it has a fractional part.`);
    return doubleToInt(name, Number(v.truncate()));
  }
  if (typeof v === 'string') {
    // The host reads the text as a double and converts that (vectors: int('100000000000000010') is
    // 100000000000000016, int('-9223372036854775809') is -2^63, 2^63-1 itself is refused); a trailing
    // sign, which float() takes, is refused.
    if (/[+-]\s*$/.test(v)) throw cannotParse(v, 'int');
    const d = parseFloatText(v, undefined);
    if (d === undefined) throw cannotParse(v, 'int');
    return doubleToInt(name, d);
  }
  throw notConvertible(name, v);
}

export function toFloat(name: string, v: Value, locale?: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Decimal) return v.toNumber();
  if (typeof v === 'string') {
    const d = parseFloatText(v, locale);
    if (d === undefined) throw cannotParse(v, 'float');
    return d;
  }
  throw notConvertible(name, v);
}

export function toDecimal(name: string, v: Value): Decimal {
  if (v instanceof Decimal) return v;
  if (typeof v === 'bigint') return Decimal.fromBigInt(v);
  if (typeof v === 'number') return Decimal.fromNumber(v);
  if (typeof v === 'string') {
    const canonical = parseNumberText(v, undefined, { allowExponent: false });
    const parsed = canonical === undefined ? undefined : Decimal.parseInvariant(canonical);
    if (!parsed) throw cannotParse(v, 'decimal');
    return parsed;
  }
  throw notConvertible(name, v);
}

export function isInt(v: Value): boolean {
  if (typeof v === 'bigint') return true;
  if (typeof v !== 'string' || !/^\s*[+-]?[0-9]+\s*$/.test(v)) return false;
  const n = BigInt(v.trim());
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

export function isFloat(v: Value, locale: string | undefined): boolean {
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof Decimal) return true;
  if (typeof v !== 'string') return false;
  const trimmed = v.trim();
  const culture = getCulture(locale);
  if (/^nan$/i.test(trimmed)) return true;
  if (trimmed === culture.infinity || trimmed === culture.minus + culture.infinity || trimmed === '+' + culture.infinity) return true;
  return parseNumberText(v, locale, { allowExponent: true }) !== undefined;
}
