import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateWebhook } from '../../lib/contract/index.js';
import { HELPERS_AUDIENCE, startLocalSystem, type LocalSystem } from '../../local/system.js';
import { callChildAsRouter } from './support/router-dispatch.js';

/**
 * User Offboarding end to end through the child workflow's own signed trigger (the router's Switch case
 * is added by the lead): normalised request (validateWebhook) → workflows/user-offboarding → plan
 * helper → Graph stand-in and Azure Automation stand-in (Exchange runbooks), checked in the tenant, the
 * Exchange model, the Graph request log and the run history.
 */
let sys: LocalSystem;
let ticket = 760_000;

type Step = { name: string; status: string; detail?: string };
type Body = Record<string, unknown> & { status?: string; message?: string; steps?: Step[]; result?: Record<string, unknown>; error?: Record<string, unknown> };
type TenantUser = { id: string; userPrincipalName: string; accountEnabled: boolean; licenses: Array<{ skuId: string }>; mailbox?: { automaticRepliesSetting?: Record<string, unknown> } | null };
type TenantGroup = { id: string; displayName: string; members: string[]; owners: string[] };
type Tenant = { users: TenantUser[]; groups: TenantGroup[]; subscribedSkus: Array<{ skuId: string; skuPartNumber: string }> };

const tenant = () => sys.graph.admin.tenant() as unknown as Tenant;
const user = (upn: string) => tenant().users.find((u) => u.userPrincipalName === upn)!;
const group = (name: string) => tenant().groups.find((g) => g.displayName === name)!;
const skuId = (part: string) => tenant().subscribedSkus.find((s) => s.skuPartNumber === part)!.skuId;
const mailbox = (address: string) => sys.automation.exchange.snapshot().Mailboxes.find((m) => m.PrimarySmtpAddress === address)!;
const lastSeq = () => sys.graph.admin.requests().at(-1)?.seq ?? 0;
const stepOf = (body: Body, name: string) => body.steps?.find((s) => s.name === name);

/** Graph writes (not reads, not the $batch envelopes) since `seq`, as "METHOD path status". */
function writesSince(seq: number): string[] {
  return sys.graph.admin
    .requests(seq)
    .filter((r) => r.method !== 'GET' && !(r.method === 'POST' && r.path.endsWith('/$batch')))
    .map((r) => `${r.method} ${decodeURIComponent(r.path)} ${r.status}`);
}

function request(fields: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const result = validateWebhook({
    intent_name: 'User Offboarding',
    intent_fields: fields,
    meta_data: { ticket_id: ++ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' },
    ...extra,
  });
  if (!result.ok) throw new Error(`invalid test payload: ${JSON.stringify(result.problems)}`);
  return result.request;
}

async function run(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Body; runId: string }> {
  const res = await callChildAsRouter(sys, 'user-offboarding', body, headers);
  return { status: res.status, body: (await res.json()) as Body, runId: res.headers.get('x-ms-workflow-run-id') ?? '' };
}

async function finished(runName: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const r = sys.runtime.history.getRun('user-offboarding', runName);
    if (r && r.status !== 'Running' && r.status !== 'Waiting') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`run ${runName} did not finish`);
}

const actionsOf = (runName: string) => new Map(sys.runtime.history.listActions('user-offboarding', runName).map((a) => [a.name, a]));

/** Nothing in the run's history carries a password value: the secured actions show only the placeholder. */
function expectNoPasswordInHistory(runName: string): void {
  const actions = actionsOf(runName);
  expect(actions.get('Generate_random_password')).toMatchObject({ secureInputs: true, secureOutputs: true });
  expect(actions.get('Reset_password_to_random')).toMatchObject({ secureInputs: true, secureOutputs: true });
  const text = JSON.stringify([...actions.values()]);
  expect(text).not.toMatch(/"password"\s*:\s*"[^"]{8,}"/i);
  expect(JSON.stringify(sys.runtime.history.getRun('user-offboarding', runName))).not.toMatch(/"password"\s*:\s*"[^"]{8,}"/i);
}

