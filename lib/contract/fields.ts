import { z } from 'zod';
import { coerceEmail, coerceUpn } from './addresses.js';
import { coerceBoolean, coerceChoice, coerceCountry, coerceList, coerceText } from './coerce.js';
import { accept, reject, type Coerced } from './problem.js';
import { unsafeCharacter } from './text-safety.js';
import { checkEntraPassword } from '../passwords/entra-policy.js';

/**
 * Zod field builders for the per-intent schemas. Every field takes any JSON value and runs one coercion
 * from coerce.ts, so the messages are ours (with a fix) rather than zod's generic ones, and every field's
 * problem is collected in one pass. The `.meta()` describes the accepted input for the JSON Schema docs.
 */

/** Documentation metadata carried by each field (read back by json-schemas.ts). */
export interface FieldMeta {
  type: 'string' | 'boolean' | 'array';
  description: string;
  'x-required': boolean;
  'x-secret'?: boolean;
  default?: unknown;
  examples?: unknown[];
  [key: string]: unknown;
}

function field<T>(meta: FieldMeta, run: (value: unknown) => Coerced<T>) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): T => {
      const result = run(value);
      if (result.ok) return result.value;
      ctx.addIssue({ code: 'custom', message: result.message, params: { fix: result.fix } });
      return z.NEVER;
    })
    .meta(meta);
}

function missing(label: string, what: string): Coerced<never> {
  return reject(`${label} is required and was not given.`, `Add "${label}" to the intent fields with ${what}.`);
}

function withinLength(text: string, label: string, maxLength: number): Coerced<string> {
  if (text.length > maxLength) {
    return reject(`${label} has ${text.length} characters; at most ${maxLength} are allowed.`, `Shorten ${label} to ${maxLength} characters or fewer.`);
  }
  return accept(text);
}

/**
 * Texts that may hold more than this many characters are messages (an auto-reply) and may span lines;
 * shorter ones are names and titles, which never hold a tab or line break.
 */
const MULTILINE_ABOVE = 1024;

export function requiredText(label: string, description: string, maxLength = 256) {
  return field<string>({ type: 'string', description, 'x-required': true, maxLength }, (value) => {
    const text = coerceText(value, label, { multiline: maxLength > MULTILINE_ABOVE });
    if (!text.ok) return text;
    if (text.value === undefined) return missing(label, 'a value');
    return withinLength(text.value, label, maxLength);
  });
}

export function optionalText(label: string, description: string, maxLength = 256) {
  return field<string | undefined>({ type: 'string', description, 'x-required': false, maxLength }, (value) => {
    const text = coerceText(value, label, { multiline: maxLength > MULTILINE_ABOVE });
    if (!text.ok || text.value === undefined) return text;
    return withinLength(text.value, label, maxLength);
  });
}

export function requiredUpn(label: string, description: string) {
  return field<string>({ type: 'string', description, 'x-required': true, format: 'email', examples: ['jane.doe@contoso.com'] }, (value) => {
    const text = coerceText(value, label);
    if (!text.ok) return text;
    if (text.value === undefined) return missing(label, "the user's sign-in name (UPN), e.g. jane.doe@contoso.com");
    return coerceUpn(text.value, label);
  });
}

/**
 * The sign-in name of an account about to be created: Graph accepts only A-Z, a-z, 0-9 and ' . - _ ! # ^ ~ before
 * the @ (user resource, userPrincipalName: https://learn.microsoft.com/graph/api/resources/user#properties), so a
 * name Graph would refuse is refused here, before any one-time link or password is prepared.
 */
