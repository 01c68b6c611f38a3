import { validateWebhook } from '../lib/contract/index.js';
import { startLocalSystem, type LocalSystem } from '../local/system.js';
import type { BenchRow } from './row.js';

/**
 * New User Creation through its child workflow's own trigger (each round a fresh account, so every
 * round really creates one): Graph reads/writes, longest sequential Graph chain against the reference
 * system (seed-behaviour §14: 1 + 2·licence + 2·groups), actions executed, and latency with a fixed
 * delay injected on every Graph call.
 */
const GRAPH_LATENCY_MS = 50;
const ROUNDS = 3;
const AREA = 'new user creation';

interface Scenario {
  name: string;
  fields: (round: number) => Record<string, string>;
  referenceChain: number;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'new user + licence + 2 groups',
    fields: (n) => ({ 'Display Name': `Bench User ${n}`, Email: `bench.user${n}@contoso.com`, 'License SKU': 'SPB', 'Group Memberships': 'Sales Team, Engineering' }),
    referenceChain: 1 + 2 + 2 * 2,
  },
  {
    name: 'new user only',
    fields: (n) => ({ 'Display Name': `Bench Plain ${n}`, Email: `bench.plain${n}@contoso.com` }),
    referenceChain: 1,
  },
];

function longestSequentialChain(calls: ReadonlyArray<{ start: number; end: number }>): number {
  const sorted = [...calls].sort((a, b) => a.end - b.end);
  const depth: number[] = [];
  sorted.forEach((call, i) => {
    let best = 1;
    for (let j = 0; j < i; j++) if ((sorted[j]?.end ?? Infinity) <= call.start) best = Math.max(best, (depth[j] ?? 1) + 1);
    depth.push(best);
  });
  return Math.max(0, ...depth);
}

async function finished(sys: LocalSystem, runName: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    const run = sys.runtime.history.getRun('new-user-creation', runName);
    if (run && run.status !== 'Running' && run.status !== 'Waiting') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`bench: run ${runName} did not finish`);
}

async function measure(sys: LocalSystem, fields: Record<string, string>, ticket: number) {
  const checked = validateWebhook({ intent_name: 'New User Creation', intent_fields: fields, meta_data: { ticket_id: ticket, contact_name: 'Bench', contact_email: 'bench@msp.example', company_name: 'Contoso' } });
  if (!checked.ok) throw new Error('bench: invalid payload');
  const seq = sys.graph.admin.requests().at(-1)?.seq ?? 0;
  const started = performance.now();
  const res = await fetch(sys.endpoints.triggers['new-user-creation'] ?? '', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(checked.request) });
  const body = (await res.json()) as { status?: string };
  const latencyMs = performance.now() - started;
  const runName = res.headers.get('x-ms-workflow-run-id') ?? '';
  await finished(sys, runName);
  const actions = sys.runtime.history.listActions('new-user-creation', runName).filter((a) => a.status !== 'Skipped').length;
  const outer = sys.graph.admin.requests(seq).filter((r) => !r.batch);
  const isRead = (r: { method: string; path: string }) => r.method === 'GET' || (r.method === 'POST' && r.path.endsWith('/$batch'));
  return {
    status: body.status ?? '',
    reads: outer.filter(isRead).length,
    writes: outer.filter((r) => !isRead(r)).length,
    chain: longestSequentialChain(outer.map((r) => ({ start: Date.parse(r.time), end: Date.parse(r.time) + r.durationMs }))),
    actions,
    latencyMs,
  };
}

export async function run(): Promise<BenchRow[]> {
  const sys = await startLocalSystem({ timeScale: 0.01 });
  const rows: BenchRow[] = [];
  try {
    sys.graph.admin.setLatency({ fixedMs: GRAPH_LATENCY_MS });
    let ticket = 960_000;
    for (const scenario of SCENARIOS) {
      const results = [];
      for (let round = 0; round < ROUNDS; round++) results.push(await measure(sys, scenario.fields(round), ++ticket));
      const bad = results.filter((r) => r.status !== 'success');
      if (bad.length > 0) throw new Error(`bench: ${scenario.name} ended ${results.map((r) => r.status).join(', ')}`);
      const last = results[results.length - 1]!;
      const chain = Math.max(...results.map((r) => r.chain));
      const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
      rows.push(
        { area: AREA, metric: `${scenario.name}: Graph reads (round trips)`, value: last.reads, unit: 'calls' },
        { area: AREA, metric: `${scenario.name}: Graph writes`, value: last.writes, unit: 'calls' },
        { area: AREA, metric: `${scenario.name}: longest sequential Graph chain`, value: chain, unit: 'calls', target: `<= ${scenario.referenceChain} (reference)`, ok: chain <= scenario.referenceChain },
        { area: AREA, metric: `${scenario.name}: workflow actions executed`, value: last.actions, unit: 'actions' },
        { area: AREA, metric: `${scenario.name}: latency (p50 of ${ROUNDS}, ${GRAPH_LATENCY_MS} ms/Graph call)`, value: Math.round(latencies[Math.floor(latencies.length / 2)] ?? 0), unit: 'ms' },
      );
    }
  } finally {
    await sys.stop();
  }
  return rows;
}
