import { randomUUID } from 'node:crypto';
import { serviceProviderRegistry } from '../connectors/index.js';
import {
  SECURE_PLACEHOLDER,
  type HistoryStore,
  type LoadedProject,
  type RunRecord,
  type RuntimeServices,
  type ServiceProviderHandler,
  type StartOptions,
  type StartedRun,
  type TriggerRecord,
  type TriggerRequest,
  type WorkflowEngine,
  type WorkflowHttpResponse,
} from '../model.js';
import { restoreRunState, type RunCheckpointer, type SavedRunState } from './checkpoint.js';
import { compileWorkflow, type CompiledWorkflow } from './compile.js';
import { compileValue } from './compiled-value.js';
import { TriggerRequestError } from './errors.js';
import { expressionContext } from './expression-context.js';
import { Frame } from './frame.js';
import { engineLimits } from './limits.js';
import { RunState, type EngineLimits, type EngineShared } from './run-state.js';
import { redactHeaders } from './redact.js';
import { newRunName } from './run-name.js';
import { runGraph } from './scheduler.js';
import { acceptTriggerRequest, conditionsNotMet } from './trigger.js';

export { TriggerRequestError, ActionFailure } from './errors.js';
export { createDefaultServices } from './services.js';
export { supportedActionTypes } from './actions/registry.js';
export type { EngineLimits } from './run-state.js';

export interface CreateEngineOptions {
  project: LoadedProject;
  history: HistoryStore;
  services: RuntimeServices;
  serviceProviders?: readonly ServiceProviderHandler[];
  publicBaseUrl: () => string;
  /** Overrides of host limits (tests shorten the JavaScriptCode time limit, for example). */
  limits?: Partial<EngineLimits>;
  /** Saves stateful runs' progress so they can resume after a restart (./resume.ts). */
  checkpoints?: RunCheckpointer;
}

/** The engine as the runtime start-up uses it: also resumes runs a restart interrupted (./resume.ts). */
export interface ResumableEngine extends WorkflowEngine {
  resume(record: RunRecord, saved: SavedRunState, checkpointsSoFar: number): StartedRun;
  /** A parent's Workflow action that runs again after a restart gets this child run instead of starting another. */
  adoptChild(parentRun: { workflow: string; runName: string; action: string }, child: StartedRun): void;
  /**
   * The runtime is stopping: stateful runs in flight stop where they are and are left Running with
   * their checkpoints, for the next start to resume (./resume.ts), as Azure resumes them after a host
   * restart. Returns "workflow/run" of each; stateless runs are not touched.
   */
  suspendStateful(): string[];
}

interface InFlight {
  state: RunState;
  completed: Promise<RunRecord>;
}

const NO_RESPONSE_MESSAGE = 'The server did not receive a response from an upstream server.';

/**
 * The local Logic Apps Standard run engine: start() validates the trigger request, creates an
 * Azure-named run, records it and executes the workflow graph in the background.
 */
