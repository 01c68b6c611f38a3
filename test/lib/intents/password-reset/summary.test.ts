import { describe, expect, it } from 'vitest';
import type { PasswordResetPlan } from '../../../../lib/intents/password-reset/plan-types.js';
import { main } from '../../../../lib/intents/password-reset/summary.js';
import { context, failedWithoutAnswer, httpFailed, ok, passwordResetRequest, skipped } from '../../inline/fake-context.js';

const PASSWORD = 'Gener4ted!Passw0rd';
const LINK = { id: 'lnk1', url: 'https://helpers.test/api/secret/lnk1#k=KEYKEY', expiresAt: '2026-11-23T12:00:00.000Z' };
const plan: PasswordResetPlan = {
  intent: 'password-reset',
  user: { id: 'u-1', userPrincipalName: 'adele.vance@contoso.com', displayName: 'Adele Vance', accountEnabled: true },
  forceChangeOnLogin: true,
  passwordSource: 'generated',
  changes: [{ step: 'set_password', target: 'adele.vance@contoso.com', description: 'Set a new password (change required at next sign-in)' }],
  notes: [],
};

function run(actions: Parameters<typeof context>[0], request = passwordResetRequest()) {
  return main(context(actions, request));
}

describe('summarise-password-reset', () => {
  it('reports success with the one-time link and never the password', () => {
    const out = run({
      Plan_password_reset: ok({ plan }),
      Prepare_temporary_password: ok({ password: PASSWORD, link: LINK }),
      Set_password_via_Graph: ok('', 204),
      Revoke_password_link: skipped,
    });
    expect(out.status).toBe('success');
    expect(out.result).toMatchObject({ user: 'adele.vance@contoso.com', password_link: LINK.url, password_link_expires_at: LINK.expiresAt, force_change_on_login: true });
    expect(out.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(out.message).toContain('Adele Vance');
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });

  it('reports the plan refusal as failed, with the helper error', () => {
    const out = run({
      Plan_password_reset: httpFailed(422, { error: { code: 'refused', message: 'Adele is a Global Administrator.', fix: 'Have a Privileged Authentication Administrator reset it.', step: 'check_privileged', retryable: false } }),
    });
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code: 'refused', step: 'check_privileged' });
    expect(out.message).toContain('not changed');
  });

  it('lists the planned change for a dry run and makes no link', () => {
    const out = run({ Plan_password_reset: ok({ plan }), Prepare_temporary_password: skipped }, passwordResetRequest({ dryRun: true }));
    expect(out.status).toBe('success');
    expect(out.steps[1]).toMatchObject({ name: 'set_password:adele.vance@contoso.com', status: 'planned' });
    expect(out.result).toMatchObject({ dry_run: true });
    expect(out.result).not.toHaveProperty('password_link');
    expect(out.message).toContain('Nothing was changed');
  });

  it('maps a Graph 403 on the write and reports the revoked link', () => {
    const out = run({
      Plan_password_reset: ok({ plan }),
      Prepare_temporary_password: ok({ password: PASSWORD, link: LINK }),
      Set_password_via_Graph: httpFailed(403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } }),
      Revoke_password_link: ok({ revoked: true }),
    });
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code: 'forbidden', graphCode: 'Authorization_RequestDenied', step: 'set_password:adele.vance@contoso.com' });
    expect(out.steps.find((s) => s.name === 'revoke_link')?.status).toBe('succeeded');
    expect(out.result).not.toHaveProperty('password_link');
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });

  it('fails without touching the password when the secret could not be prepared', () => {
    const out = run({ Plan_password_reset: ok({ plan }), Prepare_temporary_password: failedWithoutAnswer(), Set_password_via_Graph: skipped });
    expect(out.status).toBe('failed');
    expect(out.steps.map((s) => `${s.name}=${s.status}`)).toEqual(['plan=succeeded', 'prepare_password=failed', 'set_password:adele.vance@contoso.com=skipped']);
  });
});
