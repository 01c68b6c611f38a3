/**
 * Table Storage caps a string property at 64 KiB (32K UTF-16 characters) and an entity at 1 MiB, so
 * a stored response is split over numbered properties (response0, response1, ...).
 */
const CHUNK_CHARS = 30_000;
export const MAX_CHUNKS = 25;

export function toChunks(prefix: string, json: string): Record<string, string | number> {
  const count = Math.ceil(json.length / CHUNK_CHARS);
  if (count > MAX_CHUNKS) throw new RangeError(`The stored ${prefix} is too large (${json.length} characters).`);
  const out: Record<string, string | number> = { [`${prefix}Chunks`]: count };
  for (let i = 0; i < count; i++) out[`${prefix}${i}`] = json.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS);
  return out;
}

export function fromChunks(prefix: string, row: Record<string, unknown>): string | undefined {
  const count = row[`${prefix}Chunks`];
  if (typeof count !== 'number' || count <= 0) return undefined;
  let out = '';
  for (let i = 0; i < count; i++) out += String(row[`${prefix}${i}`] ?? '');
  return out;
}
