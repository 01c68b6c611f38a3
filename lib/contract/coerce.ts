import { accept, reject, type Coerced } from './problem.js';
import { ISO_COUNTRY_CODES } from './countries.js';
import { unsafeCharacter } from './text-safety.js';

/**
 * Pure coercions from the loosely typed values Thread's AI puts in `intent_fields` to typed values.
 * Each returns a value or says what is wrong and which values are allowed. Absent, null and empty (after
 * trimming) all mean "not given", so an optional field takes its declared default whether the AI left
 * the key out or sent it empty. A closed set accepts only its listed values and declared synonyms, so an
 * unknown choice is refused with the allowed values rather than silently read as another one.
 */

/**
 * Raw value → trimmed text, or undefined when not given. Numbers become text; other types are refused.
 * Text with a control character or a broken (unpaired surrogate) character is refused naming the field
 * (text-safety.ts); `multiline` text may keep tabs and line breaks.
 */
export function coerceText(value: unknown, label: string, options: { multiline?: boolean } = {}): Coerced<string | undefined> {
  if (value === undefined || value === null) return accept(undefined);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    const unsafe = unsafeCharacter(trimmed, options);
    if (unsafe) return reject(`${label} contains ${unsafe}.`, `Retype ${label} as plain text; copy-and-paste can carry invisible characters.`);
    return accept(trimmed === '' ? undefined : trimmed);
  }
  if (typeof value === 'number' && Number.isFinite(value)) return accept(String(value));
  return reject(`${label} must be text, not ${describeType(value)}.`, `Send ${label} as a plain text value.`);
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'number') return 'a number';
  return typeof value;
}

const TRUE_WORDS = new Set(['yes', 'y', 'true', '1']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0']);
export const BOOLEAN_WORDS = 'Yes, No, True, False, Y, N, 1 or 0';

/** Yes/No style flag. undefined = not given (caller applies the default). */
export function coerceBoolean(value: unknown, label: string): Coerced<boolean | undefined> {
  if (value === undefined || value === null) return accept(undefined);
  if (typeof value === 'boolean') return accept(value);
  if (typeof value === 'number') {
    if (value === 1) return accept(true);
    if (value === 0) return accept(false);
  } else if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (word === '') return accept(undefined);
    if (TRUE_WORDS.has(word)) return accept(true);
    if (FALSE_WORDS.has(word)) return accept(false);
  }
  const shown = typeof value === 'string' ? `"${value.trim()}"` : describeType(value);
  return reject(`${label} must be a yes/no value; got ${shown}.`, `Set ${label} to one of: ${BOOLEAN_WORDS}.`);
}

/** Key under which choice values and synonyms are compared: case, spaces and punctuation ignored. */
export function choiceKey(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * One value of a closed set, matched case- and punctuation-insensitively and returned in its canonical
 * spelling. `synonyms` maps extra spellings (compared by choiceKey) to a canonical value.
 */
export function coerceChoice<T extends string>(
  value: unknown,
  label: string,
  allowed: readonly T[],
  synonyms: Readonly<Record<string, T>> = {},
): Coerced<T | undefined> {
  const text = coerceText(value, label);
  if (!text.ok) return reject(text.message, `Set ${label} to one of: ${allowed.join(', ')}.`);
  if (text.value === undefined) return accept(undefined);
  const key = choiceKey(text.value);
  const direct = allowed.find((candidate) => choiceKey(candidate) === key);
  if (direct) return accept(direct);
  for (const [spelling, canonical] of Object.entries(synonyms)) {
    if (choiceKey(spelling) === key) return accept(canonical);
  }
  return reject(`${label} "${text.value}" is not one of the allowed values.`, `Set ${label} to one of: ${allowed.join(', ')}.`);
}

/**
 * A list given as "a, b; c" or as a JSON array of strings: split on comma or semicolon, trimmed, empties
 * dropped, de-duplicated case-insensitively (first spelling kept).
 */
export function coerceList(value: unknown, label: string): Coerced<string[]> {
  if (value === undefined || value === null) return accept([]);
  let parts: string[];
  if (typeof value === 'string') {
    parts = value.split(/[,;]/);
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    parts = [String(value)]; // a group called "2024" sent as a JSON number
  } else if (Array.isArray(value)) {
    parts = [];
    for (const item of value) {
      if (typeof item === 'number' && Number.isFinite(item)) {
        parts.push(String(item));
        continue;
      }
      if (typeof item !== 'string') {
        return reject(`${label} must list names as text; it contains ${describeType(item)}.`, `Send ${label} as names separated by commas or semicolons.`);
      }
      parts.push(...item.split(/[,;]/));
    }
  } else {
    return reject(`${label} must be text, not ${describeType(value)}.`, `Send ${label} as names separated by commas or semicolons.`);
  }
  const seen = new Set<string>();
  const items: string[] = [];
  for (const part of parts) {
    const item = part.trim();
    if (item === '') continue;
    const unsafe = unsafeCharacter(item);
    if (unsafe) return reject(`${label} has an entry that contains ${unsafe}.`, `Retype the names in ${label} as plain text; copy-and-paste can carry invisible characters.`);
    const key = item.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    items.push(item);
  }
  return accept(items);
}

/** Two-letter ISO 3166-1 country code (Graph usageLocation), upper-cased. */
export function coerceCountry(value: unknown, label: string): Coerced<string | undefined> {
  const text = coerceText(value, label);
  if (!text.ok || text.value === undefined) return text;
  const code = text.value.toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || !ISO_COUNTRY_CODES.has(code)) {
    return reject(
      `${label} "${text.value}" is not a two-letter ISO country code.`,
      `Set ${label} to the user's country as two letters, e.g. US, GB, DE, AU.`,
    );
  }
  return accept(code);
}
