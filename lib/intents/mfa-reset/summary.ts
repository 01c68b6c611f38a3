import type { MfaResetPlan, PlannedMethodRemoval } from './plan-types.js';
import { failureFromAction } from '../../inline/action-failure.js';
import { type ActionResultLike, type InlineContext, asString, bodyOf, isRecord, ranAction, succeeded } from '../../inline/context.js';
import type { IntentOutcome, OutcomeError, Step } from '../../inline/outcome.js';
import { statusFromSteps } from '../../inline/outcome.js';
import { failedMessage, nextStep } from '../shared/next-step.js';
import { authenticationMethodSegment } from '../../lookups/requests.js';

/** Action names of workflows/mfa-reset that this summary reads. */
export const MFA_RESET_ACTIONS = {
  plan: 'Plan_mfa_reset',
  collect: 'Collect_delete_results',
  revoke: 'Revoke_sign_in_sessions',
  /** Inside For_each_method (read through Collect_delete_results). */
  delete: 'Delete_authentication_method',
  /** Inside For_each_default_method: the second try of methods Graph refused as the default. */
  deleteDefault: 'Delete_default_method',
} as const;

export const dependsOn = { actions: [MFA_RESET_ACTIONS.plan, MFA_RESET_ACTIONS.collect, MFA_RESET_ACTIONS.revoke], includeTrigger: true };

/**
 * MFA-reset `Summarise_mfa_reset`: one step per planned method (matched to its DELETE by the URI,
 * never by position), then the session revocation. Some methods removed and some not →
 * partial_success (never success), so the router notifies the MSP.
 */
const DEFAULT_METHOD = 'default method';

function readPlan(context: InlineContext): MfaResetPlan | undefined {
  const body = bodyOf(ranAction(context, MFA_RESET_ACTIONS.plan));
  return isRecord(body) && isRecord(body.plan) ? (body.plan as unknown as MfaResetPlan) : undefined;
}

function isDryRun(context: InlineContext): boolean {
  const request = context.trigger?.outputs?.body;
  return isRecord(request) && request.dryRun === true;
}

function who(plan: MfaResetPlan): string {
  return plan.user.displayName ? `${plan.user.displayName} (${plan.user.userPrincipalName})` : plan.user.userPrincipalName;
}

/** Every repetition of both delete loops, as gathered by the Compose action. */
function deleteResults(context: InlineContext): { first: ActionResultLike[]; retried: ActionResultLike[] } {
  // A Compose action's outputs are its value itself (no statusCode/body envelope).
  const body = ranAction(context, MFA_RESET_ACTIONS.collect)?.outputs as unknown;
  const list = (v: unknown): ActionResultLike[] => (Array.isArray(v) ? v.filter(isRecord) : []) as ActionResultLike[];
  return isRecord(body) ? { first: list(body.first), retried: list(body.retried) } : { first: [], retried: [] };
}

/** The DELETE of `method` among `results`: its URI ends with /authentication/{segment}/{id}. */
export function findDelete(results: readonly ActionResultLike[], actionName: string, method: PlannedMethodRemoval): ActionResultLike | undefined {
  const tail = authenticationMethodSegment(method.segment, method.id);
  return results.find((r) => {
    if (r.name !== undefined && r.name !== actionName) return false;
    const uri = isRecord(r.inputs) ? String(r.inputs.uri ?? '') : '';
    return uri.toLowerCase().endsWith(tail);
  });
}

function graphMessage(action: ActionResultLike | undefined): string {
  const body = bodyOf(action);
  return isRecord(body) && isRecord(body.error) ? (asString(body.error.message) ?? '') : '';
}

function refusedAsDefault(action: ActionResultLike | undefined): boolean {
  return action?.outputs?.statusCode === 400 && graphMessage(action).toLowerCase().includes(DEFAULT_METHOD);
}

