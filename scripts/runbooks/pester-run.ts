import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { repoRoot } from './repo-root.js';

/**
 * One Pester run over test/runbooks under real PowerShell, shared by `npm run test:runbooks` (scripts/runbooks/test.ts)
 * and the vitest wrapper (test/runbooks/pester.test.ts). PSModulePath puts the stub modules
 * (local/standins/automation/pwsh-modules: ExchangeOnlineManagement 3.5.1, Orchestrator.AssetManagement.Cmdlets)
 * first, then .tools/modules (Pester), so the runbooks import the stub, never a real Exchange module.
 */

export const ROOT = repoRoot();
export const RUNBOOK_TESTS_DIR = join(ROOT, 'test', 'runbooks');
export const STUB_MODULES_DIR = join(ROOT, 'local', 'standins', 'automation', 'pwsh-modules');
const TOOLS_MODULES_DIR = join(ROOT, '.tools', 'modules');

export interface PesterFailure {
  /** "Describe > Context > It" path. */
  name: string;
  message: string;
}

export interface PesterSummary {
  result: string;
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  notRun: number;
  /** Containers (test files) that could not run, e.g. a syntax error in a .Tests.ps1. */
  failedContainers: string[];
  failures: PesterFailure[];
  durationSeconds: number;
}

export interface PesterRun {
  exitCode: number;
  /** Pester's own console output (stdout + stderr). */
  output: string;
  /** Undefined when pwsh died before Pester could write its summary. */
  summary: PesterSummary | undefined;
}

export class PesterMissingError extends Error {
  override readonly name = 'PesterMissingError';
}

/** pwsh from PWSH_PATH, .tools/bin, or PATH. */
export function findPwsh(): string | undefined {
  const candidates = [process.env.PWSH_PATH, join(ROOT, '.tools', 'bin', 'pwsh')];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (found) return found;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'pwsh'))) return join(dir, 'pwsh');
  }
  return undefined;
}

/** The tools this run needs, or a PesterMissingError naming what is missing and how to install it. */
export function pesterTools(pwshPath: string | undefined = findPwsh()): { pwsh: string } {
  const hint = "run 'npm run tools' to install it into .tools/.";
  if (!pwshPath) throw new PesterMissingError(`PowerShell (pwsh) not found: ${hint}`);
  if (!existsSync(join(TOOLS_MODULES_DIR, 'Pester'))) throw new PesterMissingError(`Pester not found in .tools/modules: ${hint}`);
  return { pwsh: pwshPath };
}

/** Runs Invoke-Pester and writes the PassThru result as JSON to $env:PESTER_SUMMARY_FILE. */
const RUNNER = String.raw`
$ErrorActionPreference = 'Stop'
Import-Module Pester -MinimumVersion 5.5.0
$config = New-PesterConfiguration
$config.Run.Path = $env:PESTER_TESTS_DIR
$config.Run.PassThru = $true
$config.Output.Verbosity = $env:PESTER_VERBOSITY
$run = Invoke-Pester -Configuration $config
$failures = @($run.Failed | ForEach-Object {
    [ordered]@{ name = ($_.Path -join ' > '); message = [string] ($_.ErrorRecord | Select-Object -First 1) }
})
$containers = @($run.FailedContainers | ForEach-Object { [string] $_.Item })
[ordered]@{
    result = [string] $run.Result; total = $run.TotalCount; passed = $run.PassedCount; failed = $run.FailedCount
    skipped = $run.SkippedCount; notRun = $run.NotRunCount; failedContainers = $containers; failures = $failures
    durationSeconds = [math]::Round($run.Duration.TotalSeconds, 1)
} | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $env:PESTER_SUMMARY_FILE -Encoding utf8
exit ([int] ($run.Result -ne 'Passed'))
`;

export interface RunPesterOptions {
  pwsh?: string;
  /** Echo Pester's output while it runs (the npm script) instead of only collecting it (vitest). */
  stream?: boolean;
  /** Pester Output.Verbosity: Normal prints failures and the summary; Detailed every test. */
  verbosity?: 'None' | 'Normal' | 'Detailed' | 'Diagnostic';
}

export async function runPester(options: RunPesterOptions = {}): Promise<PesterRun> {
  const { pwsh } = pesterTools(options.pwsh ?? findPwsh());
  const work = await mkdtemp(join(tmpdir(), 'pester-'));
  const summaryFile = join(work, 'summary.json');
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PSModulePath: [STUB_MODULES_DIR, TOOLS_MODULES_DIR, process.env.PSModulePath ?? ''].filter(Boolean).join(delimiter),
      POWERSHELL_TELEMETRY_OPTOUT: '1',
      POWERSHELL_UPDATECHECK: 'Off',
      PESTER_TESTS_DIR: RUNBOOK_TESTS_DIR,
      PESTER_SUMMARY_FILE: summaryFile,
      PESTER_VERBOSITY: options.verbosity ?? 'Normal',
    };
    // Pester mode: the stub cmdlets must not reach a stand-in left configured in this shell.
    delete env.EXO_STANDIN_URL;
    delete env.EXO_STANDIN_TOKEN;
    delete env.AUTOMATION_VARIABLES;
    if (!options.stream) env.NO_COLOR = '1';

    const child = spawn(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', RUNNER], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer, sink: NodeJS.WriteStream) => {
      output += chunk.toString('utf8');
      if (options.stream) sink.write(chunk);
    };
    child.stdout.on('data', (c: Buffer) => collect(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => collect(c, process.stderr));
    const exitCode = await new Promise<number>((resolveExit, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolveExit(code ?? 1));
    });
    const summary = existsSync(summaryFile) ? (JSON.parse((await readFile(summaryFile, 'utf8')).replace(/^\uFEFF/, '')) as PesterSummary) : undefined;
    if (summary) {
      // ConvertTo-Json writes a one-element array as the element only when it is not wrapped; normalise.
      summary.failures = ([] as PesterFailure[]).concat(summary.failures ?? []);
      summary.failedContainers = ([] as string[]).concat(summary.failedContainers ?? []);
    }
    return { exitCode, output, summary };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** One line per failing test (and per test file that could not run), for a failure message. */
export function describeFailures(run: PesterRun): string {
  if (!run.summary) return `Pester did not finish (exit ${run.exitCode}):\n${run.output.slice(-4000)}`;
  const lines = [
    ...run.summary.failedContainers.map((c) => `could not run ${c}`),
    ...run.summary.failures.map((f) => `${f.name}: ${f.message.split('\n')[0] ?? ''}`),
  ];
  return lines.join('\n');
}
