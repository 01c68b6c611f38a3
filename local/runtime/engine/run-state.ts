import type {
  ErrorInfo,
  HistoryStore,
  LoadedProject,
  RunRecord,
  ActionStatus,
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
import type { VariableChange } from './committed-variables.js';
import type { ActionResultView, Frame } from './frame.js';

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

/** A repetition of a top-level loop that finished before a restart (./checkpoint.ts). */
export interface SavedRepetition {
  loop: string;
  /** For each: the item's index; Until: the iteration's (0-based). */
  index: number;
  status: ActionStatus;
  /** Results of the actions that ran in the repetition. */
  results: ActionResultView[];
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
  /** Finished repetitions of top-level loops a resumed run brought back, by loop name then index. */
  readonly restoredRepetitions = new Map<string, Map<number, SavedRepetition>>();
  /** Due times (ms since epoch) of top-level Wait actions that were waiting when the runtime stopped. */
  readonly restoredWaits = new Map<string, number>();
  /** Top-level loop repetitions (their frames) that ran an action calling out of the run (./checkpoint.ts). */
  readonly repetitionsCallingOut = new WeakSet<Frame>();
  /** Variable changes not yet in a checkpoint, by top-level action name or top-level loop repetition frame. */
  readonly pendingVariableChanges = new Map<Frame | string, VariableChange[]>();
  order = 0;
  terminated?: { status: RunStatus; error?: ErrorInfo };
  cancelled = false;
  /**
   * The runtime is stopping and this stateful run will resume at the next start (./resume.ts): nothing
   * more of it is recorded, so its history and checkpoints stay as they were when the stop began.
   */
  suspended = false;
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

  /** No new action may start: terminated, cancelled or suspended. */
  get stopped(): boolean {
    return this.terminated !== undefined || this.cancelled || this.suspended;
  }

  /** Progress is saved for resuming after a restart: a Stateful run on an engine with checkpoints. */
  get checkpointed(): boolean {
    return this.shared.checkpoints !== undefined && this.compiled.workflow.kind === 'Stateful';
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
