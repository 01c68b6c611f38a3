import { type IntentOutcome, type OutcomeStatus, type Step } from '../inline/outcome.js';
import { READ_ONLY_STEPS, type DoneStep, type PreviousAttempt } from './previous-attempt.js';
import { formatUtc } from './utc-time.js';

/**
 * The answer to a resumed request: what earlier attempts did plus what this one did (issue 11, "exactly once
 * per step"). Pure, so the router's inline code and the helpers can both use it.
 *
 * - Steps: every earlier change this attempt did not redo (marked "Done earlier (run …, time UTC)"), then this
 *   attempt's steps. A step this attempt skipped, or found already in place, because it was done earlier shows as
 *   the earlier change; a step this attempt made again or failed shows as now.
 * - Status: failures come only from this attempt. No failure now → success; a failure now with any change made
 *   (earlier or now) → partial_success; otherwise failed.
 * - Message: "Done earlier (run …, 2026-12-06 10:42 UTC): …. Done now: <this attempt's message>", preceded by a
 *   note when the earlier run stopped without answering (it recorded nothing, so everything was looked up again).
 */
export interface CombinedOutcome extends IntentOutcome {
  /** The earlier changes this attempt relied on (not redone), oldest first. */
  doneEarlier: DoneStep[];
}

function sentence(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

function earlierStep(step: DoneStep): Step {
  const when = `Done earlier (run ${step.runId}, ${formatUtc(step.at)})`;
  return { name: step.name, status: step.status, detail: step.detail ? `${when}: ${step.detail}` : `${when}.` };
}

/** "Done earlier (run A, time): x; y. Done earlier (run B, time): z." — one group per run, oldest first. */
function earlierSummary(steps: readonly DoneStep[]): string {
  const groups = new Map<string, DoneStep[]>();
  for (const step of steps) groups.set(step.runId, [...(groups.get(step.runId) ?? []), step]);
  return [...groups.entries()]
    .map(([runId, done]) => {
      const at = done[0]?.at ?? '';
      return `Done earlier (run ${runId}, ${formatUtc(at)}): ${done.map((s) => sentence(s.detail ?? s.name)).join('; ')}.`;
    })
    .join(' ');
}

/**
 * A run that stopped without answering recorded nothing, so this attempt looked everything up again: say so,
 * with what the run history showed, so the technician knows why the request ran a second time.
 */
function interruptionNote(previous: PreviousAttempt): string {
  const shown = previous.runStatus && previous.runStatus !== 'NotFound' ? ` (${previous.runStatus} in the run history)` : '';
  return `Run ${previous.runId} stopped without answering${shown}; this run checked the tenant again and carried out only what was still missing.`;
}

export function combineOutcome(previous: PreviousAttempt | null | undefined, current: IntentOutcome): CombinedOutcome {
  const earlierDone = previous?.completedSteps ?? [];
  const now = new Map(current.steps.map((s) => [s.name, s]));
  // An earlier change stands unless this attempt made it again or failed it now. A fresh look-up that finds the
  // change in place (already_done now) is that earlier change seen again, so the earlier record (who, when) wins.
  const doneEarlier = earlierDone.filter((e) => {
    const again = now.get(e.name);
    return again === undefined || again.status === 'skipped' || again.status === 'planned' || again.status === 'already_done';
  });
  const replaced = new Set(doneEarlier.map((e) => e.name));
  const currentSteps = current.steps.filter((s) => !(replaced.has(s.name) && (s.status === 'skipped' || s.status === 'planned' || s.status === 'already_done')));
  const steps = [...doneEarlier.map(earlierStep), ...currentSteps];

  const failedNow = current.status !== 'success' || currentSteps.some((s) => s.status === 'failed');
  const madeNow = currentSteps.some((s) => (s.status === 'succeeded' || s.status === 'already_done') && !READ_ONLY_STEPS.has(s.name));
  const status: OutcomeStatus = !failedNow ? 'success' : doneEarlier.length > 0 || madeNow ? 'partial_success' : 'failed';

  const nowText = current.message.trim() === '' ? 'nothing else was needed.' : current.message.trim();
  const combined = doneEarlier.length === 0 ? current.message : `${earlierSummary(doneEarlier)} Done now: ${nowText}`;
  const message = previous?.status === 'interrupted' ? `${interruptionNote(previous)} ${combined}`.trim() : combined;
  return {
    status,
    message,
    steps,
    result: current.result,
    ...(current.error && failedNow ? { error: current.error } : {}),
    doneEarlier,
  };
}
