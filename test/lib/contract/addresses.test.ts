import { describe, expect, it } from 'vitest';
import { coerceEmail, coerceUpn } from '../../../lib/contract/addresses.js';
import { ISO_COUNTRY_CODES } from '../../../lib/contract/countries.js';

describe('coerceUpn', () => {
  it.each([
    'jane.doe@contoso.com',
    "o'brien@contoso.co.uk",
    'a_b-c~d^e!f#g@sub.contoso.onmicrosoft.com',
    'john_fabrikam.com#EXT#@contoso.onmicrosoft.com',
    'x@a-b.io',
  ])('accepts %s', (upn) => {
    expect(coerceUpn(upn)).toEqual({ ok: true, value: upn });
  });

  it.each([
    ['jane doe@contoso.com', 'contains a space'],
    ['jane.doe', 'has no @ (expected name@domain)'],
    ['jane@doe@contoso.com', 'has more than one @'],
    ['@contoso.com', 'has nothing before the @'],
    ['jane@', 'has nothing after the @'],
    ['jane@contoso', 'without a dot'],
    ['jane@contoso..com', 'empty part'],
    ['jane@-contoso.com', 'invalid part "-contoso"'],
    ['jane@contoso.123', 'is not a top-level domain'],
    ['jane+tag@contoso.com', 'contains "+" before the @, which is not allowed'],
    ['jane,doe@contoso.com', 'contains "," before the @'],
    ['.jane@contoso.com', 'starts or ends with a dot'],
    ['ja..ne@contoso.com', 'two dots in a row'],
    [`${'a'.repeat(65)}@contoso.com`, 'has 65 characters before the @ (at most 64)'],
    ['jane\u0001@contoso.com', 'a control character (U+0001)'],
  ])('refuses %j: %s', (upn, reason) => {
    const result = coerceUpn(upn);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain(reason);
      expect(result.fix).toContain('user principal name');
    }
  });
});

describe('coerceEmail', () => {
  it('accepts characters SMTP allows but UPNs do not', () => {
    expect(coerceEmail('jane+sales@contoso.com')).toEqual({ ok: true, value: 'jane+sales@contoso.com' });
  });
  it('says what is wrong', () => {
    expect(coerceEmail('jane(at)contoso.com')).toMatchObject({ ok: false, message: 'The e-mail address has no @ (expected name@domain).' });
  });
});

describe('ISO country list', () => {
  it('holds the 249 ISO 3166-1 alpha-2 codes', () => {
    expect(ISO_COUNTRY_CODES.size).toBe(249);
    expect(ISO_COUNTRY_CODES.has('GB')).toBe(true);
    expect(ISO_COUNTRY_CODES.has('UK')).toBe(false);
  });
});