export function createEngine(opts: CreateEngineOptions): ResumableEngine {
  const compiled = new Map<string, CompiledWorkflow>();
  for (const [name, wf] of opts.project.workflows) compiled.set(name.toLowerCase(), compileWorkflow(wf));
  const inFlight = new Map<string, InFlight>();

  const shared: EngineShared = {
    project: opts.project,
    history: opts.history,
    services: opts.services,
    providers: serviceProviderRegistry(opts.serviceProviders ?? []),
    publicBaseUrl: opts.publicBaseUrl,
    start: (w, t, r, o) => start(w, t, r, o),
    cancel: (w, r) => cancel(w, r),
    limits: engineLimits(opts.project, opts.limits),
    securedResponses: new Map(),
    checkpoints: opts.checkpoints,
  };

  /** Child runs resumed after a restart, by the parent action that started them (see adoptChild). */
  const adoptable = new Map<string, StartedRun>();
  const parentKey = (p: { workflow: string; runName: string; action: string }): string => `${p.workflow.toLowerCase()}/${p.runName}/${p.action}`;

  function start(workflow: string, trigger: string, request: TriggerRequest, options: StartOptions = {}): StartedRun {
    const adopted = options.parentRun ? adoptable.get(parentKey(options.parentRun)) : undefined;
    if (adopted && options.parentRun) {
      adoptable.delete(parentKey(options.parentRun));
      return adopted;
    }
    const cw = compiled.get(workflow.toLowerCase());
    if (!cw) throw new TriggerRequestError(404, 'WorkflowNotFound', `The workflow '${workflow}' could not be found.`);
    const wf = cw.workflow;
    const accepted = acceptTriggerRequest(cw, trigger, request);
    const now = opts.services.clock.now();
    const startTime = new Date(now).toISOString();
    const runName = newRunName(now);
    const triggerObject: Record<string, unknown> = {
      name: wf.triggerName,
      inputs: accepted.inputs,
      outputs: accepted.outputs,
      startTime,
      endTime: startTime,
      trackingId: randomUUID(),
      clientTrackingId: runName,
      originHistoryName: runName,
      status: 'Succeeded',
    };
    const record: RunRecord = {
      workflow: wf.name,
      name: runName,
      status: 'Running',
      startTime,
      clientTrackingId: runName,
      correlationId: options.correlationId ?? randomUUID(),
      trigger: triggerRecord(wf.trigger, wf.triggerName, accepted, startTime),
      version: wf.version,
    };
    if (options.parentRun) record.parentRun = options.parentRun;

    let resolveResponse!: (r: WorkflowHttpResponse) => void;
    const response = new Promise<WorkflowHttpResponse>((resolve) => {
      resolveResponse = resolve;
    });
    const state = new RunState(shared, cw, record, resolveResponse);
    state.triggerObject = triggerObject;

    const root = new Frame();
    const ctx = expressionContext(state, root);
    for (const condition of cw.triggerConditions) {
      let ok: unknown;
      try {
        ok = condition(ctx);
      } catch (err) {
        throw new TriggerRequestError(400, 'InvalidTemplate', `Unable to process template language expressions for trigger '${wf.triggerName}' conditions: '${(err as Error).message}'.`);
      }
      if (ok !== true) throw conditionsNotMet(wf.triggerName);
    }
    let clientTrackingId: string | undefined;
    if (cw.triggerCorrelation) {
      try {
        const v = cw.triggerCorrelation(ctx);
        if (v !== null && v !== undefined && v !== '') clientTrackingId = String(v);
      } catch (err) {
        throw new TriggerRequestError(400, 'InvalidTemplate', `Unable to process template language expressions for trigger '${wf.triggerName}' correlation: '${(err as Error).message}'.`);
      }
    }
    clientTrackingId ??= options.clientTrackingId ?? headerValue(request.headers, 'x-ms-client-tracking-id') ?? runName;
    record.clientTrackingId = clientTrackingId;
    triggerObject.clientTrackingId = clientTrackingId;

    opts.history.saveRun(record);

    if (cw.asyncResponse) {
      state.responded = true;
      const location = `${opts.publicBaseUrl()}/runtime/webhooks/workflow/api/management/workflows/${encodeURIComponent(wf.name)}/runs/${runName}/operations/${randomUUID()}?api-version=2022-05-01`;
      resolveResponse({ statusCode: 202, headers: { Location: location, 'Retry-After': '1' }, body: undefined });
    } else if (!cw.hasResponse) {
      state.responded = true;
      resolveResponse({ statusCode: 202, headers: {}, body: undefined });
    }

    shared.checkpoints?.started(state);
    const completed = execute(state, root);
    const key = runKey(wf.name, runName);
    inFlight.set(key, { state, completed });
    void completed.then(() => inFlight.delete(key));
    return { runName, clientTrackingId, correlationId: record.correlationId, response, completed };
  }

  async function execute(state: RunState, root: Frame): Promise<RunRecord> {
    await Promise.resolve();
    const record = state.record;
    let status: RunRecord['status'];
    try {
      const graphStatus = await runGraph(state, state.compiled.graph, root);
      status = graphStatus === 'Succeeded' ? 'Succeeded' : 'Failed';
    } catch (err) {
      status = 'Failed';
      record.error = { code: 'InternalError', message: (err as Error).message };
    }
    // Left Running, with its checkpoints, for the next start to resume.
    if (state.suspended) return record;
    if (state.terminated) {
      status = state.terminated.status;
      if (state.terminated.error) record.error = state.terminated.error;
    } else if (state.cancelled) {
      status = 'Cancelled';
    } else if (status === 'Failed' && !record.error) {
      record.error = { code: 'ActionFailed', message: 'An action failed. No dependent actions succeeded.' };
    }
    record.status = status;
    if (record.error) record.code = record.error.code;
    // A terminated run's code is "Terminated" whatever runError.code says (that stays in error.code);
    // undocumented: observed on the real host as such.
    if (state.terminated) record.code = 'Terminated';
    const noResponse: WorkflowHttpResponse = {
      statusCode: 502,
      headers: { 'Content-Type': 'application/json' },
      body: { error: { code: 'NoResponse', message: `${NO_RESPONSE_MESSAGE} Request tracking id '${record.correlationId}'.` } },
    };
    // With an asynchronous Response the caller polls the run: a run that ended without answering
    // must say so there too, or the poller would wait forever.
    if (state.compiled.asyncResponse && !record.response) record.response = { statusCode: noResponse.statusCode, headers: noResponse.headers, body: noResponse.body };
    const outputs = runOutputs(state, root);
    if (outputs) record.outputs = outputs;
    record.endTime = state.now();
    try {
      opts.history.saveRun(record);
    } catch {
      // A failing store must not leave the caller waiting: completed never rejects.
    }
    shared.checkpoints?.finished(state);
    if (!state.responded) {
      state.responded = true;
      state.respond(noResponse);
    }
    return record;
  }

  function cancel(workflow: string, runName: string): boolean {
    const entry = inFlight.get(runKey(workflow, runName));
    if (!entry) return false;
    entry.state.cancelled = true;
    entry.state.abort.abort('cancelled');
    return true;
  }

  async function drain(): Promise<void> {
    while (inFlight.size > 0) await Promise.all([...inFlight.values()].map((r) => r.completed));
  }

  function securedResponse(workflow: string, runName: string): WorkflowHttpResponse | undefined {
    return shared.securedResponses.get(`${workflow.toLowerCase()}/${runName}`);
  }

  function resume(record: RunRecord, saved: SavedRunState, checkpointsSoFar: number): StartedRun {
    const cw = compiled.get(record.workflow.toLowerCase());
    if (!cw) throw new TriggerRequestError(404, 'WorkflowNotFound', `The workflow '${record.workflow}' could not be found.`);
    let resolveResponse!: (r: WorkflowHttpResponse) => void;
    const response = new Promise<WorkflowHttpResponse>((resolve) => {
      resolveResponse = resolve;
    });
    const state = new RunState(shared, cw, record, resolveResponse);
    const root = new Frame();
    restoreRunState(state, root, saved);
    shared.checkpoints?.resumed(state, checkpointsSoFar);
    if (state.responded) {
      // Answered before the restart: a parent waiting on this run gets the same answer again.
      const r = shared.securedResponses.get(runKey(record.workflow, record.name)) ?? (record.response && { statusCode: record.response.statusCode, headers: record.response.headers ?? {}, body: record.response.body });
      resolveResponse(r ?? { statusCode: 202, headers: {}, body: undefined });
    }
    const completed = execute(state, root);
    const key = runKey(record.workflow, record.name);
    inFlight.set(key, { state, completed });
    void completed.then(() => inFlight.delete(key));
    const started: StartedRun = { runName: record.name, clientTrackingId: record.clientTrackingId, correlationId: record.correlationId, response, completed };
    if (record.parentRun) adoptable.set(parentKey(record.parentRun), started);
    return started;
  }

  function adoptChild(parentRun: { workflow: string; runName: string; action: string }, child: StartedRun): void {
    adoptable.set(parentKey(parentRun), child);
  }

  function suspendStateful(): string[] {
    const suspended = [...inFlight.values()].map((r) => r.state).filter((s) => s.checkpointed && !s.stopped);
    // Every run is marked before any is aborted: a parent's Workflow action then leaves its child alone.
    for (const state of suspended) state.suspended = true;
    for (const state of suspended) state.abort.abort('suspended');
    return suspended.map((s) => `${s.workflowName}/${s.record.name}`);
  }

  return { project: opts.project, start, cancel, securedResponse, drain, resume, adoptChild, suspendStateful };
}

