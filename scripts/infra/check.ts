import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { findBicep, repoRoot, runBicep, BicepRunError } from './bicep-cli.js';
import { parseDiagnostics, uniqueDiagnostics, type Diagnostic } from './diagnostics.js';
import { findSuppressions, withoutSuppressions, type Suppression } from './suppressions.js';

/**
 * `npm run lint:infra` and test/infra: compile (`bicep build`, `bicep build-params`) and lint (`bicep lint`) every
 * .bicep and .bicepparam file under infra/, then account for every suppression. The compiled templates go to a
 * temporary folder, never into infra/.
 *
 * Rules: any error fails; any warning the compiler still reports fails; a `#disable-next-line` must carry a
 * reason on its line and must hide at least one warning (a stale one fails); errors cannot be suppressed.
 */

export interface SuppressionAccount extends Suppression {
  /** What the directive hides: the diagnostics of a compile without it, on the line it covers. */
  hides: Diagnostic[];
}

export interface SuppressionProblem {
  suppression: Suppression;
  problem: 'no reason' | 'hides nothing' | 'hides an error' | 'block directive';
}

export interface InfraCheckReport {
  /** Files checked, relative to the infra folder. */
  files: string[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  infos: Diagnostic[];
  suppressions: SuppressionAccount[];
  problems: SuppressionProblem[];
  /** Compiled ARM templates by path relative to the infra folder, e.g. "main.json", "modules/storage.json". */
  templates: Record<string, unknown>;
  /** Compiled parameter files by the .bicepparam path, e.g. "main.json" for main.bicepparam. */
  parameters: Record<string, unknown>;
  ok: boolean;
}

async function listBicepFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listBicepFiles(full, base)));
    else if (/\.bicep(param)?$/.test(entry.name)) out.push(relative(base, full).split('\\').join('/'));
  }
  return out.sort();
}

async function readJsonTree(dir: string, base = dir): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, await readJsonTree(full, base));
    else if (entry.name.endsWith('.json')) out[relative(base, full).split('\\').join('/')] = JSON.parse(await readFile(full, 'utf8'));
  }
  return out;
}

/**
 * build + build-params + lint of one folder; returns every diagnostic (paths relative to that folder).
 * `buildOnly`: no separate `bicep lint` (build reports the compiler's and the linter's diagnostics too).
 */
async function compileAndLint(bicep: string, dir: string, files: string[], outDir: string, buildOnly = false): Promise<Diagnostic[]> {
  const hasBicep = files.some((f) => f.endsWith('.bicep'));
  const hasParams = files.some((f) => f.endsWith('.bicepparam'));
  const runs: Array<Promise<{ args: string[]; run: Awaited<ReturnType<typeof runBicep>> }>> = [];
  const call = (args: string[]) => runs.push(runBicep(bicep, args, dir).then((run) => ({ args, run })));
  // Separate folders: build-params names its output after the .bicepparam file (main.json), as build does.
  if (hasBicep) call(['build', '--pattern', '**/*.bicep', '--outdir', join(outDir, 'templates')]);
  if (hasParams) call(['build-params', '--pattern', '**/*.bicepparam', '--outdir', join(outDir, 'parameters')]);
  if (!buildOnly) call(['lint', '--pattern', '**/*.bicep*']);
  const diagnostics: Diagnostic[] = [];
  for (const { args, run } of await Promise.all(runs)) {
    const found = parseDiagnostics(`${run.stdout}\n${run.stderr}`, dir);
    // A failed run must explain itself with at least one error; otherwise the CLI itself broke.
    if (run.exitCode !== 0 && !found.some((d) => d.level === 'Error')) throw new BicepRunError(args, run.exitCode, run.stderr || run.stdout);
    diagnostics.push(...found);
  }
  return uniqueDiagnostics(diagnostics);
}

function covers(s: Suppression, d: Diagnostic): boolean {
  return d.file === s.file && d.line === s.line + 1 && s.codes.includes(d.code);
}

export async function checkInfra(options: { infraDir?: string; bicepPath?: string } = {}): Promise<InfraCheckReport> {
  const infraDir = options.infraDir ?? join(repoRoot(), 'infra');
  const bicep = options.bicepPath ?? findBicep();
  const files = await listBicepFiles(infraDir);
  const work = await mkdtemp(join(tmpdir(), 'infra-check-'));
  try {
    const outDir = join(work, 'out');
    const suppressions: Suppression[] = [];
    for (const file of files) suppressions.push(...findSuppressions(file, await readFile(join(infraDir, file), 'utf8')));

    // The tree as written: what the compiler reports despite the suppressions.
    const reported = await compileAndLint(bicep, infraDir, files, outDir);

    // The same tree with every directive blanked: what each suppression hides.
    let unsuppressed: Diagnostic[] = [];
    if (suppressions.length > 0) {
      const stripped = join(work, 'stripped');
      await cp(infraDir, stripped, { recursive: true });
      for (const file of files) {
        const path = join(stripped, file);
        await writeFile(path, withoutSuppressions(await readFile(path, 'utf8')));
      }
      // Only the kinds of file that hold a directive need the second compile.
      const withDirectives = files.filter((f) => suppressions.some((s) => s.file === f));
      const kinds = files.filter((f) => withDirectives.some((d) => d.endsWith('.bicepparam') === f.endsWith('.bicepparam')));
      unsuppressed = await compileAndLint(bicep, stripped, kinds, join(work, 'stripped-out'), true);
    }

    const accounts: SuppressionAccount[] = suppressions.map((s) => ({ ...s, hides: unsuppressed.filter((d) => covers(s, d)) }));
    const problems: SuppressionProblem[] = [];
    for (const s of accounts) {
      if (s.kind === 'block') problems.push({ suppression: s, problem: 'block directive' });
      else if (!s.reason) problems.push({ suppression: s, problem: 'no reason' });
      else if (s.hides.length === 0) problems.push({ suppression: s, problem: 'hides nothing' });
      else if (s.hides.some((d) => d.level === 'Error')) problems.push({ suppression: s, problem: 'hides an error' });
    }

    const errors = reported.filter((d) => d.level === 'Error');
    const warnings = reported.filter((d) => d.level === 'Warning');
    const infos = reported.filter((d) => d.level === 'Info');
    const templates = errors.length === 0 ? await readJsonTree(join(outDir, 'templates')).catch(() => ({})) : {};
    const parameters = errors.length === 0 ? await readJsonTree(join(outDir, 'parameters')).catch(() => ({})) : {};
    return {
      files,
      errors,
      warnings,
      infos,
      suppressions: accounts,
      problems,
      templates,
      parameters,
      ok: errors.length === 0 && warnings.length === 0 && problems.length === 0,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** `bicep: 0 errors, 0 warnings (3 suppressed with reasons)`, plus suppression problems when there are any. */
export function summaryLine(report: InfraCheckReport): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const explained = report.suppressions.filter((s) => s.reason && s.hides.length > 0).reduce((n, s) => n + s.hides.length, 0);
  const problems = report.problems.length > 0 ? `; ${plural(report.problems.length, 'suppression problem')}` : '';
  return `bicep: ${plural(report.errors.length, 'error')}, ${plural(report.warnings.length, 'warning')} (${explained} suppressed with reasons)${problems}`;
}
