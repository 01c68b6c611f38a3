import type { ActionStatus } from '../../model.js';
import { field } from '../compile.js';
import { parseDuration } from '../durations.js';
import { ActionFailure } from '../errors.js';
import { Frame, type ActionResultView } from '../frame.js';
import { containerOutcome } from './container-outcome.js';
import { saveLoopIteration } from './loop-repetition.js';
import type { ActionExecutor } from './types.js';

/**
 * Until: runs its body, then checks `expression`; stops when it is true, after limit.count
 * iterations (default 60, Succeeded) or when limit.timeout (default PT1H, on the runtime clock)
 * has passed (TimedOut). A failing iteration does not end the loop: the expression is checked and the
 * next iteration runs; the loop is Failed only when its last iteration failed (undocumented: observed on
 * the real host as such).
 */
export const until: ActionExecutor = async (ctx) => {
  const { action, run } = ctx;
  const limit = (action.def.limit ?? {}) as { count?: unknown; timeout?: unknown };
  const count = limit.count === undefined ? 60 : Number(limit.count);
  const max = run.loopLimits.untilCount;
  if (!Number.isInteger(count) || count < 1 || count > max) {
    throw new ActionFailure('InvalidTemplate', `The 'limit.count' of action '${action.name}' must be an integer between 1 and ${max}.`);
  }
  const timeoutMs = limit.timeout === undefined ? 3_600_000 : parseDuration(limit.timeout);
  if (timeoutMs === undefined) throw new ActionFailure('InvalidTemplate', `The 'limit.timeout' of action '${action.name}' is not an ISO 8601 duration.`);
  let timedOut = false;
  const timer = new AbortController();
  run.shared.services.clock.sleep(timeoutMs, timer.signal).then(() => { timedOut = true; }, () => undefined);
  const children = action.children;
  const all: ActionResultView[] = [];
  let iterations = 0;
  let last: ActionStatus = 'Succeeded';
  // A resumed run does not repeat the iterations (by count) a top-level Until finished before the
  // restart; the one in flight runs again (../resume.ts).
  const restored = ctx.frame.parent === undefined ? run.restoredRepetitions.get(action.name) : undefined;
  const lastRestored = restored ? Math.max(...restored.keys()) : -1;
  try {
    while (!run.stopped && !ctx.signal.aborted) {
      const index = iterations;
      const frame = new Frame(ctx.frame, { name: action.name, item: undefined, index, until: true });
      iterations++;
      const saved = restored?.get(index);
      let status: ActionStatus;
      if (saved) {
        for (const r of saved.results) frame.results.set(r.name, r);
        status = saved.status;
      } else {
        const startTime = run.now();
        status = children ? await ctx.runGraph(children, frame) : 'Succeeded';
        if (run.suspended) break;
        saveLoopIteration(run, action.name, frame, status, startTime);
        run.shared.checkpoints?.repetitionFinished(run, action.name, index, frame, status);
      }
      for (const [k, v] of frame.results) ctx.frame.results.set(k, v);
      if (children) for (const n of children.actions.keys()) { const r = frame.results.get(n); if (r) all.push(r); }
      run.scopeResults.set(action.name, all);
      last = status;
      // A later iteration was saved too, so this one's check said "go on" (variables now hold later values).
      if (saved && index < lastRestored) continue;
      if (run.stopped || ctx.signal.aborted) break;
      const done = ctx.evaluate(field(action, 'expression'), 'expression');
      if (done === true) break;
      if (iterations >= count) break;
      if (timedOut) return containerOutcome('TimedOut', { iterationCount: iterations });
    }
  } finally {
    timer.abort();
  }
  return containerOutcome(last === 'Succeeded' || last === 'Skipped' ? 'Succeeded' : last, { iterationCount: iterations });
};
