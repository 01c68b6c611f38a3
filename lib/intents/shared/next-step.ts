import type { OutcomeError } from '../../inline/outcome.js';

/**
 * The closing sentence of an answer that did not fully succeed: what the technician does next. The
 * error's `fix` already says it for the one step that failed; an answer without an error points at the
 * run history. Said once, at the end, so a technician who reads only the message still knows what to do.
 */
export const RUN_HISTORY_NEXT = 'Open the run in the run history to see which step did not finish and why, then send the request again.';

export function nextStep(error: OutcomeError | undefined, fallback: string = RUN_HISTORY_NEXT): string {
  const fix = error?.fix.trim() || fallback;
  return ` Next: ${/[.!?]$/.test(fix) ? fix : `${fix}.`}`;
}

/** The error's own message already says that nothing changed (e.g. the msp address check, a refused request). */
const SAYS_NOTHING_CHANGED = /\b(nothing was changed|was not changed|no \w+( \w+)? was (changed|created|removed))\b/i;

/**
 * A failed answer: the error's message, what was not changed (unless the message already says so, which would read
 * twice), and what to do next.
 */
export function failedMessage(error: OutcomeError, notChanged: string): string {
  const said = SAYS_NOTHING_CHANGED.test(error.message);
  return `${error.message}${said ? '' : ` ${notChanged}`}${nextStep(error)}`;
}
