import { createHash } from 'node:crypto';
import { createEngine, type EngineLimits } from '../../../local/runtime/engine/index.js';
import { createScaledClock } from '../../../local/runtime/engine/clock.js';
import { createNodeHttp } from '../../../local/runtime/engine/http-client.js';
import type {
  LoadedProject,
  LoadedWorkflow,
  RunRecord,
  RuntimeServices,
  ServiceProviderHandler,
  TriggerRequest,
  WorkflowEngine,
  WorkflowHttpResponse,
} from '../../../local/runtime/model.js';
import { MemoryHistory } from './memory-history.js';

export const REQUEST_TRIGGER = { manual: { type: 'Request', kind: 'Http', inputs: {} } };

export interface WorkflowSpec {
  actions: Record<string, unknown>;
  triggers?: Record<string, unknown>;
}

/** A LoadedProject built in memory (the loader has its own tests against fixture folders). */
export function projectOf(
  workflows: Record<string, WorkflowSpec>,
  extra: { connections?: Record<string, unknown>; parameters?: Record<string, unknown>; appSettings?: Record<string, string>; host?: Record<string, unknown> } = {},
): LoadedProject {
  const map = new Map<string, LoadedWorkflow>();
  for (const [name, spec] of Object.entries(workflows)) {
    const triggers = spec.triggers ?? REQUEST_TRIGGER;
    const [triggerName, trigger] = Object.entries(triggers)[0] as [string, Record<string, unknown>];
    const definition = { triggers, actions: spec.actions };
    map.set(name, {
      name,
      file: `/virtual/${name}/workflow.json`,
      kind: 'Stateful',
      definition,
      version: createHash('md5').update(JSON.stringify(definition)).digest('hex'),
      triggerName,
      trigger,
    });
  }
  return {
    root: '/virtual',
    workflowsDir: '/virtual',
    host: extra.host ?? {},
    connections: extra.connections ?? {},
    parameters: extra.parameters ?? {},
    appSettings: extra.appSettings ?? {},
    workflows: map,
  };
}

export function testServices(overrides: Partial<RuntimeServices> = {}, timeScale = 0.001): RuntimeServices {
  return {
    http: createNodeHttp(5000),
    managedIdentityToken: async (aud: string) => `token-for-${aud}`,
    clock: createScaledClock(timeScale),
    ...overrides,
  };
}

export interface Harness {
  engine: WorkflowEngine;
  history: MemoryHistory;
}

export function harness(
  project: LoadedProject,
  opts: { services?: RuntimeServices; serviceProviders?: ServiceProviderHandler[]; limits?: Partial<EngineLimits> } = {},
): Harness {
  const history = new MemoryHistory();
  const engine = createEngine({
    project,
    history,
    services: opts.services ?? testServices(),
    serviceProviders: opts.serviceProviders ?? [],
    publicBaseUrl: () => 'http://127.0.0.1:7071',
    limits: opts.limits,
  });
  return { engine, history };
}

export function request(body?: unknown, extra: Partial<TriggerRequest> = {}): TriggerRequest {
  return { method: 'POST', relativePath: '', headers: { 'content-type': 'application/json' }, queries: {}, body, ...extra };
}

/** Starts a run and waits for both its response and its completion. */
export async function runToEnd(
  h: Harness,
  workflow: string,
  req: TriggerRequest = request({}),
): Promise<{ run: RunRecord; response: WorkflowHttpResponse; actions: Record<string, import('../../../local/runtime/model.js').ActionRecord> }> {
  const started = h.engine.start(workflow, h.engine.project.workflows.get(workflow)?.triggerName ?? 'manual', req);
  const [response, run] = await Promise.all([started.response, started.completed]);
  const actions = Object.fromEntries(h.history.listActions(workflow, run.name).map((a) => [a.name, a]));
  return { run, response, actions };
}
