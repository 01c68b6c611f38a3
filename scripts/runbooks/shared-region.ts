import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo-root.js';

/**
 * The Exchange connection code every runbook carries (runbooks/shared/ExchangeConnection.ps1), copied into each
 * runbooks/*.ps1 between two marker lines. Azure Automation runs each runbook as one standalone script, so the copy
 * is what gets published; this file keeps the copies identical to the one source (runbooks/README.md,
 * "Shared connection code" says why it is not a module or a child runbook).
 */

export const SHARED_SOURCE = 'runbooks/shared/ExchangeConnection.ps1';
export const REGION_START = '# region Exchange connection (generated from runbooks/shared/ExchangeConnection.ps1: edit it there, then run node dist/scripts/runbooks/build-runbooks.js)';
export const REGION_END = '# endregion Exchange connection';

export class SharedRegionError extends Error {
  override readonly name = 'SharedRegionError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** The region as it must appear in every runbook (LF line ends, no trailing blank line inside). */
export function renderRegion(sharedSource: string): string {
  return [REGION_START, sharedSource.replace(/\r\n/g, '\n').trimEnd(), REGION_END].join('\n');
}

/** The runbook with its region replaced by `region`; the runbook must already hold exactly one region. */
export function applyRegion(file: string, runbook: string, region: string): string {
  const text = runbook.replace(/\r\n/g, '\n');
  const start = text.indexOf(`${REGION_START}\n`);
  const end = text.indexOf(REGION_END);
  if (start < 0 || end < 0 || end < start) throw new SharedRegionError(file, `needs one region between the lines '${REGION_START}' and '${REGION_END}'.`);
  if (text.indexOf(REGION_START, start + 1) >= 0) throw new SharedRegionError(file, 'holds the region twice.');
  return text.slice(0, start) + region + text.slice(end + REGION_END.length);
}

/** The published runbooks: runbooks/*.ps1 (not the shared source below runbooks/shared). */
export function runbookFiles(root = repoRoot()): string[] {
  return readdirSync(join(root, 'runbooks'))
    .filter((f) => f.endsWith('.ps1'))
    .sort()
    .map((f) => join(root, 'runbooks', f));
}

/** Each runbook file with the content it must have; equal to the current content when nothing drifted. */
export function expectedRunbooks(root = repoRoot()): Array<{ file: string; current: string; expected: string }> {
  const region = renderRegion(readFileSync(join(root, SHARED_SOURCE), 'utf8'));
  return runbookFiles(root).map((file) => {
    const current = readFileSync(file, 'utf8');
    return { file, current, expected: applyRegion(file, current, region) };
  });
}
