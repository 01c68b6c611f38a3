import type { FetchOptions } from '@microsoft/microsoft-graph-client';

/**
 * The Graph SDK hands middleware either a plain header record or a Headers instance; these helpers
 * read and write both so the middleware does not care which one it got.
 */
export function setRequestHeader(options: FetchOptions, name: string, value: string): void {
  const headers = options.headers;
  if (headers instanceof Headers) {
    headers.set(name, value);
    return;
  }
  const record: Record<string, string> = { ...((headers as Record<string, string> | undefined) ?? {}) };
  for (const key of Object.keys(record)) if (key.toLowerCase() === name.toLowerCase()) delete record[key];
  record[name] = value;
  options.headers = record;
}

export function getRequestHeader(options: FetchOptions | undefined, name: string): string | undefined {
  const headers = options?.headers;
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const record = headers as Record<string, string>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}
