import { ExpressionError } from '../errors.js';
import { Decimal, formatDouble } from '../values.js';
import { getCulture, type CultureInfo } from './culture.js';

/**
 * formatNumber(): .NET numeric format strings, standard (C, D, E, F, G, N, P, R, X with an
 * optional precision) and custom ("0.00", "#,##0", "0%", "(###) ###-####", sections with ';').
 */
type Num = bigint | number | Decimal;

function toNumber(n: Num): number {
  return typeof n === 'number' ? n : typeof n === 'bigint' ? Number(n) : n.toNumber();
}

/** Absolute value rendered with exactly `decimals` fraction digits (half away from zero). */
function fixed(n: Num, decimals: number): string {
  if (typeof n === 'bigint') {
    const abs = n < 0n ? -n : n;
    return abs.toString() + (decimals > 0 ? '.' + '0'.repeat(decimals) : '');
  }
  if (n instanceof Decimal) {
    const shifted = Decimal.of(n.mantissa < 0n ? -n.mantissa : n.mantissa, n.scale);
    const text = shifted.toString();
    const [int = '0', frac = ''] = text.split('.');
    if (frac.length <= decimals) return int + (decimals > 0 ? '.' + frac.padEnd(decimals, '0') : '');
    const num = Number(text);
    return Math.abs(num).toFixed(decimals);
  }
  return Math.abs(n).toFixed(Math.min(decimals, 100));
}

function group(int: string, culture: CultureInfo): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, culture.group);
}

function localise(text: string, culture: CultureInfo): string {
  return text.replace('.', culture.decimal);
}

function isNegative(n: Num): boolean {
  if (typeof n === 'bigint') return n < 0n;
  if (n instanceof Decimal) return n.mantissa < 0n;
  return n < 0 || Object.is(n, -0);
}

function exponential(n: Num, digits: number, upper: boolean, minExpDigits: number, culture: CultureInfo): string {
  const [mant = '0', exp = '0'] = Math.abs(toNumber(n)).toExponential(digits).split('e');
  const e = Number(exp);
  return localise(mant, culture) + (upper ? 'E' : 'e') + (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(minExpDigits, '0');
}

function standard(n: Num, spec: string, precision: number | undefined, culture: CultureInfo): string {
  const neg = isNegative(n) && toNumber(n) !== 0;
  const sign = neg ? culture.minus : '';
  switch (spec.toUpperCase()) {
    case 'C': {
      const [int = '0', frac] = fixed(n, precision ?? 2).split('.');
      const body = group(int, culture) + (frac ? culture.decimal + frac : '');
      const space = culture.currencySpace ? '\u00a0' : '';
      return culture.currencyAfter ? sign + body + space + culture.currencySymbol : sign + culture.currencySymbol + space + body;
    }
    case 'D': {
      if (typeof n !== 'bigint') throw new ExpressionError(`The format '${spec}' is only valid for integers.`);
      return sign + (n < 0n ? -n : n).toString().padStart(precision ?? 0, '0');
    }
    case 'E':
      return sign + exponential(n, precision ?? 6, spec === 'E', 3, culture);
    case 'F':
      return sign + localise(fixed(n, precision ?? 2), culture);
    case 'N': {
      const [int = '0', frac] = fixed(n, precision ?? 2).split('.');
      return sign + group(int, culture) + (frac ? culture.decimal + frac : '');
    }
    case 'P': {
      const scaled = n instanceof Decimal ? n.mul(Decimal.fromBigInt(100n)) : toNumber(n) * 100;
      const [int = '0', frac] = fixed(scaled, precision ?? 2).split('.');
      return sign + group(int, culture) + (frac ? culture.decimal + frac : '') + (culture.percentSpace ? ' %' : '%');
    }
    case 'G':
    case 'R': {
      if (typeof n === 'bigint' || n instanceof Decimal) return localise(n.toString(), culture);
      if (precision !== undefined && precision > 0 && spec.toUpperCase() === 'G') {
        return localise(formatDouble(Number(n.toPrecision(precision))), culture);
      }
      return localise(formatDouble(n), culture);
    }
    case 'X': {
      if (typeof n !== 'bigint') throw new ExpressionError(`The format '${spec}' is only valid for integers.`);
      const v = n < 0n ? (1n << 64n) + n : n;
      const hex = v.toString(16).padStart(precision ?? 0, '0');
      return spec === 'X' ? hex.toUpperCase() : hex;
    }
    default:
      throw new ExpressionError(`The format string '${spec}' is not a valid .NET numeric format.`);
  }
}

/** Splits on ';' outside quotes. */
function sections(format: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      cur += c;
    } else if (c === '\\') {
      cur += c + (format[i + 1] ?? '');
      i++;
    } else if (c === ';') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

type Piece = { literal: string } | { placeholder: '0' | '#' } | { point: true } | { comma: true } | { percent: true };

function tokenize(format: string): Piece[] {
  const pieces: Piece[] = [];
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    if (c === "'" || c === '"') {
      const end = format.indexOf(c, i + 1);
      const stop = end < 0 ? format.length : end;
      pieces.push({ literal: format.slice(i + 1, stop) });
      i = stop;
    } else if (c === '\\') {
      pieces.push({ literal: format[i + 1] ?? '' });
      i++;
    } else if (c === '0' || c === '#') pieces.push({ placeholder: c });
    else if (c === '.') pieces.push({ point: true });
    else if (c === ',') pieces.push({ comma: true });
    else if (c === '%') pieces.push({ percent: true });
    else pieces.push({ literal: c });
  }
  return pieces;
}

