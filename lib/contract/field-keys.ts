import { nameKey } from './intent-name.js';
import { MAX_FIELD_BYTES } from './limits.js';
import type { Problem } from './problem.js';

/**
 * Maps the keys of `intent_fields` onto the intent's own field names, comparing them like intent names
 * (so "user email" finds "User Email"). Unknown keys are ignored. Two keys that mean the same field with
 * different values are a problem, as is a value over the per-field size limit.
 */
export function canonicaliseFields(
  raw: Record<string, unknown>,
  fieldNames: readonly string[],
  problems: Problem[],
): Record<string, unknown> {
  const known = new Map(fieldNames.map((name) => [nameKey(name), name] as const));
  const out: Record<string, unknown> = {};
  const sourceKey = new Map<string, string>();
  for (const [key, value] of Object.entries(raw)) {
    const name = known.get(nameKey(key));
    if (name === undefined) continue;
    const path = `intent_fields.${name}`;
    const size = Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value) ?? '', 'utf8');
    if (size > MAX_FIELD_BYTES) {
      problems.push({
        path,
        message: `${name} is ${size} bytes long; one field may hold at most ${MAX_FIELD_BYTES} bytes.`,
        fix: `Shorten ${name}.`,
      });
      continue;
    }
    const earlier = sourceKey.get(name);
    if (earlier !== undefined) {
      if (JSON.stringify(out[name]) !== JSON.stringify(value)) {
        problems.push({
          path,
          message: `${name} is given twice with different values (as "${earlier}" and as "${key}").`,
          fix: `Send ${name} once.`,
        });
      }
      continue;
    }
    sourceKey.set(name, key);
    out[name] = value;
  }
  return out;
}
