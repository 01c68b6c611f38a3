import { ExpressionError } from '../errors.js';

/** Tokens of a .NET custom date/time format string ("yyyy-MM-dd'T'HH:mm"). */
export type FormatToken = { kind: 'field'; letter: string; count: number } | { kind: 'literal'; text: string };

const FIELD_LETTERS = 'yMdHhmsfFtKzg';

export function tokenizeDateFormat(format: string): FormatToken[] {
  const tokens: FormatToken[] = [];
  let i = 0;
  const literal = (text: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  while (i < format.length) {
    const c = format[i] as string;
    if (c === "'" || c === '"') {
      const end = format.indexOf(c, i + 1);
      if (end < 0) throw new ExpressionError(`The date format '${format}' has an unterminated quoted string.`);
      literal(format.slice(i + 1, end));
      i = end + 1;
    } else if (c === '\\') {
      literal(format[i + 1] ?? '');
      i += 2;
    } else if (c === '%') {
      i++;
    } else if (FIELD_LETTERS.includes(c)) {
      let n = 1;
      while (format[i + n] === c) n++;
      tokens.push({ kind: 'field', letter: c, count: n });
      i += n;
    } else {
      literal(c);
      i++;
    }
  }
  return tokens;
}

/** Standard single-letter formats expanded to custom patterns (invariant culture). */
const INVARIANT_STANDARD: Record<string, string> = {
  d: 'MM/dd/yyyy',
  D: 'dddd, dd MMMM yyyy',
  f: 'dddd, dd MMMM yyyy HH:mm',
  F: 'dddd, dd MMMM yyyy HH:mm:ss',
  g: 'MM/dd/yyyy HH:mm',
  G: 'MM/dd/yyyy HH:mm:ss',
  M: 'MMMM dd',
  m: 'MMMM dd',
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  t: 'HH:mm',
  T: 'HH:mm:ss',
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  U: 'dddd, dd MMMM yyyy HH:mm:ss',
  Y: 'yyyy MMMM',
  y: 'yyyy MMMM',
};

/** Culture-specific date/time patterns for the cultures workflows commonly name. */
const CULTURE_STANDARD: Record<string, Record<string, string>> = {
  'en-us': {
    d: 'M/d/yyyy', D: 'dddd, MMMM d, yyyy', f: 'dddd, MMMM d, yyyy h:mm tt', F: 'dddd, MMMM d, yyyy h:mm:ss tt',
    g: 'M/d/yyyy h:mm tt', G: 'M/d/yyyy h:mm:ss tt', M: 'MMMM d', m: 'MMMM d', t: 'h:mm tt', T: 'h:mm:ss tt',
    U: 'dddd, MMMM d, yyyy h:mm:ss tt', Y: 'MMMM yyyy', y: 'MMMM yyyy',
  },
  'en-gb': {
    d: 'dd/MM/yyyy', D: 'dd MMMM yyyy', f: 'dd MMMM yyyy HH:mm', F: 'dd MMMM yyyy HH:mm:ss', g: 'dd/MM/yyyy HH:mm',
    G: 'dd/MM/yyyy HH:mm:ss', M: 'd MMMM', m: 'd MMMM', t: 'HH:mm', T: 'HH:mm:ss', U: 'dd MMMM yyyy HH:mm:ss', Y: 'MMMM yyyy', y: 'MMMM yyyy',
  },
  'de-de': {
    d: 'dd.MM.yyyy', D: 'dddd, d. MMMM yyyy', f: 'dddd, d. MMMM yyyy HH:mm', F: 'dddd, d. MMMM yyyy HH:mm:ss', g: 'dd.MM.yyyy HH:mm',
    G: 'dd.MM.yyyy HH:mm:ss', M: 'd. MMMM', m: 'd. MMMM', t: 'HH:mm', T: 'HH:mm:ss', U: 'dddd, d. MMMM yyyy HH:mm:ss', Y: 'MMMM yyyy', y: 'MMMM yyyy',
  },
};

/** Expands a standard format letter for a culture, or returns the custom format unchanged. */
export function expandStandardFormat(format: string, locale: string | undefined): string {
  if (format.length !== 1) return format;
  const culture = locale ? CULTURE_STANDARD[locale.toLowerCase()] : undefined;
  const pattern = culture?.[format] ?? INVARIANT_STANDARD[format];
  if (pattern === undefined) {
    throw new ExpressionError(`The date format '${format}' is not a valid .NET standard date and time format string.`);
  }
  return pattern;
}

export function isUniversalFormat(format: string): boolean {
  return format === 'u' || format === 'U' || format === 'R' || format === 'r';
}
