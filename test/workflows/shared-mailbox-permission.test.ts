import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateWebhook } from '../../lib/contract/index.js';
import { mintLocalToken } from '../../local/standins/identity/token.js';
import { HELPERS_AUDIENCE, LOCAL_WORKLOAD_OBJECT_ID, startLocalSystem, type LocalSystem } from '../../local/system.js';
import { callChildAsRouter } from './support/router-dispatch.js';

/**
 * Shared Mailbox Permission end to end through the child workflow's own signed trigger URL (the router's
 * Switch case is added by the lead): normalised request (validateWebhook) → workflows/shared-mailbox-permission
 * → plan helper → Graph stand-in (reads only) → Set-SharedMailboxPermission runbook in the Automation
 * stand-in, checked in the Exchange model (GET /_admin/exchange), the Graph request log, the job list and the
 * run history.
 */
let sys: LocalSystem;
let ticket = 930_000;

type Step = { name: string; status: string; detail?: string };
type Outcome = { status: string; message: string; steps: Step[]; result: Record<string, unknown>; error?: { code: string; message: string; fix: string; step: string } };
type Mailbox = {
  PrimarySmtpAddress: string;
  FullAccess: Array<{ User: string; AutoMapping: boolean }>;
  SendAs: string[];
  GrantSendOnBehalfTo: string[];
};

function request(fields: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const result = validateWebhook({
    intent_name: 'Shared Mailbox Permission',
    intent_fields: fields,
    meta_data: { ticket_id: ++ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' },
    ...extra,
  });
  if (!result.ok) throw new Error(`invalid test payload: ${JSON.stringify(result.problems)}`);
  return result.request;
}

type NormalisedRequest = ReturnType<typeof request>;

async function callChild(body: NormalisedRequest, headers: Record<string, string> = {}): Promise<{ status: number; body: Outcome; runId: string }> {
  const url = sys.endpoints.triggers['shared-mailbox-permission'];
  if (!url) throw new Error('no trigger URL for shared-mailbox-permission');
  const res = await callChildAsRouter(sys, 'shared-mailbox-permission', body, headers);
  return { status: res.status, body: (await res.json()) as Outcome, runId: res.headers.get('x-ms-workflow-run-id') ?? '' };
}

/** Without the router's claim headers the child answers the full outcome synchronously. */
async function run(fields: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return callChild(request(fields, extra));
}

/** A helper call as the Logic App's managed identity (Easy Auth emulation of the functions host). */
async function helperCall(path: string, body: unknown) {
  const token = mintLocalToken({ aud: HELPERS_AUDIENCE, oid: LOCAL_WORKLOAD_OBJECT_ID });
  const res = await fetch(`${sys.endpoints.functions}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * What the router does for a runbook intent: claim the request, then call the child with its claim
 * headers. The child answers `accepted` and later records the final outcome under that claim, which a
 * second claim of the same request then finds (duplicate with the stored answer, or fail → claimable again).
 */
async function runAsRouter(fields: Record<string, unknown>, routerRun: string, extra: Record<string, unknown> = {}) {
  const body = request(fields, extra);
  const claimed = await helperCall('/api/idempotency/claim', { request: { ticketId: body.ticketId, intent: body.intent, intentName: body.intentName, fieldsHash: body.fieldsHash, dryRun: false }, runId: routerRun });
  expect(claimed.body.outcome).toBe('claimed');
  const res = await callChild(body, { 'x-thread-claim-key': JSON.stringify(claimed.body.key), 'x-thread-router-run-id': routerRun });
  return { res, body };
}

async function finalOutcome(body: NormalisedRequest, routerRun: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 400; i++) {
    const again = await helperCall('/api/idempotency/claim', { request: { ticketId: body.ticketId, intent: body.intent, intentName: body.intentName, fieldsHash: body.fieldsHash, dryRun: false }, runId: `${routerRun}-poll` });
    if (again.body.outcome === 'duplicate') return again.body.storedResponse as Record<string, unknown>;
    // A failed outcome releases the claim, so the poll itself claims it: the stored error is gone with it.
    if (again.body.outcome === 'claimed') return { status: 'failed', released: true };
    expect(again.body).toMatchObject({ outcome: 'in_progress', runId: routerRun });
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the accepted request never recorded its outcome');
}

async function mailArrives(id: number) {
  for (let i = 0; i < 400; i++) {
    const mail = sys.outlook.outbox().find((m) => m.subject === `[FAILED] Thread Automation: Shared Mailbox Permission — Ticket #${id}`);
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 25));
  }
  return undefined;
}