function custom(n: Num, format: string, culture: CultureInfo, forceSign: boolean): string {
  const pieces = tokenize(format);
  const pointAt = pieces.findIndex((p) => 'point' in p);
  const intPieces = pointAt < 0 ? pieces : pieces.slice(0, pointAt);
  const fracPieces = pointAt < 0 ? [] : pieces.slice(pointAt + 1);
  const fracMin = fracPieces.filter((p) => 'placeholder' in p && p.placeholder === '0').length;
  const fracMax = fracPieces.filter((p) => 'placeholder' in p).length;
  const percent = pieces.some((p) => 'percent' in p);
  const placeholders = intPieces.filter((p) => 'placeholder' in p);
  const firstPh = intPieces.findIndex((p) => 'placeholder' in p);
  const lastPh = intPieces.length - 1 - [...intPieces].reverse().findIndex((p) => 'placeholder' in p);
  const grouping = intPieces.some((p, i) => 'comma' in p && i > firstPh && i < lastPh);
  let value: Num = n;
  if (percent) value = n instanceof Decimal ? n.mul(Decimal.fromBigInt(100n)) : toNumber(n) * 100;
  const [intText = '0', fracRaw = ''] = fixed(value, fracMax).split('.');
  let frac = fracRaw;
  while (frac.length > fracMin && frac.endsWith('0')) frac = frac.slice(0, -1);
  const minInt = placeholders.filter((p) => 'placeholder' in p && p.placeholder === '0').length;
  let digits = intText === '0' ? '' : intText;
  digits = digits.padStart(minInt, '0');
  if (grouping) digits = group(digits, culture);

  // Fill the integer template right to left so literals between placeholders (phone formats) stay put.
  let out = '';
  let remaining = digits;
  for (let i = intPieces.length - 1; i >= 0; i--) {
    const p = intPieces[i] as Piece;
    if ('placeholder' in p) {
      if (i === firstPh) {
        out = remaining + out;
        remaining = '';
      } else if (remaining.length > 0) {
        if (grouping) {
          continue;
        }
        out = remaining.slice(-1) + out;
        remaining = remaining.slice(0, -1);
      }
    } else if ('literal' in p) out = p.literal + out;
    else if ('percent' in p) out = '%' + out;
  }
  if (firstPh < 0) out = remaining + out;
  if (grouping && firstPh >= 0) {
    // With grouping the digit run was already complete; literals before the first placeholder lead it.
    const lead = intPieces.slice(0, firstPh).map((p) => ('literal' in p ? p.literal : 'percent' in p ? '%' : '')).join('');
    const tail = intPieces.slice(lastPh + 1).map((p) => ('literal' in p ? p.literal : 'percent' in p ? '%' : '')).join('');
    out = lead + digits + tail;
  }
  let fracOut = '';
  if (pointAt >= 0) {
    let k = 0;
    for (const p of fracPieces) {
      if ('placeholder' in p) fracOut += frac[k++] ?? '';
      else if ('literal' in p) fracOut += p.literal;
      else if ('percent' in p) fracOut += '%';
    }
    if (frac.length > 0) fracOut = culture.decimal + fracOut;
  }
  const isZero = !/[1-9]/.test(intText + fracRaw);
  const sign = forceSign && isNegative(n) && !isZero ? culture.minus : '';
  return sign + out + fracOut;
}

/**
 * The functions reference documents en-us as formatNumber's default locale ('C2' gives "$17.35";
 * https://learn.microsoft.com/azure/logic-apps/workflow-definition-language-functions-reference#formatnumber).
 */
export function formatNumber(n: Num, format: string, locale: string | undefined): string {
  const culture = getCulture(locale ?? 'en-us');
  const std = /^([CcDdEeFfGgNnPpRrXx])(\d{0,2})$/.exec(format);
  if (std) return standard(n, std[1] as string, std[2] ? Number(std[2]) : undefined, culture);
  const parts = sections(format);
  const neg = isNegative(n) && toNumber(n) !== 0;
  if (toNumber(n) === 0 && parts.length >= 3 && parts[2] !== '') return custom(n, parts[2] as string, culture, false);
  if (neg && parts.length >= 2 && parts[1] !== '') return custom(n, parts[1] as string, culture, false);
  return custom(n, parts[0] ?? '', culture, true);
}
