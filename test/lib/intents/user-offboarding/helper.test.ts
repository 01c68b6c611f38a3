import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetSettingsCache } from '../../../../lib/config/settings.js';
import { PASSWORD_ALPHABETS } from '../../../../lib/passwords/generate.js';
import { CALLER, call } from '../../functions/call.js';

/** The user-offboarding registrations without a host: caller check, body validation, the scrambled password. */
const saved = { ...process.env };
let mod: typeof import('../../../../lib/intents/user-offboarding/function.js');

const fields = { userEmail: 'adele.vance@contoso.com', revokeSessions: true, removeLicenses: false, convertToSharedMailbox: false, removeFromGroups: false, hideFromAddressList: false };
const request = (f: Record<string, unknown>) => ({ request: { intent: 'user-offboarding', ticketId: 1, fields: f } });

beforeAll(async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  mod = await import('../../../../lib/intents/user-offboarding/function.js');
  warn.mockRestore();
  process.env.ALLOWED_CALLER_OBJECT_IDS = CALLER;
});
beforeEach(() => resetSettingsCache());
afterAll(() => {
  process.env = saved;
  resetSettingsCache();
});

describe('user-offboarding helpers', () => {
  it('plan: registered on its route, refuses callers without (401) or with the wrong (403) identity', async () => {
    expect(mod.userOffboardingPlan.route).toBe('intents/user-offboarding/plan');
    expect((await call(mod.userOffboardingPlan, { body: request(fields), principal: null })).answer).toMatchObject({ status: 401 });
    expect((await call(mod.userOffboardingPlan, { body: request(fields), principal: 'cccccccc-0000-0000-0000-000000000000' })).answer).toMatchObject({ status: 403 });
  });

  it('plan: 400 naming the problem for a missing option or another intent', async () => {
    const { revokeSessions: _r, ...missing } = fields;
    const bad = await call(mod.userOffboardingPlan, { body: request(missing) });
    expect(bad.answer).toMatchObject({ status: 400, json: { error: { code: 'validation_failed', step: 'plan_user_offboarding' } } });
    expect(JSON.stringify(bad.answer.json)).toContain('request.fields.revokeSessions');
    expect((await call(mod.userOffboardingPlan, { body: { request: { ...request(fields).request, intent: 'mfa-reset' } } })).answer.status).toBe(400);
  });

  it('scramble-password: a fresh 48-character password from the generator alphabets each call, callers checked', async () => {
    expect(mod.userOffboardingScramblePassword.route).toBe('intents/user-offboarding/scramble-password');
    expect((await call(mod.userOffboardingScramblePassword, { body: {}, principal: null })).answer.status).toBe(401);
    const a = (await call(mod.userOffboardingScramblePassword, { body: {} })).answer;
    const b = (await call(mod.userOffboardingScramblePassword, { body: {} })).answer;
    const first = (a.json as { password: string }).password;
    expect(a.status).toBe(200);
    expect(first).toHaveLength(48);
    expect([...first].every((ch) => Object.values(PASSWORD_ALPHABETS).join('').includes(ch))).toBe(true);
    expect((b.json as { password: string }).password).not.toBe(first);
  });
});