async function exchange(): Promise<{ Mailboxes: Mailbox[] }> {
  const res = await fetch(`${sys.endpoints.automation}/_admin/exchange`);
  expect(res.status).toBe(200);
  return (await res.json()) as { Mailboxes: Mailbox[] };
}

async function mailbox(address: string): Promise<Mailbox> {
  const found = (await exchange()).Mailboxes.find((m) => m.PrimarySmtpAddress === address);
  if (!found) throw new Error(`no mailbox ${address}`);
  return found;
}

const lastSeq = () => sys.graph.admin.requests().at(-1)?.seq ?? 0;
/** Graph calls that are not reads ($batch envelopes carry only GETs here). */
const graphWritesSince = (seq: number) => sys.graph.admin.requests(seq).filter((r) => r.method !== 'GET' && !(r.method === 'POST' && r.path.endsWith('/$batch')));
const jobCount = () => sys.automation.jobs().length;
const jobsSince = (count: number) => sys.automation.jobs().slice(count);

function actions(runId: string) {
  return new Map(sys.runtime.history.listActions('shared-mailbox-permission', runId).map((a) => [a.name, a]));
}

beforeAll(async () => {
  sys = await startLocalSystem({ timeScale: 0.01 });
}, 120_000);

afterEach(() => {
  sys.graph.admin.clearFaults();
});

afterAll(async () => {
  await sys?.stop();
});