export function newAccountUpn(label: string, description: string) {
  return field<string>({ type: 'string', description, 'x-required': true, format: 'email', examples: ['jane.doe@contoso.com'] }, (value) => {
    const text = coerceText(value, label);
    if (!text.ok) return text;
    if (text.value === undefined) return missing(label, 'the new sign-in name (UPN), e.g. jane.doe@contoso.com');
    const upn = coerceUpn(text.value, label);
    if (!upn.ok) return upn;
    const local = upn.value.slice(0, upn.value.lastIndexOf('@'));
    const bad = [...new Set([...local].filter((c) => !/[A-Za-z0-9'.\-_!#^~]/.test(c)))];
    if (bad.length > 0) {
      return reject(
        `${label} "${upn.value}" has characters Microsoft 365 does not allow in a new sign-in name: ${bad.map((c) => `"${c}"`).join(', ')}.`,
        `Use only letters, digits and ' . - _ ! # ^ ~ before the @ (e.g. ${local.replace(/[^A-Za-z0-9'.\-_!#^~]/g, '') || 'jane.doe'}@${upn.value.slice(upn.value.lastIndexOf('@') + 1)}).`,
      );
    }
    return upn;
  });
}

function emailRule(label: string, text: Coerced<string | undefined>): Coerced<string | undefined> {
  if (!text.ok || text.value === undefined) return text;
  return coerceEmail(text.value, label);
}

export function requiredEmail(label: string, description: string) {
  return field<string>({ type: 'string', description, 'x-required': true, format: 'email' }, (value) => {
    const checked = emailRule(label, coerceText(value, label));
    if (checked.ok && checked.value === undefined) return missing(label, 'an e-mail address');
    return checked as Coerced<string>;
  });
}

export function optionalEmail(label: string, description: string) {
  return field<string | undefined>({ type: 'string', description, 'x-required': false, format: 'email' }, (value) =>
    emailRule(label, coerceText(value, label)),
  );
}

export function booleanField(label: string, description: string, fallback: boolean) {
  return field<boolean>(
    { type: 'boolean', description: `${description} Accepts Yes/No, True/False, Y/N, 1/0.`, 'x-required': false, default: fallback },
    (value) => {
      const flag = coerceBoolean(value, label);
      if (!flag.ok) return flag;
      return accept(flag.value ?? fallback);
    },
  );
}

export function choiceField<T extends string>(
  label: string,
  description: string,
  allowed: readonly T[],
  fallback: T,
  synonyms: Readonly<Record<string, T>> = {},
) {
  const synonymNote = Object.keys(synonyms).length > 0 ? ` Also understood: ${Object.entries(synonyms).map(([s, c]) => `"${s}" = ${c}`).join(', ')}.` : '';
  return field<T>(
    {
      type: 'string',
      description: `${description} One of: ${allowed.join(', ')} (case-insensitive).${synonymNote}`,
      'x-required': false,
      default: fallback,
      examples: [...allowed],
    },
    (value) => {
      const choice = coerceChoice(value, label, allowed, synonyms);
      if (!choice.ok) return choice;
      return accept(choice.value ?? fallback);
    },
  );
}

export function listField(label: string, description: string, options: { min: number; max: number; maxItemLength?: number }) {
  const maxItemLength = options.maxItemLength ?? 256;
  return field<string[]>(
    {
      type: 'string',
      description: `${description} Separate several with commas or semicolons; duplicates are ignored. ${options.min > 0 ? `At least ${options.min}, ` : 'Up to '}${options.min > 0 ? 'at most ' : ''}${options.max}.`,
      'x-required': options.min > 0,
    },
    (value) => {
      const list = coerceList(value, label);
      if (!list.ok) return list;
      if (list.value.length < options.min) return missing(label, 'one or more names separated by commas or semicolons');
      if (list.value.length > options.max) {
        return reject(`${label} lists ${list.value.length} entries; at most ${options.max} are allowed in one request.`, `Split the request into several tickets of ${options.max} or fewer.`);
      }
      const tooLong = list.value.find((item) => item.length > maxItemLength);
      if (tooLong !== undefined) {
        return reject(`${label} has an entry of ${tooLong.length} characters; at most ${maxItemLength} are allowed.`, `Check the entries of ${label}; each must be a name, not a sentence.`);
      }
      return list;
    },
  );
}

export function countryField(label: string, description: string) {
  return field<string | undefined>({ type: 'string', description, 'x-required': false, pattern: '^[A-Za-z]{2}$', examples: ['US', 'GB'] }, (value) =>
    coerceCountry(value, label),
  );
}

/** A caller-supplied password: checked against Entra's policy, never echoed in any message. */
export function passwordField(label: string, description: string) {
  return field<string | undefined>({ type: 'string', description, 'x-required': false, 'x-secret': true, writeOnly: true }, (value) => {
    if (value === undefined || value === null) return accept(undefined);
    if (typeof value !== 'string') return reject(`${label} must be text.`, `Send ${label} as text, or leave it out to have a password generated.`);
    // Passwords are not trimmed inside: Entra allows spaces. Only an all-blank value means "not given".
    if (value.trim() === '') return accept(undefined);
    const unsafe = unsafeCharacter(value);
    if (unsafe) return reject(`${label} contains ${unsafe}.`, `Type ${label} again without invisible characters, or leave it out to have a password generated.`);
    const verdict = checkEntraPassword(value);
    if (!verdict.ok) {
      return reject(
        `${label} does not meet the Microsoft Entra password policy: ${verdict.reasons.join('; ')}.`,
        `Supply 8-256 characters using at least three of upper case, lower case, digits and symbols, or leave ${label} out to have a strong password generated and delivered by one-time link.`,
      );
    }
    return accept(value);
  });
}
