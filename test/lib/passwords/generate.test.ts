import { afterEach, describe, expect, it } from 'vitest';
import { generatePassword, PASSWORD_ALPHABETS } from '../../../lib/passwords/generate.js';
import { checkEntraPassword } from '../../../lib/passwords/entra-policy.js';
import { resetSettingsCache } from '../../../lib/config/settings.js';

const LOOK_ALIKES = ['0', 'O', 'o', '1', 'l', 'I', '|', '`', "'", '"', ' '];

describe('generatePassword', () => {
  afterEach(() => {
    delete process.env.PASSWORD_LENGTH;
    resetSettingsCache();
  });

  it('2000 samples: right length, all four classes, Entra-valid, no look-alikes, only the alphabet', () => {
    const allowed = new Set(Object.values(PASSWORD_ALPHABETS).join(''));
    const violations: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const password = generatePassword(16);
      if (password.length !== 16) violations.push(`length ${password.length}`);
      if (!(/[A-Z]/.test(password) && /[a-z]/.test(password) && /[0-9]/.test(password) && /[^A-Za-z0-9]/.test(password))) violations.push('missing class');
      if (!checkEntraPassword(password).ok) violations.push('not Entra-valid');
      for (const ch of password) if (!allowed.has(ch) || LOOK_ALIKES.includes(ch)) violations.push(`character ${JSON.stringify(ch)}`);
    }
    expect(violations).toEqual([]);
  });

  it('is not predictable: 2000 samples are distinct and every alphabet character shows up', () => {
    const samples = Array.from({ length: 2000 }, () => generatePassword(16));
    expect(new Set(samples).size).toBe(samples.length);
    const seen = new Set(samples.join(''));
    for (const ch of Object.values(PASSWORD_ALPHABETS).join('')) expect(seen.has(ch)).toBe(true);
  });

  it('does not always put the guaranteed classes first (shuffled)', () => {
    const firstIsUpper = Array.from({ length: 400 }, () => /[A-Z]/.test(generatePassword(8)[0] ?? '')).filter(Boolean).length;
    expect(firstIsUpper).toBeLessThan(400);
    expect(firstIsUpper).toBeGreaterThan(0);
  });

  it.each([8, 9, 64, 256])('honours length %d', (length) => {
    const password = generatePassword(length);
    expect(password).toHaveLength(length);
    expect(checkEntraPassword(password).ok).toBe(true);
  });

  it.each([7, 257, 0, 12.5])('refuses length %d with a configuration error', (length) => {
    expect(() => generatePassword(length)).toThrow(expect.objectContaining({ code: 'configuration' }));
  });

  it('defaults to PASSWORD_LENGTH (16 unless set)', () => {
    expect(generatePassword()).toHaveLength(16);
    process.env.PASSWORD_LENGTH = '24';
    resetSettingsCache();
    expect(generatePassword()).toHaveLength(24);
  });
});
