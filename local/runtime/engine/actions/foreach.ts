import type { ActionStatus } from '../../model.js';
import { field } from '../compile.js';
import { ActionFailure } from '../errors.js';
import { Frame, type ActionResultView } from '../frame.js';
import { containerOutcome } from './container-outcome.js';
import { saveLoopIteration } from './loop-repetition.js';
import type { ActionExecutor } from './types.js';
import { azureTypeName } from './variable-types.js';

function degreeOfParallelism(def: Record<string, unknown>, sequential: boolean, hostDefault: number): number {
  if (sequential) return 1;
  const rc = def.runtimeConfiguration as { concurrency?: { repetitions?: unknown } } | undefined;
  const n = Number(rc?.concurrency?.repetitions);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 50) : hostDefault;
}

/**
 * Foreach: one repetition per item, up to runtimeConfiguration.concurrency.repetitions at a time
 * (host default 20; 1 with operationOptions "Sequential" or inside another Foreach). Each repetition has its own frame so
 * item() and inner actions() are per repetition; afterwards the last repetition's results stay visible.
 */
export const foreach: ActionExecutor = async (ctx) => {
  const { action, run } = ctx;
  const items = ctx.evaluate(field(action, 'foreach'), 'foreach');
  if (!Array.isArray(items)) {
    throw new ActionFailure(
      'InvalidTemplate',
      `The execution of template action '${action.name}' failed: the result of the evaluation of 'foreach' expression '${String(action.def.foreach)}' is of type '${azureTypeName(items)}'. The result must be a valid array.`,
    );
  }
  const limit = run.loopLimits.foreachItems;
  if (items.length > limit) {
    throw new ActionFailure('InvalidTemplate', `The 'foreach' of action '${action.name}' has ${items.length} items, more than the limit of ${limit}.`);
  }
  ctx.noteInputs(undefined);
  const children = action.children;
  if (!children) return containerOutcome('Succeeded', { repetitionCount: items.length });
  // "A nested For each action always runs sequentially."
  // (https://learn.microsoft.com/azure/logic-apps/logic-apps-control-flow-loops#for-each-loop-considerations)
  const nested = ctx.frame.findLoop() !== undefined;
  const parallel = degreeOfParallelism(action.def, nested || action.operationOptions.has('sequential'), run.shared.limits.foreachDegreeOfParallelism);
  const statuses: ActionStatus[] = new Array<ActionStatus>(items.length);
  const perRepetition: ActionResultView[][] = new Array<ActionResultView[]>(items.length);
  let lastFrame: Frame | undefined;
  let next = 0;
  // A resumed run does not repeat the repetitions (by item index) a top-level loop finished before the
  // restart; sequential or concurrent, only those that were in flight run again (../resume.ts).
  const restored = ctx.frame.parent === undefined ? run.restoredRepetitions.get(action.name) : undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !run.stopped && !ctx.signal.aborted) {
      const index = next++;
      const frame = new Frame(ctx.frame, { name: action.name, item: items[index], index });
      const saved = restored?.get(index);
      if (saved) {
        for (const r of saved.results) frame.results.set(r.name, r);
        statuses[index] = saved.status;
      } else {
        const startTime = run.now();
        statuses[index] = await ctx.runGraph(children, frame);
        if (run.suspended) return;
        saveLoopIteration(run, action.name, frame, statuses[index] ?? 'Succeeded', startTime);
        run.shared.checkpoints?.repetitionFinished(run, action.name, index, frame, statuses[index] ?? 'Succeeded');
      }
      perRepetition[index] = [...children.actions.keys()].flatMap((n) => frame.results.get(n) ?? []);
      lastFrame = frame;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  if (lastFrame) for (const [k, v] of lastFrame.results) ctx.frame.results.set(k, v);
  run.scopeResults.set(action.name, perRepetition.flat());
  const failed = statuses.some((s) => s === 'Failed');
  return containerOutcome(failed ? 'Failed' : 'Succeeded', { repetitionCount: items.length });
};
