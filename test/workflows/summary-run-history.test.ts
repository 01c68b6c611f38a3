import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';
import { SECURE_PLACEHOLDER } from '../../local/runtime/model.js';
import { childRunActions, postWebhook, waitForRun } from './support/webhook-harness.js';

/**
 * Each child's Summarise_<intent> step is a helper call (POST /api/intents/<id>/summary), so run history shows
 * what went in (what each action did) and what came out (the outcome) as JSON, in the run-history store and
 * through the management API's action shape
 * (https://learn.microsoft.com/rest/api/logic/workflow-run-actions/get: inputsLink / outputsLink, inlined locally).
 * Summaries holding the one-time link stay hidden (secureData).
 */
let sys: LocalSystem;

beforeAll(async () => {
  sys = await startLocalSystem({ timeScale: 0.01 });
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

const payload = (intent: string, fields: Record<string, unknown>, ticket: number) => ({
  intent_name: intent,
  intent_fields: fields,
  meta_data: { ticket_id: ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' },
});

describe('summary steps in run history', () => {
  it('shows the summary input (request, each action it read) and its output (the outcome) as JSON', async () => {
    const res = await postWebhook(sys, payload('MFA Reset', { 'User Email': 'nobody.here@contoso.com' }, 731_001));
    expect(res.body).toMatchObject({ status: 'failed' });
    await waitForRun(sys, res.runId);
    const child = childRunActions(sys, 'mfa-reset', res.runId);
    const summary = child.get('Summarise_mfa_reset');
    expect(summary?.status).toBe('Succeeded');
    const inputs = summary?.inputs as { uri: string; body: { request: Record<string, unknown>; actions: Record<string, { status?: string }> } };
    expect(inputs.uri).toMatch(/\/api\/intents\/mfa-reset\/summary$/);
    expect(inputs.body.request).toMatchObject({ intent: 'mfa-reset', ticketId: 731_001 });
    expect(Object.keys(inputs.body.actions).sort()).toEqual(['Collect_delete_results', 'Plan_mfa_reset', 'Revoke_sign_in_sessions']);
    expect(inputs.body.actions.Plan_mfa_reset?.status).toBe('Failed');
    expect(summary?.outputs).toMatchObject({ statusCode: 200, body: { status: 'failed', error: { step: expect.any(String) } } });

    const childRun = sys.runtime.history.listRuns({ workflow: 'mfa-reset' }).find((r) => r.parentRun?.runName === res.runId);
    const url = `${sys.endpoints.runtime}/runtime/webhooks/workflow/api/management/workflows/mfa-reset/runs/${childRun?.name}/actions/Summarise_mfa_reset?api-version=2022-05-01`;
    const shape = (await (await fetch(url)).json()) as { properties?: Record<string, unknown> } & Record<string, unknown>;
    const props = (shape.properties ?? shape) as { inputs?: { body?: unknown }; outputs?: { body?: unknown }; secureData?: unknown };
    expect(props.inputs?.body).toMatchObject({ actions: { Plan_mfa_reset: { status: 'Failed' } } });
    expect(props.outputs?.body).toMatchObject({ status: 'failed' });
    expect(props.secureData).toBeUndefined();
  }, 60_000);

  it('hides the password-reset summary (its input and output hold the one-time link)', async () => {
    const res = await postWebhook(sys, payload('Password Reset', { 'User Email': 'nobody.here@contoso.com' }, 731_002));
    await waitForRun(sys, res.runId);
    const summary = childRunActions(sys, 'password-reset', res.runId).get('Summarise_password_reset');
    expect(summary).toMatchObject({ secureInputs: true, secureOutputs: true, inputs: SECURE_PLACEHOLDER, outputs: SECURE_PLACEHOLDER });
  }, 60_000);
});
