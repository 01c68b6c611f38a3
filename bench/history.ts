import { fork } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './row.js';

/**
 * Run history at scale (issue 10): resident memory of the runtime with 10,000 and 100,000 stored runs,
 * the run-history search by client tracking id at 100,000 runs, restart time with 100,000 runs, and a
 * run's latency while another run's inline JavaScript is busy. Runs are seeded straight through the
 * store API; every measurement runs in a fresh child process (bench/history-worker.ts).
 */
const WORKER = fileURLToPath(new URL('./history-worker.js', import.meta.url));
const SMALL = 10_000;
const LARGE = 100_000;

function worker<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, args, { execArgv: ['--expose-gc'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`history bench worker ${args[0] ?? ''} exited with ${String(code)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as T);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

function compose(name: string): unknown {
  return {
    definition: {
      $schema: 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#',
      contentVersion: '1.0.0.0',
      triggers: { manual: { type: 'Request', kind: 'Http', inputs: { method: 'POST' } } },
      actions: {
        Note: { type: 'Compose', inputs: { workflow: name, body: '@triggerBody()' }, runAfter: {} },
        Response: { type: 'Response', kind: 'Http', inputs: { statusCode: 200, body: "@outputs('Note')" }, runAfter: { Note: ['Succeeded'] } },
      },
      outputs: {},
    },
    kind: 'Stateful',
  };
}

function busyWorkflow(): unknown {
  const spin = 'const end = Date.now() + 3000; let n = 0; while (Date.now() < end) { n++; } return n;';
  return {
    definition: {
      $schema: 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#',
      contentVersion: '1.0.0.0',
      triggers: { manual: { type: 'Request', kind: 'Http', inputs: { method: 'POST' } } },
      actions: {
        Spin: { type: 'JavaScriptCode', inputs: { code: spin }, runAfter: {} },
        Response: { type: 'Response', kind: 'Http', inputs: { statusCode: 200, body: "@body('Spin')" }, runAfter: { Spin: ['Succeeded'] } },
      },
      outputs: {},
    },
    kind: 'Stateful',
  };
}

async function project(dir: string, workflows: Record<string, unknown>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'host.json'), JSON.stringify({ version: '2.0', extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle.Workflows', version: '[1.*, 2.0.0)' } }));
  for (const [name, wf] of Object.entries(workflows)) {
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(join(dir, name, 'workflow.json'), JSON.stringify(wf));
  }
}

interface Served {
  startMs: number;
  rssMb: number;
  queryP50: number;
  queryP99: number;
  pageMs: number;
}

export async function run(): Promise<BenchRow[]> {
  const root = await mkdtemp(join(tmpdir(), 'bench-history-'));
  try {
    const projectDir = join(root, 'project');
    const dataDir = join(root, 'data');
    await project(projectDir, { 'thread-webhook': compose('thread-webhook'), 'add-user-to-group': compose('add-user-to-group'), 'password-reset': compose('password-reset') });
    const seed1 = await worker<{ ms: number }>(['seed', dataDir, '0', String(SMALL), String(LARGE)]);
    const small = await worker<Served>(['serve', projectDir, dataDir, String(SMALL)]);
    const seed2 = await worker<{ ms: number }>(['seed', dataDir, String(SMALL), String(LARGE), String(LARGE)]);
    const large = await worker<Served>(['serve', projectDir, dataDir, String(LARGE)]);

    const busyDir = join(root, 'busy-project');
    await project(busyDir, { quick: compose('quick'), busy: busyWorkflow() });
    const busy = await worker<{ baselineP50: number; baselineP99: number; busyP50: number; busyP99: number }>(['busy', busyDir, join(root, 'busy-data')]);

    const flat = large.rssMb - small.rssMb;
    const seedRate = LARGE / ((seed1.ms + seed2.ms) / 1000);
    return [
      { area: 'history', metric: `runtime RSS with ${SMALL.toLocaleString('en')} stored runs`, value: small.rssMb, unit: 'MiB', target: '< 300', ok: small.rssMb < 300 },
      { area: 'history', metric: `runtime RSS with ${LARGE.toLocaleString('en')} stored runs`, value: large.rssMb, unit: 'MiB', target: '< 300', ok: large.rssMb < 300 },
      { area: 'history', metric: 'RSS growth from 10k to 100k runs (flat)', value: flat, unit: 'MiB', target: '< 50', ok: flat < 50 },
      { area: 'history', metric: 'search by client tracking id at 100k runs (management API) p50', value: large.queryP50, unit: 'ms' },
      { area: 'history', metric: 'search by client tracking id at 100k runs (management API) p99', value: large.queryP99, unit: 'ms', target: '< 50', ok: large.queryP99 < 50 },
      { area: 'history', metric: 'newest 50 runs page at 100k runs', value: large.pageMs, unit: 'ms' },
      { area: 'history', metric: 'runtime start with 100k stored runs', value: large.startMs, unit: 'ms', target: '< 2000', ok: large.startMs < 2000 },
      { area: 'history', metric: 'runtime start with 10k stored runs', value: small.startMs, unit: 'ms' },
      { area: 'history', metric: 'seeding through the store API (6 actions per run)', value: seedRate, unit: 'runs/s' },
      { area: 'history', metric: 'quick run latency p50, idle', value: busy.baselineP50, unit: 'ms' },
      { area: 'history', metric: 'quick run latency p99, idle', value: busy.baselineP99, unit: 'ms' },
      // Inline code on the engine's own thread would hold every quick run for the whole 3 s spin.
      {
        area: 'history',
        metric: "quick run latency p50 while another run's inline script spins 3 s",
        value: busy.busyP50,
        unit: 'ms',
        target: '< idle p50 + 20',
        ok: busy.busyP50 < busy.baselineP50 + 20,
      },
      { area: 'history', metric: "quick run latency p99 while another run's inline script spins 3 s", value: busy.busyP99, unit: 'ms' },
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
