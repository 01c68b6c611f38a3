import type { ExpressionContext } from '../context.js';
import { ExpressionError } from '../errors.js';
import { formatTimestamp } from '../datetime/format-date.js';
import { parseTimestamp, parseWithFormat } from '../datetime/parse-date.js';
import { formatTimeSpan, formatTimeSpanConstant, parseTimeSpan } from '../datetime/timespan.js';
import { addMonths, addTicks, fields, fromEpochMs, type Timestamp } from '../datetime/timestamp.js';
import { fromUtc, startOf, toUtc } from '../datetime/timezones.js';
import { Decimal, type Value } from '../values.js';
import { arg, optionalStr, str, typeError } from './args.js';
import { fn, type FunctionDef } from './types.js';

/** Date and time functions. Timestamps are strings; results use the "o" format unless one is given. */

function now(ctx: ExpressionContext): Timestamp {
  const d = ctx.now ? ctx.now() : new Date();
  return fromEpochMs(d.getTime());
}

function ts(name: string, args: Value[], i: number): Timestamp {
  return parseTimestamp(str(name, args, i, 'be a string containing a timestamp'));
}

function out(t: Timestamp, name: string, args: Value[], formatIndex: number): string {
  return formatTimestamp(t, optionalStr(name, args, formatIndex) ?? 'o');
}

function amount(name: string, args: Value[], i: number): number {
  const v = arg(args, i);
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (v instanceof Decimal) return v.toNumber();
  throw typeError(name, 'be an integer', v, i);
}

const UNIT_SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 };

function addInterval(name: string, t: Timestamp, interval: number, unitText: string): Timestamp {
  const unit = unitText.toLowerCase().replace(/s$/, '');
  if (unit === 'month' || unit === 'year') {
    if (!Number.isInteger(interval)) throw new ExpressionError(`The template language function '${name}' expects a whole number of ${unit}s.`);
    return addMonths(t, unit === 'year' ? interval * 12 : interval);
  }
  const seconds = UNIT_SECONDS[unit];
  if (seconds === undefined) {
    throw new ExpressionError(
      `The template language function '${name}' time unit '${unitText}' is not valid. Use one of: Second, Minute, Hour, Day, Week, Month, Year.`,
    );
  }
  return addTicks(t, BigInt(Math.round(interval * seconds * 1e7)));
}

function shift(name: string, args: Value[], seconds: number): string {
  const t = ts(name, args, 0);
  const n = amount(name, args, 1);
  return out(addTicks(t, BigInt(Math.round(n * seconds * 1e7))), name, args, 2);
}

export const dateTimeFunctions: FunctionDef[] = [
  fn('utcNow', 0, 1, (args, env) => out(now(env.ctx), env.name, args, 0)),
  fn('addSeconds', 2, 3, (args, env) => shift(env.name, args, 1)),
  fn('addMinutes', 2, 3, (args, env) => shift(env.name, args, 60)),
  fn('addHours', 2, 3, (args, env) => shift(env.name, args, 3600)),
  fn('addDays', 2, 3, (args, env) => shift(env.name, args, 86400)),
  fn('addToTime', 3, 4, (args, env) =>
    out(addInterval(env.name, ts(env.name, args, 0), amount(env.name, args, 1), str(env.name, args, 2)), env.name, args, 3),
  ),
  fn('subtractFromTime', 3, 4, (args, env) =>
    out(addInterval(env.name, ts(env.name, args, 0), -amount(env.name, args, 1), str(env.name, args, 2)), env.name, args, 3),
  ),
  fn('getFutureTime', 2, 3, (args, env) =>
    out(addInterval(env.name, now(env.ctx), amount(env.name, args, 0), str(env.name, args, 1)), env.name, args, 2),
  ),
  fn('getPastTime', 2, 3, (args, env) =>
    out(addInterval(env.name, now(env.ctx), -amount(env.name, args, 0), str(env.name, args, 1)), env.name, args, 2),
  ),
  fn('dateDifference', 2, 2, (args, env) => formatTimeSpanConstant(ts(env.name, args, 1).ticks - ts(env.name, args, 0).ticks)),
  fn('formatTimeSpan', 1, 2, (args, env) => {
    const v = arg(args, 0);
    const ticks = typeof v === 'bigint' ? v : parseTimeSpan(str(env.name, args, 0, 'be a time span string or a number of ticks'));
    return formatTimeSpan(ticks, optionalStr(env.name, args, 1) ?? 'c');
  }),
  fn('convertTimeZone', 3, 4, (args, env) => {
    const t = ts(env.name, args, 0);
    const utc = toUtc(t, str(env.name, args, 1));
    return out(fromUtc(utc, str(env.name, args, 2)), env.name, args, 3);
  }),
  fn('convertToUtc', 2, 3, (args, env) => out(toUtc(ts(env.name, args, 0), str(env.name, args, 1)), env.name, args, 2)),
  fn('convertFromUtc', 2, 3, (args, env) => out(fromUtc(ts(env.name, args, 0), str(env.name, args, 1)), env.name, args, 2)),
  fn('formatDateTime', 1, 3, (args, env) =>
    formatTimestamp(ts(env.name, args, 0), optionalStr(env.name, args, 1) ?? 'o', optionalStr(env.name, args, 2)),
  ),
  fn('parseDateTime', 1, 3, (args, env) => {
    const text = str(env.name, args, 0);
    const locale = optionalStr(env.name, args, 1);
    const format = optionalStr(env.name, args, 2);
    return formatTimestamp(format ? parseWithFormat(text, format, locale) : parseTimestamp(text, locale), 'o');
  }),
  fn('startOfHour', 1, 2, (args, env) => out(startOf(ts(env.name, args, 0), 'hour'), env.name, args, 1)),
  fn('startOfDay', 1, 2, (args, env) => out(startOf(ts(env.name, args, 0), 'day'), env.name, args, 1)),
  fn('startOfMonth', 1, 2, (args, env) => out(startOf(ts(env.name, args, 0), 'month'), env.name, args, 1)),
  fn('dayOfWeek', 1, 1, (args, env) => BigInt(fields(ts(env.name, args, 0)).dayOfWeek)),
  fn('dayOfMonth', 1, 1, (args, env) => BigInt(fields(ts(env.name, args, 0)).day)),
  fn('dayOfYear', 1, 1, (args, env) => BigInt(fields(ts(env.name, args, 0)).dayOfYear)),
  fn('ticks', 1, 1, (args, env) => ts(env.name, args, 0).ticks),
];

