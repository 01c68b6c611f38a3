import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Segment files are `segment-000001.jsonl`, numbered in write order. */
const SEGMENT = /^segment-(\d{6})\.jsonl$/;

export function segmentName(n: number): string {
  return `segment-${String(n).padStart(6, '0')}.jsonl`;
}

/** The data directory's segments, oldest first. */
export async function listSegments(dir: string): Promise<Array<{ n: number; path: string }>> {
  const names = await readdir(dir);
  const out: Array<{ n: number; path: string }> = [];
  for (const name of names) {
    const m = SEGMENT.exec(name);
    if (m?.[1]) out.push({ n: Number(m[1]), path: join(dir, name) });
  }
  return out.sort((a, b) => a.n - b.n);
}
