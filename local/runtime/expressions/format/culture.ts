import { ExpressionError } from '../errors.js';

/**
 * Number symbols of a .NET culture name. '' / undefined is the invariant culture; other names
 * are resolved through ICU (Intl), which is also what .NET on Linux uses.
 */
export interface CultureInfo {
  name: string;
  decimal: string;
  group: string;
  minus: string;
  currencySymbol: string;
  /** How the currency symbol sits around the number: "$1.00" vs "1,00 €". */
  currencyAfter: boolean;
  currencySpace: boolean;
  /** .NET's PositiveInfinitySymbol: "Infinity" in the invariant culture, "∞" under ICU cultures. */
  infinity: string;
  /** Whether a space separates the number and "%" in percent formats. */
  percentSpace: boolean;
}

export const INVARIANT: CultureInfo = {
  name: '',
  decimal: '.',
  group: ',',
  minus: '-',
  currencySymbol: '¤',
  currencyAfter: false,
  currencySpace: false,
  infinity: 'Infinity',
  percentSpace: true,
};

const CURRENCY_OF_REGION: Record<string, string> = {
  US: 'USD', GB: 'GBP', DE: 'EUR', FR: 'EUR', NL: 'EUR', ES: 'EUR', IT: 'EUR', BE: 'EUR', AT: 'EUR', IE: 'EUR',
  FI: 'EUR', PT: 'EUR', JP: 'JPY', CN: 'CNY', IN: 'INR', AU: 'AUD', CA: 'CAD', NZ: 'NZD', CH: 'CHF', SE: 'SEK',
  NO: 'NOK', DK: 'DKK', PL: 'PLN', BR: 'BRL', MX: 'MXN', ZA: 'ZAR',
};

const cache = new Map<string, CultureInfo>();

export function getCulture(locale: string | undefined): CultureInfo {
  if (locale === undefined || locale === '' || locale.toLowerCase() === 'invariant') return INVARIANT;
  const key = locale.toLowerCase();
  const cached = cache.get(key);
  if (cached) return cached;
  let canonical: string;
  try {
    canonical = Intl.getCanonicalLocales(locale)[0] ?? locale;
  } catch {
    throw new ExpressionError(`The locale '${locale}' is not a valid culture name.`);
  }
  const parts = new Intl.NumberFormat(canonical, { useGrouping: true }).formatToParts(-12345.5);
  const find = (type: string, fallback: string): string => parts.find((p) => p.type === type)?.value ?? fallback;
  const region = new Intl.Locale(canonical).maximize().region ?? 'US';
  const currency = CURRENCY_OF_REGION[region] ?? 'USD';
  const currencyParts = new Intl.NumberFormat(canonical, { style: 'currency', currency }).formatToParts(1);
  const percentParts = new Intl.NumberFormat(canonical, { style: 'percent' }).formatToParts(0.5);
  const culture: CultureInfo = {
    name: canonical,
    decimal: find('decimal', '.'),
    group: find('group', ','),
    minus: find('minusSign', '-').replace('\u2212', '-'),
    currencySymbol: currencyParts.find((p) => p.type === 'currency')?.value ?? '¤',
    currencyAfter: currencyParts.findIndex((p) => p.type === 'currency') > currencyParts.findIndex((p) => p.type === 'integer'),
    currencySpace: currencyParts.some((p) => p.type === 'literal' && /\s/.test(p.value)),
    infinity: '∞',
    percentSpace: percentParts.some((p) => p.type === 'literal' && /\s/.test(p.value)),
  };
  cache.set(key, culture);
  return culture;
}
