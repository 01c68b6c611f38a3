import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { openHistoryStore } from '../local/runtime/history/index.js';
import { startRuntime } from '../local/runtime/index.js';
import type { ActionRecord, RunRecord } from '../local/runtime/model.js';

/**
 * Child process of bench/history.ts, so each measurement starts from a clean heap:
 *   seed  <dataDir> <from> <to>      stores runs [from, to) through the store API
 *   serve <projectDir> <dataDir> <n> starts the runtime on the data folder, queries it, reports
 *   busy  <projectDir> <dataDir>     a quick run's latency while another run's inline script is busy
 * Each prints one JSON line on stdout.
 */

const WORKFLOWS = ['thread-webhook', 'add-user-to-group', 'password-reset'];
const DAY = 86_400_000;
/** Seeded runs start within the last 80 days, inside the 90-day default retention. */
const SPAN = 80 * DAY;

export const trackingId = (i: number): string => `T-${100000 + i}`;

function filler(i: number, n: number): string {
  return `step ${n} of run ${i}: `.padEnd(60, 'x');
}

/**
 * A run shaped like a small intent run of this project: a trigger with the intent as its body and 6 actions
 * with inputs and outputs (~3 KB stored). Row size changes the disk the seeding writes, not what is measured:
 * memory stays with SQLite's page cache, and queries go through indexes.
 */
function seedRun(i: number, total: number, now: number): { run: RunRecord; actions: ActionRecord[] } {
  const start = new Date(now - SPAN + Math.floor((i / total) * SPAN)).toISOString();
  const workflow = WORKFLOWS[i % WORKFLOWS.length] ?? 'thread-webhook';
  const name = `08584${String(9_999_999_999 - i).padStart(24, '0')}CU00`;
  const body = { intent_name: 'Add User to Group', intent_fields: { 'User Email': `user${i}@contoso.com`, 'Group Name': 'Marketing' }, meta_data: { ticket_id: 100000 + i, contact_name: 'Adele Vance', company_name: 'Contoso' } };
  const run: RunRecord = {
    workflow,
    name,
    status: i % 17 === 0 ? 'Failed' : 'Succeeded',
    startTime: start,
    endTime: start,
    clientTrackingId: trackingId(i),
    correlationId: `corr-${i}`,
    trigger: { name: 'manual', type: 'Request', status: 'Succeeded', code: 'OK', startTime: start, endTime: start, inputs: { body }, outputs: { headers: { 'Content-Type': 'application/json' }, body } },
    version: 'bench',
  };
  const actions: ActionRecord[] = [];
  for (let n = 0; n < 6; n++) {
    actions.push({
      name: `Step_${n}`,
      order: n,
      type: n % 3 === 0 ? 'Http' : 'Compose',
      status: 'Succeeded',
      code: 'OK',
      startTime: start,
      endTime: start,
      inputs: { method: 'POST', uri: 'https://helpers.local/api/step', body: { ticket: 100000 + i, note: filler(i, n) } },
      outputs: { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: { ok: true, detail: filler(i, n) } },
      clientTrackingId: run.clientTrackingId,
      actionTrackingId: `a-${i}-${n}`,
    });
  }
  return { run, actions };
}

async function seed(dataDir: string, from: number, to: number, total: number): Promise<unknown> {
  const store = await openHistoryStore(dataDir);
  const t0 = performance.now();
  const now = Date.now();
  const BATCH = 2000;
  for (let start = from; start < to; start += BATCH) {
    store.transaction(() => {
      for (let i = start; i < Math.min(to, start + BATCH); i++) {
        const { run, actions } = seedRun(i, total, now);
        store.saveRun(run);
        for (const a of actions) store.saveAction(run.workflow, run.name, a);
      }
    });
  }
  await store.close();
  return { seeded: to - from, ms: performance.now() - t0 };
}

