import type { ExpressionContext } from '../../expressions/context.js';
import type { ActionStatus, ErrorInfo, RetryAttempt } from '../../model.js';
import type { CompiledAction, CompiledGraph } from '../compile.js';
import type { CompiledValue } from '../compiled-value.js';
import type { Frame } from '../frame.js';
import type { RunState } from '../run-state.js';

/** What an action executor reports; status defaults to Succeeded and code to "OK". */
export interface ActionOutcome {
  status?: ActionStatus;
  code?: string;
  inputs?: unknown;
  outputs?: unknown;
  error?: ErrorInfo;
  retryHistory?: RetryAttempt[];
  repetitionCount?: number;
  iterationCount?: number;
  childRun?: { workflow: string; runName: string };
}

/** Everything an executor may use while running one action (or one repetition of it). */
export interface ExecutionContext {
  run: RunState;
  action: CompiledAction;
  /** This action's (or repetition's) tracking id, as recorded in history and sent as x-ms-action-tracking-id. */
  trackingId: string;
  frame: Frame;
  /** Aborted on limit.timeout, Terminate or run cancellation. */
  signal: AbortSignal;
  expressions(): ExpressionContext;
  /** Evaluates a compiled value; expression errors become a Failed/InvalidTemplate outcome. */
  evaluate(value: CompiledValue, part?: string): unknown;
  /** The action's `inputs`, evaluated (and remembered so a later failure still records them). */
  evaluateInputs(): unknown;
  /** Inputs to record if the executor fails after evaluating them. */
  noteInputs(inputs: unknown): void;
  /** Runs a nested graph (Scope, branches, loop bodies) in the given frame; resolves to its status. */
  runGraph(graph: CompiledGraph, frame: Frame): Promise<ActionStatus>;
  /** Records every action of a graph as Skipped (branch not taken, container skipped). */
  skipGraph(graph: CompiledGraph, frame: Frame, code: string, reason: string): void;
}

export type ActionExecutor = (ctx: ExecutionContext) => Promise<ActionOutcome>;
