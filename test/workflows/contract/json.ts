import { readFileSync } from 'node:fs';

/** Small JSON helpers: the contract tests read workflow files as plain JSON, never through the runtime loader. */
export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

export function recordAt(value: unknown, ...keys: string[]): JsonRecord | undefined {
  let current: unknown = value;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return isRecord(current) ? current : undefined;
}

export function stringAt(value: unknown, ...keys: string[]): string | undefined {
  const parent = keys.length > 1 ? recordAt(value, ...keys.slice(0, -1)) : isRecord(value) ? value : undefined;
  const last = keys[keys.length - 1];
  const found = parent && last !== undefined ? parent[last] : undefined;
  return typeof found === 'string' ? found : undefined;
}
