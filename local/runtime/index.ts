import { RunCheckpoints } from './engine/checkpoint.js';
import { createEngine } from './engine/index.js';
import { hostSettings } from './engine/limits.js';
import { resumeInterruptedRuns, type ResumeReport } from './engine/resume.js';
import { Sealer } from './engine/seal.js';
import { createDefaultServices } from './engine/services.js';
import { openHistoryStore, retentionFromSettings } from './history/index.js';
import type { HistoryStore, RunRecord, RuntimeServices, ServiceProviderHandler, WorkflowEngine } from './model.js';
import { loadProject } from './project/index.js';
import { startRuntimeServer } from './server/index.js';
import { builtinServiceProviders } from './connectors/index.js';

export interface StartRuntimeOptions {
  /** A Logic Apps Standard project folder (workflow folders at the root or under workflows/). */
  projectDir: string;
  /** Run history (history.sqlite), resume state (sealed, resume.key) and the workflows' access keys (keys.json) live here. */
  dataDir: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Interface to bind; 127.0.0.1 unless told otherwise. */
  host?: string;
  appSettings?: Record<string, string>;
  serviceProviders?: ServiceProviderHandler[];
  /** Replaces pieces of the default services (outbound HTTP, managed identity, clock). */
  services?: Partial<RuntimeServices>;
  /** Scales waits (Wait action, retry intervals) for tests; 1 = real time. */
  timeScale?: number;
  /** How long stop() waits for in-flight stateless runs before cancelling them (default 10 s); stateful runs are left to resume at the next start. */
  drainTimeoutMs?: number;
}

export interface RuntimeHandle {
  /** Base URL, e.g. http://127.0.0.1:7071 */
  url: string;
  engine: WorkflowEngine;
  history: HistoryStore;
  /** Signed invoke URL of a workflow's Request trigger. */
  triggerUrl(workflow: string, trigger?: string): string;
  /** workflow name -> signed invoke URL for every Request-triggered workflow. */
  callbackUrls(): Record<string, string>;
  runHistoryUrl: string;
  /** Runs an earlier process left unfinished: resumed (stateful) or ended as interrupted, at start-up. */
  resumed: ResumeReport;
  /** Leaves stateful runs in flight to resume at the next start, drains stateless ones (bounded), flushes history, closes the server. */
  stop(): Promise<void>;
}

function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    work.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

/** Loads and validates the project (throws ProjectValidationError), then serves it. */
export async function startRuntime(opts: StartRuntimeOptions): Promise<RuntimeHandle> {
  // Built-in connectors (Azure Automation, ...) are available unless the caller supplies its own set.
  const serviceProviders = opts.serviceProviders ?? builtinServiceProviders();
  const project = await loadProject(opts.projectDir, { appSettings: opts.appSettings, serviceProviders });
  const history = await openHistoryStore(opts.dataDir, { retention: retentionFromSettings(project.appSettings, hostSettings(project)) });
  let checkpoints: RunCheckpoints;
  try {
    checkpoints = new RunCheckpoints(history, await Sealer.open(opts.dataDir));
  } catch (err) {
    await history.close();
    throw err;
  }
  const services: RuntimeServices = { ...createDefaultServices({ timeScale: opts.timeScale, appSettings: project.appSettings }), ...opts.services };
  let baseUrl = '';
  const engine = createEngine({ project, history, services, serviceProviders, publicBaseUrl: () => baseUrl, checkpoints });
  let server;
  try {
    server = await startRuntimeServer({ engine, history, dataDir: opts.dataDir, host: opts.host, port: opts.port });
  } catch (err) {
    await history.close();
    throw err;
  }
  baseUrl = server.url;
  // As Azure does after a host restart: stateful runs go on from their saved state (engine/resume.ts).
  const resumed = resumeInterruptedRuns({ engine, workflows: project.workflows, history, checkpoints, now: () => services.clock.now() });
  const drainTimeoutMs = opts.drainTimeoutMs ?? 10_000;
  let stopping: Promise<void> | undefined;

  const stop = async (): Promise<void> => {
    const closed = server.close();
    // Stateful runs stop where they are and resume at the next start, as Azure resumes them after a
    // host restart (engine/resume.ts): no need to wait for them. Stateless runs cannot resume, so
    // they get the drain time to finish.
    engine.suspendStateful();
    if (!(await within(drainTimeoutMs, engine.drain()))) {
      // Stateless runs that will not finish in time are cancelled, so nothing writes after history closes.
      const running: RunRecord[] = [...history.listRuns({ status: 'Running' }), ...history.listRuns({ status: 'Waiting' })];
      for (const run of running) engine.cancel(run.workflow, run.name);
      await within(2_000, engine.drain());
    }
    server.forceClose();
    await closed;
    await history.close();
  };

  return {
    url: server.url,
    engine,
    history,
    triggerUrl: server.triggerUrl,
    callbackUrls: server.callbackUrls,
    runHistoryUrl: server.runHistoryUrl,
    resumed,
    stop: () => (stopping ??= stop()),
  };
}
