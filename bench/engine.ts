import { createHash } from 'node:crypto';
import { createEngine } from '../local/runtime/engine/index.js';
import { createScaledClock } from '../local/runtime/engine/clock.js';
import { MemoryHistory } from '../local/runtime/engine/memory-history.js';
import type { LoadedProject, LoadedWorkflow, RuntimeServices, TriggerRequest } from '../local/runtime/model.js';
import type { BenchRow } from './row.js';

/**
 * Engine benchmarks with an in-memory history (the server bench measures the durable store):
 * per-action overhead on a long Compose chain, and runs/s of a 10-action stateful workflow.
 */
function workflow(name: string, actions: Record<string, unknown>): LoadedWorkflow {
  const trigger = { type: 'Request', kind: 'Http', inputs: {} };
  const definition = { triggers: { manual: trigger }, actions };
  return { name, file: `${name}/workflow.json`, kind: 'Stateful', definition, version: createHash('md5').update(JSON.stringify(definition)).digest('hex'), triggerName: 'manual', trigger };
}

function chain(n: number, input: (i: number) => unknown): Record<string, unknown> {
  const actions: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) actions[`A${i}`] = { type: 'Compose', inputs: input(i), runAfter: i === 0 ? {} : { [`A${i - 1}`]: ['Succeeded'] } };
  return actions;
}

const CHAIN = 500;

function project(): LoadedProject {
  const ten = chain(9, (i) => (i === 0 ? { upn: "@triggerBody()?['upn']" } : { prev: `@outputs('A${i - 1}')`, n: i }));
  ten.Respond = { type: 'Response', inputs: { statusCode: 200, body: "@outputs('A8')" }, runAfter: { A8: ['Succeeded'] } };
  return {
    root: '.',
    workflowsDir: '.',
    host: {},
    connections: {},
    parameters: {},
    appSettings: {},
    workflows: new Map([
      ['chain', workflow('chain', chain(CHAIN, (i) => ({ step: i })))],
      ['ten', workflow('ten', ten)],
    ]),
  };
}

const services: RuntimeServices = {
  http: async () => ({ statusCode: 500, headers: {}, body: undefined }),
  managedIdentityToken: async () => 'unused',
  clock: createScaledClock(0),
};

const req: TriggerRequest = { method: 'POST', relativePath: '', headers: { 'content-type': 'application/json' }, queries: {}, body: { upn: 'ada@contoso.com' } };

export async function run(): Promise<BenchRow[]> {
  const engine = createEngine({ project: project(), history: new MemoryHistory(false), services, publicBaseUrl: () => 'http://127.0.0.1:7071' });

  // Warm up JIT and template caches.
  for (let i = 0; i < 20; i++) await engine.start('ten', 'manual', req).completed;
  await engine.start('chain', 'manual', req).completed;

  const chainRuns = 10;
  const t0 = performance.now();
  for (let i = 0; i < chainRuns; i++) await engine.start('chain', 'manual', req).completed;
  const perAction = (performance.now() - t0) / (chainRuns * CHAIN);

  const total = 2000;
  const concurrency = 50;
  let started = 0;
  const t1 = performance.now();
  const lane = async (): Promise<void> => {
    while (started < total) {
      started++;
      const r = engine.start('ten', 'manual', req);
      await Promise.all([r.response, r.completed]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const runsPerSecond = total / ((performance.now() - t1) / 1000);

  return [
    { area: 'engine', metric: `overhead per action (${CHAIN}-action Compose chain)`, value: perAction, unit: 'ms', target: '< 2 ms', ok: perAction < 2 },
    { area: 'engine', metric: 'runs/s, 10-action workflow, in-memory history', value: runsPerSecond, unit: 'runs/s', target: '>= 100', ok: runsPerSecond >= 100 },
  ];
}
