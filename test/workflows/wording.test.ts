import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';
import { graphWritesSince, lastGraphSeq, postWebhook, waitForRun } from './support/webhook-harness.js';

/**
 * Issue 11 finding 12, end to end: what Thread and the MSP are told reads right for a technician. A
 * duplicate never asks for a one-time link it no longer has; a step that failed after the retries were
 * used up says what to do instead of "the workflow retries automatically"; times in text carry their zone
 * and are never raw ISO stamps; a real UPN that starts with `$` can be addressed.
 */
let sys: LocalSystem;
let dataDir: string;
let ticket = 880_000;

const RAW_ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const RETRIES_AUTOMATICALLY = /retr(y|ies) automatically/i;
const SEND_THE_LINK = /send (them|the requester) the (one-time )?link/i;

function meta(id: number) {
  return { ticket_id: id, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' };
}

function groupId(displayName: string): string {
  const tenant = sys.graph.admin.tenant() as unknown as { groups: Array<{ id: string; displayName: string }> };
  const found = tenant.groups.find((g) => g.displayName === displayName);
  expect(found, displayName).toBeDefined();
  return found!.id;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wording-'));
  sys = await startLocalSystem({ timeScale: 0.01, dataDir });
}, 120_000);

afterAll(async () => {
  await sys?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('answers and mail a technician can act on (issue 11 finding 12)', () => {
  it('issue 11 finding 12: a Password Reset gives the link expiry in UTC; its duplicate never says to send the link, which is gone', async () => {
    const payload = { intent_name: 'Password Reset', intent_fields: { 'User Email': 'adele.vance@contoso.com' }, meta_data: meta(++ticket) };
    const first = await postWebhook(sys, payload);
    expect(first.body.status).toBe('success');
    const expires = String(first.body.result?.password_link_expires_at);
    expect(expires).toMatch(RAW_ISO); // machines get the exact stamp
    expect(first.body.message).toMatch(/until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(first.body.message).not.toMatch(RAW_ISO);
    for (const step of first.body.steps ?? []) expect(step.detail ?? '').not.toMatch(RAW_ISO);
    await waitForRun(sys, first.runId);

    const seq = lastGraphSeq(sys);
    const again = await postWebhook(sys, payload);
    expect(again.body.status).toBe('duplicate');
    expect(graphWritesSince(sys, seq)).toEqual([]);
    expect(again.body.message).toMatch(/already carried out on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(again.body.message).toContain('Nothing was changed this time.');
    expect(again.body.message).not.toMatch(SEND_THE_LINK);
    expect(again.body.message).toMatch(/cannot be shown again.*new Password Reset on a new ticket/);
    expect(again.body.message).not.toMatch(RAW_ISO);
    expect(JSON.stringify(again.body)).not.toContain(String(first.body.result?.password_link));
  });

  it('issue 11 finding 12: a write Graph kept throttling after every retry says what to do next, in the answer and the mail, never "retries automatically"', async () => {
    // Every try (the first and the action's retries) is throttled: https://learn.microsoft.com/graph/throttling
    sys.graph.admin.addFault({ method: 'POST', path: '/groups/*/members/$ref', status: 429, retryAfter: 0 });
    try {
      const id = ++ticket;
      const res = await postWebhook(sys, { intent_name: 'Add User to Group', intent_fields: { 'User Email': 'diego.siciliani@contoso.com', 'Group Name': 'Marketing' }, meta_data: meta(id) });
      await waitForRun(sys, res.runId);
      expect(res.body.status).toBe('failed');
      expect(res.body.error).toMatchObject({ code: 'throttled', retryable: true });
      expect(String(res.body.error?.fix)).toMatch(/retries were used up.*send the request again/);
      expect(res.body.message).toMatch(/No group membership was changed\. Next: .*send the request again\.$/);
      expect(JSON.stringify(res.body)).not.toMatch(RETRIES_AUTOMATICALLY);

      const mail = sys.outlook.outbox().find((m) => m.subject === `[FAILED] Thread Automation: Add User to Group — Ticket #${id}`);
      expect(mail, 'MSP mail').toBeDefined();
      expect(mail!.body).toContain('<strong>What to do next:</strong>');
      expect(mail!.body).toMatch(/retries were used up/);
      expect(mail!.body).toContain('Not done: the request failed.');
      expect(mail!.body).not.toMatch(RETRIES_AUTOMATICALLY);
      expect(mail!.body).not.toMatch(RAW_ISO);
    } finally {
      sys.graph.admin.clearFaults();
    }
  });

  it("issue 11 finding 12: a UPN that starts with $ is addressed as /users('$…') (https://learn.microsoft.com/graph/api/user-get, the TIP under HTTP request)", async () => {
    const upn = '$svc-backup@contoso.com';
    const seq = lastGraphSeq(sys);
    const reset = await postWebhook(sys, { intent_name: 'Password Reset', intent_fields: { 'User Email': upn }, meta_data: meta(++ticket) });
    expect(reset.body.status).toBe('success');
    expect(reset.body.result).toMatchObject({ user: upn, user_id: '20d08d4d-262f-5227-a780-d705715fea2c' });
    await waitForRun(sys, reset.runId);

    const added = await postWebhook(sys, { intent_name: 'Add User to Group', intent_fields: { 'User Email': upn, 'Group Name': 'Marketing' }, meta_data: meta(++ticket) });
    expect(added.body.status).toBe('success');
    expect(added.body.message).toBe('Backup Service Account ($svc-backup@contoso.com) was added to Marketing.');
    await waitForRun(sys, added.runId);

    // Look-ups used the key form Graph documents for such UPNs, never /users/$svc-… (which Graph answers with 400):
    // direct calls by their path, $batch items by the url each item carries.
    const log = sys.graph.admin.requests(seq);
    const urls = [
      ...log.filter((r) => !r.batch && r.path !== '/v1.0/$batch').map((r) => r.path),
      ...log
        .filter((r) => r.path === '/v1.0/$batch')
        .flatMap((r) => ((r.body as { requests?: Array<{ url?: string }> } | undefined)?.requests ?? []).map((item) => String(item.url ?? ''))),
    ].filter((u) => /svc-backup/i.test(u));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/\/users\('(\$|%24)svc-backup(@|%40)contoso\.com'\)/);
    // Writes address the user by object id.
    expect(graphWritesSince(sys, seq)).toEqual([
      'PATCH /v1.0/users/20d08d4d-262f-5227-a780-d705715fea2c 204',
      `POST /v1.0/groups/${groupId('Marketing')}/members/$ref 204`,
    ]);
  });
});
