import { randomUUID } from 'node:crypto';
import type { ActionStatus, ErrorInfo } from '../model.js';
import { asExpressionErrorMessage } from './expression-errors.js';
import type { ActionOutcome, ExecutionContext } from './actions/types.js';
import { executorFor } from './actions/registry.js';
import type { CompiledAction, CompiledGraph } from './compile.js';
import { field } from './compile.js';
import type { CompiledValue } from './compiled-value.js';
import { ActionFailure, describeError } from './errors.js';
import { expressionContext } from './expression-context.js';
import type { ActionResultView, Frame } from './frame.js';
import { actionRecord, repetitionRecord } from './record.js';
import type { RunState } from './run-state.js';
import { noteLoopAction } from './checkpoint.js';
import { graphStatus, runAfterAccepts } from './status.js';

/** Marks an abort caused by the action's own limit.timeout. */
const TIMEOUT = Symbol('action-timeout');

/**
 * Runs a graph of actions: each action starts as soon as all its runAfter predecessors have
 * finished, so independent branches run in parallel. Resolves with the graph's status.
 */
export function runGraph(run: RunState, graph: CompiledGraph, frame: Frame): Promise<ActionStatus> {
  return new Promise((resolve) => {
    const waiting = new Map<string, number>();
    for (const a of graph.actions.values()) waiting.set(a.name, a.runAfter.filter((p) => graph.actions.has(p.name)).length);
    let active = 0;
    let settled = false;

    const done = (): void => {
      if (settled || active > 0) return;
      settled = true;
      resolve(graphStatus(graph, frame));
    };

    const finished = (action: CompiledAction): void => {
      for (const succ of action.successors) {
        const left = (waiting.get(succ) ?? 1) - 1;
        waiting.set(succ, left);
        if (left === 0) {
          const next = graph.actions.get(succ);
          if (next) consider(next);
        }
      }
    };

    const consider = (action: CompiledAction): void => {
      // A resumed run does not run again an action whose result it restored (./resume.ts).
      const restored = frame.results.get(action.name);
      if (restored && run.restored.delete(restored)) {
        finished(action);
        return;
      }
      // A run left to resume at the next start (./resume.ts) records nothing more and starts nothing.
      if (run.suspended) return;
      if (run.stopped) {
        // Azure lists every action a stopped run never reached as Skipped (code "Terminated" after a
        // Terminate action; undocumented: observed on the real host as such) rather than leaving it out.
        skipAction(run, action, frame, run.terminated ? 'Terminated' : 'Cancelled');
        finished(action);
        return;
      }
      for (const pred of action.runAfter) {
        const r = frame.lookup(pred.name);
        if (!r || !runAfterAccepts(pred.statuses, r)) {
          const expected = pred.statuses.map(capitalize).join(', ');
          skipAction(run, action, frame, 'ActionConditionFailed',
            `The execution of template action '${action.name}' is skipped: the 'runAfter' condition for action '${pred.name}' is not satisfied. Expected status values '${expected}' and actual value '${r?.status ?? 'NotRun'}'.`);
          finished(action);
          return;
        }
      }
      active++;
      const settle = (): void => {
        active--;
        finished(action);
        done();
      };
      // An executor never rejects (failures become outcomes); only a throwing history store could,
      // and the graph must still complete then.
      executeAction(run, action, frame).then(settle, settle);
    };

    for (const name of graph.roots) {
      const a = graph.actions.get(name);
      if (a) consider(a);
    }
    done();
  });
}

function capitalize(s: string): string {
  return s === 'timedout' ? 'TimedOut' : s.charAt(0).toUpperCase() + s.slice(1);
}

/** Records an action (and everything nested in it) as Skipped without running it. */
export function skipAction(run: RunState, action: CompiledAction, frame: Frame, code: string, message?: string): void {
  if (run.suspended) return;
  const now = run.now();
  const view: ActionResultView = {
    name: action.name,
    startTime: now,
    endTime: now,
    trackingId: randomUUID(),
    clientTrackingId: run.record.clientTrackingId,
    code,
    status: 'Skipped',
  };
  if (message !== undefined) view.error = { code, message };
  frame.results.set(action.name, view);
  run.shared.history.saveAction(run.workflowName, run.record.name, actionRecord(action, view, { order: run.order++ }));
  // After the record: a checkpoint never claims an action whose record still says Running.
  run.shared.checkpoints?.recorded(run, frame, view);
  const nested: CompiledGraph[] = [];
  if (action.children) nested.push(action.children);
  if (action.elseChildren) nested.push(action.elseChildren);
  for (const c of action.cases ?? []) nested.push(c.graph);
  if (action.defaultGraph) nested.push(action.defaultGraph);
  for (const g of nested) {
    if (message === undefined) for (const a of g.actions.values()) skipAction(run, a, frame, code);
    else skipGraph(run, g, frame, code, `The execution of template action '${action.name}' was skipped.`);
  }
}

export function skipGraph(run: RunState, graph: CompiledGraph, frame: Frame, code: string, reason: string): void {
  for (const a of graph.actions.values()) {
    skipAction(run, a, frame, code, reason.includes('{action}') ? reason.replace('{action}', a.name) : reason);
  }
}

