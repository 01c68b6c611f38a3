import { performance } from 'node:perf_hooks';
import type { ActionRecord } from '../local/runtime/model.js';
import { startLocalSystem, type LocalSystem } from '../local/system.js';
import type { BenchRow } from './row.js';

/**
 * Runs intent scenarios through the whole local system (webhook → router → child workflow → plan helper →
 * Graph stand-in with latency injected per call → Automation stand-in for runbooks) and reports per
 * scenario: Graph round trips (reads, writes), the longest chain of sequential Graph calls against a
 * budget (the same work done one call at a time: look each object up, then write), runbook jobs,
 * workflow actions executed, latency to the outcome, and, when a runbook made the router answer 202 first, the time to
 * Thread's HTTP answer. Graph and Exchange are reset before every round, so each round does the same work.
 */
export const GRAPH_LATENCY_MS = 50;
const TIME_SCALE = 0.01;
const ROUNDS = 3;

export interface IntentScenario {
  name: string;
  /** Bench table area, e.g. "mfa reset". */
  area: string;
  /** Child workflow that carries the intent out. */
  workflow: string;
  intentName: string;
  fields: Record<string, unknown>;
  /**
   * Sequential Graph calls the same request takes when done one call at a time (look up the user, each
   * group or SKU, then write). The plans add safety checks (privileged roles, sync, free seats) and batch
   * or parallelise them, so their longest chain must stay at or under this.
   */
  chainBudget: number;
  expectedStatus: string;
  dryRun?: boolean;
  /** Runbook jobs the scenario must start (reported against this target when given). */
  expectedJobs?: number;
}

interface Measured {
  reads: number;
  writes: number;
  chain: number;
  jobs: number;
  actions: number;
  /** Until Thread has its HTTP answer (the outcome, or 202 accepted when a runbook is involved). */
  answerMs: number;
  /** Until the outcome is known. */
  latencyMs: number;
  accepted: boolean;
  status: string;
}

/** Longest sequence of outer Graph requests each starting after the previous one ended. */
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

/** Actions that ran (not skipped); loop bodies count once per repetition. */
function actionsExecuted(actions: readonly ActionRecord[]): number {
  const loops = new Map(actions.filter((a) => a.type === 'Foreach').map((a) => [a.name, a.repetitionCount ?? 0]));
  return actions.filter((a) => a.status !== 'Skipped').reduce((n, a) => n + (a.parent !== undefined && loops.has(a.parent) ? (loops.get(a.parent) ?? 1) : 1), 0);
}

async function runFinished(sys: LocalSystem, workflow: string, runName: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    const run = sys.runtime.history.getRun(workflow, runName);
    if (run && run.status !== 'Running' && run.status !== 'Waiting') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`bench: run ${runName} of ${workflow} did not finish`);
}

