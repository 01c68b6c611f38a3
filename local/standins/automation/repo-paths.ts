import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where the Automation stand-in finds the repository's files (runbooks/*.ps1, the stub PowerShell modules,
 * infra/permissions.json). It runs from the sources (tsx/vitest) and from dist/ (npm start), so it walks
 * up from its own folder to the checkout that holds both package.json and runbooks/.
 */
function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'runbooks'))) return dir;
    if (dirname(dir) === dir) return join(start, '..', '..', '..');
  }
}

export const REPO_ROOT = findRoot(import.meta.dirname);
export const RUNBOOKS_DIR = join(REPO_ROOT, 'runbooks');
/** The stub ExchangeOnlineManagement and Automation asset modules (EXO-protocol, docs/exchange-stand-in.md). */
export const PWSH_MODULES_DIR = join(REPO_ROOT, 'local', 'standins', 'automation', 'pwsh-modules');
export const JOB_HOST_SCRIPT = join(REPO_ROOT, 'local', 'standins', 'automation', 'pwsh', 'job-host.ps1');
export const PERMISSIONS_MANIFEST = join(REPO_ROOT, 'infra', 'permissions.json');
