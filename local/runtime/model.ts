/**
 * Shared shapes of the local Logic Apps Standard runtime.
 *
 * The engine produces these records, the history store persists them, and the
 * management API / run-history page serve them in Azure's REST shapes
 * (the workflow run REST API: https://learn.microsoft.com/rest/api/appservice/workflow-runs). Keeping one model here
 * lets the three parts evolve separately without drifting.
 */

/** Statuses as Azure reports them (LogicAppsUX FLOW_STATUS). */
export type ActionStatus =
  | 'Running'
  | 'Waiting'
  | 'Succeeded'
  | 'Failed'
  | 'Skipped'
  | 'TimedOut'
  | 'Cancelled'
  | 'Aborted';

export type RunStatus = 'Running' | 'Waiting' | 'Succeeded' | 'Failed' | 'Cancelled';

export interface ErrorInfo {
  code: string;
  message: string;
}

/** One attempt of an action that was retried (Azure `retryHistory[]`). */
export interface RetryAttempt {
  startTime: string;
  endTime: string;
  /** HTTP status text or error code of this attempt, e.g. "TooManyRequests". */
  code: string;
  error?: ErrorInfo;
  clientRequestId?: string;
  serviceRequestId?: string;
}

/** Placeholder Azure shows in place of inputs/outputs hidden by secureData. */
export const SECURE_PLACEHOLDER = Object.freeze({ $secure: true, message: 'Content not shown due to security configuration.' });

/** One action of one run (for loops: the last repetition's state plus repetitionCount). */
export interface ActionRecord {
  name: string;
  /** Name of the enclosing Scope/If/Switch/Foreach/Until action; undefined at top level. */
  parent?: string;
  /** Position in which the action started, for ordering the page. */
  order: number;
  type: string;
  status: ActionStatus;
  /** Azure status code: "OK", "NotSpecified", "ActionSkipped", "ActionResponseSkipped", "ActionTimedOut", HTTP reason... */
  code: string;
  startTime: string;
  endTime?: string;
  /** Already redacted (SECURE_PLACEHOLDER) when runtimeConfiguration.secureData hides inputs. */
  inputs?: unknown;
  outputs?: unknown;
  secureInputs?: boolean;
  secureOutputs?: boolean;
  error?: ErrorInfo;
  retryHistory?: RetryAttempt[];
  trackedProperties?: Record<string, unknown>;
  /** Foreach: number of repetitions. */
  repetitionCount?: number;
  /** Until: number of iterations. */
  iterationCount?: number;
  /** Workflow action: the child run it started. */
  childRun?: { workflow: string; runName: string };
  clientTrackingId?: string;
  actionTrackingId: string;
}

/** One repetition of an action inside a Foreach/Until (Azure `repetitions/000001`). */
export interface RepetitionRecord {
  action: string;
  /** 6-digit zero padded, "000000" first. */
  name: string;
  repetitionIndexes: Array<{ scopeName: string; itemIndex: number }>;
  status: ActionStatus;
  code: string;
  startTime: string;
  endTime?: string;
  inputs?: unknown;
  outputs?: unknown;
  error?: ErrorInfo;
  retryHistory?: RetryAttempt[];
  trackingId: string;
}

export interface TriggerRecord {
  name: string;
  type: string;
  status: ActionStatus;
  code: string;
  startTime: string;
  endTime?: string;
  inputs?: unknown;
  outputs?: unknown;
  secureInputs?: boolean;
  secureOutputs?: boolean;
}

export interface RunRecord {
  workflow: string;
  /** Azure-style run name: 29-digit reverse-tick number + "CU" + 2 digits. */
  name: string;
  status: RunStatus;
  code?: string;
  startTime: string;
  endTime?: string;
  clientTrackingId: string;
  correlationId: string;
  trigger: TriggerRecord;
  /**
   * The HTTP response a Response action gave the caller, if any. When that Response's inputs are
   * secured, only the status code is kept here (`secure: true`); the engine holds the answer in memory
   * for asynchronous polling (WorkflowEngine.securedResponse), so it never reaches disk.
   */
  response?: { statusCode: number; headers?: Record<string, string>; body?: unknown; secure?: boolean };
  outputs?: Record<string, unknown>;
  error?: ErrorInfo;
  /** Set on child runs started by a Workflow action. */
  parentRun?: { workflow: string; runName: string; action: string };
  /** Workflow definition version (hash of workflow.json) that ran. */
  version: string;
}

export interface RunFilter {
  workflow?: string;
  status?: RunStatus;
  clientTrackingId?: string;
  startedAfter?: string;
  startedBefore?: string;
  top?: number;
  /** Paging: newest-first listing continues after this run (the last one of the previous page). */
  continueAfter?: { startTime: string; name: string };
}

