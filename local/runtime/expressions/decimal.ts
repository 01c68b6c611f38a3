import { ExpressionError } from './errors.js';

/**
 * .NET System.Decimal semantics (what WDL's decimal() yields): a 96-bit integer mantissa
 * scaled by 10^-scale with 0 <= scale <= 28. Trailing zeros are significant for printing
 * ("5.0000" stays "5.0000"), which is why this is not a plain number.
 */
const MAX_MANTISSA = 2n ** 96n - 1n;
const MAX_SCALE = 28;

function overflow(): ExpressionError {
  return new ExpressionError('Value was either too large or too small for a Decimal.');
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** Divides rounding half to even, as .NET does when a decimal loses digits. */
function divRound(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  const twice = (r < 0n ? -r : r) * 2n;
  const absD = d < 0n ? -d : d;
  if (twice > absD || (twice === absD && q % 2n !== 0n)) return q + ((n < 0n) !== (d < 0n) ? -1n : 1n);
  return q;
}

export class Decimal {
  private constructor(
    readonly mantissa: bigint,
    readonly scale: number,
  ) {}

  /** Builds a decimal, dropping fractional digits that do not fit; throws on overflow. */
  static of(mantissa: bigint, scale: number): Decimal {
    let m = mantissa;
    let s = scale;
    while (s > MAX_SCALE || ((m < 0n ? -m : m) > MAX_MANTISSA && s > 0)) {
      m = divRound(m, 10n);
      s--;
    }
    if ((m < 0n ? -m : m) > MAX_MANTISSA) throw overflow();
    return new Decimal(m, s);
  }

  static fromBigInt(v: bigint): Decimal {
    return Decimal.of(v, 0);
  }

  /** .NET converts a double to decimal keeping 15 significant digits. */
  static fromNumber(v: number): Decimal {
    if (!Number.isFinite(v)) throw overflow();
    if (v === 0) return new Decimal(0n, 0);
    const text = v.toPrecision(15);
    const parsed = Decimal.parseInvariant(text.includes('e') ? expandExponent(text) : text);
    if (!parsed) throw overflow();
    return parsed.trimZeros();
  }

  /** Parses plain digits with an optional sign and fraction (no exponent), or undefined. */
  static parseInvariant(text: string): Decimal | undefined {
    const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
    const frac = m[3] ?? '';
    const mantissa = BigInt((m[2] || '0') + frac) * (m[1] === '-' ? -1n : 1n);
    return Decimal.of(mantissa, frac.length);
  }

  trimZeros(minScale = 0): Decimal {
    let m = this.mantissa;
    let s = this.scale;
    while (s > minScale && m % 10n === 0n) {
      m /= 10n;
      s--;
    }
    return new Decimal(m, s);
  }

  private aligned(other: Decimal): [bigint, bigint, number] {
    const s = Math.max(this.scale, other.scale);
    return [this.mantissa * pow10(s - this.scale), other.mantissa * pow10(s - other.scale), s];
  }

  add(o: Decimal): Decimal {
    const [a, b, s] = this.aligned(o);
    return Decimal.of(a + b, s);
  }

  sub(o: Decimal): Decimal {
    const [a, b, s] = this.aligned(o);
    return Decimal.of(a - b, s);
  }

  mul(o: Decimal): Decimal {
    return Decimal.of(this.mantissa * o.mantissa, this.scale + o.scale);
  }

  div(o: Decimal): Decimal {
    if (o.mantissa === 0n) throw new ExpressionError('Attempted to divide by zero.');
    const [a, b] = this.aligned(o);
    // Compute with 28 fractional digits, then drop zeros .NET would not keep.
    const q = divRound(a * pow10(MAX_SCALE), b);
    return Decimal.of(q, MAX_SCALE).trimZeros(Math.max(0, this.scale - o.scale));
  }

  mod(o: Decimal): Decimal {
    if (o.mantissa === 0n) throw new ExpressionError('Attempted to divide by zero.');
    const [a, b, s] = this.aligned(o);
    return Decimal.of(a % b, s);
  }

  compare(o: Decimal): number {
    const [a, b] = this.aligned(o);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  isInteger(): boolean {
    return this.mantissa % pow10(this.scale) === 0n;
  }

  /** Integer part, truncated toward zero. */
  truncate(): bigint {
    return this.mantissa / pow10(this.scale);
  }

  toNumber(): number {
    return Number(this.toString());
  }

  toString(): string {
    const neg = this.mantissa < 0n;
    const digits = (neg ? -this.mantissa : this.mantissa).toString().padStart(this.scale + 1, '0');
    const int = digits.slice(0, digits.length - this.scale);
    const frac = digits.slice(digits.length - this.scale);
    return (neg ? '-' : '') + int + (this.scale > 0 ? '.' + frac : '');
  }
}

/** "1.5e-7" -> "0.00000015": toPrecision may answer in exponent form. */
function expandExponent(text: string): string {
  const [mant = '0', expText = '0'] = text.split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const [intPart = '0', fracPart = ''] = mant.replace('-', '').split('.');
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return (neg ? '-' : '') + out;
}
