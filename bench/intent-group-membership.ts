import { performance } from 'node:perf_hooks';
import type { ActionRecord } from '../local/runtime/model.js';
import { startLocalSystem, type LocalSystem } from '../local/system.js';
import type { BenchRow } from './row.js';

/**
 * Add User to Group / Remove User from Group through the whole local system (router → child → plan
 * helper → Graph stand-in with 50 ms injected per call → Exchange runbook stand-in). Per scenario:
 * Graph round trips (reads, writes), the longest chain of sequential Graph calls (target: no longer
 * than the reference system's, seed-behaviour §14), workflow actions executed, end-to-end latency.
 */
const GRAPH_LATENCY_MS = 50;
const ROUNDS = 3;

interface Scenario {
  name: string;
  intent: 'Add User to Group' | 'Remove User from Group';
  /** A fresh user per round keeps the tenant state the scenario expects. */
  users: string[];
  groups: string;
  /** Reference system's sequential Graph calls for the same work (4 per group for one group; 3 when nothing to do). */
  referenceChain: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'add, 1 security group', intent: 'Add User to Group', users: ['nestor.wilke', 'joni.sherman', 'kai.carter'], groups: 'Sales - EMEA', referenceChain: 4 },
  { name: 'add, 3 groups (security, M365, O\'Brien)', intent: 'Add User to Group', users: ['rosa.diaz', 'tomas.novak', 'lynne.robbins'], groups: "IT Helpdesk, Marketing, O'Brien Team", referenceChain: 4 },
  { name: 'add, already a member', intent: 'Add User to Group', users: ['adele.vance', 'miriam.graham', 'christie.cline'], groups: 'Sales Team', referenceChain: 3 },
  { name: 'add, distribution list (runbook)', intent: 'Add User to Group', users: ['joni.sherman', 'nestor.wilke', 'kai.carter'], groups: 'All Staff', referenceChain: 4 },
  { name: 'remove, 1 security group', intent: 'Remove User from Group', users: ['omar.haddad', 'yuki.tanaka', 'johanna.lorenz'], groups: 'Engineering', referenceChain: 4 },
];

interface Measured {
  reads: number;
  writes: number;
  chain: number;
  actions: number;
  /** Until Thread has its HTTP answer (the outcome, or 202 accepted when a runbook is involved). */
  answerMs: number;
  /** Until the outcome is known (the router run has finished and recorded it). */
  latencyMs: number;
  status: string;
}

/** Longest sequence of outer Graph requests each starting after the previous one ended. */
export function longestChain(calls: ReadonlyArray<{ start: number; end: number }>): number {
  const sorted = [...calls].sort((a, b) => a.end - b.end);
  const best = sorted.map(() => 1);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = 0; j < i; j++) {
      if ((sorted[j]?.end ?? Infinity) <= (sorted[i]?.start ?? -Infinity)) best[i] = Math.max(best[i] ?? 1, (best[j] ?? 1) + 1);
    }
  }
  return Math.max(0, ...best);
}

/** Actions that ran (not skipped), counting loop-body actions once per repetition. */
function executedActions(actions: readonly ActionRecord[]): number {
  const repetitions = new Map(actions.filter((a) => a.type === 'Foreach').map((a) => [a.name, a.repetitionCount ?? 0]));
  let count = 0;
  for (const a of actions) {
    if (a.status === 'Skipped') continue;
    count += a.parent !== undefined && repetitions.has(a.parent) ? (repetitions.get(a.parent) ?? 1) : 1;
  }
  return count;
}

async function waitForRun(sys: LocalSystem, workflow: string, runName: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const run = sys.runtime.history.getRun(workflow, runName);
    if (run && run.status !== 'Running' && run.status !== 'Waiting') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`bench: run ${runName} did not finish`);
}

