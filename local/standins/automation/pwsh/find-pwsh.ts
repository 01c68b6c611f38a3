import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from '../repo-paths.js';

/**
 * PowerShell 7 for running runbooks, looked up as the tests look it up (test/support/tools.ts):
 * PWSH_PATH, then .tools/bin/pwsh (`npm run tools`), then PATH.
 */
export function findPwsh(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.PWSH_PATH, join(REPO_ROOT, '.tools', 'bin', 'pwsh')];
  const direct = candidates.find((p): p is string => !!p && existsSync(p));
  if (direct) return direct;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'pwsh'))) return join(dir, 'pwsh');
  }
  return undefined;
}
