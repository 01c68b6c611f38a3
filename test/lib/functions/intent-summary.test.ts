import type { HttpFunctionOptions, HttpResponseInit } from '@azure/functions';
import azureFunctions from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetSettingsCache } from '../../../lib/config/settings.js';
import { CALLER } from './call.js';

const { HttpRequest, InvocationContext } = azureFunctions;

/** POST /api/intents/{intent}/summary: the child workflows' Summarise_<intent> step. */
const saved = { ...process.env };
let intentSummary: HttpFunctionOptions;

beforeAll(async () => {
  // Outside the Functions worker app.http warns that it is skipped; expected here.
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  ({ intentSummary } = await import('../../../lib/functions/intent-summary.js'));
  warn.mockRestore();
  process.env.ALLOWED_CALLER_OBJECT_IDS = CALLER;
});
beforeEach(() => resetSettingsCache());
afterAll(() => {
  process.env = saved;
  resetSettingsCache();
});

async function post(intent: string, body: unknown, principal: string | null = CALLER): Promise<{ status: number; json: Record<string, unknown> }> {
  const request = new HttpRequest({
    method: 'POST',
    url: `http://127.0.0.1/api/intents/${intent}/summary`,
    headers: { 'content-type': 'application/json', ...(principal ? { 'x-ms-client-principal-id': principal } : {}) },
    params: { intent },
    body: { string: JSON.stringify(body) },
  });
  const result = (await intentSummary.handler(request, new InvocationContext({ functionName: 'intentSummary' }))) as HttpResponseInit;
  return { status: result.status ?? 200, json: result.jsonBody as Record<string, unknown> };
}

const planFailed = {
  name: 'Plan_mfa_reset',
  status: 'Failed',
  outputs: { statusCode: 404, body: { error: { code: 'not_found', message: 'No user adele.vance@contoso.com in this tenant.', fix: 'Check the address.', step: 'resolve_user' } } },
};

describe('intent summary helper', () => {
  it('answers the intent outcome for the named intent', async () => {
    const { status, json } = await post('mfa-reset', {
      request: { intent: 'mfa-reset', ticketId: 5678, dryRun: false, fields: { userEmail: 'adele.vance@contoso.com', method: 'all' } },
      run: { workflow: 'mfa-reset', name: 'RUN-1' },
      actions: { Plan_mfa_reset: planFailed, Collect_delete_results: { status: 'Skipped' }, Revoke_sign_in_sessions: { status: 'Skipped' } },
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({ status: 'failed', error: { code: 'not_found', step: 'resolve_user' } });
  });

  it('refuses a caller that is not the Logic App (same Easy Auth check as every helper)', async () => {
    expect((await post('mfa-reset', { request: {}, actions: {} }, null)).status).toBe(401);
  });

  it('404 names the intents it knows for an unknown intent; 400 lists what is wrong with the body', async () => {
    const unknown = await post('coffee-order', { request: {}, actions: {} });
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.json)).toContain('password-reset');
    const bad = await post('mfa-reset', { request: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: 'validation_failed', step: 'summarise' } });
  });
});
