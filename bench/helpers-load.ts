import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { validateWebhook } from '../lib/contract/validate.js';
import { generatePassword } from '../lib/passwords/generate.js';
import type { BenchRow } from './row.js';

/**
 * Helper cold start: the time a fresh Node process needs to import the helpers bundled into one file,
 * as the Functions worker does on a cold instance (median of 5 processes). Plus the per-request cost of
 * webhook validation and password generation.
 */
const run$ = promisify(execFile);
const COLD_STARTS = 5;
const AREA = 'helpers';

/** Repo root whether this runs compiled (dist/bench) or from source (bench). */
function repoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return existsSync(join(here, '..', 'package.json')) ? resolve(here, '..') : resolve(here, '..', '..');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Picks what to bundle: the built Functions entry, else its source, else the contract + passwords. */
async function entryPoint(root: string, dir: string): Promise<{ file: string; label: string }> {
  const built = join(root, 'dist', 'lib', 'functions', 'index.js');
  if (existsSync(built)) return { file: built, label: 'dist/lib/functions/index.js' };
  const source = join(root, 'lib', 'functions', 'index.ts');
  if (existsSync(source)) return { file: source, label: 'lib/functions/index.ts' };
  const synthetic = join(dir, 'entry.ts');
  await writeFile(
    synthetic,
    `export * from ${JSON.stringify(join(root, 'lib', 'contract', 'index.ts'))};\nexport * from ${JSON.stringify(join(root, 'lib', 'passwords', 'one-time-link.ts'))};\n`,
  );
  return { file: synthetic, label: 'lib/contract + lib/passwords' };
}

/** Median in-process import time over fresh processes, and median wall time of those processes. */
async function measureImports(file: string, cwd: string): Promise<{ importMs: number; processMs: number }> {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t));`;
  const importMs: number[] = [];
  const processMs: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const started = performance.now();
    const { stdout } = await run$(process.execPath, ['--input-type=module', '-e', script], { cwd, env: { ...process.env, APPLICATIONINSIGHTS_CONNECTION_STRING: '' } });
    processMs.push(performance.now() - started);
    importMs.push(Number(stdout.trim().split('\n').pop()));
  }
  return { importMs: median(importMs), processMs: median(processMs) };
}

const bundleOptions = {
  bundle: true,
  platform: 'node' as const,
  target: 'node20',
  format: 'esm' as const,
  // Provided by the Functions worker at run time, as in the deployed package.
  external: ['@azure/functions-core'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'silent' as const,
};

async function coldStart(): Promise<BenchRow[]> {
  const root = repoRoot();
  const dir = await mkdtemp(join(tmpdir(), 'helpers-bundle-'));
  try {
    const entry = await entryPoint(root, dir);
    const outfile = join(dir, 'single', 'helpers.mjs');
    await build({ ...bundleOptions, entryPoints: [entry.file], outfile });
    const single = await measureImports(outfile, dir);
    // Same code with esbuild code splitting: lazily imported packages (Application Insights, Key Vault)
    // become chunks that are only read when first used. Informational: shows what splitting would save.
    const splitDir = join(dir, 'split');
    await build({ ...bundleOptions, entryPoints: { helpers: entry.file }, outdir: splitDir, splitting: true, outExtension: { '.js': '.mjs' } });
    const split = await measureImports(join(splitDir, 'helpers.mjs'), dir);
    const size = (await stat(outfile)).size;
    return [
      { area: AREA, metric: `cold import of bundle (${entry.label}), median of ${COLD_STARTS}`, value: single.importMs, unit: 'ms', target: '< 1500 ms', ok: single.importMs < 1500 },
      { area: AREA, metric: 'fresh node process incl. import, median', value: single.processMs, unit: 'ms' },
      { area: AREA, metric: 'bundle size (one file)', value: Math.round(size / 1024), unit: 'KiB' },
      { area: AREA, metric: 'cold import with esbuild code splitting, median', value: split.importMs, unit: 'ms' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function perCall(label: string, iterations: number, fn: (i: number) => void, target: number): BenchRow {
  for (let i = 0; i < Math.min(1000, iterations); i++) fn(i);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  const micros = ((performance.now() - started) * 1000) / iterations;
  return { area: AREA, metric: label, value: micros, unit: 'µs/call', target: `< ${target} µs`, ok: micros < target };
}

function perRequest(): BenchRow[] {
  const body = {
    intent_name: 'User Offboarding / Disable Account',
    intent_fields: {
      'User Email': 'leaver@contoso.com',
      'Revoke Sessions': 'Yes',
      'Remove Licenses': 'yes',
      'Convert to Shared Mailbox': 'true',
      'Forward Email To': 'manager@contoso.com',
      'Auto Reply Message': 'I have left the company; please contact my manager.',
    },
    meta_data: { ticket_id: '5678', contact_name: 'Pat', contact_email: 'pat@msp.example', company_name: 'Contoso' },
  };
  return [
    perCall('validateWebhook (offboarding, 6 fields)', 20_000, () => {
      if (!validateWebhook(body).ok) throw new Error('bench payload must be valid');
    }, 200),
    perCall('generatePassword(16)', 20_000, () => void generatePassword(16), 100),
  ];
}

export async function run(): Promise<BenchRow[]> {
  return [...(await coldStart()), ...perRequest()];
}
