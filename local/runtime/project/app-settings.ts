import { join } from 'node:path';
import type { ProjectProblem } from './errors.js';
import { isRecord, readJsonFile } from './read-json.js';

/**
 * App settings as the Functions host sees them locally: local.settings.json `Values`, overridden by
 * the process environment (the host does not replace variables already set), overridden by the
 * caller's explicit settings.
 */
export async function readAppSettings(root: string, overrides: Record<string, string> | undefined, problems: ProjectProblem[]): Promise<Record<string, string>> {
  const settings: Record<string, string> = {};
  const file = await readJsonFile(join(root, 'local.settings.json'), 'local.settings.json', problems, false);
  if (file && isRecord(file.value) && isRecord(file.value.Values)) {
    for (const [k, v] of Object.entries(file.value.Values)) if (v !== null && v !== undefined) settings[k] = String(v);
  } else if (file) {
    problems.push({ file: 'local.settings.json', message: "expected an object with a 'Values' object" });
  }
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) settings[k] = v;
  if (overrides) Object.assign(settings, overrides);
  return settings;
}
