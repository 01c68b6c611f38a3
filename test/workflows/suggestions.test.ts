import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';
import { postWebhook, waitForRun } from './support/webhook-harness.js';

/**
 * "Did you mean …" answers end to end (issue 11 item 7): webhook → router → child workflow → plan helper →
 * Graph stand-in, checked in Thread's answer and the failure mail. The suggestions come from lib/lookups
 * (suggestions.ts, explain-miss.ts, license.ts); the Graph capabilities they rely on are cited in
 * test/lib/lookups/suggestions.test.ts.
 */
let sys: LocalSystem;
let ticket = 731_000;

beforeAll(async () => {
  sys = await startLocalSystem({ timeScale: 0.01 });
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

const payload = (intent: string, fields: Record<string, unknown>) => ({
  intent_name: intent,
  intent_fields: fields,
  meta_data: { ticket_id: ++ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' },
});

async function answer(intent: string, fields: Record<string, unknown>) {
  const res = await postWebhook(sys, payload(intent, fields));
  await waitForRun(sys, res.runId);
  const mail = sys.outlook.outbox().filter((m) => m.subject.endsWith(`Ticket #${ticket}`));
  return { res, mail };
}

type ErrorBody = { code?: string; message?: string; fix?: string; details?: Record<string, unknown> };

/** The child's plan action as recorded in the run history (its helper answer carries the structured details). */
function planAction(routerRun: string) {
  const child = sys.runtime.history.listRuns({}).find((r) => r.parentRun?.runName === routerRun);
  expect(child, 'child run').toBeDefined();
  const action = sys.runtime.history.listActions(child!.workflow, child!.name).find((a) => a.name.startsWith('Plan_'));
  expect(action, 'plan action').toBeDefined();
  return action!.outputs as { statusCode: number; body: Record<string, unknown> };
}

describe('suggestions in answers', () => {
  it('an unknown user: "Did you mean adele.vance@contoso.com (Adele Vance)?" in the answer and the mail; the candidate in the run history', async () => {
    const { res, mail } = await answer('Add User to Group', { 'User Email': 'adel.vance@contoso.com', 'Group Name': 'Sales Team' });
    expect(res.body.status).toBe('failed');
    const error = res.body.error as ErrorBody;
    expect(error).toMatchObject({ code: 'not_found', step: 'resolve_user' });
    expect(error.message).toBe('No user has the user name or e-mail address "adel.vance@contoso.com". Did you mean adele.vance@contoso.com (Adele Vance)?');
    expect(error.fix).toContain('adele.vance@contoso.com');
    // The structured candidates reach Thread's answer too, not only the run history.
    expect((error as ErrorBody).details?.suggestions).toEqual([expect.objectContaining({ userPrincipalName: 'adele.vance@contoso.com' })]);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.body).toContain('Did you mean adele.vance@contoso.com (Adele Vance)?');
    const plan = planAction(res.runId);
    expect(plan.statusCode).toBe(404);
    expect((plan.body.error as ErrorBody).details?.suggestions).toEqual([
      { id: '714ce498-09cd-569e-a561-2dabfbf5682d', userPrincipalName: 'adele.vance@contoso.com', displayName: 'Adele Vance', mail: 'adele.vance@contoso.com' },
    ]);
  }, 60_000);

  it("an unknown licence: the tenant's licences with free seats, closest first, in the answer and the mail", async () => {
    const { res, mail } = await answer('License Assignment', { 'User Email': 'adele.vance@contoso.com', 'License SKU': 'E5', Action: 'Assign' });
    expect(res.body.status).toBe('failed');
    const error = res.body.error as ErrorBody;
    expect(error).toMatchObject({ code: 'not_found', step: 'resolve_license' });
    expect(error.message).toMatch(/^"E5" is not a licence this tenant has\. Licences with free seats: Microsoft 365 E5 \(SPE_E5, \d+ of 3 free\); Office 365 E5 \(ENTERPRISEPREMIUM, \d+ of 5 free\); /);
    expect(error.fix).toContain('"Microsoft 365 E5" or SPE_E5');
    expect(mail[0]?.body).toContain('Licences with free seats: Microsoft 365 E5 (SPE_E5,');
    const details = (planAction(res.runId).body.error as ErrorBody).details as { tenantHas: Array<{ skuPartNumber: string; free: number }> };
    const free = details.tenantHas.map((c) => c.free > 0);
    expect(free).toEqual([...free].sort((a, b) => Number(b) - Number(a))); // free seats first
    expect(details.tenantHas[0]).toMatchObject({ skuPartNumber: 'SPE_E5' });
  }, 60_000);

  it('an ambiguous group name: every candidate with its id and kind in the answer and the mail', async () => {
    const { res, mail } = await answer('Add User to Group', { 'User Email': 'adele.vance@contoso.com', 'Group Name': 'Project Phoenix' });
    expect(res.body.status).toBe('failed');
    const error = res.body.error as ErrorBody;
    expect(error.code).toBe('ambiguous');
    expect(error.message).toBe(
      '2 groups are named "Project Phoenix": "Project Phoenix" (security group, id b8988cd0-e204-5b0b-8466-953e4651aa4e); "Project Phoenix" (Microsoft 365 group, projectphoenix@contoso.com, id e03540d6-bdce-539f-8c6c-37e4f9a9d6a9).',
    );
    expect(error.fix).toContain('b8988cd0-e204-5b0b-8466-953e4651aa4e or e03540d6-bdce-539f-8c6c-37e4f9a9d6a9');
    expect(mail[0]?.body).toContain('id e03540d6-bdce-539f-8c6c-37e4f9a9d6a9');
    const groups = (planAction(res.runId).body.plan as { groups: Array<{ error?: ErrorBody }> } | undefined)?.groups;
    expect(JSON.stringify(groups)).toContain('"candidates"');
  }, 60_000);
});
