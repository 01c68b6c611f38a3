import { readFile } from 'node:fs/promises';
import type { ProjectProblem } from './errors.js';

export interface JsonFile {
  text: string;
  value: unknown;
}

/**
 * Reads and parses a JSON file. A missing optional file yields undefined; a missing required file
 * or invalid JSON adds a problem (with the parser's position) and yields undefined.
 */
export async function readJsonFile(path: string, rel: string, problems: ProjectProblem[], required: boolean): Promise<JsonFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      if (required) problems.push({ file: rel, message: 'file not found' });
      return undefined;
    }
    problems.push({ file: rel, message: `cannot be read: ${(err as Error).message}` });
    return undefined;
  }
  try {
    return { text, value: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (err) {
    problems.push({ file: rel, message: `invalid JSON: ${(err as Error).message}` });
    return undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