function get(agent: Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function post(agent: Agent, url: string, payload: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(payload);
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(text);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function settledRssMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().rss / (1024 * 1024);
}

async function serve(projectDir: string, dataDir: string, stored: number): Promise<unknown> {
  const t0 = performance.now();
  const runtime = await startRuntime({ projectDir, dataDir });
  const startMs = performance.now() - t0;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const api = `${runtime.url}/runtime/webhooks/workflow/api/management`;
  try {
    // What the run-history page does: newest 50 runs of each workflow, then a search by ticket.
    for (const wf of WORKFLOWS) {
      const page = await get(agent, `${api}/workflows/${wf}/runs?api-version=2022-05-01&$top=50`);
      if (page.status !== 200 || (JSON.parse(page.body) as { value: unknown[] }).value.length !== 50) throw new Error(`runs page of ${wf} answered ${page.status}`);
    }
    const latencies: number[] = [];
    // The first 20 searches warm the JIT and the page cache and are not counted.
    for (let q = -20; q < 300; q++) {
      const i = Math.abs((q * 7919) % stored);
      const wf = WORKFLOWS[i % WORKFLOWS.length] ?? '';
      const filter = encodeURIComponent(`ClientTrackingId eq '${trackingId(i)}'`);
      const t = performance.now();
      const res = await get(agent, `${api}/workflows/${wf}/runs?api-version=2022-05-01&$filter=${filter}`);
      if (q >= 0) latencies.push(performance.now() - t);
      if (res.status !== 200 || (JSON.parse(res.body) as { value: unknown[] }).value.length !== 1) throw new Error(`search for ${trackingId(i)} answered ${res.status}: ${res.body.slice(0, 200)}`);
    }
    latencies.sort((a, b) => a - b);
    const pageT = performance.now();
    await get(agent, `${api}/workflows/${WORKFLOWS[0] ?? ''}/runs?api-version=2022-05-01&$top=50`);
    const pageMs = performance.now() - pageT;
    return { startMs, rssMb: settledRssMb(), queryP50: percentile(latencies, 50), queryP99: percentile(latencies, 99), pageMs };
  } finally {
    agent.destroy();
    await runtime.stop();
  }
}

async function busy(projectDir: string, dataDir: string): Promise<unknown> {
  const runtime = await startRuntime({ projectDir, dataDir });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const quickUrl = runtime.triggerUrl('quick');
  const measure = async (n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const status = await post(agent, quickUrl, { n: i });
      out.push(performance.now() - t);
      if (status !== 200) throw new Error(`quick run answered ${status}`);
    }
    return out.sort((a, b) => a - b);
  };
  try {
    await measure(20);
    const baseline = await measure(50);
    // The busy run's inline script spins for 3 s; quick runs are timed while it does.
    const busyRun = post(agent, runtime.triggerUrl('busy'), {});
    await new Promise((r) => setTimeout(r, 200));
    const t = performance.now();
    const during = await measure(50);
    const duringWindowMs = performance.now() - t;
    const busyStatus = await busyRun;
    if (busyStatus !== 200) throw new Error(`busy run answered ${busyStatus}`);
    return { baselineP50: percentile(baseline, 50), baselineP99: percentile(baseline, 99), busyP50: percentile(during, 50), busyP99: percentile(during, 99), duringWindowMs };
  } finally {
    agent.destroy();
    await runtime.stop();
  }
}

async function main(): Promise<void> {
  const [mode, a = '', b = '', c = '', d = ''] = process.argv.slice(2);
  let result: unknown;
  if (mode === 'seed') result = await seed(a, Number(b), Number(c), Number(d));
  else if (mode === 'serve') result = await serve(a, b, Number(c));
  else if (mode === 'busy') result = await busy(a, b);
  else throw new Error(`unknown mode ${String(mode)}`);
  process.stdout.write(JSON.stringify(result) + '\n');
  // Worker threads (inline code pool) must not keep a finished measurement alive.
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
