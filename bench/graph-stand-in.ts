import { Agent, request } from 'node:http';
import { startGraphStandIn } from '../local/standins/graph/index.js';
import { mintLocalToken } from '../local/standins/identity/token.js';
import type { BenchRow } from './row.js';

/**
 * Graph stand-in throughput: GET /v1.0/users/{upn} with no injected latency, from concurrent
 * keep-alive connections for about two seconds. Reports requests/s and p50/p99 latency.
 */
const DURATION_MS = 2_000;
const CONCURRENCY = 8;

function get(agent: Agent, url: URL, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

function userUrl(base: string, key: string): URL {
  return new URL(key.startsWith('(') ? `${base}/v1.0/users${encodeURI(key)}` : `${base}/v1.0/users/${encodeURIComponent(key)}`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export async function run(): Promise<BenchRow[]> {
  const graph = await startGraphStandIn();
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const token = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '99999999-8888-7777-6666-555555555555' });
  // A UPN starting with '$' is only addressable in the key form /users('$x@y'), as in Graph.
  const upns = graph.admin.tenant().users.map((u) => (u.userPrincipalName.startsWith('$') ? `('${u.userPrincipalName}')` : u.userPrincipalName));
  const latencies: number[] = [];
  let failures = 0;
  try {
    // Warm-up: open the connections and JIT the hot path before measuring.
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => get(agent, userUrl(graph.url, upns[i % upns.length] ?? ''), token)));
    const started = performance.now();
    const deadline = started + DURATION_MS;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        for (let i = worker; performance.now() < deadline; i += CONCURRENCY) {
          const url = userUrl(graph.url, upns[i % upns.length] ?? '');
          const t0 = performance.now();
          const status = await get(agent, url, token);
          latencies.push(performance.now() - t0);
          if (status !== 200) failures += 1;
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    const rps = latencies.length / elapsedS;
    const p99 = percentile(sorted, 99);
    return [
      { area: 'graph-stand-in', metric: 'GET /v1.0/users/{upn} throughput', value: rps, unit: 'req/s', target: '> 300', ok: rps > 300 },
      { area: 'graph-stand-in', metric: 'GET /v1.0/users/{upn} p50', value: percentile(sorted, 50), unit: 'ms' },
      { area: 'graph-stand-in', metric: `GET /v1.0/users/{upn} p99 (${CONCURRENCY} concurrent)`, value: p99, unit: 'ms', target: '< 100', ok: p99 < 100 },
      { area: 'graph-stand-in', metric: 'non-200 answers during the run', value: failures, unit: 'count', target: '0', ok: failures === 0 },
    ];
  } finally {
    agent.destroy();
    await graph.stop();
  }
}