/** Runs one action to completion: records Running, executes, applies timeout, records the end. */
export async function executeAction(run: RunState, action: CompiledAction, frame: Frame): Promise<ActionResultView> {
  const startTime = run.now();
  const order = run.order++;
  const trackingId = randomUUID();
  const history = run.shared.history;
  const inLoop = frame.loop !== undefined;
  const repetitionCount = inLoop ? (run.repetitionCounts.get(action.name) ?? 0) + 1 : undefined;
  if (repetitionCount !== undefined) run.repetitionCounts.set(action.name, repetitionCount);
  if (inLoop) noteLoopAction(run, frame, action);

  const running: ActionResultView = {
    name: action.name,
    startTime,
    trackingId,
    clientTrackingId: run.record.clientTrackingId,
    code: '',
    status: 'Running',
  };
  history.saveAction(run.workflowName, run.record.name, actionRecord(action, running, { order, repetitionCount }));

  const controller = new AbortController();
  const onRunAbort = (): void => controller.abort(run.abort.signal.reason);
  if (run.abort.signal.aborted) controller.abort(run.abort.signal.reason);
  else run.abort.signal.addEventListener('abort', onRunAbort, { once: true });
  const timerAbort = new AbortController();
  if (action.timeoutMs !== undefined) {
    run.shared.services.clock.sleep(action.timeoutMs, timerAbort.signal).then(
      () => controller.abort(TIMEOUT),
      () => undefined,
    );
  }

  let notedInputs: unknown;
  const ctx: ExecutionContext = {
    run,
    action,
    trackingId,
    frame,
    signal: controller.signal,
    expressions: () => expressionContext(run, frame),
    evaluate: (value: CompiledValue, part = 'inputs') => evaluateOrFail(run, frame, action, value, part),
    evaluateInputs: () => {
      notedInputs = evaluateOrFail(run, frame, action, action.inputs, 'inputs');
      return notedInputs;
    },
    noteInputs: (inputs) => {
      notedInputs = inputs;
    },
    runGraph: (graph, f) => runGraph(run, graph, f),
    skipGraph: (graph, f, code, reason) => skipGraph(run, graph, f, code, reason),
  };

  let outcome: ActionOutcome;
  try {
    outcome = await raceAbort(executorFor(action.type)(ctx), controller.signal);
  } catch (err) {
    outcome = failureOutcome(err, controller.signal, action, notedInputs);
  } finally {
    timerAbort.abort();
    run.abort.signal.removeEventListener('abort', onRunAbort);
  }

  // Suspended for a restart: the record stays Running, so the next start runs this action again.
  if (run.suspended) return running;
  const view: ActionResultView = {
    name: action.name,
    startTime,
    endTime: run.now(),
    trackingId,
    clientTrackingId: run.record.clientTrackingId,
    code: outcome.code ?? 'OK',
    status: outcome.status ?? 'Succeeded',
  };
  const inputs = outcome.inputs !== undefined ? outcome.inputs : notedInputs;
  if (inputs !== undefined) view.inputs = inputs;
  if (outcome.outputs !== undefined) view.outputs = outcome.outputs;
  if (outcome.error) view.error = outcome.error;
  if (action.def.trackedProperties !== undefined) {
    try {
      const tracked = field(action, 'trackedProperties')(expressionContext(run, frame, view));
      if (tracked && typeof tracked === 'object') view.trackedProperties = tracked as Record<string, unknown>;
    } catch {
      // Azure drops tracked properties it cannot evaluate; the action's own status stands.
    }
  }
  frame.results.set(action.name, view);
  history.saveAction(
    run.workflowName,
    run.record.name,
    actionRecord(action, view, {
      order,
      retryHistory: outcome.retryHistory,
      repetitionCount: outcome.repetitionCount ?? repetitionCount,
      iterationCount: outcome.iterationCount,
      childRun: outcome.childRun,
    }),
  );
  // After the record: a checkpoint never claims an action whose record still says Running.
  run.shared.checkpoints?.recorded(run, frame, view);
  if (inLoop) {
    history.saveRepetition(
      run.workflowName,
      run.record.name,
      repetitionRecord(action, view, run.nextRepetitionName(action.name), frame.repetitionIndexes(), outcome.retryHistory),
    );
  }
  return view;
}

function evaluateOrFail(run: RunState, frame: Frame, action: CompiledAction, value: CompiledValue, part: string): unknown {
  try {
    return value(expressionContext(run, frame));
  } catch (err) {
    throw new ActionFailure(
      'InvalidTemplate',
      `Unable to process template language expressions in action '${action.name}' ${part} at line '0' and column '0': '${asExpressionErrorMessage(err)}'.`,
    );
  }
}

/** Resolves with the executor's outcome, or rejects as soon as the action is aborted. */
function raceAbort(work: Promise<ActionOutcome>, signal: AbortSignal): Promise<ActionOutcome> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function failureOutcome(err: unknown, signal: AbortSignal, action: CompiledAction, inputs: unknown): ActionOutcome {
  if (signal.aborted && signal.reason === TIMEOUT) {
    const timeout = String((action.def.limit as { timeout?: unknown } | undefined)?.timeout ?? '');
    return {
      status: 'Cancelled',
      code: 'ActionTimedOut',
      error: { code: 'ActionTimedOut', message: `The execution of template action '${action.name}' timed out after '${timeout}'.` },
      inputs,
    };
  }
  if (signal.aborted) {
    return {
      status: 'Cancelled',
      code: 'Cancelled',
      error: { code: 'Cancelled', message: `The execution of template action '${action.name}' was cancelled because the run was stopped.` },
      inputs,
    };
  }
  if (err instanceof ActionFailure) {
    const out: ActionOutcome = { status: err.extra.status ?? 'Failed', code: err.code, inputs: err.extra.inputs ?? inputs };
    if (err.extra.outputs !== undefined) out.outputs = err.extra.outputs;
    if (!err.extra.noError) out.error = err.toErrorInfo();
    return out;
  }
  const info: ErrorInfo = describeError(err);
  return { status: 'Failed', code: info.code, error: info, inputs };
}
