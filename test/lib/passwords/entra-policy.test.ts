import { describe, expect, it } from 'vitest';
import { checkEntraPassword } from '../../../lib/passwords/entra-policy.js';

describe('checkEntraPassword', () => {
  it.each([
    ['Abcdefg1', true],
    ['abcdef1!', true],
    ['ABCDEF1!', true],
    ['Abcdefg!', true],
    ['abcdefg1', false],
    ['ABCDEFGH', false],
    ['Abc1!', false],
    ['has space A1', true],
    ['Ünïcode1A', false],
  ])('%j → %s', (password, ok) => {
    expect(checkEntraPassword(password).ok).toBe(ok);
  });
  it('gives every reason at once', () => {
    expect(checkEntraPassword('abc').reasons).toEqual([
      'it has 3 characters (at least 8 are required)',
      'it uses 1 of the 4 character kinds (upper case, lower case, digits, symbols); at least 3 are required',
    ]);
  });
});
