/**
 * Placeholder expansion for workflow fragments and templates (scripts/workflows/fragments, templates).
 *
 * - `{{name}}` inside any string (object keys included) is replaced by the string parameter `name`.
 * - A value that is exactly `"{{name}}"` takes the parameter's JSON value as is (object, array, number, …).
 * - A value that is exactly `"{{name?}}"` is optional: the member is left out when `name` has no value.
 * A parameter that is used but not given is an error naming the source, so a typo never reaches a workflow.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Params = Readonly<Record<string, Json | undefined>>;

export class PlaceholderError extends Error {
  constructor(
    readonly source: string,
    readonly placeholder: string,
  ) {
    super(`${source}: no value for {{${placeholder}}}; add it to the parameters that use this source`);
    this.name = 'PlaceholderError';
  }
}

const WHOLE = /^\{\{([A-Za-z][A-Za-z0-9]*)(\?)?\}\}$/;
const INNER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;
const OMIT = Symbol('omit');

function expandString(text: string, params: Params, source: string): string {
  return text.replace(INNER, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new PlaceholderError(source, name);
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

function expandValue(value: Json, params: Params, source: string): Json | typeof OMIT {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) {
      const [, name = '', optional] = whole;
      const given = params[name];
      if (given === undefined) {
        if (optional) return OMIT;
        throw new PlaceholderError(source, name);
      }
      return given;
    }
    return expandString(value, params, source);
  }
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const expanded = expandValue(item, params, source);
      return expanded === OMIT ? [] : [expanded];
    });
  }
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, member] of Object.entries(value)) {
      const expanded = expandValue(member, params, source);
      if (expanded !== OMIT) out[expandString(key, params, source)] = expanded;
    }
    return out;
  }
  return value;
}

/** Expands every placeholder in `value` (a deep copy; the input is not changed). */
export function expandPlaceholders(value: Json, params: Params, source: string): Json {
  const expanded = expandValue(value, params, source);
  return expanded === OMIT ? null : expanded;
}

/** Names of every placeholder used in `value` (for checks that a table gives each one). */
export function placeholdersIn(value: Json, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole?.[1]) out.add(whole[1]);
    for (const match of value.matchAll(INNER)) if (match[1]) out.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) placeholdersIn(item, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      placeholdersIn(key, out);
      placeholdersIn(member, out);
    }
  }
  return out;
}
