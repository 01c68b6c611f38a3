import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { repoRoot } from './repo-root.js';
import { expectedRunbooks, SharedRegionError } from './shared-region.js';

/**
 * Writes runbooks/shared/ExchangeConnection.ps1 into the connection region of every runbooks/*.ps1
 * (shared-region.ts). Run after changing the shared file: `npm run build && node dist/scripts/runbooks/build-runbooks.js`.
 * test/runbooks/runbook-build.test.ts fails while a runbook's copy differs.
 */
function main(): number {
  const root = repoRoot();
  try {
    let changed = 0;
    for (const { file, current, expected } of expectedRunbooks(root)) {
      if (current === expected) continue;
      writeFileSync(file, expected);
      changed += 1;
      console.log(`updated ${relative(root, file)}`);
    }
    console.log(changed ? `${changed} runbook(s) updated.` : 'Every runbook already carries the current connection code.');
    return 0;
  } catch (error) {
    if (error instanceof SharedRegionError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main();