/** A token for the helpers as the Logic App's managed identity (the only caller their Easy Auth admits). */
async function helperToken(): Promise<string> {
  const logicApp = sys.identity.env('logicApp');
  const url = new URL(logicApp.IDENTITY_ENDPOINT);
  url.searchParams.set('resource', HELPERS_AUDIENCE);
  url.searchParams.set('api-version', '2019-08-01');
  const res = await fetch(url, { headers: { 'X-IDENTITY-HEADER': logicApp.IDENTITY_HEADER } });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function claim(req: unknown, runId: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${sys.endpoints.functions}/api/idempotency/claim`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await helperToken()}` },
    body: JSON.stringify({ request: req, runId }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
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

describe('User Offboarding', () => {
  it('offboards with every option in CIPP order: block, revoke, password, mailbox, convert, THEN licences, then groups', async () => {
    const upn = 'alex.wilber@contoso.com';
    const id = user(upn).id;
    const seq = lastSeq();
    const res = await run(
      request({
        'User Email': upn,
        'Remove Licenses': true,
        'Convert to Shared Mailbox': true,
        'Remove Groups': true,
        'Hide from GAL': true,
        'Forward Email To': 'adele.vance@contoso.com',
        'Auto Reply Message': 'Alex has left Contoso.\nPlease write to "Adele" <adele.vance@contoso.com>.',
        'Grant Manager Access': 'miriam.graham@contoso.com',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.status, JSON.stringify(res.body)).toBe('success');
    const statuses = Object.fromEntries((res.body.steps ?? []).map((s) => [s.name, s.status]));
    expect(statuses).toMatchObject({
      block_sign_in: 'succeeded',
      revoke_sessions: 'succeeded',
      reset_password: 'succeeded',
      hide_from_address_list: 'succeeded',
      forward_email: 'succeeded',
      auto_reply: 'succeeded',
      convert_to_shared_mailbox: 'succeeded',
      grant_manager_access: 'succeeded',
      remove_licenses: 'succeeded',
      'remove_member:Marketing': 'succeeded',
      'remove_member:All Staff': 'succeeded',
      'remove_member:All Users': 'skipped',
      'remove_owner:Marketing': 'succeeded',
      'remove_owner:Engineering': 'skipped',
    });
    expect(res.body.result).toMatchObject({ user: upn, user_id: id, licenses_removed: ['ENTERPRISEPACK'] });

    // Tenant state.
    expect(user(upn).accountEnabled).toBe(false);
    expect(user(upn).licenses).toEqual([]);
    expect(group('Marketing').members).not.toContain(id);
    expect(group('Marketing').owners).not.toContain(id);
    expect(group('Engineering').owners).toContain(id);
    expect(group('All Users').members).toContain(id);
    // Exchange state (the automatic reply is set by the Set-MailboxOffboarding job, not through Graph).
    const replies = sys.automation.exchange.getAutoReplyConfiguration(upn);
    expect(replies).toMatchObject({ AutoReplyState: 'Enabled', ExternalAudience: 'All' });
    expect(String(replies.InternalMessage)).toContain('&quot;Adele&quot; &lt;adele.vance@contoso.com&gt;');
    expect(mailbox(upn)).toMatchObject({ RecipientTypeDetails: 'SharedMailbox', HiddenFromAddressListsEnabled: true, DeliverToMailboxAndForward: true });
    expect(mailbox(upn).ForwardingSmtpAddress?.replace(/^smtp:/i, '')).toBe('adele.vance@contoso.com');
    expect(mailbox(upn).FullAccess.map((f) => f.User)).toContain('miriam.graham@contoso.com');
    expect(sys.automation.exchange.snapshot().DistributionGroups.find((g) => g.DisplayName === 'All Staff')?.Members).not.toContain(upn);

    // Exactly the planned writes, sign-in blocked first and licences only after the conversion.
    const writes = writesSince(seq);
    // Sign-in is blocked first; revoking sessions and scrambling the password then run side by side.
    expect(writes[0]).toBe(`PATCH /v1.0/users/${id} 204`);
    expect(writes.slice(1, 3).sort()).toEqual([`PATCH /v1.0/users/${id} 204`, `POST /v1.0/users/${id}/revokeSignInSessions 200`]);
    expect(writes.slice(3).sort()).toEqual(
      [
        `POST /v1.0/users/${id}/assignLicense 200`,
        `DELETE /v1.0/groups/${group('Marketing').id}/members/${id}/$ref 204`,
        `DELETE /v1.0/groups/${group('Marketing').id}/owners/${id}/$ref 204`,
      ].sort(),
    );
    const actions = actionsOf(res.runId);
    const convertedAt = Date.parse(String(actions.get('Get_conversion_output')?.endTime));
    expect(Date.parse(String(actions.get('Remove_licenses')?.startTime))).toBeGreaterThanOrEqual(convertedAt);
    expect(Date.parse(String(actions.get('Start_manager_access_job')?.startTime))).toBeGreaterThanOrEqual(convertedAt);
    expectNoPasswordInHistory(res.runId);
    expect(JSON.stringify(res.body)).not.toMatch(/password"\s*:/i);
  }, 180_000);

  it('refuses an administrator: an admin must be offboarded by a person; nothing is written', async () => {
    const seq = lastSeq();
    const res = await run(request({ 'User Email': 'megan.bowen@contoso.com', 'Remove Licenses': true }));
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'refused', step: 'check_privileged' });
    expect(String(res.body.error?.message)).toContain('Global Administrator');
    expect(String(res.body.error?.fix)).toMatch(/by a person/);
    expect(writesSince(seq)).toEqual([]);
    expect(user('megan.bowen@contoso.com').accountEnabled).toBe(true);
  });

  it('an unknown user fails with not_found and a fix; nothing is written', async () => {
    const seq = lastSeq();
    const res = await run(request({ 'User Email': 'no.such.person@contoso.com', 'Remove Licenses': true }));
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'not_found', fix: expect.any(String) });
    expect(res.body.message).toMatch(/Nothing was changed/);
    expect(writesSince(seq)).toEqual([]);
  });

  it('a user already disabled with nothing else asked is already done, without a write', async () => {
    const seq = lastSeq();
    const res = await run(request({ 'User Email': 'joni.sherman@contoso.com' }));
    expect(res.body.status).toBe('success');
    expect(res.body.message).toMatch(/already disabled/);
    expect(stepOf(res.body, 'block_sign_in')?.status).toBe('already_done');
    expect(writesSince(seq)).toEqual([]);
  });

  it('reports group-inherited licences with the group name and never sends them to assignLicense', async () => {
    const upn = 'irvin.sayers@contoso.com';
    const seq = lastSeq();
    const res = await run(request({ 'User Email': upn, 'Remove Licenses': true, 'Revoke Sessions': false }));
    expect(res.body.status, JSON.stringify(res.body)).toBe('success');
    expect(stepOf(res.body, 'remove_licenses')?.status).toBe('already_done');
    expect(res.body.result?.licenses_from_groups).toEqual([{ license: 'ENTERPRISEPACK', groups: ['Licensing - Office 365 E3'] }]);
    expect(JSON.stringify(res.body.result?.notes)).toContain('Remove Groups');
    const id = user(upn).id;
    expect(writesSince(seq).filter((w) => !w.startsWith(`PATCH /v1.0/users/${id} `))).toEqual([]);
  });

  it('keeps the licences when the conversion to a shared mailbox fails (so no mail is lost): partial_success', async () => {
    const upn = 'christie.cline@contoso.com';
    const state = sys.automation.exchange.snapshot();
    // Graph still shows a mailbox, Exchange no longer has it: the conversion job fails.
    sys.automation.exchange.load({
      ...state,
      Mailboxes: state.Mailboxes.filter((m) => m.PrimarySmtpAddress !== upn),
      DistributionGroups: state.DistributionGroups.map((g) => ({ ...g, Members: g.Members.filter((m) => m !== upn) })),
    });
    try {
      const seq = lastSeq();
      const res = await run(request({ 'User Email': upn, 'Remove Licenses': true, 'Convert to Shared Mailbox': true }));
      expect(res.body.status, JSON.stringify(res.body)).toBe('partial_success');
      expect(stepOf(res.body, 'block_sign_in')?.status).toBe('succeeded');
      // getJobStatus carries no exception (docs/workflow-design.md, "Runbook jobs"): the runbook's failed RESULT line,
      // read with getJobOutput, gives Exchange's reason and the step names the failed job.
      expect(stepOf(res.body, 'convert_to_shared_mailbox')).toMatchObject({ status: 'failed', detail: expect.stringMatching(/object 'christie\.cline@contoso\.com' couldn't be found on .* \(runbook job [0-9a-f-]{36}, status Failed\)\./) });
      expect(stepOf(res.body, 'remove_licenses')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('conversion') });
      expect(res.body.error).toMatchObject({ step: 'convert_to_shared_mailbox' });
      expect(user(upn).licenses.map((l) => l.skuId)).toContain(skuId('ENTERPRISEPACK'));
      expect(writesSince(seq).some((w) => w.includes('assignLicense'))).toBe(false);
    } finally {
      sys.automation.exchange.load(state);
    }
  });

  it('stops everything when blocking sign-in fails: failed, nothing else written', async () => {
    const upn = 'delia.dennis@contoso.com';
    const id = user(upn).id;
    sys.graph.admin.addFault({ method: 'PATCH', path: `/users/${id}`, status: 503, count: 10 });
    const seq = lastSeq();
    const res = await run(request({ 'User Email': upn, 'Remove Licenses': true, 'Remove Groups': true }));
    expect(res.body.status, JSON.stringify(res.body)).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'service_unavailable', step: 'block_sign_in' });
    expect(stepOf(res.body, 'remove_licenses')?.status).toBe('skipped');
    expect(writesSince(seq).every((w) => w.startsWith(`PATCH /v1.0/users/${id} 503`))).toBe(true);
    expect(user(upn).accountEnabled).toBe(true);
  });

  it('still succeeds when Graph throttles a share of the calls (429 with Retry-After)', async () => {
    const upn = 'omar.haddad@contoso.com';
    const share = sys.graph.admin.addFault({ path: '/**', status: 429, retryAfter: 1, probability: 0.4, seed: 7 });
    sys.graph.admin.addFault({ method: 'PATCH', path: '/users/*', status: 429, retryAfter: 1, count: 2 });
    const seq = lastSeq();
    const res = await run(request({ 'User Email': upn, 'Remove Licenses': true, 'Remove Groups': true }));
    expect(res.body.status, JSON.stringify(res.body)).toBe('success');
    expect(user(upn).accountEnabled).toBe(false);
    expect(user(upn).licenses).toEqual([]);
    expect(group('Engineering').members).not.toContain(user(upn).id);
    expect(sys.graph.admin.requests(seq).some((r) => r.status === 429 && r.fault === share.id)).toBe(true);
  });

  it('dry run: returns the plan and writes nothing', async () => {
    const upn = 'lenore.pierce@contoso.com';
    const seq = lastSeq();
    const jobs = sys.automation.jobs().length;
    const res = await run(request({ 'User Email': upn, 'Remove Licenses': true, 'Convert to Shared Mailbox': true, 'Remove Groups': true, 'Hide from GAL': true }, { dry_run: true }));
    expect(res.body.status).toBe('success');
    expect(res.body.message).toMatch(/^Dry run: /);
    expect(stepOf(res.body, 'block_sign_in')?.status).toBe('planned');
    expect(stepOf(res.body, 'remove_licenses')?.status).toBe('planned');
    expect(stepOf(res.body, 'remove_member:Marketing')?.status).toBe('planned');
    expect(res.body.result).toMatchObject({ dry_run: true });
    expect(writesSince(seq)).toEqual([]);
    expect(sys.automation.jobs().length).toBe(jobs);
    expect(user(upn).accountEnabled).toBe(true);
  });

  it("handles quotes in names (conor.o'brien, O'Brien Team) and refuses an unknown forward address with a fix", async () => {
    const upn = "conor.o'brien@contoso.com";
    const id = user(upn).id;
    const res = await run(request({ 'User Email': upn, 'Remove Groups': true, 'Forward Email To': 'nobody.here@contoso.com' }));
    expect(res.body.status, JSON.stringify(res.body)).toBe('partial_success');
    expect(stepOf(res.body, "remove_member:O'Brien Team")?.status).toBe('succeeded');
    expect(stepOf(res.body, "remove_owner:O'Brien Team")?.status).toBe('skipped');
    expect(stepOf(res.body, 'forward_email')).toMatchObject({ status: 'failed', detail: expect.stringContaining('nobody.here@contoso.com') });
    expect(res.body.error).toMatchObject({ code: 'not_found', step: 'forward_email', fix: expect.stringContaining('spelling') });
    expect(group("O'Brien Team").members).not.toContain(id);
    expect(user(upn).accountEnabled).toBe(false);
  });

  it('answers accepted early when a runbook runs, then records the final outcome under the router claim', async () => {
    const upn = 'emily.braun@contoso.com';
    const req = request({ 'User Email': upn, 'Remove Groups': true });
    const routerRun = `08584000000000000000000000000CU${ticket}`;
    const claimed = await claim(req, routerRun);
    expect(claimed.outcome).toBe('claimed');
    const res = await run(req, { 'x-thread-claim-key': JSON.stringify(claimed.key), 'x-thread-router-run-id': routerRun });
    expect(res.body).toMatchObject({ status: 'accepted', result: { user: upn } });
    expect(res.body.steps?.find((s) => s.name === 'remove_member:Finance')?.status).toBe('planned');
    await finished(res.runId);
    const again = await claim(req, 'another-run');
    expect(again.outcome).toBe('duplicate');
    expect(again.storedResponse).toMatchObject({ status: 'success', run_id: routerRun, ticket_id: req.ticketId });
    expect(sys.automation.exchange.snapshot().DistributionGroups.find((g) => g.DisplayName === 'Finance')?.Members).not.toContain(upn);
    expect(actionsOf(res.runId).get('Record_final_outcome')?.status).toBe('Succeeded');
  });
});
