import { ActionFailure } from '../errors.js';
import { unitToMs } from '../durations.js';
import type { ActionExecutor } from './types.js';

/** Wait (Delay / Delay until): sleeps on the runtime clock, which tests scale down. */
export const wait: ActionExecutor = async (ctx) => {
  const inputs = (ctx.evaluateInputs() ?? {}) as { interval?: { count?: unknown; unit?: unknown }; until?: { timestamp?: unknown } };
  let ms: number;
  if (inputs.interval) {
    const unit = unitToMs(String(inputs.interval.unit ?? ''));
    const count = Number(inputs.interval.count);
    if (unit === undefined || !Number.isFinite(count) || count < 0) {
      throw new ActionFailure('InvalidTemplate', `The 'interval' of action '${ctx.action.name}' needs a non-negative 'count' and a 'unit' of Second, Minute, Hour, Day, Week or Month.`);
    }
    ms = count * unit;
  } else if (inputs.until) {
    const at = Date.parse(String(inputs.until.timestamp ?? ''));
    if (Number.isNaN(at)) throw new ActionFailure('InvalidTemplate', `The 'until.timestamp' of action '${ctx.action.name}' is not a valid date and time.`);
    ms = Math.max(0, at - ctx.run.shared.services.clock.now());
  } else {
    throw new ActionFailure('InvalidTemplate', `The action '${ctx.action.name}' needs either 'interval' or 'until'.`);
  }
  // The due time is saved when the wait starts, so a Wait that a restart interrupted waits only for
  // the time left (../resume.ts), not its whole delay again. (A time-scaled test clock counts the real
  // time that passed as unscaled.)
  const { run, action, frame } = ctx;
  const now = run.shared.services.clock.now();
  const due = run.restoredWaits.get(action.name) ?? now + ms;
  if (frame.parent === undefined) {
    run.restoredWaits.delete(action.name);
    run.shared.checkpoints?.waitStarted(run, frame, action.name, due);
  }
  await run.shared.services.clock.sleep(Math.max(0, due - now), ctx.signal);
  return { code: 'OK', inputs };
};