/** Durable run-history store. Writes are synchronous from the engine's point of view (buffered internally). */
export interface HistoryStore {
  saveRun(run: RunRecord): void;
  saveAction(workflow: string, runName: string, action: ActionRecord): void;
  saveRepetition(workflow: string, runName: string, repetition: RepetitionRecord): void;
  getRun(workflow: string, runName: string): RunRecord | undefined;
  /** Newest first. */
  listRuns(filter: RunFilter): RunRecord[];
  listActions(workflow: string, runName: string): ActionRecord[];
  listRepetitions(workflow: string, runName: string, action: string): RepetitionRecord[];
  /** Flushes pending writes to disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Outbound HTTP as the engine sees it (Http, ApiConnection, connectors). */
export interface OutboundRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Text, or bytes for a binary (`$content`) body passed on as it came. */
  body?: string | Uint8Array;
  /** Milliseconds; the engine applies Runtime.Backend.HttpOperation.RequestTimeout when absent. */
  timeoutMs?: number;
}

export interface OutboundResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** Parsed JSON for JSON content types, text for text/*, else `{"$content-type","$content"}`; undefined when empty. */
  body: unknown;
}

/** A built-in connector (`ServiceProvider` action), e.g. /serviceProviders/azureAutomation. */
export interface ServiceProviderHandler {
  /** Lower-case provider id, e.g. "/serviceproviders/azureautomation". */
  readonly id: string;
  /** Operation ids it implements; anything else is refused when the workflow loads. */
  readonly operations: readonly string[];
  invoke(call: ServiceProviderCall): Promise<ServiceProviderResult>;
}

export interface ServiceProviderCall {
  operationId: string;
  parameters: Record<string, unknown>;
  /** The connection's parameterValues from connections.json, with @appsetting/@parameters resolved. */
  connection: { name: string; parameterValues: Record<string, unknown>; parameterSetName?: string };
  services: RuntimeServices;
  /** Aborted when the action's limit.timeout or the run is cancelled. */
  signal: AbortSignal;
}

export interface ServiceProviderResult {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Everything the engine needs from the outside world; tests replace pieces of it. */
export interface RuntimeServices {
  http(request: OutboundRequest, signal?: AbortSignal): Promise<OutboundResponse>;
  /** Token from the App Service managed-identity endpoint (IDENTITY_ENDPOINT / IDENTITY_HEADER). */
  managedIdentityToken(audience: string, clientId?: string): Promise<string>;
  clock: RuntimeClock;
}

/** Time source; tests scale waits down (Wait action, retry intervals, Retry-After). */
export interface RuntimeClock {
  now(): number;
  /** Resolves after `ms` scaled by the clock's time scale; rejects when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/* ------------------------------------------------------------------ *
 * Engine <-> server seam
 * ------------------------------------------------------------------ */

/** A Logic Apps Standard project as loaded and validated by local/runtime/project. */
export interface LoadedProject {
  root: string;
  /** Folder holding the workflow folders: the root itself, or root/workflows. */
  workflowsDir: string;
  host: Record<string, unknown>;
  /** connections.json with @appsetting()/@parameters() already resolved. */
  connections: Record<string, unknown>;
  /** parameters.json with @appsetting() resolved: name -> value. */
  parameters: Record<string, unknown>;
  appSettings: Record<string, string>;
  workflows: Map<string, LoadedWorkflow>;
}

export interface LoadedWorkflow {
  name: string;
  file: string;
  kind: 'Stateful' | 'Stateless';
  /** The `definition` object of workflow.json. */
  definition: Record<string, unknown>;
  /** md5 of workflow.json, reported as the run's workflow version. */
  version: string;
  triggerName: string;
  trigger: Record<string, unknown>;
}

/** An HTTP request that fires a Request trigger (from the server or a parent Workflow action). */
export interface TriggerRequest {
  method: string;
  /** Relative path after /invoke (no leading slash), '' when none. */
  relativePath: string;
  headers: Record<string, string>;
  queries: Record<string, string>;
  /** Parsed JSON body when the content type is JSON; the raw text otherwise; undefined when empty. */
  body: unknown;
}

export interface WorkflowHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface StartedRun {
  runName: string;
  clientTrackingId: string;
  correlationId: string;
  /**
   * What the caller of the trigger receives: the Response action's output (synchronous),
   * 202 Accepted right away when the workflow has no Response action, or the error
   * Azure returns when the run ends without reaching its Response action.
   */
  response: Promise<WorkflowHttpResponse>;
  /** Resolves when the run reaches a terminal status (never rejects). */
  completed: Promise<RunRecord>;
}

export interface StartOptions {
  parentRun?: { workflow: string; runName: string; action: string };
  /** Caller-provided x-ms-client-tracking-id, used when the trigger sets no correlation. */
  clientTrackingId?: string;
  correlationId?: string;
}

export interface WorkflowEngine {
  readonly project: LoadedProject;
  /** Throws TriggerRequestError (with HTTP status and Azure error code) for a request the trigger refuses. */
  start(workflow: string, trigger: string, request: TriggerRequest, options?: StartOptions): StartedRun;
  cancel(workflow: string, runName: string): boolean;
  /** The answer of a secured Response action, kept in memory only (see RunRecord.response). */
  securedResponse(workflow: string, runName: string): WorkflowHttpResponse | undefined;
  /** Resolves when every run in flight has finished. */
  drain(): Promise<void>;
}