describe('Shared Mailbox Permission', () => {
  it('grants Full Access with the resolved addresses, then reports a repeat as already_done', async () => {
    const seq = lastSeq();
    const jobs = jobCount();
    const res = await run({ 'Shared Mailbox Email': 'Support@Contoso.com', 'User Email': 'adele.vance@contoso.com', 'Permission Type': 'Full Access', Action: 'Grant' });

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    expect(res.body.steps.map((s) => `${s.name}=${s.status}`)).toEqual(['plan=succeeded', 'grant_full_access:support@contoso.com=succeeded']);
    expect(res.body.result).toMatchObject({ user: 'adele.vance@contoso.com', mailbox: 'support@contoso.com', permission_type: 'Full Access', action: 'grant', auto_mapping: true, outcome: 'granted' });
    expect(res.body.message).toContain('Adele Vance (adele.vance@contoso.com) was granted Full Access on Contoso Support (support@contoso.com)');
    expect((await mailbox('support@contoso.com')).FullAccess).toContainEqual({ User: 'adele.vance@contoso.com', AutoMapping: true });
    expect(jobsSince(jobs).map((j) => [j.runbook, j.parameters])).toEqual([
      // Organization: the customer's Exchange organization in msp mode, empty in customer mode (the runbook then reads its variable).
      ['Set-SharedMailboxPermission', { SharedMailboxEmail: 'support@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Full Access', Action: 'Grant', AutoMapping: 'True', Organization: sys.msp ? sys.msp.customers.contoso.exchangeOrganization : '' }],
    ]);
    expect(graphWritesSince(seq)).toEqual([]);

    const history = actions(res.runId);
    expect(history.get('Plan_mailbox_permission')?.status).toBe('Succeeded');
    expect(history.get('Start_mailbox_permission_job')?.status).toBe('Succeeded');
    expect(history.get('Record_mailbox_permission_job_status')?.outputs).toMatchObject({ status: 'Completed' });
    expect(history.get('Get_job_output')?.status).toBe('Succeeded');
    expect(history.get('Respond_accepted')?.status ?? 'Skipped').toBe('Skipped');

    const again = await run({ 'Shared Mailbox Email': 'support@contoso.com', 'User Email': 'adele.vance@contoso.com', 'Permission Type': 'Full Access', Action: 'Grant' });
    expect(again.body.status).toBe('success');
    expect(again.body.steps[1]).toMatchObject({ status: 'already_done' });
    expect(again.body.result).toMatchObject({ outcome: 'already_granted' });
    expect((await mailbox('support@contoso.com')).FullAccess.filter((f) => f.User === 'adele.vance@contoso.com')).toHaveLength(1);
  });

  it('grants Send on Behalf through a mailbox alias without dropping the other delegates', async () => {
    const before = await mailbox('billing@contoso.com');
    expect(before.GrantSendOnBehalfTo).toEqual(['patti.fernandez@contoso.com']);
    const jobs = jobCount();
    const res = await run({ 'Shared Mailbox Email': 'accounts@contoso.com', 'User Email': 'nestor.wilke@contoso.com', 'Permission Type': 'Send on Behalf of', Action: 'grant' });
    expect(res.body.status).toBe('success');
    expect(res.body.steps[1]?.name).toBe('grant_send_on_behalf:billing@contoso.com');
    expect(jobsSince(jobs)[0]?.parameters).toMatchObject({ SharedMailboxEmail: 'billing@contoso.com', PermissionType: 'Send on Behalf', Action: 'Grant' });
    expect((await mailbox('billing@contoso.com')).GrantSendOnBehalfTo.sort()).toEqual(['nestor.wilke@contoso.com', 'patti.fernandez@contoso.com']);
  });

  it('revokes Send As; revoking it again is already_done with no change', async () => {
    expect((await mailbox('info@contoso.com')).SendAs).toContain('megan.bowen@contoso.com');
    const res = await run({ 'Shared Mailbox Email': 'info@contoso.com', 'User Email': 'megan.bowen@contoso.com', 'Permission Type': 'Send As', Action: 'Revoke' });
    expect(res.body.status).toBe('success');
    expect(res.body.result).toMatchObject({ outcome: 'revoked', action: 'revoke' });
    expect(res.body.message).toContain('no longer has Send As on Contoso Info (info@contoso.com)');
    expect((await mailbox('info@contoso.com')).SendAs).not.toContain('megan.bowen@contoso.com');
    // Full Access is a separate permission and stays.
    expect((await mailbox('info@contoso.com')).FullAccess).toContainEqual({ User: 'megan.bowen@contoso.com', AutoMapping: true });

    const again = await run({ 'Shared Mailbox Email': 'info@contoso.com', 'User Email': 'megan.bowen@contoso.com', 'Permission Type': 'Send As', Action: 'Revoke' });
    expect(again.body.status).toBe('success');
    expect(again.body.steps[1]).toMatchObject({ status: 'already_done' });
    expect(again.body.result).toMatchObject({ outcome: 'not_present' });
  });

  it('handles quotes in addresses (OData literals and URL paths)', async () => {
    const res = await run({ 'Shared Mailbox Email': 'info@contoso.com', 'User Email': "conor.o'brien@contoso.com", 'Permission Type': 'Send As', Action: 'Grant' });
    expect(res.body.status).toBe('success');
    expect(res.body.result).toMatchObject({ user: "conor.o'brien@contoso.com", outcome: 'granted' });
    expect((await mailbox('info@contoso.com')).SendAs).toContain("conor.o'brien@contoso.com");
  });

  it('dry run: plans the runbook call and starts no job', async () => {
    const jobs = jobCount();
    const before = await mailbox('support@contoso.com');
    const res = await run({ 'Shared Mailbox Email': 'helpdesk@contoso.com', 'User Email': 'isaiah.langer@contoso.com', AutoMapping: 'no' }, { dry_run: true });
    expect(res.body.status).toBe('success');
    expect(res.body.message).toMatch(/^Dry run: Isaiah Langer \(isaiah\.langer@contoso\.com\) will get Full Access on Contoso Support \(support@contoso\.com\) in Exchange Online\. Nothing was changed\.$/);
    expect(res.body.steps.map((s) => s.status)).toEqual(['succeeded', 'planned']);
    expect(res.body.result).toMatchObject({
      dry_run: true,
      outcome: 'planned',
      auto_mapping: false,
      planned_changes: { exchange: [{ runbook: 'Set-SharedMailboxPermission', parameters: { SharedMailboxEmail: 'support@contoso.com', UserEmail: 'isaiah.langer@contoso.com', AutoMapping: false } }] },
    });
    expect(jobsSince(jobs)).toEqual([]);
    expect(await mailbox('support@contoso.com')).toEqual(before);
    expect(actions(res.runId).get('Start_mailbox_permission_job')?.status ?? 'Skipped').toBe('Skipped');
  });

  describe('refusals (no job started)', () => {
    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['the user is the mailbox (alias of the same object)', { 'Shared Mailbox Email': 'accounts@contoso.com', 'User Email': 'billing@contoso.com' }, 'refused', /is the mailbox itself/],
      ['a distribution list address', { 'Shared Mailbox Email': 'all-staff@contoso.com', 'User Email': 'adele.vance@contoso.com' }, 'refused', /belongs to the group "All Staff"/],
      ['an unknown mailbox', { 'Shared Mailbox Email': 'nobody@contoso.com', 'User Email': 'adele.vance@contoso.com' }, 'not_found', /No mailbox has the address "nobody@contoso\.com"/],
      ['an unknown user', { 'Shared Mailbox Email': 'info@contoso.com', 'User Email': 'ghost@contoso.com' }, 'not_found', /ghost@contoso\.com/],
      ['a disabled user for Grant', { 'Shared Mailbox Email': 'info@contoso.com', 'User Email': 'joni.sherman@contoso.com', 'Permission Type': 'Send As' }, 'refused', /account is disabled/],
      ['a user without a mailbox for Grant', { 'Shared Mailbox Email': 'info@contoso.com', 'User Email': 'lee.gu@contoso.com' }, 'refused', /no e-mail address in Exchange Online/],
    ];
    for (const [name, fields, code, message] of cases) {
      it(name, async () => {
        const jobs = jobCount();
        const seq = lastSeq();
        const res = await run(fields);
        expect(res.status).toBe(200);
        expect(res.body.status).toBe('failed');
        expect(res.body.error).toMatchObject({ code });
        expect(res.body.error?.message).toMatch(message);
        expect(res.body.error?.fix.length).toBeGreaterThan(20);
        expect(res.body.message).toContain('No mailbox permission was changed.');
        expect(res.body.steps).toEqual([expect.objectContaining({ name: 'plan', status: 'failed' })]);
        expect(jobsSince(jobs)).toEqual([]);
        expect(graphWritesSince(seq)).toEqual([]);
      });
    }
  });

  it('a disabled user may still lose a permission (Revoke is allowed)', async () => {
    const res = await run({ 'Shared Mailbox Email': 'support@contoso.com', 'User Email': 'joni.sherman@contoso.com', Action: 'Revoke' });
    expect(res.body.status).toBe('success');
    expect(res.body.result).toMatchObject({ outcome: 'not_present' });
  });

  // getJobStatus carries no exception text
  // (https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/azureautomation); the runbook's failed
  // RESULT line, read with getJobOutput, carries its reason (runbooks/README.md, "Output contract").
  it('a room mailbox: the runbook refuses it, the outcome is failed with the runbook\'s reason and the job', async () => {
    const before = await mailbox('boardroom@contoso.com');
    const res = await run({ 'Shared Mailbox Email': 'boardroom@contoso.com', 'User Email': 'adele.vance@contoso.com' });
    expect(res.body.status).toBe('failed');
    expect(res.body.steps.map((s) => `${s.name}=${s.status}`)).toEqual(['plan=succeeded', 'grant_full_access:boardroom@contoso.com=failed']);
    expect(res.body.error).toMatchObject({ code: 'refused', step: 'grant_full_access:boardroom@contoso.com' });
    expect(res.body.error?.message).toMatch(/'boardroom@contoso\.com' is a RoomMailbox, not a shared mailbox; no permission was changed \(runbook job [0-9a-f-]{36}, status Failed\)\./);
    expect(res.body.error?.fix).toContain('boardroom@contoso.com is not a shared mailbox');
    expect(await mailbox('boardroom@contoso.com')).toEqual(before);
  });

  it('still succeeds when Graph throttles the plan look-ups (429 with Retry-After)', async () => {
    const rule = sys.graph.admin.addFault({ path: '/**', status: 429, retryAfter: 1, count: 2 });
    const seq = lastSeq();
    const res = await run({ 'Shared Mailbox Email': 'support@contoso.com', 'User Email': 'lynne.robbins@contoso.com', 'Permission Type': 'Send As' });
    expect(res.body.status).toBe('success');
    expect(sys.graph.admin.requests(seq).some((r) => r.status === 429 && r.fault === rule.id)).toBe(true);
    expect((await mailbox('support@contoso.com')).SendAs).toContain('lynne.robbins@contoso.com');
  });

  it("Automation refusing the job (the Logic App's identity lacks its role): failed with the fix naming the role", async () => {
    const fault = await fetch(`${sys.endpoints.automation}/_admin/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 403, count: 1, method: 'PUT', code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action Microsoft.Automation/automationAccounts/jobs/write.' }),
    });
    expect(fault.ok).toBe(true);
    const before = await mailbox('support@contoso.com');
    const res = await run({ 'Shared Mailbox Email': 'support@contoso.com', 'User Email': 'irvin.sayers@contoso.com', 'Permission Type': 'Send As' });
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'configuration', step: 'grant_send_as:support@contoso.com' });
    expect(res.body.error?.fix).toContain('Automation Job Operator');
    expect(await mailbox('support@contoso.com')).toEqual(before);
  });

  it('resolves a user given by a secondary address and passes the runbook the UPN', async () => {
    const fixture = sys.graph.admin.tenant() as unknown as { users: Array<{ userPrincipalName: string; proxyAddresses?: string[] | null }> };
    const omar = fixture.users.find((u) => u.userPrincipalName === 'omar.haddad@contoso.com');
    if (!omar) throw new Error('fixture lacks omar.haddad@contoso.com');
    omar.proxyAddresses = ['SMTP:omar.haddad@contoso.com', 'smtp:omar@contoso.com'];
    sys.graph.admin.loadTenant(fixture);
    const jobs = jobCount();
    const res = await run({ 'Shared Mailbox Email': 'support@contoso.com', 'User Email': 'omar@contoso.com', 'Permission Type': 'Send As' });
    expect(res.body.status).toBe('success');
    expect(jobsSince(jobs)[0]?.parameters).toMatchObject({ UserEmail: 'omar.haddad@contoso.com', SharedMailboxEmail: 'support@contoso.com' });
    expect((await mailbox('support@contoso.com')).SendAs).toContain('omar.haddad@contoso.com');
  });

  describe('called by the router with its claim (runbook work answers accepted first)', () => {
    it('answers accepted with the planned change, then records success under the router claim', async () => {
      const { res, body } = await runAsRouter({ 'Shared Mailbox Email': 'info@contoso.com', 'User Email': 'diego.siciliani@contoso.com', 'Permission Type': 'Full Access', AutoMapping: false }, 'ROUTER-RUN-SMP-1');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'accepted', result: { user: 'diego.siciliani@contoso.com', mailbox: 'info@contoso.com', permission_type: 'Full Access', action: 'grant' } });
      expect(res.body.message).toContain('will get Full Access on Contoso Info (info@contoso.com)');
      expect(res.body.steps).toEqual([expect.objectContaining({ name: 'grant_full_access:info@contoso.com', status: 'planned' })]);

      const final = await finalOutcome(body, 'ROUTER-RUN-SMP-1');
      expect(final).toMatchObject({ status: 'success', intent: 'Shared Mailbox Permission', ticket_id: body.ticketId, run_id: 'ROUTER-RUN-SMP-1', result: { outcome: 'granted', auto_mapping: false } });
      expect((await mailbox('info@contoso.com')).FullAccess).toContainEqual({ User: 'diego.siciliani@contoso.com', AutoMapping: false });
      const history = actions(res.runId);
      expect(history.get('Respond_accepted')?.status).toBe('Succeeded');
      expect(history.get('Record_final_outcome')?.status).toBe('Succeeded');
      expect(history.get('Notify_MSP')?.status ?? 'Skipped').toBe('Skipped');
    });

    it('a runbook failure after the accepted answer: failed recorded (claim released) and the MSP e-mailed with escaped values', async () => {
      const { res, body } = await runAsRouter({ 'Shared Mailbox Email': 'boardroom@contoso.com', 'User Email': 'adele.vance@contoso.com', 'Permission Type': 'Send As' }, 'ROUTER-RUN-SMP-2', {
        meta_data: { ticket_id: ++ticket, contact_name: '<script>alert(1)</script> Bob', contact_email: 'bob@contoso.com', company_name: 'Contoso & Co' },
      });
      expect(res.body.status).toBe('accepted');
      const mail = await mailArrives(body.ticketId);
      expect(mail, 'failure e-mail').toBeDefined();
      expect(mail?.body).toContain('is a RoomMailbox, not a shared mailbox');
      expect(mail?.body).toContain('What to do next:');
      expect(mail?.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Bob');
      expect(mail?.body).toContain('Contoso &amp; Co');
      expect(mail?.body).not.toMatch(/<script/i);
      expect(await finalOutcome(body, 'ROUTER-RUN-SMP-2')).toMatchObject({ status: 'failed' });
      expect(actions(res.runId).get('Record_final_outcome')?.status).toBe('Succeeded');
    });

    it('a refusal is answered at once (no accepted, no job)', async () => {
      const jobs = jobCount();
      const { res } = await runAsRouter({ 'Shared Mailbox Email': 'all-staff@contoso.com', 'User Email': 'adele.vance@contoso.com' }, 'ROUTER-RUN-SMP-3');
      expect(res.body.status).toBe('failed');
      expect(res.body.error).toMatchObject({ code: 'refused' });
      expect(jobsSince(jobs)).toEqual([]);
    });
  });
});
