import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';
import { childRunActions, postWebhook, waitForRun, type Posted, type WebhookBody } from './support/webhook-harness.js';

/**
 * Intents whose child workflows answer `accepted` themselves when a runbook is involved reach them
 * through the router: Thread gets 200 when no runbook runs, or 202 with a status URL that later serves
 * the final answer.
 */
let sys: LocalSystem;
let ticket = 760_000;

function payload(intentName: string, fields: Record<string, unknown>) {
  return {
    intent_name: intentName,
    intent_fields: fields,
    meta_data: { ticket_id: ++ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' },
  };
}

async function finalAnswer(res: Posted): Promise<WebhookBody> {
  expect(res.status).toBe(202);
  expect(res.body).toMatchObject({ status: 'accepted', run_id: res.runId });
  const url = String(res.body.status_url);
  for (let i = 0; i < 400; i++) {
    const poll = await fetch(url);
    if (poll.status === 200) return (await poll.json()) as WebhookBody;
    expect(poll.status).toBe(202);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the accepted request never recorded its outcome');
}

beforeAll(async () => {
  sys = await startLocalSystem({ timeScale: 0.01, jobLatencyMs: 200 });
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

describe('router → part-2 intents', () => {
  it('routes "Disable Account" to user-offboarding and answers at once when no runbook is needed', async () => {
    const res = await postWebhook(sys, payload('Disable Account', { 'User Email': 'lidia.holloway@contoso.com' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'success', intent: 'Disable Account', run_id: res.runId });
    await waitForRun(sys, res.runId);
    expect(childRunActions(sys, 'user-offboarding', res.runId).get('Block_sign_in')?.status).toBe('Succeeded');
    const user = (sys.graph.admin.tenant() as unknown as { users: Array<{ userPrincipalName: string; accountEnabled?: boolean }> }).users.find(
      (u) => u.userPrincipalName === 'lidia.holloway@contoso.com',
    );
    expect(user?.accountEnabled).toBe(false);
  });

  it('routes Shared Mailbox Permission and finishes through the status URL after the runbook', async () => {
    const res = await postWebhook(
      sys,
      payload('Shared Mailbox Permission', { 'Shared Mailbox Email': 'support@contoso.com', 'User Email': 'adele.vance@contoso.com', 'Permission Type': 'Send As' }),
    );
    const answer = await finalAnswer(res);
    expect(answer).toMatchObject({ status: 'success', intent: 'Shared Mailbox Permission' });
    const exchange = (await (await fetch(`${sys.endpoints.automation}/_admin/exchange`)).json()) as {
      Mailboxes: Array<{ PrimarySmtpAddress: string; SendAs: string[] }>;
    };
    const support = exchange.Mailboxes.find((m) => m.PrimarySmtpAddress === 'support@contoso.com');
    expect(support?.SendAs).toContain('adele.vance@contoso.com');
  });
});
