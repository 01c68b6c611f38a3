import { randomInt } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import { loadSettings } from '../config/settings.js';
import { ENTRA_MAX_LENGTH, ENTRA_MIN_LENGTH } from './entra-policy.js';

/**
 * Password generator for resets and new users. Every character comes from node:crypto randomInt (a
 * CSPRNG, no modulo bias). Characters people confuse when reading a password aloud or copying it from
 * a screen (0 O o, 1 l I |, quotes, backtick, space) are left out; symbols are ones Entra accepts and
 * that survive HTML, URLs and shells unescaped.
 */
export const PASSWORD_ALPHABETS = {
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  lower: 'abcdefghijkmnpqrstuvwxyz',
  digit: '23456789',
  symbol: '!#$%*+-=?@^_',
} as const;

const ALL = Object.values(PASSWORD_ALPHABETS).join('');

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)] ?? '';
}

/** A password of `length` characters (default PASSWORD_LENGTH, 16) with every character class present. */
export function generatePassword(length: number = loadSettings().PASSWORD_LENGTH): string {
  if (!Number.isInteger(length) || length < ENTRA_MIN_LENGTH || length > ENTRA_MAX_LENGTH) {
    throw new AppError({
      code: 'configuration',
      message: `A password length of ${length} was requested; Entra ID accepts ${ENTRA_MIN_LENGTH} to ${ENTRA_MAX_LENGTH}.`,
      status: 500,
      fix: `Set PASSWORD_LENGTH to a whole number from ${ENTRA_MIN_LENGTH} to ${ENTRA_MAX_LENGTH}.`,
      step: 'generate_password',
    });
  }
  // One of each class guarantees the policy; the rest from the union; then a Fisher-Yates shuffle so
  // the guaranteed characters are not always at the front.
  const chars = [
    pick(PASSWORD_ALPHABETS.upper),
    pick(PASSWORD_ALPHABETS.lower),
    pick(PASSWORD_ALPHABETS.digit),
    pick(PASSWORD_ALPHABETS.symbol),
  ];
  while (chars.length < length) chars.push(pick(ALL));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const a = chars[i] ?? '';
    chars[i] = chars[j] ?? '';
    chars[j] = a;
  }
  return chars.join('');
}
