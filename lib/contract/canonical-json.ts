import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, undefined members dropped, no whitespace. Two equal values always
 * give the same text, so its hash can key idempotency regardless of field order in the webhook.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

/** sha256 hex of the canonical JSON of `fields`, leaving out the named secret members. */
export function fieldsHash(fields: Record<string, unknown>, secretKeys: readonly string[]): string {
  const hashed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!secretKeys.includes(key)) hashed[key] = value;
  }
  return createHash('sha256').update(canonicalJson(hashed)).digest('hex');
}
