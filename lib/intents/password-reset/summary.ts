import type { PasswordResetPlan } from './plan-types.js';
import { failureFromAction } from '../../inline/action-failure.js';
import { type InlineContext, asString, bodyOf, isRecord, ranAction, succeeded } from '../../inline/context.js';
import type { IntentOutcome, Step } from '../../inline/outcome.js';
import { statusFromSteps } from '../../inline/outcome.js';
import { formatUtc } from '../../idempotency/utc-time.js';
import { failedMessage } from '../shared/next-step.js';

/** Action names of workflows/password-reset that this summary reads. */
export const PASSWORD_RESET_ACTIONS = {
  plan: 'Plan_password_reset',
  prepare: 'Prepare_temporary_password',
  setPassword: 'Set_password_via_Graph',
  revokeLink: 'Revoke_password_link',
} as const;

/** Actions this code reads (JavaScriptCode `explicitDependencies`). */
export const dependsOn = { actions: Object.values(PASSWORD_RESET_ACTIONS), includeTrigger: true };

/**
 * Password-reset `Summarise_password_reset`: the child's outcome from what its actions did.
 * Reads the one-time link (url + expiry) from the secure prepare step but never the password:
 * the link reaches the requester only through `result.password_link`.
 */
function readPlan(context: InlineContext): PasswordResetPlan | undefined {
  const body = bodyOf(ranAction(context, PASSWORD_RESET_ACTIONS.plan));
  return isRecord(body) && isRecord(body.plan) ? (body.plan as unknown as PasswordResetPlan) : undefined;
}

function isDryRun(context: InlineContext): boolean {
  const request = context.trigger?.outputs?.body;
  return isRecord(request) && request.dryRun === true;
}

function readLink(context: InlineContext): { url: string; expiresAt: string } | undefined {
  const body = bodyOf(ranAction(context, PASSWORD_RESET_ACTIONS.prepare));
  const link = isRecord(body) && isRecord(body.link) ? body.link : undefined;
  const url = asString(link?.url);
  const expiresAt = asString(link?.expiresAt);
  return url && expiresAt ? { url, expiresAt } : undefined;
}

function who(plan: PasswordResetPlan): string {
  return plan.user.displayName ? `${plan.user.displayName} (${plan.user.userPrincipalName})` : plan.user.userPrincipalName;
}

export function main(context: InlineContext): IntentOutcome {
  const planAction = ranAction(context, PASSWORD_RESET_ACTIONS.plan);
  const plan = readPlan(context);
  if (!succeeded(planAction) || !plan) {
    const error = failureFromAction(planAction, 'plan', 'Checking the user');
    return {
      status: 'failed',
      message: failedMessage(error, 'The password was not changed.'),
      steps: [{ name: 'plan', status: 'failed', detail: error.message }],
      result: {},
      error,
    };
  }

  const target = plan.user.userPrincipalName;
  const setStep = `set_password:${target}`;
  const planStep: Step = {
    name: 'plan',
    status: 'succeeded',
    detail: `Resolved ${who(plan)}; not an administrator, cloud-managed.${plan.notes.length ? ` ${plan.notes.join(' ')}` : ''}`,
  };
  const force = plan.forceChangeOnLogin ? 'must' : 'will not have to';
  const baseResult = {
    user: target,
    user_id: plan.user.id,
    force_change_on_login: plan.forceChangeOnLogin,
    password_source: plan.passwordSource,
  };

  if (isDryRun(context)) {
    return {
      status: 'success',
      message: `Dry run: the password of ${who(plan)} would be reset (${plan.passwordSource === 'supplied' ? 'to the supplied password' : 'to a generated password delivered by one-time link'}); the user ${force} choose a new one at next sign-in. Nothing was changed.`,
      steps: [planStep, { name: setStep, status: 'planned', detail: plan.changes[0]?.description ?? 'Set a new password' }],
      result: { ...baseResult, dry_run: true, planned_changes: plan.changes },
    };
  }

  const prepare = ranAction(context, PASSWORD_RESET_ACTIONS.prepare);
  const link = readLink(context);
  if (!succeeded(prepare) || !link) {
    const error = failureFromAction(prepare, 'prepare_password', 'Preparing the temporary password');
    const steps: Step[] = [planStep, { name: 'prepare_password', status: 'failed', detail: error.message }, { name: setStep, status: 'skipped' }];
    // The plan step is read-only, so nothing was changed: failed, not partial.
    return { status: 'failed', message: failedMessage(error, 'The password was not changed.'), steps, result: baseResult, error };
  }

  const prepareStep: Step = {
    name: 'prepare_password',
    status: 'succeeded',
    detail: `${plan.passwordSource === 'supplied' ? 'Supplied' : 'Generated'} password stored behind a one-time link (expires ${formatUtc(link.expiresAt)}).`,
  };
  const setAction = ranAction(context, PASSWORD_RESET_ACTIONS.setPassword);
  if (!succeeded(setAction)) {
    const error = failureFromAction(setAction, setStep, `Setting the password of ${target}`);
    const revoke = ranAction(context, PASSWORD_RESET_ACTIONS.revokeLink);
    const steps: Step[] = [
      planStep,
      prepareStep,
      { name: setStep, status: 'failed', detail: error.message },
      succeeded(revoke)
        ? { name: 'revoke_link', status: 'succeeded', detail: 'The unused one-time link was revoked.' }
        : { name: 'revoke_link', status: 'failed', detail: `The unused one-time link could not be revoked; it stops working at ${formatUtc(link.expiresAt)} and reveals a password that was never set.` },
    ];
    // Only the write matters for the overall status: a reset that did not happen is a failure.
    return { status: 'failed', message: failedMessage(error, 'The password was not changed.'), steps, result: baseResult, error };
  }

  const steps: Step[] = [
    planStep,
    prepareStep,
    { name: setStep, status: 'succeeded', detail: `Password set; the user ${force} change it at next sign-in.` },
  ];
  return {
    status: statusFromSteps(steps),
    message:
      `The password of ${who(plan)} was reset. The requester gets it through the one-time link in this answer: ` +
      `send them the link (it works once, until ${formatUtc(link.expiresAt)}); the user ${force} choose a new password at next sign-in. ` +
      'If the link expires or is lost before it is opened, send a new Password Reset on a new ticket.',
    steps,
    result: { ...baseResult, password_link: link.url, password_link_expires_at: link.expiresAt },
  };
}
