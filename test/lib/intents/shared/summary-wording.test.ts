import { describe, expect, it } from 'vitest';
import { duplicateAnswer } from '../../../../lib/idempotency/answer-wording.js';
import { formatUtc } from '../../../../lib/idempotency/utc-time.js';
import type { ActionResultLike } from '../../../../lib/inline/context.js';
import type { IntentOutcome } from '../../../../lib/inline/outcome.js';
import { GROUP_MEMBERSHIP_ACTIONS } from '../../../../lib/intents/shared/group-membership/summary.js';
import type { NewUserPlan } from '../../../../lib/intents/new-user-creation/plan-types.js';
import { main as newUserSummary } from '../../../../lib/intents/new-user-creation/summary.js';
import type { PasswordResetPlan } from '../../../../lib/intents/password-reset/plan-types.js';
import { main as passwordResetSummary } from '../../../../lib/intents/password-reset/summary.js';
import { INTENT_SUMMARIES } from '../../../../lib/intents/summary-registry.js';
import { OFFBOARDING_ACTIONS } from '../../../../lib/intents/user-offboarding/workflow-actions.js';
import { failedMessage, nextStep, RUN_HISTORY_NEXT } from '../../../../lib/intents/shared/next-step.js';
import { redact } from '../../../../lib/telemetry/redact.js';
import { context, failedWithoutAnswer, httpFailed, ok, passwordResetRequest, skipped } from '../../inline/fake-context.js';

/**
 * Wording of every intent summary, read as an MSP technician reads it (issue 11 finding 12): an answer
 * that did not fully succeed ends with what to do next; nothing says the workflow "retries automatically"
 * once the retries are used up; times carry their zone and are never raw ISO stamps.
 */

/** An ISO 8601 stamp as machines write it: the text people read must not hold one. */
const RAW_ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const RETRIES_AUTOMATICALLY = /retr(y|ies) automatically|will be retried/i;

/** How each summary reads its plan: most from the plan action, two from the Compose that gathers results. */
const PLAN_HOLDER: Record<string, (plan: ActionResultLike) => Record<string, ActionResultLike>> = {
  'password-reset': (plan) => ({ Plan_password_reset: plan }),
  'add-user-to-group': (plan) => ({ [GROUP_MEMBERSHIP_ACTIONS.collect]: { status: 'Succeeded', outputs: { plan, graph: [], exchange: [] } as never } }),
  'remove-user-from-group': (plan) => ({ [GROUP_MEMBERSHIP_ACTIONS.collect]: { status: 'Succeeded', outputs: { plan, graph: [], exchange: [] } as never } }),
  'license-assignment': (plan) => ({ Plan_license_assignment: plan }),
  'mfa-reset': (plan) => ({ Plan_mfa_reset: plan }),
  'new-user-creation': (plan) => ({ Plan_new_user: plan }),
  'user-offboarding': (plan) => ({ [OFFBOARDING_ACTIONS.collect]: { status: 'Succeeded', outputs: { plan } as never } }),
  'shared-mailbox-permission': (plan) => ({ Plan_mailbox_permission: plan }),
};

/** Ways a step fails after the workflow's own retries: Graph/helper throttling, a helper's error, no answer at all. */
const FAILURES: Record<string, ActionResultLike> = {
  'throttled (HTTP 429, retries used up)': httpFailed(429, { error: { code: 'TooManyRequests', message: 'Too many requests.' } }),
  'Graph unavailable (HTTP 503)': httpFailed(503, { error: { code: 'serviceNotAvailable', message: 'Service unavailable.' } }),
  'a helper refusal': httpFailed(422, { error: { code: 'refused', message: 'Adele is a Global Administrator.', fix: 'Have a Privileged Authentication Administrator do it.', step: 'check_privileged', retryable: false } }),
  'no answer': failedWithoutAnswer(),
};

function summarise(intent: string, actions: Record<string, ActionResultLike>): IntentOutcome {
  const summary = INTENT_SUMMARIES[intent as keyof typeof INTENT_SUMMARIES];
  return summary.main(context(actions, { ...passwordResetRequest(), intent, dryRun: false })) as IntentOutcome;
}

describe('every summary that did not succeed says what to do next (issue 11 finding 12)', () => {
  for (const intent of Object.keys(INTENT_SUMMARIES)) {
    for (const [how, failure] of Object.entries(FAILURES)) {
      it(`${intent}: plan step ${how}`, () => {
        const out = summarise(intent, PLAN_HOLDER[intent]!(failure));
        expect(out.status).toBe('failed');
        // What was done: nothing; what to do next: the error's fix, said at the end.
        expect(out.message).toMatch(/not (changed|created|removed)|No .* was (changed|created|removed)|Nothing was changed/);
        expect(out.message.endsWith(nextStep(out.error))).toBe(true);
        expect(out.message).not.toMatch(RETRIES_AUTOMATICALLY);
        expect(out.error?.fix ?? '').not.toMatch(RETRIES_AUTOMATICALLY);
        expect(out.message).not.toMatch(RAW_ISO);
      });
    }
  }

  it('a throttled step says the retries were used up and to send the request again later (https://learn.microsoft.com/graph/throttling)', () => {
    const out = summarise('license-assignment', { Plan_license_assignment: FAILURES['throttled (HTTP 429, retries used up)']! });
    expect(out.error).toMatchObject({ code: 'throttled', retryable: true });
    expect(out.error?.fix).toMatch(/retries were used up/);
    expect(out.message).toMatch(/Next: .*send the request again\.$/);
  });

  it('nextStep falls back to the run history when there is no error, and ends with a full stop', () => {
    expect(nextStep(undefined)).toBe(` Next: ${RUN_HISTORY_NEXT}`);
    expect(nextStep({ code: 'x', message: 'm', fix: 'Do this', step: 's' })).toBe(' Next: Do this.');
  });

  it('a failed answer says once that nothing changed, even when the error already said it', () => {
    const refused = { code: 'address_outside_tenant', message: "User Email \"a@contoso.com\" is not in Fabrikam's tenant. Nothing was changed.", fix: 'Check the customer', step: 'plan' };
    expect(failedMessage(refused, 'No group membership was changed.')).toBe(`${refused.message} Next: Check the customer.`);
    const plain = { code: 'not_found', message: 'No group named "Sales" was found.', fix: 'Check the name', step: 'plan' };
    expect(failedMessage(plain, 'No group membership was changed.')).toBe(`${plain.message} No group membership was changed. Next: Check the name.`);
  });
});

