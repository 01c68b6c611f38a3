import { describe, expect, it } from 'vitest';
import type { ActionResultLike } from '../../../../lib/inline/context.js';
import type { MfaResetPlan } from '../../../../lib/intents/mfa-reset/plan-types.js';
import { main } from '../../../../lib/intents/mfa-reset/summary.js';
import { context, httpFailed, ok } from '../../inline/fake-context.js';

/** The inline summary of workflows/mfa-reset, from the plan and every repetition of the delete loops. */
const phone = { id: '3179e48a-750b-4051-897c-87b9720928f7', kind: 'Phone', segment: 'phoneMethods', label: 'Phone (mobile, ending 09)', step: 'remove_method:Phone (mobile, ending 09)' };
const app = { id: 'a/1', kind: 'Authenticator', segment: 'microsoftAuthenticatorMethods', label: 'Authenticator (iPhone)', step: 'remove_method:Authenticator (iPhone)' };

function plan(methods = [phone, app]): MfaResetPlan {
  return {
    intent: 'mfa-reset',
    user: { id: 'u-1', userPrincipalName: 'adele.vance@contoso.com', displayName: 'Adele Vance' },
    method: 'All',
    methods,
    revokeSessions: methods.length > 0,
    notRemovable: [],
    registered: ['Authenticator', 'Phone'],
    changes: methods.map((m) => ({ step: m.step, target: 'adele.vance@contoso.com', description: `Remove ${m.label}.` })),
    notes: [],
  };
}

/** A DELETE's result as result() lists it: named, with the URI it was sent to. */
function del(name: string, method: typeof phone, result: ActionResultLike): ActionResultLike {
  return { ...result, name, inputs: { method: 'DELETE', uri: `https://graph.microsoft.com/v1.0/users/u-1/authentication/${method.segment}/${encodeURIComponent(method.id)}` } };
}

const defaultRefusal = () => httpFailed(400, { error: { code: 'badRequest', message: 'Cannot delete default method with other methods configured. Please change default method before deletion.' } });
const collect = (first: ActionResultLike[], retried: ActionResultLike[] = []) => ({ status: 'Succeeded', outputs: { first, retried } as never });

describe('summarise-mfa-reset', () => {
  it('success when every method is removed (the default on the second try) and sessions revoked', () => {
    const out = main(
      context(
        {
          Plan_mfa_reset: ok({ plan: plan() }),
          Collect_delete_results: collect(
            [del('Delete_authentication_method', phone, defaultRefusal()), del('Delete_authentication_method', app, ok(undefined, 204))],
            [del('Delete_default_method', phone, ok(undefined, 204))],
          ),
          Revoke_sign_in_sessions: ok({ value: true }),
        },
        { dryRun: false },
      ),
    );
    expect(out.status).toBe('success');
    expect(out.steps.map((s) => `${s.name}=${s.status}`)).toEqual(['plan=succeeded', `${phone.step}=succeeded`, `${app.step}=succeeded`, 'revoke_sessions:adele.vance@contoso.com=succeeded']);
    expect(out.steps[1]?.detail).toMatch(/default method/);
    expect(out.result).toMatchObject({ removed: [phone.label, app.label], not_removed: [], sessions_revoked: true });
  });

  it('partial_success when one method stays; the default refusal explains what the user must do', () => {
    const out = main(
      context(
        {
          Plan_mfa_reset: ok({ plan: plan() }),
          Collect_delete_results: collect(
            [del('Delete_authentication_method', phone, defaultRefusal()), del('Delete_authentication_method', app, ok(undefined, 204))],
            [del('Delete_default_method', phone, defaultRefusal())],
          ),
          Revoke_sign_in_sessions: ok({ value: true }),
        },
        { dryRun: false },
      ),
    );
    expect(out.status).toBe('partial_success');
    expect(out.error?.message).toMatch(/default sign-in method/);
    expect(out.error?.fix).toContain('mysignins.microsoft.com');
    expect(out.result).toMatchObject({ removed: [app.label], not_removed: [phone.label] });
  });

  it('a 404 is already_done; a method whose delete never ran is failed, not silently skipped', () => {
    const out = main(
      context(
        {
          Plan_mfa_reset: ok({ plan: plan() }),
          Collect_delete_results: collect([del('Delete_authentication_method', phone, httpFailed(404, { error: { code: 'NotFound', message: 'The requested authentication method was not found.' } }))]),
        },
        { dryRun: false },
      ),
    );
    expect(out.steps.map((s) => s.status)).toEqual(['succeeded', 'already_done', 'failed', 'skipped']);
    expect(out.status).toBe('partial_success');
  });

  it('failed when no delete succeeded and sessions were left alone', () => {
    const out = main(
      context(
        {
          Plan_mfa_reset: ok({ plan: plan([app]) }),
          Collect_delete_results: collect([del('Delete_authentication_method', app, httpFailed(403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } }))]),
        },
        { dryRun: false },
      ),
    );
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code: 'forbidden', step: app.step });
    expect(out.steps.at(-1)).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/Nothing was removed/) });
  });

  it('no matching method: success saying what is registered; dry run: planned steps', () => {
    const none = main(context({ Plan_mfa_reset: ok({ plan: { ...plan([]), method: 'FIDO2' } }), Collect_delete_results: collect([]) }, { dryRun: false }));
    expect(none.status).toBe('success');
    expect(none.message).toMatch(/no FIDO2 methods registered.*Registered: Authenticator, Phone/);

    const dry = main(context({ Plan_mfa_reset: ok({ plan: { ...plan(), changes: [...plan().changes, { step: 'revoke_sessions', target: 'x', description: 'Sign out.' }] } }), Collect_delete_results: collect([]) }, { dryRun: true }));
    expect(dry).toMatchObject({ status: 'success', result: { dry_run: true } });
    expect(dry.steps.map((s) => s.status)).toEqual(['succeeded', 'planned', 'planned', 'planned']);
  });
});