/** The outcome an accepted request records (the child finishes it after the router's 202), polled like Thread would. */
async function finalAnswer(statusUrl: string): Promise<{ status?: string }> {
  for (let i = 0; i < 2000; i++) {
    const res = await fetch(statusUrl);
    const body = (await res.json()) as { status?: string };
    if (res.status === 200) return body;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('bench: the accepted request never recorded its outcome');
}

async function measure(sys: LocalSystem, scenario: Scenario, user: string, ticket: number, dryRun = false): Promise<Measured> {
  const seq = sys.graph.admin.requests().at(-1)?.seq ?? 0;
  const started = performance.now();
  const res = await fetch(sys.endpoints.webhook, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      intent_name: scenario.intent,
      intent_fields: { 'User Email': `${user}@contoso.com`, 'Group Name': scenario.groups },
      meta_data: { ticket_id: ticket, contact_name: 'Bench', contact_email: 'bench@msp.example', company_name: 'Contoso' },
      ...(dryRun ? { dry_run: true } : {}),
    }),
  });
  // A runbook makes the router answer 202 first; the outcome is then read from the signed status_url.
  let body = (await res.json()) as { status?: string; status_url?: string };
  const answerMs = performance.now() - started;
  const runName = res.headers.get('x-ms-workflow-run-id') ?? '';
  if (res.status === 202 && body.status_url) body = await finalAnswer(body.status_url);
  const latencyMs = performance.now() - started;
  await waitForRun(sys, 'thread-webhook', runName);
  const childWorkflow = scenario.intent === 'Add User to Group' ? 'add-user-to-group' : 'remove-user-from-group';
  const child = sys.runtime.history.listRuns({ workflow: childWorkflow }).find((r) => r.parentRun?.runName === runName);
  if (child) await waitForRun(sys, childWorkflow, child.name);
  const actions = [...sys.runtime.history.listActions('thread-webhook', runName), ...(child ? sys.runtime.history.listActions(childWorkflow, child.name) : [])];

  const outer = sys.graph.admin.requests(seq).filter((r) => !r.batch);
  const isRead = (r: { method: string; path: string }) => r.method === 'GET' || (r.method === 'POST' && r.path.endsWith('/$batch'));
  return {
    reads: outer.filter(isRead).length,
    writes: outer.filter((r) => !isRead(r)).length,
    chain: longestChain(outer.map((r) => ({ start: Date.parse(r.time), end: Date.parse(r.time) + r.durationMs }))),
    actions: executedActions(actions),
    answerMs,
    latencyMs,
    status: body.status ?? '',
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function run(): Promise<BenchRow[]> {
  const sys = await startLocalSystem({ timeScale: 0.01 });
  const rows: BenchRow[] = [];
  try {
    sys.graph.admin.setLatency({ fixedMs: GRAPH_LATENCY_MS });
    let ticket = 930_000;
    // Warm-up (module loading, JIT, token caches) outside the measured rounds: a dry run changes nothing.
    await measure(sys, { ...SCENARIOS[0]!, name: 'warm-up' }, 'adele.vance', ++ticket, true);
    for (const scenario of SCENARIOS) {
      const results: Measured[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        results.push(await measure(sys, scenario, scenario.users[round % scenario.users.length] ?? 'adele.vance', ++ticket));
      }
      const last = results[results.length - 1] as Measured;
      if (results.some((r) => r.status !== 'success')) throw new Error(`bench: ${scenario.name} ended ${results.map((r) => r.status).join(', ')}`);
      const chain = Math.max(...results.map((r) => r.chain));
      const area = 'group membership';
      rows.push(
        { area, metric: `${scenario.name}: Graph reads (round trips)`, value: last.reads, unit: 'calls' },
        { area, metric: `${scenario.name}: Graph writes`, value: last.writes, unit: 'calls' },
        { area, metric: `${scenario.name}: longest sequential Graph chain`, value: chain, unit: 'calls', target: `<= ${scenario.referenceChain} (reference)`, ok: chain <= scenario.referenceChain },
        { area, metric: `${scenario.name}: workflow actions executed`, value: last.actions, unit: 'actions' },
        { area, metric: `${scenario.name}: end-to-end latency to the outcome (p50 of ${ROUNDS}, ${GRAPH_LATENCY_MS} ms/Graph call)`, value: median(results.map((r) => r.latencyMs)), unit: 'ms' },
        { area, metric: `${scenario.name}: time to Thread's HTTP answer (p50)`, value: median(results.map((r) => r.answerMs)), unit: 'ms' },
      );
    }
  } finally {
    await sys.stop();
  }
  return rows;
}
