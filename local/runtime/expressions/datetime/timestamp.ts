import { ExpressionError } from '../errors.js';

/**
 * A .NET-style DateTime: 100 ns ticks since 0001-01-01 plus its kind. Logic Apps timestamps are
 * strings; functions parse them into this and format them back (default format "o").
 * - utc: printed with "Z";
 * - unspecified: no zone designator (e.g. the result of convertFromUtc).
 */
export type DateKind = 'utc' | 'unspecified';

export interface Timestamp {
  ticks: bigint;
  kind: DateKind;
}

export const TICKS_PER_MS = 10_000n;
export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_DAY = 864_000_000_000n;
/** Ticks at 1970-01-01T00:00:00Z. */
export const EPOCH_TICKS = 621_355_968_000_000_000n;
const MAX_TICKS = 3_155_378_975_999_999_999n;

export function fromEpochMs(ms: number, extraTicks = 0n, kind: DateKind = 'utc'): Timestamp {
  return checkRange({ ticks: EPOCH_TICKS + BigInt(Math.round(ms)) * TICKS_PER_MS + extraTicks, kind });
}

export function checkRange(ts: Timestamp): Timestamp {
  if (ts.ticks < 0n || ts.ticks > MAX_TICKS) {
    throw new ExpressionError('The added or subtracted value results in an un-representable DateTime.');
  }
  return ts;
}

/** Calendar fields of a timestamp (read as wall-clock time). */
export interface Fields {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0..9_999_999 ticks within the second. */
  fraction: number;
  dayOfWeek: number; // 0 = Sunday
  dayOfYear: number;
}

export function toDate(ts: Timestamp): Date {
  const ms = (ts.ticks - EPOCH_TICKS) / TICKS_PER_MS - (ts.ticks < EPOCH_TICKS && (ts.ticks - EPOCH_TICKS) % TICKS_PER_MS !== 0n ? 1n : 0n);
  return new Date(Number(ms));
}

export function fields(ts: Timestamp): Fields {
  const d = toDate(ts);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  const startDate = new Date(start);
  startDate.setUTCFullYear(d.getUTCFullYear());
  const dayOfYear = Math.floor((d.getTime() - startDate.getTime()) / 86_400_000) + 1;
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    fraction: Number(((ts.ticks % TICKS_PER_SECOND) + TICKS_PER_SECOND) % TICKS_PER_SECOND),
    dayOfWeek: d.getUTCDay(),
    dayOfYear,
  };
}

/** Builds a timestamp from wall-clock fields (month 1-12); fraction in ticks. */
export function fromFields(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, fraction = 0, kind: DateKind = 'utc'): Timestamp {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new ExpressionError(`The date ${year}-${month}-${day} ${hour}:${minute}:${second} is not a valid calendar date and time.`);
  }
  return fromEpochMs(d.getTime(), BigInt(fraction), kind);
}

export function daysInMonth(year: number, month: number): number {
  const d = new Date(Date.UTC(2000, month, 0));
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

/** .NET AddMonths: the day is clamped to the length of the target month. */
export function addMonths(ts: Timestamp, months: number): Timestamp {
  const f = fields(ts);
  const total = f.year * 12 + (f.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const day = Math.min(f.day, daysInMonth(year, month));
  return fromFields(year, month, day, f.hour, f.minute, f.second, f.fraction, ts.kind);
}

export function addTicks(ts: Timestamp, ticks: bigint): Timestamp {
  return checkRange({ ticks: ts.ticks + ticks, kind: ts.kind });
}
