import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetSettingsCache } from '../../../../lib/config/settings.js';
import { CALLER, call } from '../../functions/call.js';

/** The mfa-reset plan registration without a host: caller check and body validation. */
const saved = { ...process.env };
let plan: typeof import('../../../../lib/intents/mfa-reset/function.js')['mfaResetPlan'];

const request = (fields: Record<string, unknown>) => ({ request: { intent: 'mfa-reset', ticketId: 1, fields } });

beforeAll(async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  ({ mfaResetPlan: plan } = await import('../../../../lib/intents/mfa-reset/function.js'));
  warn.mockRestore();
  process.env.ALLOWED_CALLER_OBJECT_IDS = CALLER;
});
beforeEach(() => resetSettingsCache());
afterAll(() => {
  process.env = saved;
  resetSettingsCache();
});

describe('POST /api/intents/mfa-reset/plan', () => {
  it('is registered on its route and refuses callers without (401) or with the wrong (403) identity', async () => {
    expect(plan.route).toBe('intents/mfa-reset/plan');
    const body = request({ userEmail: 'adele.vance@contoso.com', method: 'All' });
    expect((await call(plan, { body, principal: null })).answer).toMatchObject({ status: 401 });
    expect((await call(plan, { body, principal: 'cccccccc-0000-0000-0000-000000000000' })).answer).toMatchObject({ status: 403 });
  });

  it('answers 400 for a method kind that is not one of the canonical values', async () => {
    const res = await call(plan, { body: request({ userEmail: 'adele.vance@contoso.com', method: 'OATH' }) });
    expect(res.answer).toMatchObject({ status: 400, json: { error: { code: 'validation_failed', step: 'plan_mfa_reset' } } });
    expect(JSON.stringify(res.answer.json)).toContain('request.fields.method');
  });
});
