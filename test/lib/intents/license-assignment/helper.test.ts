import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetSettingsCache } from '../../../../lib/config/settings.js';
import { CALLER, call } from '../../functions/call.js';

/** The license-assignment plan registration without a host: caller check and body validation. */
const saved = { ...process.env };
let plan: typeof import('../../../../lib/intents/license-assignment/function.js')['licenseAssignmentPlan'];

const request = (fields: Record<string, unknown>) => ({ request: { intent: 'license-assignment', ticketId: 1, fields } });
const fields = { userEmail: 'adele.vance@contoso.com', license: 'SPB', action: 'Assign' };

beforeAll(async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  ({ licenseAssignmentPlan: plan } = await import('../../../../lib/intents/license-assignment/function.js'));
  warn.mockRestore();
  process.env.ALLOWED_CALLER_OBJECT_IDS = CALLER;
});
beforeEach(() => resetSettingsCache());
afterAll(() => {
  process.env = saved;
  resetSettingsCache();
});

describe('POST /api/intents/license-assignment/plan', () => {
  it('is registered on its route and refuses callers without (401) or with the wrong (403) identity', async () => {
    expect(plan.route).toBe('intents/license-assignment/plan');
    expect((await call(plan, { body: request(fields), principal: null })).answer).toMatchObject({ status: 401, json: { error: { code: 'unauthorized' } } });
    expect((await call(plan, { body: request(fields), principal: 'cccccccc-0000-0000-0000-000000000000' })).answer).toMatchObject({ status: 403 });
  });

  it('answers 400 naming the problem for an action other than Assign/Remove, another intent or bad JSON', async () => {
    const unassign = await call(plan, { body: request({ ...fields, action: 'Unassign' }) });
    expect(unassign.answer).toMatchObject({ status: 400, json: { error: { code: 'validation_failed', step: 'plan_license_assignment' } } });
    expect(JSON.stringify(unassign.answer.json)).toContain('request.fields.action');
    const other = await call(plan, { body: { request: { ...request(fields).request, intent: 'mfa-reset' } } });
    expect(other.answer.status).toBe(400);
    expect((await call(plan, { body: '{not json' })).answer.status).toBe(400);
  });
});
