import { createHash } from 'node:crypto';
import { startFunctionsHost } from '../local/functions-host/index.js';
import { startAzurite } from '../local/standins/azurite.js';
import { startGraphStandIn } from '../local/standins/graph/index.js';
import { startIdentityStandIn } from '../local/standins/identity/index.js';
import { mintLocalToken } from '../local/standins/identity/token.js';
import type { BenchRow } from './row.js';

/**
 * Helper latency as a workflow sees it: HTTP through the local Functions host (Easy Auth emulation
 * included) to the Graph stand-in (managed identity) and Azurite. p50/p99 per helper over
 * ITERATIONS sequential calls after a warm-up; informational except the p99 targets below.
 */
const ITERATIONS = 200;
const WARMUP = 10;
const AUDIENCE = 'api://thread-intent-helpers';
const CALLER = '0f0f0f0f-1111-2222-3333-444444444444';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

export async function run(): Promise<BenchRow[]> {
  const [graph, identity, azurite] = await Promise.all([startGraphStandIn(), startIdentityStandIn(), startAzurite()]);
  const host = await startFunctionsHost({
    allowedAudience: AUDIENCE,
    env: { ALLOWED_CALLER_OBJECT_IDS: CALLER, GRAPH_BASE_URL: graph.url, TABLES_CONNECTION_STRING: azurite.connectionString, ...identity.env() },
  });
  const authorization = `Bearer ${mintLocalToken({ aud: AUDIENCE, oid: CALLER })}`;
  const post = async (path: string, body: unknown): Promise<void> => {
    const res = await fetch(`${host.url}/api/${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`bench: ${path} answered ${res.status}`);
  };
  const thread = (ticket: number) => ({
    intent_name: 'Add User to Group',
    intent_fields: { 'User Email': 'adele.vance@contoso.com', 'Group Name': 'Sales Team' },
    meta_data: { ticket_id: ticket, contact_name: 'Pat', contact_email: 'pat@msp.example', company_name: 'Contoso' },
  });
  let ticket = 100_000;
  const cases: Array<[string, () => Promise<void>]> = [
    ['webhook/validate', () => post('webhook/validate', thread(ticket++))],
    [
      'idempotency/claim',
      () => post('idempotency/claim', { request: { ticketId: ticket++, intent: 'add-user-to-group', fieldsHash: createHash('sha256').update(String(ticket)).digest('hex') }, runId: `bench-${ticket}` }),
    ],
    ['lookups/user', () => post('lookups/user', { user: 'adele.vance@contoso.com' })],
    ['lookups/groups', () => post('lookups/groups', { groups: ['Sales Team', 'Marketing', "O'Brien Team"] })],
    ['lookups/license', () => post('lookups/license', { license: 'Microsoft 365 Business Premium' })],
  ];
  const rows: BenchRow[] = [];
  try {
    for (const [name, call] of cases) {
      for (let i = 0; i < WARMUP; i++) await call();
      const times: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const start = performance.now();
        await call();
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const p99 = percentile(times, 99);
      rows.push({ area: 'helpers', metric: `${name} p50`, value: percentile(times, 50), unit: 'ms' });
      rows.push({ area: 'helpers', metric: `${name} p99`, value: p99, unit: 'ms', target: '< 250 ms', ok: p99 < 250 });
    }
  } finally {
    await host.stop();
    await Promise.all([graph.stop(), identity.stop(), azurite.stop()]);
  }
  return rows;
}