/** The final answer behind a 202's signed status URL. */
async function finalAnswer(statusUrl: string): Promise<{ status?: string }> {
  for (let i = 0; i < 3000; i++) {
    const poll = await fetch(statusUrl);
    if (poll.status === 200) return (await poll.json()) as { status?: string };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('bench: an accepted request never recorded its outcome');
}

async function measure(sys: LocalSystem, scenario: IntentScenario, ticket: number): Promise<Measured> {
  sys.graph.admin.reset();
  await fetch(`${sys.endpoints.automation}/_admin/reset`, { method: 'POST' });
  const seq = sys.graph.admin.requests().at(-1)?.seq ?? 0;
  const jobsBefore = sys.automation.jobs().length;
  const started = performance.now();
  const res = await fetch(sys.endpoints.webhook, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      intent_name: scenario.intentName,
      intent_fields: scenario.fields,
      meta_data: { ticket_id: ticket, contact_name: 'Bench', contact_email: 'bench@msp.example', company_name: 'Contoso' },
      ...(scenario.dryRun ? { dry_run: true } : {}),
    }),
  });
  let body = (await res.json()) as { status?: string; status_url?: string };
  const answerMs = performance.now() - started;
  const accepted = res.status === 202 && typeof body.status_url === 'string';
  if (accepted) body = await finalAnswer(body.status_url as string);
  const latencyMs = performance.now() - started;
  const runName = res.headers.get('x-ms-workflow-run-id') ?? '';
  await runFinished(sys, 'thread-webhook', runName);
  const child = sys.runtime.history.listRuns({ workflow: scenario.workflow }).find((r) => r.parentRun?.runName === runName);
  if (child) await runFinished(sys, scenario.workflow, child.name);
  const actions = [...sys.runtime.history.listActions('thread-webhook', runName), ...(child ? sys.runtime.history.listActions(scenario.workflow, child.name) : [])];
  const outer = sys.graph.admin.requests(seq).filter((r) => !r.batch);
  const isRead = (r: { method: string; path: string }) => r.method === 'GET' || (r.method === 'POST' && r.path.endsWith('/$batch'));
  return {
    reads: outer.filter(isRead).length,
    writes: outer.filter((r) => !isRead(r)).length,
    chain: longestSequentialChain(outer.map((r) => ({ start: Date.parse(r.time), end: Date.parse(r.time) + r.durationMs }))),
    jobs: sys.automation.jobs().length - jobsBefore,
    actions: actionsExecuted(actions),
    answerMs,
    latencyMs,
    accepted,
    status: body.status ?? '',
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function rowsFor(scenario: IntentScenario, results: readonly Measured[]): BenchRow[] {
  const last = results[results.length - 1] as Measured;
  const chain = Math.max(...results.map((r) => r.chain));
  const area = scenario.area;
  const rows: BenchRow[] = [
    { area, metric: `${scenario.name}: Graph reads (round trips)`, value: last.reads, unit: 'calls' },
    { area, metric: `${scenario.name}: Graph writes`, value: last.writes, unit: 'calls' },
    { area, metric: `${scenario.name}: longest sequential Graph chain`, value: chain, unit: 'calls', target: `<= ${scenario.chainBudget} (one call at a time)`, ok: chain <= scenario.chainBudget },
  ];
  if (scenario.expectedJobs !== undefined) {
    rows.push({ area, metric: `${scenario.name}: runbook jobs`, value: last.jobs, unit: 'jobs', target: String(scenario.expectedJobs), ok: last.jobs === scenario.expectedJobs });
  }
  rows.push(
    { area, metric: `${scenario.name}: workflow actions executed`, value: last.actions, unit: 'actions' },
    { area, metric: `${scenario.name}: latency to the outcome (p50 of ${ROUNDS}, ${GRAPH_LATENCY_MS} ms/Graph call)`, value: median(results.map((r) => r.latencyMs)), unit: 'ms' },
  );
  if (results.some((r) => r.accepted)) {
    rows.push({ area, metric: `${scenario.name}: time to Thread's HTTP answer (202, p50)`, value: median(results.map((r) => r.answerMs)), unit: 'ms' });
  }
  return rows;
}

export async function runIntentScenarios(scenarios: readonly IntentScenario[], firstTicket: number): Promise<BenchRow[]> {
  const sys = await startLocalSystem({ timeScale: TIME_SCALE });
  const rows: BenchRow[] = [];
  try {
    sys.graph.admin.setLatency({ fixedMs: GRAPH_LATENCY_MS });
    let ticket = firstTicket;
    // Warm-up (module loading, JIT, token caches) outside the measured rounds: a dry run changes nothing.
    const first = scenarios[0];
    if (first) await measure(sys, { ...first, dryRun: true }, ++ticket);
    for (const scenario of scenarios) {
      const results: Measured[] = [];
      for (let round = 0; round < ROUNDS; round++) results.push(await measure(sys, scenario, ++ticket));
      if (results.some((r) => r.status !== scenario.expectedStatus)) throw new Error(`bench: ${scenario.name} ended ${results.map((r) => r.status).join(', ')}`);
      rows.push(...rowsFor(scenario, results));
    }
  } finally {
    await sys.stop();
  }
  return rows;
}
