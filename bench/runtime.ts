import { Agent, request } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openHistoryStore } from '../local/runtime/history/index.js';
import { startRuntime } from '../local/runtime/index.js';
import type { BenchRow } from './row.js';

/** Runs fired through the HTTP trigger, and how many are in flight at once. */
const RUNS = 2000;
const WARMUP = 100;
const CONCURRENCY = 16;

/** A stateful workflow of 10 actions: nine chained Composes and a Response, as a typical intent is a chain. */
function benchWorkflow(): unknown {
  const actions: Record<string, unknown> = {};
  let previous: string | undefined;
  for (let i = 1; i <= 9; i++) {
    const name = `Step_${i}`;
    actions[name] = {
      type: 'Compose',
      inputs: { step: i, ticket: "@triggerBody()?['ticketId']", previous: previous ? `@outputs('${previous}')` : null },
      runAfter: previous ? { [previous]: ['Succeeded'] } : {},
    };
    previous = name;
  }
  actions.Response = {
    type: 'Response',
    kind: 'Http',
    inputs: { statusCode: 200, body: { ticket: "@triggerBody()?['ticketId']", last: `@outputs('${previous ?? ''}')?['step']` } },
    runAfter: { [previous ?? '']: ['Succeeded'] },
  };
  return {
    definition: {
      $schema: 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#',
      contentVersion: '1.0.0.0',
      triggers: { manual: { type: 'Request', kind: 'Http', inputs: { method: 'POST' }, correlation: { clientTrackingId: "@triggerBody()?['ticketId']" } } },
      actions,
      outputs: {},
    },
    kind: 'Stateful',
  };
}

function invoke(agent: Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function fire(agent: Agent, url: URL, count: number, offset: number, latencies?: number[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = offset + next++;
      const t0 = performance.now();
      const status = await invoke(agent, url, JSON.stringify({ ticketId: `T-${i}` }));
      latencies?.push(performance.now() - t0);
      if (status !== 200) throw new Error(`run ${i} answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

export async function run(): Promise<BenchRow[]> {
  const root = await mkdtemp(join(tmpdir(), 'bench-runtime-'));
  try {
    const projectDir = join(root, 'project');
    await mkdir(join(projectDir, 'chain'), { recursive: true });
    await writeFile(join(projectDir, 'host.json'), JSON.stringify({ version: '2.0', extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle.Workflows', version: '[1.*, 2.0.0)' } }));
    await writeFile(join(projectDir, 'chain', 'workflow.json'), JSON.stringify(benchWorkflow()));
    const dataDir = join(root, 'data');
    const runtime = await startRuntime({ projectDir, dataDir });
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const url = new URL(runtime.triggerUrl('chain'));
    const latencies: number[] = [];
    let elapsed: number;
    try {
      await fire(agent, url, WARMUP, 0);
      const t0 = performance.now();
      await fire(agent, url, RUNS, WARMUP, latencies);
      await runtime.engine.drain();
      await runtime.history.flush();
      elapsed = (performance.now() - t0) / 1000;
    } finally {
      agent.destroy();
      await runtime.stop();
    }
    const t1 = performance.now();
    const reopened = await openHistoryStore(dataDir);
    const stored = reopened.listRuns({ workflow: 'chain' }).length;
    const c = reopened.counts();
    const linesPerRun = (c.runs + c.actions + c.repetitions) / stored;
    await reopened.close();
    const reopenMs = performance.now() - t1;
    if (stored !== RUNS + WARMUP) throw new Error(`history holds ${stored} runs, expected ${RUNS + WARMUP}`);

    latencies.sort((a, b) => a - b);
    const rate = RUNS / elapsed;
    const rssMb = process.resourceUsage().maxRSS / 1024;
    return [
      { area: 'runtime', metric: 'runs/s, 10-action stateful workflow via HTTP trigger (durable history)', value: rate, unit: 'runs/s', target: '>= 100', ok: rate >= 100 },
      { area: 'runtime', metric: 'trigger-to-response latency p50', value: percentile(latencies, 50), unit: 'ms' },
      { area: 'runtime', metric: 'trigger-to-response latency p99', value: percentile(latencies, 99), unit: 'ms' },
      { area: 'runtime', metric: 'peak RSS (whole bench process)', value: rssMb, unit: 'MiB' },
      { area: 'runtime', metric: `history reopen with ${stored} runs`, value: reopenMs, unit: 'ms' },
      { area: 'runtime', metric: 'history records stored per run', value: linesPerRun, unit: 'records' },
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
