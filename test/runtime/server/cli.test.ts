import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The CLI as a user runs it: a separate node process on a project folder.
 * The TypeScript entry is bundled with esbuild so the test does not depend on a prior `tsc` build.
 */
const SAMPLE = resolve(import.meta.dirname, '../../fixtures/runtime-projects/sample');
let root: string;
let bundleDir: string;
let cli: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'runtime-cli-'));
  // Inside the repository, so the bundle finds better-sqlite3 (a native module, kept out of the bundle) in node_modules.
  await mkdir(resolve(import.meta.dirname, '../../../.local'), { recursive: true });
  bundleDir = await mkdtemp(resolve(import.meta.dirname, '../../../.local/runtime-cli-'));
  cli = join(bundleDir, 'cli.mjs');
  await build({
    entryPoints: [resolve(import.meta.dirname, '../../../local/runtime/cli.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(bundleDir, { recursive: true, force: true });
});

function runCli(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'pipe' });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, output: () => out, exit };
}

async function waitFor(check: () => boolean, what: string, exit: Promise<unknown>): Promise<void> {
  let exited = false;
  void exit.then(() => (exited = true));
  for (let i = 0; i < 400 && !check(); i++) {
    if (exited) throw new Error(`CLI exited before ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!check()) throw new Error(`CLI never printed ${what}`);
}

describe('runtime CLI', () => {
  it('serves a project, prints signed trigger URLs and the run-history URL, and stops cleanly on SIGINT', async () => {
    const projectDir = join(root, 'project');
    await cp(SAMPLE, projectDir, { recursive: true });
    const run = runCli([projectDir, '--port', '0']);
    await waitFor(() => run.output().includes('Press Ctrl-C'), 'its banner', run.exit);
    const text = run.output();
    const parentUrl = /parent: (\S+)/.exec(text)?.[1] ?? '';
    expect(parentUrl).toMatch(/\/api\/parent\/triggers\/manual\/invoke\?api-version=2022-05-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=/);
    expect(text).toMatch(/Run history: http:\/\/127\.0\.0\.1:\d+\/runs/);
    const res = await fetch(parentUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticketId: 'CLI-1', items: [] }) });
    expect(res.status).toBe(200);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    // Default data dir inside the project.
    const { openHistoryStore } = await import('../../../local/runtime/history/index.js');
    const store = await openHistoryStore(join(projectDir, '.local', 'runtime'));
    expect(store.listRuns({ workflow: 'parent', clientTrackingId: 'CLI-1' })).toHaveLength(1);
    await store.close();
  });

  it('prints every validation problem and exits 1 for an invalid project', async () => {
    const projectDir = join(root, 'broken');
    await cp(SAMPLE, projectDir, { recursive: true });
    await writeFile(join(projectDir, 'child', 'workflow.json'), JSON.stringify({ definition: { triggers: {}, actions: { Bad: { type: 'NoSuchType', runAfter: {} } } }, kind: 'Stateful' }));
    const run = runCli([projectDir, '--port', '0', '--data', join(root, 'broken-data')]);
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain('is not valid');
    expect(run.output()).toMatch(/child[\\/]workflow\.json/);
  });

  it('explains its usage when the project folder is missing', async () => {
    const run = runCli([]);
    expect(await run.exit).toBe(2);
    expect(run.output()).toContain('usage:');
  });
});
