import type {
  ErrorInfo,
  HistoryStore,
  LoadedProject,
  RunRecord,
  RunStatus,
  RuntimeServices,
  ServiceProviderHandler,
  StartOptions,
  StartedRun,
  TriggerRequest,
  WorkflowHttpResponse,
} from '../model.js';
import type { RunCheckpointer } from './checkpoint.js';
import type { CompiledWorkflow } from './compile.js';
import type { ActionResultView } from './frame.js';

/** What every run of an engine shares: the project, the seams and engine-wide limits. */
export interface EngineShared {
  project: LoadedProject;
  history: HistoryStore;
  services: RuntimeServices;
  /** Service-provider handlers by lower-case id. */
  providers: Map<string, ServiceProviderHandler>;
  publicBaseUrl: () => string;
  start: (workflow: string, trigger: string, request: TriggerRequest, options?: StartOptions) => StartedRun;
  cancel: (workflow: string, runName: string) => boolean;
  limits: EngineLimits;
  /** Answers of secured Response actions by "workflow/run" (lower-case workflow), never persisted. */
  securedResponses: Map<string, WorkflowHttpResponse>;
  /** Saves stateful runs' progress so they resume after a restart (./resume.ts); absent: nothing saved. */
  checkpoints?: RunCheckpointer;
}

export interface EngineLimits {
  /** JavaScriptCode run time limit (single-tenant: 15 s). */
  javaScriptTimeoutMs: number;
  /** Runtime.Backend.ForeachDefaultDegreeOfParallelism. */
  foreachDegreeOfParallelism: number;
  /** Runtime.Backend.MaximumUntilLimitCount. */
  maximumUntilLimitCount: number;
  /** Runtime.Backend.FlowDefaultForeachItemsLimit. */
  foreachItemsLimit: number;
  /** Runtime.Backend.Stateless.FlowDefaultForeachItemsLimit. */
  statelessForeachItemsLimit: number;
  /** Runtime.Backend.Stateless.MaximumUntilLimitCount. */
  statelessMaximumUntilLimitCount: number;
  /** Runtime.Backend.HttpOperation.RequestTimeout in ms. */
  httpRequestTimeoutMs: number;
}

export interface DeclaredVariable {
  /** Lower-case declared type: string, integer, float, boolean, object, array. */
  type: string;
  value: unknown;
}

/** Mutable state of one run while it executes. */
export class RunState {
  readonly variables = new Map<string, DeclaredVariable>();
  readonly abort = new AbortController();
  readonly repetitionCounts = new Map<string, number>();
  /** Next repetition number per loop action (repetition names are per action). */
  readonly repetitionNames = new Map<string, number>();
  /** result() of Foreach/Until: first-level results of every repetition, in order. */
  readonly scopeResults = new Map<string, ActionResultView[]>();
  /** Results a resumed run brought back from its checkpoints: the scheduler does not run these actions again. */
  readonly restored = new Set<ActionResultView>();
  order = 0;
  terminated?: { status: RunStatus; error?: ErrorInfo };
  cancelled = false;
  responded = false;
  /** Azure-shaped trigger() object. */
  triggerObject: Record<string, unknown> = {};

  constructor(
    readonly shared: EngineShared,
    readonly compiled: CompiledWorkflow,
    readonly record: RunRecord,
    readonly respond: (response: WorkflowHttpResponse) => void,
  ) {}

  get workflowName(): string {
    return this.record.workflow;
  }

  /** No new action may start: terminated or cancelled. */
  get stopped(): boolean {
    return this.terminated !== undefined || this.cancelled;
  }

  now(): string {
    return new Date(this.shared.services.clock.now()).toISOString();
  }

  /** Foreach/Until limits of this workflow's kind (Stateless workflows have much lower ones). */
  get loopLimits(): { foreachItems: number; untilCount: number } {
    const l = this.shared.limits;
    return this.compiled.workflow.kind === 'Stateless'
      ? { foreachItems: l.statelessForeachItemsLimit, untilCount: l.statelessMaximumUntilLimitCount }
      : { foreachItems: l.foreachItemsLimit, untilCount: l.maximumUntilLimitCount };
  }

  nextRepetitionName(action: string): string {
    const n = this.repetitionNames.get(action) ?? 0;
    this.repetitionNames.set(action, n + 1);
    return String(n).padStart(6, '0');
  }
}