const EXPIRES = '2026-12-07T14:05:59.000Z';
const LINK = { id: 'lnk1', url: 'https://helpers.test/api/secret/lnk1#k=KEYKEY', expiresAt: EXPIRES };

describe('one-time link expiry in words, with its zone (issue 11 finding 12)', () => {
  const plan: PasswordResetPlan = {
    intent: 'password-reset',
    user: { id: 'u-1', userPrincipalName: 'adele.vance@contoso.com', displayName: 'Adele Vance', accountEnabled: true },
    forceChangeOnLogin: true,
    passwordSource: 'generated',
    changes: [{ step: 'set_password', target: 'adele.vance@contoso.com', description: 'Set a new password' }],
    notes: [],
  };
  const reset = () =>
    passwordResetSummary(
      context({ Plan_password_reset: ok({ plan }), Prepare_temporary_password: ok({ link: LINK }), Set_password_via_Graph: ok('', 204), Revoke_password_link: skipped }, passwordResetRequest()),
    );

  it('Password Reset: done now, what the requester gets, until when (UTC), and what to do if the link is lost', () => {
    const out = reset();
    expect(out.status).toBe('success');
    expect(out.message).toContain('The password of Adele Vance (adele.vance@contoso.com) was reset.');
    expect(out.message).toContain(`until ${formatUtc(EXPIRES)}`);
    expect(formatUtc(EXPIRES)).toBe('2026-12-07 14:05 UTC');
    expect(out.message).toMatch(/requester gets it through the one-time link/);
    expect(out.message).toMatch(/send a new Password Reset on a new ticket\.$/);
    for (const text of [out.message, ...out.steps.map((s) => s.detail ?? '')]) expect(text).not.toMatch(RAW_ISO);
    // Machines still get the exact stamp.
    expect(out.result.password_link_expires_at).toBe(EXPIRES);
  });

  it('a duplicate of that Password Reset never tells anyone to send the link, which is gone (lib/idempotency/answer-wording.ts)', () => {
    const first = reset();
    const stored = redact({ status: first.status, message: first.message, steps: first.steps, result: first.result }, []);
    const answer = duplicateAnswer({ runId: 'RUN-1', completedAt: '2026-12-06T14:05:00.000Z', storedResponse: stored });
    expect(answer.message).toContain('already carried out on 2026-12-06 14:05 UTC');
    expect(answer.message).toContain('The password of Adele Vance (adele.vance@contoso.com) was reset.');
    expect(answer.message).not.toMatch(/send (them|the requester) the (one-time )?link/i);
    expect(answer.message).toMatch(/cannot be shown again/);
    expect(answer.message).not.toMatch(RAW_ISO);
    expect(JSON.stringify(answer.result)).not.toContain('KEYKEY');
  });

  it('New User Creation: the temporary password link with its expiry in UTC; a second run says no new password was made', () => {
    const newUser: NewUserPlan = {
      intent: 'new-user-creation',
      user: { userPrincipalName: 'jane.doe@contoso.com', displayName: 'Jane Doe', mailNickname: 'jane.doe', usageLocation: 'GB', usageLocationSource: 'field' },
      create: true,
      existingUser: null,
      createBody: { accountEnabled: true, displayName: 'Jane Doe', userPrincipalName: 'jane.doe@contoso.com', mailNickname: 'jane.doe' },
      domain: 'contoso.com',
      license: null,
      manager: null,
      groups: [],
      graphChanges: [],
      exchangeChanges: [],
      longRunning: false,
      progressSteps: [],
      changes: [{ step: 'create_user:jane.doe@contoso.com', target: 'jane.doe@contoso.com', description: 'Create Jane Doe' }],
      notes: [],
    };
    const created = newUserSummary(context({ Plan_new_user: ok({ plan: newUser }), Prepare_temporary_password: ok({ link: LINK }), Create_user: ok({ id: 'u-new' }, 201) }, {}));
    expect(created.status).toBe('success');
    expect(created.message).toContain('Jane Doe (jane.doe@contoso.com) was created.');
    expect(created.message).toContain(`until ${formatUtc(EXPIRES)}`);
    for (const text of [created.message, ...created.steps.map((s) => s.detail ?? '')]) expect(text).not.toMatch(RAW_ISO);

    const again = newUserSummary(context({ Plan_new_user: ok({ plan: { ...newUser, create: false, existingUser: { id: 'u-new', userPrincipalName: 'jane.doe@contoso.com', displayName: 'Jane Doe' } } }) }, {}));
    expect(again.message).toContain('already existed');
    expect(again.message).toContain('No new password was made this time');
    expect(again.message).not.toMatch(/send (them|the requester) the (one-time )?link/i);
  });
});
