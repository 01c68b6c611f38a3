import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Runs the pinned Bicep CLI that `npm run tools` installs into .tools/bin (BICEP_PATH overrides it), so every
 * machine checks infra/ with the same compiler and linter rules.
 */

export class BicepNotInstalledError extends Error {
  constructor(readonly looked: string[]) {
    super(`Bicep CLI not found (looked at ${looked.join(', ')}). Run 'npm run tools' to install the pinned version into .tools/.`);
    this.name = 'BicepNotInstalledError';
  }
}

/** The Bicep CLI exited in a way that is not a diagnostic of the files (crash, bad arguments). */
export class BicepRunError extends Error {
  constructor(
    readonly args: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`bicep ${args.join(' ')} failed (exit ${exitCode ?? 'signal'}): ${stderr.trim().split('\n').slice(0, 5).join(' | ')}`);
    this.name = 'BicepRunError';
  }
}

/** The repository root: the nearest folder above `from` holding package.json (works from scripts/ and dist/scripts/). */
export function repoRoot(from: string = import.meta.dirname): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Absolute path of the Bicep CLI; throws BicepNotInstalledError with the fix when it is missing. */
export function findBicep(root: string = repoRoot()): string {
  const candidates = [process.env.BICEP_PATH, join(root, '.tools', 'bin', 'bicep')].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new BicepNotInstalledError(candidates);
  return found;
}

export interface BicepRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `bicep <args>` in `cwd`. A non-zero exit is returned (diagnostics decide); a crash throws BicepRunError. */
export function runBicep(bicep: string, args: string[], cwd: string): Promise<BicepRun> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      bicep,
      args,
      { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        if (exitCode === null) return reject(new BicepRunError(args, null, stderr || String(error)));
        resolvePromise({ exitCode, stdout, stderr });
      },
    );
  });
}