/**
 * The definition's `outputs` section ({name: {type, value}}), evaluated when the run ends; a value
 * that cannot be evaluated is reported with an error instead of failing the finished run.
 */
function runOutputs(state: RunState, root: Frame): Record<string, unknown> | undefined {
  const defs = state.compiled.workflow.definition.outputs;
  if (!defs || typeof defs !== 'object' || Object.keys(defs).length === 0) return undefined;
  const ctx = expressionContext(state, root);
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(defs as Record<string, { type?: unknown; value?: unknown }>)) {
    try {
      out[name] = { type: def?.type, value: compileValue(def?.value)(ctx) };
    } catch (err) {
      out[name] = { type: def?.type, error: { code: 'InvalidTemplate', message: (err as Error).message } };
    }
  }
  return out;
}

function runKey(workflow: string, runName: string): string {
  return `${workflow.toLowerCase()}/${runName}`;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function triggerRecord(
  trigger: Record<string, unknown>,
  name: string,
  accepted: { inputs: Record<string, unknown>; outputs: Record<string, unknown> },
  time: string,
): TriggerRecord {
  const secure = ((trigger.runtimeConfiguration as { secureData?: { properties?: unknown } } | undefined)?.secureData?.properties ?? []) as unknown[];
  const props = Array.isArray(secure) ? secure.map((s) => String(s).toLowerCase()) : [];
  const rec: TriggerRecord = {
    name,
    type: String(trigger.type ?? ''),
    status: 'Succeeded',
    code: 'OK',
    startTime: time,
    endTime: time,
    inputs: props.includes('inputs') ? SECURE_PLACEHOLDER : accepted.inputs,
    outputs: props.includes('outputs') ? SECURE_PLACEHOLDER : { ...accepted.outputs, headers: redactHeaders(accepted.outputs.headers) },
  };
  if (props.includes('inputs')) rec.secureInputs = true;
  if (props.includes('outputs')) rec.secureOutputs = true;
  return rec;
}
