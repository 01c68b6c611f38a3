import { performance } from 'node:perf_hooks';
import { validateWebhook } from '../lib/contract/index.js';
import type { ActionRecord } from '../local/runtime/model.js';
import { startLocalSystem, type LocalSystem } from '../local/system.js';
import { longestChain } from './intent-group-membership.js';
import type { BenchRow } from './row.js';

/**
 * Shared Mailbox Permission through its child workflow's signed trigger URL (plan helper → Graph stand-in
 * with 50 ms injected per call → Set-SharedMailboxPermission runbook in the Automation stand-in). Per
 * scenario: Graph round trips (reads, writes), the longest chain of sequential Graph calls (reference:
 * 1, `GET /users/{upn}`, seed-behaviour §14; ours also checks the mailbox and resolves aliases in the same
 * $batch), runbook jobs, workflow actions executed, latency to the outcome.
 */
const GRAPH_LATENCY_MS = 50;
const TIME_SCALE = 0.01;
/** The Automation stand-in's job latency (2000 ms default, scaled like the rest of the local system). */
const JOB_LATENCY_MS = 2000 * TIME_SCALE;
const ROUNDS = 3;
const REFERENCE_CHAIN = 1;

interface Scenario {
  name: string;
  /** One field set per round (fresh users keep the Exchange state the scenario expects). */
  rounds: Array<Record<string, unknown>>;
  dryRun?: boolean;
  expectRunbook: boolean;
}

const grant = (user: string, mailbox = 'support@contoso.com') => ({ 'Shared Mailbox Email': mailbox, 'User Email': `${user}@contoso.com`, 'Permission Type': 'Full Access', Action: 'Grant' });

const SCENARIOS: Scenario[] = [
  { name: 'grant Full Access', rounds: [grant('nestor.wilke'), grant('kai.carter'), grant('rosa.diaz')], expectRunbook: true },
  { name: 'grant, already granted', rounds: [grant('megan.bowen', 'info@contoso.com'), grant('megan.bowen', 'info@contoso.com'), grant('megan.bowen', 'info@contoso.com')], expectRunbook: true },
  {
    name: 'revoke Send on Behalf via alias',
    rounds: [0, 1, 2].map(() => ({ 'Shared Mailbox Email': 'accounts@contoso.com', 'User Email': 'patti.fernandez@contoso.com', 'Permission Type': 'Send on Behalf', Action: 'Revoke' })),
    expectRunbook: true,
  },
  { name: 'dry run', rounds: [grant('tomas.novak'), grant('tomas.novak'), grant('tomas.novak')], dryRun: true, expectRunbook: false },
];

interface Measured {
  reads: number;
  writes: number;
  chain: number;
  jobs: number;
  actions: number;
  latencyMs: number;
  status: string;
}

async function waitForRun(sys: LocalSystem, runName: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const run = sys.runtime.history.getRun('shared-mailbox-permission', runName);
    if (run && run.status !== 'Running' && run.status !== 'Waiting') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`bench: run ${runName} did not finish`);
}

function executedActions(actions: readonly ActionRecord[]): number {
  return actions.filter((a) => a.status !== 'Skipped').length;
}

async function measure(sys: LocalSystem, fields: Record<string, unknown>, ticket: number, dryRun: boolean): Promise<Measured> {
  const validated = validateWebhook({
    intent_name: 'Shared Mailbox Permission',
    intent_fields: fields,
    meta_data: { ticket_id: ticket, contact_name: 'Bench', contact_email: 'bench@msp.example', company_name: 'Contoso' },
    ...(dryRun ? { dry_run: true } : {}),
  });
  if (!validated.ok) throw new Error('bench: invalid payload');
  const url = sys.endpoints.triggers['shared-mailbox-permission'];
  if (!url) throw new Error('bench: no trigger URL for shared-mailbox-permission');
  const seq = sys.graph.admin.requests().at(-1)?.seq ?? 0;
  const jobs = sys.automation.jobs().length;
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(validated.request) });
  const body = (await res.json()) as { status?: string };
  const latencyMs = performance.now() - started;
  const runName = res.headers.get('x-ms-workflow-run-id') ?? '';
  await waitForRun(sys, runName);
  const outer = sys.graph.admin.requests(seq).filter((r) => !r.batch);
  const isRead = (r: { method: string; path: string }) => r.method === 'GET' || (r.method === 'POST' && r.path.endsWith('/$batch'));
  return {
    reads: outer.filter(isRead).length,
    writes: outer.filter((r) => !isRead(r)).length,
    chain: longestChain(outer.map((r) => ({ start: Date.parse(r.time), end: Date.parse(r.time) + r.durationMs }))),
    jobs: sys.automation.jobs().length - jobs,
    actions: executedActions(sys.runtime.history.listActions('shared-mailbox-permission', runName)),
    latencyMs,
    status: body.status ?? '',
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function run(): Promise<BenchRow[]> {
  const sys = await startLocalSystem({ timeScale: TIME_SCALE });
  const rows: BenchRow[] = [];
  const area = 'shared mailbox permission';
  try {
    sys.graph.admin.setLatency({ fixedMs: GRAPH_LATENCY_MS });
    let ticket = 940_000;
    // Warm-up (module loading, JIT, token caches) outside the measured rounds: a dry run changes nothing.
    await measure(sys, grant('adele.vance'), ++ticket, true);
    for (const scenario of SCENARIOS) {
      const results: Measured[] = [];
      for (const fields of scenario.rounds) results.push(await measure(sys, fields, ++ticket, scenario.dryRun === true));
      if (results.some((r) => r.status !== 'success')) throw new Error(`bench: ${scenario.name} ended ${results.map((r) => r.status).join(', ')}`);
      const last = results[results.length - 1] as Measured;
      const chain = Math.max(...results.map((r) => r.chain));
      rows.push(
        { area, metric: `${scenario.name}: Graph reads (round trips)`, value: last.reads, unit: 'calls' },
        { area, metric: `${scenario.name}: Graph writes`, value: last.writes, unit: 'calls', target: '0', ok: last.writes === 0 },
        { area, metric: `${scenario.name}: longest sequential Graph chain`, value: chain, unit: 'calls', target: `<= ${REFERENCE_CHAIN} (reference)`, ok: chain <= REFERENCE_CHAIN },
        { area, metric: `${scenario.name}: runbook jobs`, value: last.jobs, unit: 'jobs', target: scenario.expectRunbook ? '1' : '0', ok: last.jobs === (scenario.expectRunbook ? 1 : 0) },
        { area, metric: `${scenario.name}: workflow actions executed`, value: last.actions, unit: 'actions' },
        {
          area,
          metric: `${scenario.name}: latency to the outcome (p50 of ${ROUNDS}, ${GRAPH_LATENCY_MS} ms/Graph call, ${JOB_LATENCY_MS} ms job)`,
          value: Math.round(median(results.map((r) => r.latencyMs))),
          unit: 'ms',
        },
      );
    }
  } finally {
    await sys.stop();
  }
  return rows;
}
