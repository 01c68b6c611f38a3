import type { IntentId } from '../contract/types.js';
import type { InlineContext } from '../inline/context.js';
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
