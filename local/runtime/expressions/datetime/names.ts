/** Month and day names: English for the invariant culture, ICU for named cultures. */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface DateNames {
  months: string[];
  monthsShort: string[];
  days: string[];
  daysShort: string[];
  am: string;
  pm: string;
}

export const INVARIANT_NAMES: DateNames = {
  months: MONTHS,
  monthsShort: MONTHS.map((m) => m.slice(0, 3)),
  days: DAYS,
  daysShort: DAYS.map((d) => d.slice(0, 3)),
  am: 'AM',
  pm: 'PM',
};

const cache = new Map<string, DateNames>();

export function dateNames(locale: string | undefined): DateNames {
  // English cultures share the invariant names; skipping ICU keeps the common path fast.
  if (!locale || /^en(-|$)/i.test(locale)) return INVARIANT_NAMES;
  const key = locale.toLowerCase();
  const hit = cache.get(key);
  if (hit) return hit;
  const fmt = (opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' });
  const month = (style: 'long' | 'short') => MONTHS.map((_, i) => fmt({ month: style }).format(Date.UTC(2021, i, 15)));
  // 2021-08-01 was a Sunday.
  const day = (style: 'long' | 'short') => DAYS.map((_, i) => fmt({ weekday: style }).format(Date.UTC(2021, 7, 1 + i)));
  const period = (h: number) => fmt({ hour: 'numeric', hour12: true }).formatToParts(Date.UTC(2021, 0, 1, h)).find((p) => p.type === 'dayPeriod')?.value ?? (h < 12 ? 'AM' : 'PM');
  const names: DateNames = { months: month('long'), monthsShort: month('short'), days: day('long'), daysShort: day('short'), am: period(9), pm: period(21) };
  cache.set(key, names);
  return names;
}
