import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { describe } from 'vitest';

/**
 * Where tests find the real Azure tools (`npm run tools` puts them in .tools/), and what they do without them.
 *
 * The project is judged against the real Bicep compiler and real PowerShell, so in CI (CI=true) a missing tool
 * is an error that fails the suite. On a developer machine without the .NET SDK the suites that need a tool
 * are skipped with a one-line hint instead, so `npm test` still works from a fresh clone.
 */
export type ToolName = 'bicep' | 'pwsh';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const TOOLS_DIR = join(ROOT, '.tools');
/** Folder holding Pester (and any other module the tests import); prepend it to PSModulePath. */
export const TOOLS_MODULES_DIR = join(TOOLS_DIR, 'modules');

const OVERRIDES: Record<ToolName, string | undefined> = {
  bicep: process.env.BICEP_PATH,
  pwsh: process.env.PWSH_PATH,
};

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Absolute path of the tool, or undefined when it is not installed. */
export function findTool(name: ToolName): string | undefined {
  const candidates = [OVERRIDES[name], join(TOOLS_DIR, 'bin', name)];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? onPath(name);
}

/** True when Pester 5 is installed where the tests look for it. */
export function hasPester(): boolean {
  return existsSync(join(TOOLS_MODULES_DIR, 'Pester'));
}

const warned = new Set<string>();

/**
 * The tool's path, or undefined after a one-line hint. In CI a missing tool throws, which fails the test file:
 * CI never skips these tests.
 */
export function requireTool(name: ToolName | 'pester'): string | undefined {
  const path = name === 'pester' ? (hasPester() ? join(TOOLS_MODULES_DIR, 'Pester') : undefined) : findTool(name);
  if (path) return path;
  const hint = `${name} not found: run 'npm run tools' (needs the .NET SDK) to install it into .tools/.`;
  if (process.env.CI === 'true') throw new Error(`CI must run the ${name} tests. ${hint}`);
  if (!warned.has(name)) {
    warned.add(name);
    console.warn(`Skipped tests that need ${name}. ${hint}`);
  }
  return undefined;
}

/** `describe` when every named tool is installed; `describe.skip` (locally) or a failure (CI) otherwise. */
export function describeWithTools(...names: Array<ToolName | 'pester'>): ReturnType<typeof describe.skipIf> {
  const missing = names.filter((n) => !requireTool(n));
  return describe.skipIf(missing.length > 0);
}

/** Environment for a pwsh child process that can `Import-Module Pester` and the test stubs. */
export function pwshEnv(extraModuleDirs: string[] = []): NodeJS.ProcessEnv {
  const dirs = [...extraModuleDirs, TOOLS_MODULES_DIR, process.env.PSModulePath ?? ''].filter(Boolean);
  return { ...process.env, PSModulePath: dirs.join(delimiter), POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off' };
}
