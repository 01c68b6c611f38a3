import { getCulture, type CultureInfo } from './culture.js';

/**
 * Culture-aware number parsing in the spirit of .NET NumberStyles: leading or trailing sign,
 * group separators anywhere in the integer part, one decimal separator, optional exponent.
 * Returns a canonical "[-]digits[.digits][e[+-]digits]" string, or undefined when not a number.
 */
export interface ParseStyle {
  allowExponent: boolean;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function pattern(culture: CultureInfo, style: ParseStyle): RegExp {
  // Some ICU cultures group with a narrow no-break space; accept a plain space for it too.
  const group = /\s/.test(culture.group) ? '[\\s\\u00a0\\u202f]' : escape(culture.group);
  const exp = style.allowExponent ? '(?:[eE](?<exp>[+-]?[0-9]+))?' : '';
  return new RegExp(
    `^\\s*(?<lead>[+-]?)(?<int>(?:[0-9]|${group})*[0-9](?:[0-9]|${group})*|)(?:${escape(culture.decimal)}(?<frac>[0-9]*))?${exp}(?<trail>[+-]?)\\s*$`,
  );
}

export function parseNumberText(text: string, locale: string | undefined, style: ParseStyle): string | undefined {
  const culture = getCulture(locale);
  const m = pattern(culture, style).exec(text);
  if (!m) return undefined;
  const g = m.groups ?? {};
  const lead = g['lead'] ?? '';
  const intPart = g['int'] ?? '';
  const frac = g['frac'];
  const exp = g['exp'];
  const trail = g['trail'] ?? '';
  if (lead && trail) return undefined;
  if (intPart.startsWith(culture.group)) return undefined;
  const digits = intPart.replace(/[^0-9]/g, '');
  if (digits === '' && (frac === undefined || frac === '')) return undefined;
  const negative = lead === '-' || trail === '-';
  return `${negative ? '-' : ''}${digits || '0'}${frac ? '.' + frac : ''}${exp !== undefined ? 'e' + exp : ''}`;
}
