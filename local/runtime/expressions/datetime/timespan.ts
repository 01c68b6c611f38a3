import { ExpressionError } from '../errors.js';

/** .NET TimeSpan text ("[-][d.]hh:mm:ss[.fffffff]") and ISO 8601 durations, both in 100 ns ticks. */

const TICKS_PER_SECOND = 10_000_000n;
const TICKS_PER_MINUTE = 60n * TICKS_PER_SECOND;
const TICKS_PER_HOUR = 60n * TICKS_PER_MINUTE;
const TICKS_PER_DAY = 24n * TICKS_PER_HOUR;

interface Parts {
  negative: boolean;
  days: bigint;
  hours: number;
  minutes: number;
  seconds: number;
  fraction: number;
}

function split(ticks: bigint): Parts {
  const negative = ticks < 0n;
  let t = negative ? -ticks : ticks;
  const days = t / TICKS_PER_DAY;
  t %= TICKS_PER_DAY;
  const hours = Number(t / TICKS_PER_HOUR);
  t %= TICKS_PER_HOUR;
  const minutes = Number(t / TICKS_PER_MINUTE);
  t %= TICKS_PER_MINUTE;
  return { negative, days, hours, minutes, seconds: Number(t / TICKS_PER_SECOND), fraction: Number(t % TICKS_PER_SECOND) };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** TimeSpan.ToString() ("c"): "1.02:03:04.5000000", "00:00:10". */
export function formatTimeSpanConstant(ticks: bigint): string {
  const p = split(ticks);
  return `${p.negative ? '-' : ''}${p.days > 0n ? `${p.days}.` : ''}${p2(p.hours)}:${p2(p.minutes)}:${p2(p.seconds)}${p.fraction ? '.' + String(p.fraction).padStart(7, '0') : ''}`;
}

/** TimeSpan custom and standard formats (c, g, G, and d/h/m/s/f/F fields with literals). */
export function formatTimeSpan(ticks: bigint, format = 'c'): string {
  const p = split(ticks);
  if (format === 'c' || format === 't' || format === 'T') return formatTimeSpanConstant(ticks);
  if (format === 'g') {
    return `${p.negative ? '-' : ''}${p.days > 0n ? `${p.days}:` : ''}${p.hours}:${p2(p.minutes)}:${p2(p.seconds)}${p.fraction ? '.' + String(p.fraction).padStart(7, '0').replace(/0+$/, '') : ''}`;
  }
  if (format === 'G') {
    return `${p.negative ? '-' : ''}${p.days}:${p2(p.hours)}:${p2(p.minutes)}:${p2(p.seconds)}.${String(p.fraction).padStart(7, '0')}`;
  }
  let out = '';
  for (let i = 0; i < format.length; ) {
    const c = format[i] as string;
    if (c === "'" || c === '"') {
      const end = format.indexOf(c, i + 1);
      if (end < 0) throw new ExpressionError(`The time span format '${format}' has an unterminated quoted string.`);
      out += format.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '\\') {
      out += format[i + 1] ?? '';
      i += 2;
      continue;
    }
    let n = 1;
    while (format[i + n] === c) n++;
    switch (c) {
      case 'd': out += String(p.days).padStart(n, '0'); break;
      case 'h': out += n === 1 ? String(p.hours) : p2(p.hours); break;
      case 'm': out += n === 1 ? String(p.minutes) : p2(p.minutes); break;
      case 's': out += n === 1 ? String(p.seconds) : p2(p.seconds); break;
      case 'f': out += String(p.fraction).padStart(7, '0').slice(0, n); break;
      case 'F': out += String(p.fraction).padStart(7, '0').slice(0, n).replace(/0+$/, ''); break;
      default:
        throw new ExpressionError(`The time span format '${format}' is not valid: literal characters such as '${c}' must be quoted or escaped with '\\'.`);
    }
    i += n;
  }
  return out;
}

/** Parses "[-][d.]hh:mm[:ss[.fffffff]]" into ticks. */
export function parseTimeSpan(text: string): bigint {
  const m = /^\s*(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?\s*$/.exec(text);
  if (!m) {
    const iso = parseIsoDurationTicks(text);
    if (iso !== undefined) return iso;
    throw new ExpressionError(`The string '${text}' is not a valid time span: use '[d.]hh:mm:ss[.fffffff]' or an ISO 8601 duration.`);
  }
  const ticks =
    BigInt(m[2] ?? 0) * TICKS_PER_DAY +
    BigInt(m[3] ?? 0) * TICKS_PER_HOUR +
    BigInt(m[4] ?? 0) * TICKS_PER_MINUTE +
    BigInt(m[5] ?? 0) * TICKS_PER_SECOND +
    BigInt((m[6] ?? '').padEnd(7, '0') || '0');
  return m[1] ? -ticks : ticks;
}

/**
 * ISO 8601 duration ("PT10S", "P1DT2H", "P2W") in ticks; months and years count as 30 and 365
 * days (only the engine's timeouts/intervals use this, never calendar arithmetic). Undefined when malformed.
 */
export function parseIsoDurationTicks(text: string): bigint | undefined {
  const m = /^\s*(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?\s*$/i.exec(text);
  if (!m || /^\s*-?PT?\s*$/i.test(text) || /T\s*$/i.test(text)) return undefined;
  const seconds =
    Number(m[2] ?? 0) * 365 * 86400 +
    Number(m[3] ?? 0) * 30 * 86400 +
    Number(m[4] ?? 0) * 7 * 86400 +
    Number(m[5] ?? 0) * 86400 +
    Number(m[6] ?? 0) * 3600 +
    Number(m[7] ?? 0) * 60 +
    Number(m[8] ?? 0);
  const ticks = BigInt(Math.round(seconds * 1e7));
  return m[1] ? -ticks : ticks;
}

/** ISO 8601 duration in milliseconds, for the engine (Wait, limit.timeout, retry intervals). */
export function parseIsoDurationMs(text: string): number {
  const ticks = parseIsoDurationTicks(text);
  if (ticks === undefined) throw new ExpressionError(`'${text}' is not a valid ISO 8601 duration such as 'PT30S' or 'P1D'.`);
  return Number(ticks / 10_000n);
}
