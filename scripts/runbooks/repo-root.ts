import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root from this file, whether it runs compiled (dist/scripts/runbooks) or as source (vitest). */
export function repoRoot(from: string = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}.`);
    dir = parent;
  }
  return dir;
}
