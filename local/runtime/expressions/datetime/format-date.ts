import { dateNames } from './names.js';
import { expandStandardFormat, isUniversalFormat, tokenizeDateFormat } from './format-tokens.js';
import { fields, type Timestamp } from './timestamp.js';

/**
 * formatDateTime(): renders a timestamp with a .NET standard or custom format string. The locale
 * defaults to en-us, as the functions reference documents (so 'D' gives "Monday, January 1, 2018";
 * https://learn.microsoft.com/azure/logic-apps/workflow-definition-language-functions-reference#formatdatetime);
 * pass '' for the invariant culture.
 */
export const DEFAULT_DATE_LOCALE = 'en-us';

// Workflows reuse a handful of formats; tokenising each once keeps per-call cost down.
const tokenCache = new Map<string, ReturnType<typeof tokenizeDateFormat>>();

function tokensOf(pattern: string): ReturnType<typeof tokenizeDateFormat> {
  let tokens = tokenCache.get(pattern);
  if (!tokens) {
    if (tokenCache.size > 500) tokenCache.clear();
    tokens = tokenizeDateFormat(pattern);
    tokenCache.set(pattern, tokens);
  }
  return tokens;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function formatTimestamp(ts: Timestamp, format = 'o', locale: string | undefined = DEFAULT_DATE_LOCALE): string {
  const pattern = expandStandardFormat(format, locale);
  const f = fields(ts);
  const names = dateNames(locale);
  let out = '';
  const tokens = tokensOf(pattern);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.kind === 'literal') {
      out += t.text;
      continue;
    }
    const n = t.count;
    switch (t.letter) {
      case 'y':
        out += n === 1 ? String(f.year % 100) : n === 2 ? pad(f.year % 100, 2) : pad(f.year, n);
        break;
      case 'M':
        out += n === 1 ? String(f.month) : n === 2 ? pad(f.month, 2) : n === 3 ? names.monthsShort[f.month - 1] : names.months[f.month - 1];
        break;
      case 'd':
        out += n === 1 ? String(f.day) : n === 2 ? pad(f.day, 2) : n === 3 ? names.daysShort[f.dayOfWeek] : names.days[f.dayOfWeek];
        break;
      case 'H':
        out += n === 1 ? String(f.hour) : pad(f.hour, 2);
        break;
      case 'h': {
        const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
        out += n === 1 ? String(h12) : pad(h12, 2);
        break;
      }
      case 'm':
        out += n === 1 ? String(f.minute) : pad(f.minute, 2);
        break;
      case 's':
        out += n === 1 ? String(f.second) : pad(f.second, 2);
        break;
      case 'f':
        out += pad(f.fraction, 7).slice(0, Math.min(n, 7));
        break;
      case 'F': {
        const digits = pad(f.fraction, 7).slice(0, Math.min(n, 7)).replace(/0+$/, '');
        // .NET drops the separator before an all-zero "F" fraction too.
        if (digits === '' && out.endsWith('.')) out = out.slice(0, -1);
        out += digits;
        break;
      }
      case 't': {
        const designator = f.hour < 12 ? names.am : names.pm;
        out += n === 1 ? designator.slice(0, 1) : designator;
        break;
      }
      case 'K':
        out += ts.kind === 'utc' && !isUniversalFormat(format) ? 'Z' : '';
        break;
      case 'z':
        // UTC and unspecified both print the host's (UTC) offset.
        out += n === 1 ? '+0' : n === 2 ? '+00' : '+00:00';
        break;
      case 'g':
        out += 'A.D.';
        break;
    }
  }
  return out;
}
