import type { OutcomeError, Problem } from './outcome.js';

/**
 * Wording of the router's own answers (the ones no child workflow words): a rejected request, a step of
 * the router that failed before anything was done, an intent this installation does not carry out, and a
 * child that ended without an outcome. Each says what was done (nothing, or maybe something), and ends with
 * what the technician does next. Pure, for lib/inline/build-response.ts (compiled into inline code).
 */

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** 400/413: the validator's problems; the first one is named, and its fix is the next step. */
export function rejectedMessage(problems: readonly Problem[]): string {
  const first = problems[0];
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  const named = first ? ` (${first.path ? `${first.path}: ` : ''}${first.message.replace(/\.$/, '')})` : '';
  const more = problems.length > 1 ? ' Fix every problem listed in problems,' : first ? ` ${sentence(first.fix).replace(/\.$/, ',')}` : ' Correct the request,';
  return `The request was rejected: ${count}${named}. Nothing was changed. Next:${more} then send the request again.`;
}

/** A router step (validation service, idempotency ledger) failed before the request was started. */
export function notStartedMessage(error: OutcomeError): string {
  return `${sentence(error.message)} The request was not started, so nothing was changed. Next: ${sentence(error.fix)}`;
}

/** A recognised intent that no workflow of this installation carries out. */
export function notSupportedMessage(intentName: string): string {
  return `"${intentName}" is recognised but not carried out by this installation, so nothing was changed. Next: handle this ticket by hand, or deploy the version of thread-intent-runner that adds this intent.`;
}

/** The child workflow ended without an outcome: some of its changes may have been made. */
export function noOutcomeMessage(error: OutcomeError, workflow: string): string {
  return (
    `${sentence(error.message)} The ${workflow} workflow ended without reporting an outcome, so some changes may or may not have been made. ` +
    'Next: open its run in the run history to see which steps ran, then send the request again (steps already done are not repeated).'
  );
}
