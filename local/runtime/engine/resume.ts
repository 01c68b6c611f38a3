import type { ActionRecord, LoadedWorkflow, RetryAttempt, RunRecord, StartedRun } from '../model.js';
import type { SqliteHistoryStore } from '../history/sqlite-store.js';
import type { RunCheckpoints, SavedRunState } from './checkpoint.js';

/**
 * Resuming runs that a stopped or crashed runtime left unfinished.
 *
 * Learn, "Stateful and stateless workflows" (https://learn.microsoft.com/azure/logic-apps/single-tenant-overview-compare#stateful-and-stateless-workflows):
 * stateful workflows save each action's inputs, outputs and state to external storage and "provide high
 * resiliency if outages happen": interrupted runs are reconstructed from the saved state and run to
 * completion. Stateless workflows keep that state in memory only, so their interrupted runs cannot go on.
 *
 * What the local runtime does at start, for every run still Running or Waiting:
 * - Stateful, with its checkpoints: the run continues. Actions that had finished keep their results and
 *   are not run again; an action that was in flight runs again, with its retry policy, and its record
 *   lists the interrupted attempt in retryHistory (undocumented: Azure's job-based engine re-runs an
 *   action whose attempt was lost, and shows the run as it finishes). A Workflow action that was
 *   waiting on a child run picks that child run up again instead of starting a second one.
 * - Otherwise (stateless, the definition changed since, no readable checkpoint): the run ends Failed
 *   with a message saying why, and actions left Running are marked Cancelled.
 * Either way no run or action stays Running forever.
 *
 * Within a resumed run: a top-level For each / Until that was running skips the repetitions (items by
 * index, Until iterations by count) it had finished and runs again only those in flight; variables hold
 * exactly the changes of the work that is not run again (committed-variables.ts), so an append in a
 * repetition that runs again is made once. A top-level Wait waits only for the time left until its
 * saved due time. Loops nested in a loop repetition run again with that repetition.
 *
 * A runtime stop (Ctrl-C, SIGTERM) leaves stateful runs in flight the same way a crash does, Running
 * with their checkpoints (ResumableEngine.suspendStateful), for the next start to resume.
 */

/** Error code of runs that could not continue after a restart. */
export const RUN_INTERRUPTED = 'RunInterruptedByRestart';
/** retryHistory code of the attempt a restart cut short. */
export const ATTEMPT_INTERRUPTED = 'InterruptedByRestart';

/** The engine side of resuming (implemented by createEngine). */
export interface ResumingEngine {
  resume(record: RunRecord, saved: SavedRunState, checkpointsSoFar: number): StartedRun;
  adoptChild(parentRun: { workflow: string; runName: string; action: string }, child: StartedRun): void;
}

export interface ResumeReport {
  /** "workflow/run" of each run that continues. */
  resumed: string[];
  /** "workflow/run" and why, for each run ended as interrupted. */
  ended: Array<{ run: string; reason: string }>;
  /** Resolves when every resumed run has finished. */
  completed: Promise<void>;
}

export interface ResumeOptions {
  engine: ResumingEngine;
  workflows: ReadonlyMap<string, LoadedWorkflow>;
  history: SqliteHistoryStore;
  checkpoints: RunCheckpoints;
  now: () => number;
}

const unfinished = (status: string): boolean => status === 'Running' || status === 'Waiting';

function findWorkflow(workflows: ReadonlyMap<string, LoadedWorkflow>, name: string): LoadedWorkflow | undefined {
  const lower = name.toLowerCase();
  for (const wf of workflows.values()) if (wf.name.toLowerCase() === lower) return wf;
  return undefined;
}

/** Marks actions a restart left Running or Waiting as Cancelled, with the reason, so none stays Running. */
function cancelLeftOverActions(history: SqliteHistoryStore, run: RunRecord, at: string, message: string): void {
  for (const action of history.listActions(run.workflow, run.name)) {
    if (!unfinished(action.status)) continue;
    history.saveAction(run.workflow, run.name, { ...action, status: 'Cancelled', code: 'Cancelled', endTime: at, error: { code: RUN_INTERRUPTED, message } });
  }
}

function endInterrupted(history: SqliteHistoryStore, checkpoints: RunCheckpoints, run: RunRecord, at: string, message: string): void {
  const ended: RunRecord = { ...run, status: 'Failed', code: RUN_INTERRUPTED, endTime: at, error: { code: RUN_INTERRUPTED, message } };
  history.saveRun(ended);
  cancelLeftOverActions(history, run, at, 'The local runtime stopped while this action was running, and the run could not continue.');
  checkpoints.forget(run.workflow, run.name);
}

function whyNot(wf: LoadedWorkflow | undefined, run: RunRecord): string | undefined {
  if (!wf) return `The local runtime stopped while this run was in progress, and the workflow '${run.workflow}' is no longer in the project, so the run could not continue.`;
  if (wf.kind === 'Stateless') {
    return 'The local runtime stopped while this run was in progress. Stateless workflows keep their state in memory only, so the run could not continue: run it again if it is still needed.';
  }
  if (wf.version !== run.version) {
    return `The local runtime stopped while this run was in progress, and workflow.json of '${wf.name}' changed before it started again. The run could not continue on the new definition: check what it had done, then run it again if needed.`;
  }
  return undefined;
}

/**
 * Resumes or ends every run left Running/Waiting. All resumed runs are registered with the engine
 * before any of them executes, so a parent's Workflow action finds its resumed child.
 */
