import { AppError } from '../../errors/app-error.js';
import { doneEarlier, type PreviousAttempt } from '../../idempotency/previous-attempt.js';
import { formatUtc } from '../../idempotency/utc-time.js';
import type { GraphClient } from '../../graph/client.js';
import { resolveUserWithPrivileges, type ResolvedUser } from '../../lookups/index.js';
import type { PasswordResetPlan } from './plan-types.js';

export type { PasswordResetPlan } from './plan-types.js';

/**
 * Plans a password reset with read-only look-ups: which user, whether automation may reset them,
 * and what will be written. Refusals are AppErrors (`refused`, 422) whose message says why and whose
 * fix says what a technician does instead, so the workflow never attempts a write Graph would
 * reject (admins: 403 Authorization_RequestDenied; synced users: "on-premises mastered" 400).
 */
export interface PasswordResetPlanInput {
  userEmail: string;
  forceChangeOnLogin: boolean;
  /** Whether the request carries its own temporary password (the password itself never comes here). */
  passwordSupplied: boolean;
  /**
   * What earlier attempts at this request did (the ledger's `previous`). A resend always sets a new password:
   * a password is only useful with its one-time link, and the ledger never keeps the link (it is redacted), so
   * an earlier password can never be delivered again. The plan says so in its notes.
   */
  previous?: PreviousAttempt | undefined;
}

/** Why a resumed reset sets a password again, for the plan step (docs/workflow-design.md "Resuming a request"). */
function resendNote(previous: PreviousAttempt | undefined, upn: string): string | undefined {
  if (!previous) return undefined;
  const earlier = doneEarlier(previous, `set_password:${upn}`);
  if (earlier) {
    return `Run ${earlier.runId} set a password on ${formatUtc(earlier.at)}; its one-time link cannot be shown again, so a new password is set now and replaces it.`;
  }
  if (previous.status === 'interrupted') {
    return `Run ${previous.runId} stopped without answering; any password it set never reached the requester, so a new password is set now and replaces it.`;
  }
  return undefined;
}

const STEP = 'check_reset_allowed';

function label(user: ResolvedUser): string {
  return user.displayName ? `${user.displayName} (${user.userPrincipalName})` : user.userPrincipalName;
}

function refuse(message: string, fix: string, step: string, details?: Record<string, unknown>): AppError {
  return new AppError({ code: 'refused', message, status: 422, fix, step, retryable: false, ...(details ? { details } : {}) });
}

/** Checks on the user object itself: account kinds whose password is not ours to reset. */
function refuseByAccountType(user: ResolvedUser): void {
  if (user.onPremisesSyncEnabled === true) {
    throw refuse(
      `${label(user)} is synchronised from on-premises Active Directory, so their password is managed there, not in Microsoft 365.`,
      'Reset the password in on-premises Active Directory (e.g. Active Directory Users and Computers) and let Entra Connect synchronise it, or enable self-service password reset with password writeback so cloud resets reach AD.',
      STEP,
      { userId: user.id },
    );
  }
  if ((user.userType ?? '').toLowerCase() === 'guest') {
    throw refuse(
      `${label(user)} is a guest account; guests sign in with their own organisation's credentials.`,
      "Ask the guest to reset their password with their own organisation (or identity provider); nothing can be reset in this tenant.",
      STEP,
      { userId: user.id },
    );
  }
}

export async function planPasswordReset(graph: GraphClient, input: PasswordResetPlanInput): Promise<PasswordResetPlan> {
  // User and directory roles in one round trip, so the admin check costs no extra sequential Graph call.
  // Roles scoped to an administrative unit are not visible this way; Graph itself still refuses (403)
  // a reset the automation's own role does not cover.
  const { user, privilege } = await resolveUserWithPrivileges(graph, input.userEmail);
  refuseByAccountType(user);
  if (privilege.privileged) {
    throw refuse(
      `${label(user)} holds administrator access (${privilege.roles.join(', ')}); automation does not reset administrators' passwords.`,
      'Verify the request with the user by a second channel, then have a Privileged Authentication Administrator or Global Administrator reset it in the Microsoft Entra admin center.',
      'check_privileged',
      { userId: user.id, roles: privilege.roles },
    );
  }

  const notes: string[] = [];
  const resend = resendNote(input.previous, user.userPrincipalName);
  if (resend) notes.push(resend);
  if (user.accountEnabled === false) {
    notes.push('The account is disabled: the new password works only after it is enabled again.');
  }
  const change = input.forceChangeOnLogin ? 'change required at next sign-in' : 'no change required at next sign-in';
  return {
    intent: 'password-reset',
    user: {
      id: user.id,
      userPrincipalName: user.userPrincipalName,
      displayName: user.displayName,
      accountEnabled: user.accountEnabled !== false,
    },
    forceChangeOnLogin: input.forceChangeOnLogin,
    passwordSource: input.passwordSupplied ? 'supplied' : 'generated',
    changes: [
      {
        step: 'set_password',
        target: user.userPrincipalName,
        description: `Set a ${input.passwordSupplied ? 'supplied' : 'generated'} password for ${label(user)} (${change}); delivered by one-time link.`,
      },
    ],
    notes,
  };
}
