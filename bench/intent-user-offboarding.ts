import { performance } from 'node:perf_hooks';
import { validateWebhook } from '../lib/contract/index.js';
import type { ActionRecord } from '../local/runtime/model.js';
import { startLocalSystem, type LocalSystem } from '../local/system.js';
import type { BenchRow } from './row.js';

/**
 * User Offboarding through the local system, calling workflows/user-offboarding through its own trigger
 * with the normalised request (the router case is added separately), Graph stand-in latency 50 ms per
 * call. Per scenario: Graph round trips (reads, writes), the longest chain of sequential Graph calls
 * against the reference system (seed-behaviour §14: user → PATCH → revoke → GET licences → POST
 * assignLicense) plus one link per kind of sequential work it never did, workflow actions executed,
 * Exchange runbook jobs, and end-to-end latency (p50 of 3; the tenant and Exchange are reset per round).
 */
const GRAPH_LATENCY_MS = 50;
const ROUNDS = 3;

interface Scenario {
  name: string;
  fields: Record<string, unknown>;
  /** Reference chain for the work it did do, plus the sequential links for work it never did. */
  referenceChain: number;
  referenceNote: string;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'disable only (block + revoke + random password)',
    fields: { 'User Email': 'adele.vance@contoso.com' },
    // Reference: user + PATCH + revoke = 3 (it did no password reset; we run it beside the revoke).
    referenceChain: 3,
    referenceNote: 'reference 3',
  },
  {
    name: 'disable + remove licences',
    fields: { 'User Email': 'raul.razo@contoso.com', 'Remove Licenses': true },
    referenceChain: 5,
    referenceNote: 'reference 5',
  },
  {
    name: 'everything (GAL, forward, auto-reply, convert, manager, licences, groups)',
    fields: {
      'User Email': 'alex.wilber@contoso.com',
      'Remove Licenses': true,
      'Convert to Shared Mailbox': true,
      'Remove Groups': true,
      'Hide from GAL': true,
      'Forward Email To': 'adele.vance@contoso.com',
      'Auto Reply Message': 'Alex has left; please write to Adele.',
      'Grant Manager Access': 'miriam.graham@contoso.com',
    },
    // Reference 5 for disable/revoke/licences; it never set an auto-reply (+1), removed groups (+1) or checked owners (+1).
    referenceChain: 5 + 3,
    referenceNote: 'reference 5 + 3 it never did',
  },
];

interface Measured {
  reads: number;
  writes: number;
  chain: number;
  actions: number;
  jobs: number;
  latencyMs: number;
  status: string;
}

/** Longest sequence of outer Graph requests each starting after the previous one ended. */
function longestChain(calls: ReadonlyArray<{ start: number; end: number }>): number {
  const sorted = [...calls].sort((a, b) => a.end - b.end);
  const depth: number[] = [];
  sorted.forEach((c, i) => {
    let best = 1;
    for (let j = 0; j < i; j++) if ((sorted[j]?.end ?? Infinity) <= c.start) best = Math.max(best, (depth[j] ?? 1) + 1);
    depth.push(best);
  });
  return Math.max(0, ...depth);
}

/** Actions that ran (not skipped). */
function executed(actions: readonly ActionRecord[]): number {
  return actions.filter((a) => a.status !== 'Skipped').length;
}

async function finished(sys: LocalSystem, runName: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    const run = sys.runtime.history.getRun('user-offboarding', runName);
    if (run && run.status !== 'Running' && run.status !== 'Waiting') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`bench: run ${runName} did not finish`);
}

async function measure(sys: LocalSystem, scenario: Scenario, ticket: number): Promise<Measured> {
  sys.graph.admin.reset();
  await fetch(`${sys.endpoints.automation}/_admin/reset`, { method: 'POST' });
  const validated = validateWebhook({
    intent_name: 'User Offboarding',
    intent_fields: scenario.fields,
    meta_data: { ticket_id: ticket, contact_name: 'Bench', contact_email: 'bench@msp.example', company_name: 'Contoso' },
  });
  if (!validated.ok) throw new Error(`bench: invalid scenario ${scenario.name}`);
  const seq = sys.graph.admin.requests().at(-1)?.seq ?? 0;
  const jobsBefore = sys.automation.jobs().length;
  const started = performance.now();
  const res = await fetch(sys.endpoints.triggers['user-offboarding'] ?? '', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(validated.request) });
  const body = (await res.json()) as { status?: string };
  const latencyMs = performance.now() - started;
  const runName = res.headers.get('x-ms-workflow-run-id') ?? '';
  await finished(sys, runName);
  const outer = sys.graph.admin.requests(seq).filter((r) => !r.batch);
  const isRead = (r: { method: string; path: string }) => r.method === 'GET' || (r.method === 'POST' && r.path.endsWith('/$batch'));
  return {
    reads: outer.filter(isRead).length,
    writes: outer.filter((r) => !isRead(r)).length,
    chain: longestChain(outer.map((r) => ({ start: Date.parse(r.time), end: Date.parse(r.time) + r.durationMs }))),
    actions: executed(sys.runtime.history.listActions('user-offboarding', runName)),
    jobs: sys.automation.jobs().length - jobsBefore,
    latencyMs,
    status: body.status ?? '',
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function run(): Promise<BenchRow[]> {
  // Runbook jobs take 2 s × timeScale in the stand-in: the latency below includes them at 1/100 speed.
  const sys = await startLocalSystem({ timeScale: 0.01 });
  const rows: BenchRow[] = [];
  const area = 'user offboarding';
  try {
    sys.graph.admin.setLatency({ fixedMs: GRAPH_LATENCY_MS });
    let ticket = 970_000;
    for (const scenario of SCENARIOS) {
      const results: Measured[] = [];
      for (let round = 0; round < ROUNDS; round++) results.push(await measure(sys, scenario, ++ticket));
      const bad = results.filter((r) => r.status !== 'success');
      if (bad.length > 0) throw new Error(`bench: ${scenario.name} ended ${results.map((r) => r.status).join(', ')}`);
      const last = results[results.length - 1] as Measured;
      const chain = Math.max(...results.map((r) => r.chain));
      rows.push(
        { area, metric: `${scenario.name}: Graph reads (round trips)`, value: last.reads, unit: 'calls' },
        { area, metric: `${scenario.name}: Graph writes`, value: last.writes, unit: 'calls' },
        { area, metric: `${scenario.name}: longest sequential Graph chain`, value: chain, unit: 'calls', target: `<= ${scenario.referenceChain} (${scenario.referenceNote})`, ok: chain <= scenario.referenceChain },
        { area, metric: `${scenario.name}: Exchange runbook jobs`, value: last.jobs, unit: 'jobs' },
        { area, metric: `${scenario.name}: workflow actions executed`, value: last.actions, unit: 'actions' },
        { area, metric: `${scenario.name}: end-to-end latency (p50 of ${ROUNDS}, ${GRAPH_LATENCY_MS} ms/Graph call)`, value: median(results.map((r) => r.latencyMs)), unit: 'ms' },
      );
    }
  } finally {
    await sys.stop();
  }
  return rows;
}