export function resumeInterruptedRuns(opts: ResumeOptions): ResumeReport {
  const at = new Date(opts.now()).toISOString();
  const runs = [...opts.history.listRuns({ status: 'Running' }), ...opts.history.listRuns({ status: 'Waiting' })];
  const report: ResumeReport = { resumed: [], ended: [], completed: Promise.resolve() };
  const plans: Array<{ run: RunRecord; saved: SavedRunState; count: number; inFlight: ActionRecord[] }> = [];
  for (const run of runs) {
    const id = `${run.workflow}/${run.name}`;
    const reason = whyNot(findWorkflow(opts.workflows, run.workflow), run);
    const loaded = reason === undefined ? opts.checkpoints.load(run.workflow, run.name) : undefined;
    if (reason !== undefined || !loaded) {
      const message = reason ?? 'The local runtime stopped while this run was in progress, and the state saved for it could not be read, so the run could not continue: check what it had done, then run it again if needed.';
      endInterrupted(opts.history, opts.checkpoints, run, at, message);
      report.ended.push({ run: id, reason: message });
      continue;
    }
    const done = new Set(loaded.state.results.map((r) => r.name));
    const inFlight = opts.history.listActions(run.workflow, run.name).filter((a) => unfinished(a.status) && !done.has(a.name));
    plans.push({ run, saved: loaded.state, count: loaded.count, inFlight });
  }
  for (const plan of plans) adoptFinishedChildren(opts, plan.run, plan.saved, plan.inFlight);
  const completions: Array<Promise<unknown>> = [];
  for (const plan of plans) {
    const started = opts.engine.resume(plan.run, plan.saved, plan.count);
    report.resumed.push(`${plan.run.workflow}/${plan.run.name}`);
    completions.push(started.completed.then((ended) => {
      // Suspended again by a stop before it finished: the next start deals with it.
      if (!unfinished(ended.status)) noteInterruptedAttempts(opts.history, plan.run, plan.inFlight, at);
    }));
  }
  report.completed = Promise.all(completions).then(() => undefined);
  return report;
}

/**
 * A Workflow action in flight whose child run had already finished (or was just ended as interrupted):
 * when the action runs again it gets that child's answer instead of starting the child a second time.
 * The child is the one the action recorded when it started it (checkpoint.ts ChildLink), whatever
 * client tracking id the child's trigger gave it. Children still running are resumed and found by the
 * engine through their parentRun.
 */
function adoptFinishedChildren(opts: ResumeOptions, run: RunRecord, saved: SavedRunState, inFlight: ActionRecord[]): void {
  const waiting = inFlight.filter((a) => a.type.toLowerCase() === 'workflow');
  if (waiting.length === 0) return;
  const links = new Map(saved.children);
  // Checkpoints written before child links existed: the child carries the parent's client tracking id
  // unless its trigger sets its own.
  const candidates = waiting.some((a) => !links.has(a.name)) ? opts.history.listRuns({ clientTrackingId: run.clientTrackingId }) : [];
  for (const action of waiting) {
    const link = links.get(action.name);
    const child = link
      ? { workflow: link.workflow, name: link.runName }
      : candidates.find((c) => c.parentRun?.runName === run.name && c.parentRun.action === action.name && c.parentRun.workflow.toLowerCase() === run.workflow.toLowerCase());
    const finished = child && opts.history.getRun(child.workflow, child.name);
    if (!finished || unfinished(finished.status)) continue;
    const answer = finished.response
      ? { statusCode: finished.response.statusCode, headers: finished.response.headers ?? {}, body: finished.response.body }
      : { statusCode: 502, headers: { 'Content-Type': 'application/json' }, body: { error: { code: 'NoResponse', message: `The server did not receive a response from an upstream server. Request tracking id '${finished.correlationId}'.` } } };
    opts.engine.adoptChild({ workflow: run.workflow, runName: run.name, action: action.name }, {
      runName: finished.name,
      clientTrackingId: finished.clientTrackingId,
      correlationId: finished.correlationId,
      response: Promise.resolve(answer),
      completed: Promise.resolve(finished),
    });
  }
}

/**
 * Once a resumed run finishes: each action that was in flight at the restart lists the lost attempt
 * first in its retryHistory, and any action record still Running (e.g. inside a loop that ran again
 * with fewer repetitions) is closed as Cancelled.
 */
function noteInterruptedAttempts(history: SqliteHistoryStore, run: RunRecord, inFlight: ActionRecord[], at: string): void {
  try {
    const before = new Map(inFlight.map((a) => [a.name, a]));
    for (const action of history.listActions(run.workflow, run.name)) {
      const lost = before.get(action.name);
      if (lost && !unfinished(action.status) && action.startTime !== lost.startTime) {
        const attempt: RetryAttempt = {
          startTime: lost.startTime,
          endTime: at,
          code: ATTEMPT_INTERRUPTED,
          error: { code: ATTEMPT_INTERRUPTED, message: 'The local runtime stopped during this attempt; the action ran again when it restarted.' },
        };
        history.saveAction(run.workflow, run.name, { ...action, retryHistory: [attempt, ...(action.retryHistory ?? [])] });
      }
    }
    cancelLeftOverActions(history, run, at, 'The local runtime stopped while this action was running; the run continued without it.');
  } catch {
    // The store closed (runtime stopping): the run itself is already recorded.
  }
}
