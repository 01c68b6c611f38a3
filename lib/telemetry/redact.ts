import { knownSecretValues } from './secret-values.js';

/**
 * Redaction applied to everything before it leaves the process: members whose KEY looks secret are
 * replaced whole, and known secret VALUES are cut out of every string, at any depth.
 */
export const REDACTED = '[redacted]';

const SECRET_KEY_WORDS = ['password', 'passwd', 'pwd', 'secret', 'token', 'authorization', 'credential', 'cookie', 'apikey', 'signature'];
/** Keys ending in "key" are secret (apiKey, linkKey, k) except these identifiers, which are not. */
const NON_SECRET_KEYS = new Set(['dedupkey', 'idempotencykey', 'partitionkey', 'rowkey', 'sortkey']);

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function isSecretKey(key: string): boolean {
  const k = normaliseKey(key);
  if (NON_SECRET_KEYS.has(k)) return false;
  if (k === 'k' || k === 'sig' || k.endsWith('key')) return true;
  return SECRET_KEY_WORDS.some((word) => k.includes(word));
}

export function scrubString(text: string, secrets: readonly string[] = knownSecretValues()): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Deep copy of `value` with secret members and known secret values replaced. Cycles become "[cycle]". */
export function redact<T>(value: T, secrets: readonly string[] = knownSecretValues()): T {
  const seen = new WeakSet<object>();
  const walk = (current: unknown): unknown => {
    if (typeof current === 'string') return scrubString(current, secrets);
    if (current === null || typeof current !== 'object') return current;
    if (seen.has(current)) return '[cycle]';
    seen.add(current);
    if (Array.isArray(current)) return current.map(walk);
    if (current instanceof Date) return current.toISOString();
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(current as Record<string, unknown>)) {
      out[scrubString(key, secrets)] = isSecretKey(key) && member !== undefined && member !== null && member !== '' ? REDACTED : walk(member);
    }
    return out;
  };
  return walk(value) as T;
}
