import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';
import { childRunActions, postWebhook, waitForRun, type Posted } from './support/webhook-harness.js';

/**
 * Runbook jobs start once (issue 11, finding 4). Every runbook step starts its job with the built-in
 * connector's createJob without waiting and without retries, then reads it with getJobStatus in an Until and
 * its output with getJobOutput (https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/azureautomation).
 * A 500 or 429 from Azure Resource Manager while reading (retried by the read itself,
 * https://learn.microsoft.com/azure/logic-apps/logic-apps-exception-handling#retry-policies) never starts a
 * second job, and the answer reports what the one job did. A failed start is one failed step that says the job
 * may not have started, and nothing is started again.
 *
 * The TypeScript runbook models run the jobs here (the job lifecycle is under test, not PowerShell).
 */
let sys: LocalSystem;
let ticket = 995_000;
const savedEngine = process.env.AUTOMATION_RUNBOOK_ENGINE;

type Body = Posted['body'] & { result?: { groups?: Array<{ display_name: string; outcome: string; via: string }> } };

function payload(intentName: string, fields: Record<string, unknown>) {
  return { intent_name: intentName, intent_fields: fields, meta_data: { ticket_id: ++ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' } };
}

async function finalAnswer(res: Posted): Promise<Body> {
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const url = String(res.body.status_url);
  for (let i = 0; i < 2400; i++) {
    const poll = await fetch(url);
    if (poll.status === 200) return (await poll.json()) as Body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the accepted request never recorded its outcome');
}

async function queueArmFaults(...faults: Array<{ status: number; count: number; method: string; retryAfterSeconds?: number }>): Promise<void> {
  for (const f of faults) {
    const res = await fetch(`${sys.endpoints.automation}/_admin/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...f, message: `Injected ${f.status}.` }) });
    expect(res.ok).toBe(true);
  }
}

const jobsSince = (count: number) => sys.automation.jobs().slice(count);

/** Faults still queued (queueing a harmless DELETE fault answers the whole queue): [] means every injected fault was met. */
async function faultsLeft(): Promise<unknown[]> {
  const res = await fetch(`${sys.endpoints.automation}/_admin/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ status: 599, count: 1, method: 'DELETE' }) });
  const { pending } = (await res.json()) as { pending: Array<{ method?: string }> };
  return pending.filter((f) => f.method !== 'DELETE');
}

beforeAll(async () => {
  process.env.AUTOMATION_RUNBOOK_ENGINE = 'typescript';
  sys = await startLocalSystem({ timeScale: 0.01 });
}, 120_000);

afterEach(async () => {
  await fetch(`${sys.endpoints.automation}/_admin/faults`, { method: 'DELETE' });
});

afterAll(async () => {
  await sys?.stop();
  if (savedEngine === undefined) delete process.env.AUTOMATION_RUNBOOK_ENGINE;
  else process.env.AUTOMATION_RUNBOOK_ENGINE = savedEngine;
});

describe('runbook jobs start once', () => {
  it('500s and 429s while reading the jobs: one job per group, and the answer reports what the jobs did', async () => {
    const upn = 'grady.archie@contoso.com';
    const before = sys.automation.jobs().length;
    // Eight 500s (more than one read's own retries) and three 429s with Retry-After on the job reads.
    await queueArmFaults({ status: 500, count: 8, method: 'GET' }, { status: 429, count: 3, method: 'GET', retryAfterSeconds: 1 });
    const res = await postWebhook(sys, payload('Add User to Group', { 'User Email': upn, 'Group Name': 'All Staff, Finance' }));
    const body = await finalAnswer(res);

    expect(body.status, JSON.stringify(body)).toBe('success');
    expect(body.result?.groups?.map((g) => [g.display_name, g.outcome, g.via])).toEqual([
      ['All Staff', 'added', 'exchange'],
      ['Finance', 'added', 'exchange'],
    ]);
    const started = jobsSince(before);
    expect(started.map((j) => String(j.parameters.GroupIdentity)).sort()).toEqual(['all-staff@contoso.com', 'finance-mesg@contoso.com']);
    expect(sys.automation.exchange.getGroupMembers('all-staff@contoso.com')).toContain(upn);
    expect(sys.automation.exchange.getGroupMembers('finance-mesg@contoso.com')).toContain(upn);
    expect(await faultsLeft()).toEqual([]);

    await waitForRun(sys, res.runId);
    const child = childRunActions(sys, 'add-user-to-group', res.runId);
    // The reads met the faults (and were retried or read again), the starts never were.
    expect(child.get('Start_add_member_job')?.inputs).toMatchObject({ parameters: { waitForJob: false }, retryPolicy: { type: 'none' } });
    const reads = [...child.values()].filter((a) => a.name === 'Read_add_member_job_status');
    expect(reads.length).toBeGreaterThan(0);
  }, 180_000);

  it('the same for a mailbox permission, with the faults hitting the status reads and the output read', async () => {
    const before = sys.automation.jobs().length;
    await queueArmFaults({ status: 429, count: 4, method: 'GET', retryAfterSeconds: 1 }, { status: 503, count: 4, method: 'GET' });
    const res = await postWebhook(sys, payload('Shared Mailbox Permission', { 'Shared Mailbox Email': 'support@contoso.com', 'User Email': 'alex.wilber@contoso.com', 'Permission Type': 'Send As' }));
    const body = await finalAnswer(res);
    expect(body.status, JSON.stringify(body)).toBe('success');
    expect(jobsSince(before)).toHaveLength(1);
    expect(await faultsLeft()).toEqual([]);
    expect(sys.automation.exchange.getMailbox('support@contoso.com').SendAs ?? []).toContain('alex.wilber@contoso.com');
  }, 180_000);

  it('a failed start is one failed step saying the job may not have started, and no job is started again', async () => {
    const before = sys.automation.jobs().length;
    await queueArmFaults({ status: 500, count: 1, method: 'PUT' });
    const res = await postWebhook(sys, payload('Add User to Group', { 'User Email': 'kai.carter@contoso.com', 'Group Name': 'All Staff' }));
    const body = await finalAnswer(res);
    expect(body.status).toBe('failed');
    const failed = (body.steps ?? []).filter((s) => s.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.detail).toContain("the job may not have started — check the Automation account's jobs");
    expect(jobsSince(before)).toHaveLength(0);
    expect(sys.automation.exchange.getGroupMembers('all-staff@contoso.com')).not.toContain('kai.carter@contoso.com');

    await waitForRun(sys, res.runId);
    const start = childRunActions(sys, 'add-user-to-group', res.runId).get('Start_add_member_job');
    expect(start?.status).toBe('Failed');
    // retryPolicy none: the start was attempted exactly once.
    expect((start as { retryHistory?: unknown[] } | undefined)?.retryHistory ?? []).toHaveLength(0);
  }, 180_000);
});