function methodOutcome(first: ActionResultLike | undefined, retried: ActionResultLike | undefined, method: PlannedMethodRemoval, userUpn: string): { step: Step; error?: OutcomeError } {
  const name = method.step;
  const status = String(first?.status ?? '').toLowerCase();
  if (!first || status === '' || status === 'skipped') {
    // Planned but not attempted: the method is still registered, which the requester must know.
    const error: OutcomeError = {
      code: 'internal',
      message: `Removing ${method.label} was not attempted.`,
      fix: 'Open the run in the run history to see why the delete did not run, then send the request again (methods already removed are not listed again).',
      step: name,
      retryable: true,
    };
    return { step: { name, status: 'failed', detail: error.message }, error };
  }
  if (succeeded(first)) return { step: { name, status: 'succeeded', detail: `Removed ${method.label}.` } };
  // Someone (or an earlier delivery) removed it since the plan listed it: the requested state holds.
  if (first.outputs?.statusCode === 404) return { step: { name, status: 'already_done', detail: `${method.label} was already removed.` } };
  if (refusedAsDefault(first) && succeeded(retried)) {
    return { step: { name, status: 'succeeded', detail: `Removed ${method.label} last: it was the user's default method.` } };
  }
  const last = refusedAsDefault(first) && retried ? retried : first;
  const error = failureFromAction(last, name, `Removing ${method.label} of ${userUpn}`);
  if (refusedAsDefault(last)) {
    error.message = `${method.label} is the user's default sign-in method and Microsoft Graph will not remove it while other methods remain.`;
    error.fix = 'Have the user pick another default method at https://mysignins.microsoft.com/security-info (or remove the remaining methods in the Microsoft Entra admin center), then send the request again.';
  }
  return { step: { name, status: 'failed', detail: error.message }, error };
}

function revokeStep(context: InlineContext, plan: MfaResetPlan, anyRemoved: boolean): { step: Step; error?: OutcomeError } {
  const name = `revoke_sessions:${plan.user.userPrincipalName}`;
  const action = ranAction(context, MFA_RESET_ACTIONS.revoke);
  if (succeeded(action)) return { step: { name, status: 'succeeded', detail: 'Signed out of every session; the next sign-in asks to register MFA again.' } };
  if (!action) return { step: { name, status: 'skipped', detail: anyRemoved ? 'Did not run.' : 'Nothing was removed, so sessions were left alone.' } };
  const error = failureFromAction(action, name, `Revoking the sign-in sessions of ${plan.user.userPrincipalName}`);
  return { step: { name, status: 'failed', detail: error.message }, error };
}

function planStep(plan: MfaResetPlan): Step {
  const scope = plan.method === 'All' ? 'method' : `${plan.method} method`;
  return {
    name: 'plan',
    status: 'succeeded',
    detail: `Resolved ${who(plan)} (not an administrator); ${plan.methods.length} registered ${scope}${plan.methods.length === 1 ? '' : 's'} to remove.${plan.notes.length ? ` ${plan.notes.join(' ')}` : ''}`,
  };
}

function notRemovableSteps(plan: MfaResetPlan): Step[] {
  return plan.notRemovable.map((m) => ({ name: `remove_method:${m.type}`, status: 'skipped' as const, detail: `Microsoft Graph cannot remove ${m.type} methods; remove it in the Microsoft Entra admin center.` }));
}

function resultOf(plan: MfaResetPlan, removed: string[], notRemoved: string[], alreadyRemoved: string[], revoked: boolean): Record<string, unknown> {
  return { user: plan.user.userPrincipalName, user_id: plan.user.id, method: plan.method, removed, not_removed: notRemoved, already_removed: alreadyRemoved, sessions_revoked: revoked };
}

function nothingToRemove(plan: MfaResetPlan, dryRun: boolean): IntentOutcome {
  const kind = plan.method === 'All' ? 'MFA methods (other than the password)' : `${plan.method} methods`;
  const has = plan.registered.length ? ` Registered: ${plan.registered.join(', ')}.` : '';
  return {
    status: 'success',
    message: `${who(plan)} has no ${kind} registered, so there was nothing to remove.${has} Nothing was changed.`,
    steps: [planStep(plan), ...notRemovableSteps(plan)],
    result: { ...resultOf(plan, [], [], [], false), ...(dryRun ? { dry_run: true } : {}) },
  };
}

