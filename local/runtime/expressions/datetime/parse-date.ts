import { ExpressionError } from '../errors.js';
import { dateNames } from './names.js';
import { expandStandardFormat, tokenizeDateFormat } from './format-tokens.js';
import { addTicks, fromEpochMs, fromFields, TICKS_PER_MS, type Timestamp } from './timestamp.js';

/**
 * Timestamp parsing. Without a format: ISO 8601 (with or without zone), "MM/dd/yyyy [HH:mm[:ss]]"
 * (day first for cultures that write it so), RFC 1123. A zone offset converts to UTC.
 */

function invalid(text: string): ExpressionError {
  return new ExpressionError(
    `The string '${text}' was not recognized as a valid DateTime. Use an ISO 8601 timestamp such as '2024-01-31T13:45:00Z'.`,
  );
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7})\d*)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const SLASH = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*(AM|PM)?)?\s*(Z)?$/i;

function fraction(text: string | undefined): number {
  return text ? Number(text.padEnd(7, '0')) : 0;
}

function withZone(ts: Timestamp, zone: string | undefined): Timestamp {
  if (zone === undefined) return ts;
  if (zone.toUpperCase() === 'Z') return { ticks: ts.ticks, kind: 'utc' };
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return ts;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
  const sign = m[1] === '-' ? -1n : 1n;
  // Local wall time minus the offset is UTC.
  return { ...addTicks(ts, -sign * BigInt(minutes) * 60_000n * TICKS_PER_MS), kind: 'utc' };
}

function dayFirst(locale: string | undefined): boolean {
  if (!locale || /^en-us$/i.test(locale) || locale.toLowerCase() === 'invariant') return false;
  const parts = new Intl.DateTimeFormat(locale, { timeZone: 'UTC' }).formatToParts(Date.UTC(2021, 10, 25));
  return parts.findIndex((p) => p.type === 'day') < parts.findIndex((p) => p.type === 'month');
}

export function parseTimestamp(text: string, locale?: string): Timestamp {
  const trimmed = text.trim();
  let m = ISO.exec(trimmed);
  if (m) {
    const ts = fromFields(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), fraction(m[7]), 'unspecified');
    return withZone(ts, m[8]);
  }
  m = SLASH.exec(trimmed);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    const [month, day] = dayFirst(locale) ? [b, a] : [a, b];
    let hour = Number(m[4] ?? 0);
    const ampm = m[8]?.toUpperCase();
    if (ampm === 'PM' && hour < 12) hour += 12;
    if (ampm === 'AM' && hour === 12) hour = 0;
    const ts = fromFields(Number(m[3]), month, day, hour, Number(m[5] ?? 0), Number(m[6] ?? 0), fraction(m[7]), 'unspecified');
    return withZone(ts, m[9]);
  }
  // RFC 1123 and other forms JavaScript understands; they all carry a zone.
  if (/[a-z]{3}/i.test(trimmed) && /(GMT|UTC|Z|[+-]\d{4})\s*$/i.test(trimmed)) {
    const ms = Date.parse(trimmed);
    if (!Number.isNaN(ms)) return fromEpochMs(ms);
  }
  throw invalid(text);
}

/** parseDateTime(text, locale, format): parses with an explicit .NET custom or standard format. */
export function parseWithFormat(text: string, format: string, locale?: string): Timestamp {
  const names = dateNames(locale);
  const tokens = tokenizeDateFormat(expandStandardFormat(format, locale));
  let regex = '^';
  const groups: Array<{ letter: string; count: number }> = [];
  const alt = (list: string[]) => `(${list.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
  for (const t of tokens) {
    if (t.kind === 'literal') {
      regex += t.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const { letter, count } = t;
    if ((letter === 'M' || letter === 'd') && count >= 3) {
      const list = letter === 'M' ? (count === 3 ? names.monthsShort : names.months) : count === 3 ? names.daysShort : names.days;
      regex += alt(list);
    } else if (letter === 'f' || letter === 'F') regex += `(\\d{1,${count}})`;
    else if (letter === 'y') regex += count <= 2 ? '(\\d{1,2})' : `(\\d{${Math.min(count, 4)},${Math.max(count, 4)}})`;
    else if (letter === 't') regex += alt([names.am, names.pm, 'AM', 'PM']);
    else if (letter === 'K' || letter === 'z') regex += '(Z|[+-]\\d{1,2}(?::?\\d{2})?)?';
    else if (letter === 'g') regex += '(A\\.D\\.|AD)?';
    else regex += count === 1 ? '(\\d{1,2})' : `(\\d{${count}})`;
    groups.push({ letter, count });
  }
  const m = new RegExp(regex + '$', 'i').exec(text.trim());
  if (!m) throw new ExpressionError(`The string '${text}' does not match the date format '${format}'.`);
  let year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, frac = 0;
  let pm: boolean | undefined;
  let zone: string | undefined;
  groups.forEach((g, i) => {
    const v = m[i + 1] ?? '';
    const lower = v.toLowerCase();
    switch (g.letter) {
      case 'y': year = g.count <= 2 ? 2000 + Number(v) - (Number(v) > 49 ? 100 : 0) : Number(v); break;
      case 'M': month = g.count >= 3 ? (g.count === 3 ? names.monthsShort : names.months).findIndex((n) => n.toLowerCase() === lower) + 1 : Number(v); break;
      case 'd': if (g.count <= 2) day = Number(v); break;
      case 'H': case 'h': hour = Number(v); break;
      case 'm': minute = Number(v); break;
      case 's': second = Number(v); break;
      case 'f': case 'F': frac = fraction(v); break;
      case 't': pm = lower.startsWith(names.pm.toLowerCase().slice(0, 1)) || lower === 'pm'; break;
      case 'K': case 'z': zone = v || undefined; break;
    }
  });
  if (pm === true && hour < 12) hour += 12;
  if (pm === false && hour === 12) hour = 0;
  return withZone(fromFields(year, month, day, hour, minute, second, frac, 'unspecified'), zone);
}
