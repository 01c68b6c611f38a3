import type { IntentId } from '../contract/types.js';
import { combineOutcome } from '../idempotency/combine-outcome.js';
import { parsePreviousAttempt } from '../idempotency/previous-attempt.js';
import { asyncCompletion } from '../inline/async-completion.js';
import type { InlineContext } from '../inline/context.js';
import type { IntentOutcome } from '../inline/outcome.js';
import * as addUserToGroup from './add-user-to-group/summary.js';
import * as licenseAssignment from './license-assignment/summary.js';
import * as mfaReset from './mfa-reset/summary.js';
import * as newUserCreation from './new-user-creation/summary.js';
import * as passwordReset from './password-reset/summary.js';
import * as removeUserFromGroup from './remove-user-from-group/summary.js';
import * as sharedMailboxPermission from './shared-mailbox-permission/summary.js';
import * as userOffboarding from './user-offboarding/summary.js';

/**
 * Which outcome summary /api/intents/{intent}/summary runs for each intent (lib/intents/<id>/summary.ts).
 * Typed by IntentId, so an intent without a summary does not compile. `dependsOn.actions` lists the
 * workflow actions the summary reads: exactly the keys its workflow's `Summarise_<intent>` action sends
 * in `actions` (test/workflows/inline-code.test.ts checks both agree).
 */
export interface IntentSummary {
  main(context: InlineContext): unknown;
  dependsOn: { actions: readonly string[]; includeTrigger: boolean };
  /**
   * The summary reads and returns the one-time password link, so the workflow's Summarise action secures
   * its inputs and outputs (https://learn.microsoft.com/azure/logic-apps/logic-apps-securing-a-logic-app).
   */
  handlesSecret: boolean;
}

export const INTENT_SUMMARIES: Readonly<Record<IntentId, IntentSummary>> = {
  'password-reset': { ...passwordReset, handlesSecret: true },
  'add-user-to-group': { ...addUserToGroup, handlesSecret: false },
  'remove-user-from-group': { ...removeUserFromGroup, handlesSecret: false },
  'license-assignment': { ...licenseAssignment, handlesSecret: false },
  'mfa-reset': { ...mfaReset, handlesSecret: false },
  'new-user-creation': { ...newUserCreation, handlesSecret: true },
  'user-offboarding': { ...userOffboarding, handlesSecret: false },
  'shared-mailbox-permission': { ...sharedMailboxPermission, handlesSecret: false },
};

export function summaryFor(intent: string): IntentSummary | undefined {
  return Object.prototype.hasOwnProperty.call(INTENT_SUMMARIES, intent) ? INTENT_SUMMARIES[intent as IntentId] : undefined;
}

const FINAL_STATUSES: readonly string[] = ['success', 'partial_success', 'failed'];

function isOutcome(value: unknown): value is IntentOutcome & Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  return typeof o.status === 'string' && FINAL_STATUSES.includes(o.status) && typeof o.message === 'string' && Array.isArray(o.steps);
}

/**
 * Runs an intent's summary and, when the request resumes an earlier attempt (the router passes the ledger's
 * `previous` in the child's body, docs/workflow-design.md "Resuming a request"), answers with the combined
 * outcome: what earlier runs did plus what this run did (lib/idempotency/combine-outcome.ts). Done here once
 * for every intent, so no summary needs to know about earlier attempts.
 */
export function summarise(summary: IntentSummary, context: InlineContext): unknown {
  const outcome = summary.main(context);
  const request = context.trigger?.outputs?.body;
  const previous = typeof request === 'object' && request !== null ? parsePreviousAttempt((request as Record<string, unknown>).previous) : undefined;
  if (!previous || !isOutcome(outcome)) return outcome;
  const { doneEarlier: _doneEarlier, ...combined } = combineOutcome(previous, outcome);
  // A child that answered `accepted` records (and mails) the final answer itself: that answer is combined too.
  const early = typeof outcome.async === 'object' && outcome.async !== null;
  return { ...outcome, ...combined, ...(early ? { async: asyncCompletion(context, request as Record<string, unknown>, combined) } : {}) };
}