export function main(context: InlineContext): IntentOutcome {
  const planAction = ranAction(context, MFA_RESET_ACTIONS.plan);
  const plan = readPlan(context);
  if (!succeeded(planAction) || !plan) {
    const error = failureFromAction(planAction, 'plan', 'Checking the user and their MFA methods');
    return { status: 'failed', message: failedMessage(error, 'No MFA method was removed.'), steps: [{ name: 'plan', status: 'failed', detail: error.message }], result: {}, error };
  }
  const dryRun = isDryRun(context);
  if (plan.methods.length === 0 && plan.revokeForEarlierRemovals !== true) return nothingToRemove(plan, dryRun);
  if (plan.methods.length === 0) {
    // A resend: an earlier attempt removed the methods but did not sign the user out; only that is done now.
    const revoke = revokeStep(context, plan, true);
    const status = statusFromSteps([revoke.step]);
    const message =
      status === 'success'
        ? `Signed ${who(plan)} out everywhere; they will be asked to register MFA again at next sign-in.`
        : `${revoke.error?.message ?? 'Revoking the sign-in sessions failed.'}${nextStep(revoke.error)}`;
    return { status, message, steps: [planStep(plan), revoke.step], result: resultOf(plan, [], [], [], status === 'success'), ...(revoke.error ? { error: revoke.error } : {}) };
  }
  if (dryRun) {
    const steps: Step[] = [planStep(plan), ...plan.changes.map((c) => ({ name: c.step === 'revoke_sessions' ? `revoke_sessions:${plan.user.userPrincipalName}` : c.step, status: 'planned' as const, detail: c.description })), ...notRemovableSteps(plan)];
    return {
      status: 'success',
      message: `Dry run: ${plan.methods.length} MFA method${plan.methods.length === 1 ? '' : 's'} of ${who(plan)} would be removed (${plan.methods.map((m) => m.label).join(', ')}) and their sessions revoked. Nothing was changed.`,
      steps,
      result: { ...resultOf(plan, [], [], [], false), dry_run: true, planned_changes: plan.changes },
    };
  }

  const { first, retried } = deleteResults(context);
  const outcomes = plan.methods.map((m) =>
    methodOutcome(findDelete(first, MFA_RESET_ACTIONS.delete, m), findDelete(retried, MFA_RESET_ACTIONS.deleteDefault, m), m, plan.user.userPrincipalName),
  );
  const removed = plan.methods.filter((_, i) => outcomes[i]?.step.status === 'succeeded').map((m) => m.label);
  const already = plan.methods.filter((_, i) => outcomes[i]?.step.status === 'already_done').map((m) => m.label);
  const notRemoved = plan.methods.filter((_, i) => outcomes[i]?.step.status === 'failed' || outcomes[i]?.step.status === 'skipped').map((m) => m.label);
  const revoke = revokeStep(context, plan, removed.length > 0);
  const writes = [...outcomes.map((o) => o.step), revoke.step];
  const status = statusFromSteps(writes);
  const steps = [planStep(plan), ...writes, ...notRemovableSteps(plan)];
  const result = resultOf(plan, removed, notRemoved, already, revoke.step.status === 'succeeded');
  const error = outcomes.find((o) => o.error)?.error ?? revoke.error;
  const signedOut = revoke.step.status === 'succeeded' ? ' and signed them out everywhere' : '';
  const total = plan.methods.length;

  if (status === 'success') {
    const count = removed.length + already.length;
    return {
      status,
      message: `Removed ${count} of ${total} MFA method${total === 1 ? '' : 's'} of ${who(plan)} (${[...removed, ...already].join(', ')})${signedOut}; they will be asked to register MFA again at next sign-in.${plan.notes.length ? ` ${plan.notes.join(' ')}` : ''}`,
      steps,
      result,
    };
  }
  const failedPart = notRemoved.length ? ` Not removed: ${notRemoved.join(', ')}.` : '';
  const message =
    (status === 'partial_success'
      ? `Removed ${removed.length + already.length} of ${total} MFA methods of ${who(plan)}${signedOut}.${failedPart} ${error?.message ?? ''}`.trim()
      : `${error?.message ?? 'Removing the MFA methods failed.'} No MFA method of ${who(plan)} was removed.`) + nextStep(error);
  return { status, message, steps, result, ...(error ? { error } : {}) };
}
