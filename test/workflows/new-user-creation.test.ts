import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateWebhook } from '../../lib/contract/index.js';
import { getLedger } from '../../lib/idempotency/index.js';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';
import { callChildAsRouter } from './support/router-dispatch.js';

/**
 * New User Creation end to end through the child's own signed trigger (the router's Switch case is
 * added by the lead): plan helper → Graph stand-in (and the Automation stand-in for distribution
 * lists), checked in the tenant, the Graph request log, Exchange state and the run history.
 */
let sys: LocalSystem;
let dataDir: string;
let ticket = 760_000;

interface Outcome {
  status: string;
  message: string;
  steps: Array<{ name: string; status: string; detail?: string }>;
  result: Record<string, unknown>;
  error?: Record<string, unknown>;
}
type TenantUser = { id: string; userPrincipalName: string; displayName: string; mailNickname?: string; usageLocation?: string | null; givenName?: string | null; jobTitle?: string | null; managerId?: string | null; licenses: Array<{ skuId: string }>; forceChangePasswordNextSignIn?: boolean };
type Tenant = { users: TenantUser[]; groups: Array<{ id: string; displayName: string; members: string[] }>; subscribedSkus: Array<{ skuId: string; skuPartNumber: string }> };

const tenant = () => sys.graph.admin.tenant() as unknown as Tenant;
const userBy = (upn: string) => tenant().users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
const group = (name: string) => tenant().groups.find((g) => g.displayName === name)!;
const sku = (part: string) => tenant().subscribedSkus.find((s) => s.skuPartNumber === part)!;
const lastSeq = () => sys.graph.admin.requests().at(-1)?.seq ?? 0;

function writesSince(seq: number): string[] {
  return sys.graph.admin
    .requests(seq)
    .filter((r) => r.method !== 'GET' && !(r.method === 'POST' && r.path.endsWith('/$batch')))
    .map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '{id}')} ${r.status}`);
}

function normalised(fields: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const checked = validateWebhook({
    intent_name: 'New User Creation',
    intent_fields: fields,
    meta_data: { ticket_id: ++ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' },
    ...extra,
  });
  if (!checked.ok) throw new Error(`invalid test payload: ${JSON.stringify(checked)}`);
  return checked.request;
}

async function run(fields: Record<string, unknown>, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<{ body: Outcome; runName: string }> {
  const request = normalised(fields, extra);
  const url = sys.endpoints.triggers['new-user-creation'];
  expect(url, 'signed trigger URL of new-user-creation').toBeDefined();
  const res = await callChildAsRouter(sys, 'new-user-creation', request, headers);
  expect(res.status).toBe(200);
  return { body: (await res.json()) as Outcome, runName: res.headers.get('x-ms-workflow-run-id') ?? '' };
}

const stepsOf = (o: Outcome) => o.steps.map((s) => `${s.name}=${s.status}`);

function addMailbox(upn: string, displayName: string): void {
  const state = sys.automation.exchange.snapshot();
  state.Mailboxes.push({ UserPrincipalName: upn, PrimarySmtpAddress: upn, DisplayName: displayName, Alias: upn.split('@')[0]!, RecipientTypeDetails: 'UserMailbox', EmailAddresses: [`SMTP:${upn}`], HiddenFromAddressListsEnabled: false, ForwardingSmtpAddress: null, DeliverToMailboxAndForward: false, GrantSendOnBehalfTo: [], FullAccess: [], SendAs: [], AutoReplyState: 'Disabled', InternalMessage: null, ExternalMessage: null, ExternalAudience: 'All' });
  sys.automation.exchange.load(state);
}

async function actions(runName: string) {
  // Runbook jobs run the real PowerShell when it is installed: allow for its start-up on a busy machine.
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const r = sys.runtime.history.getRun('new-user-creation', runName);
    if (r && r.status !== 'Running' && r.status !== 'Waiting') break;
    await new Promise((res) => setTimeout(res, 25));
  }
  return new Map(sys.runtime.history.listActions('new-user-creation', runName).map((a) => [a.name, a]));
}

async function reveal(link: string): Promise<string | undefined> {
  const url = new URL(link);
  const key = new URLSearchParams(url.hash.slice(1)).get('k') ?? '';
  const res = await fetch(`${url.origin}${url.pathname}/reveal`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key }) });
  return ((await res.json()) as { secret?: string }).secret;
}

/**
 * Every file the runtime keeps (run history, action inputs/outputs) as one text, minus the Response
 * body the runtime saves on the run record (known runtime issue, see password-reset.test.ts `it.fails`).
 */
async function historyText(): Promise<string> {
  const texts: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        for (const line of (await readFile(path, 'utf8')).split('\n')) {
          texts.push(line.startsWith('{"k":"run"') ? JSON.stringify({ ...(JSON.parse(line) as { run: object }).run, response: undefined }) : line);
        }
      }
    }
  };
  await walk(join(dataDir, 'runtime'));
  return texts.join('\n');
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'new-user-'));
  sys = await startLocalSystem({ timeScale: 0.01, dataDir });
}, 120_000);

afterEach(() => {
  sys.graph.admin.clearFaults();
  sys.graph.admin.setReplicationLag(0);
});

afterAll(async () => {
  await sys?.stop();
});

describe('New User Creation', () => {
  it('creates the account with a usage location, licence and groups, and delivers the password only by one-time link', async () => {
    const upn = 'ada.lovelace@contoso.com';
    expect(userBy(upn)).toBeUndefined();
    const seq = lastSeq();
    const { body, runName } = await run({
      'Display Name': 'Ada Lovelace',
      Email: upn,
      'First Name': 'Ada',
      'Last Name': 'Lovelace',
      'Job Title': 'Analyst',
      'License SKU': 'Microsoft 365 E3',
      'Group Memberships': 'Sales Team, Marketing',
    });
    expect(body.status, body.message).toBe('success');
    expect(stepsOf(body)).toEqual([
      'plan=succeeded',
      'prepare_password=succeeded',
      `create_user:${upn}=succeeded`,
      'assign_license:Microsoft 365 E3=succeeded',
      'add_member:Sales Team=succeeded',
      'add_member:Marketing=succeeded',
    ]);
    const created = userBy(upn)!;
    expect(created).toMatchObject({ displayName: 'Ada Lovelace', mailNickname: 'ada.lovelace', usageLocation: 'US', givenName: 'Ada', jobTitle: 'Analyst' });
    const createBody = sys.graph.admin.requests(seq).find((r) => r.method === 'POST' && r.path === '/v1.0/users')?.body as Record<string, unknown>;
    expect(createBody).toMatchObject({ accountEnabled: true, userPrincipalName: upn, mailNickname: 'ada.lovelace', surname: 'Lovelace', usageLocation: 'US', passwordProfile: { forceChangePasswordNextSignIn: true } });
    expect(created.licenses.map((l) => l.skuId)).toEqual([sku('SPE_E3').skuId]);
    expect(group('Sales Team').members).toContain(created.id);
    expect(group('Marketing').members).toContain(created.id);
    expect(body.result).toMatchObject({ user: upn, user_id: created.id, created: true, license: 'Microsoft 365 E3' });
    expect(writesSince(seq).sort()).toEqual(
      ['POST /v1.0/users 201', 'POST /v1.0/users/{id}/assignLicense 200', 'POST /v1.0/groups/{id}/members/$ref 204', 'POST /v1.0/groups/{id}/members/$ref 204'].sort(),
    );

    const link = String(body.result.password_link);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const byName = await actions(runName);
    expect(byName.get('Create_user')?.status).toBe('Succeeded');
    expect(byName.get('Revoke_password_link')?.status ?? 'Skipped').toBe('Skipped');
    const password = await reveal(link);
    expect(password).toBeTruthy();
    expect(JSON.stringify(body)).not.toContain(password!);
    const history = await historyText();
    expect(history).not.toContain(password!);
    // The link's key (URL fragment) decrypts the password: it must not sit in run history either.
    expect(history).not.toContain(new URLSearchParams(new URL(link).hash.slice(1)).get('k')!);
    expect(JSON.stringify(sys.graph.admin.requests(seq))).not.toContain(password!);
  });

  it('a retried ticket recognises the account it created and adds only what is missing', async () => {
    const upn = 'grace.hopper@contoso.com';
    const first = await run({ 'Display Name': 'Grace Hopper', Email: upn });
    expect(first.body.status).toBe('success');
    const seq = lastSeq();
    const again = await run({ 'Display Name': 'Grace Hopper', Email: upn, 'Group Memberships': 'Engineering' });
    expect(again.body.status, again.body.message).toBe('success');
    expect(stepsOf(again.body)).toEqual(['plan=succeeded', `create_user:${upn}=already_done`, 'add_member:Engineering=succeeded']);
    expect(again.body.result).not.toHaveProperty('password_link');
    expect(writesSince(seq)).toEqual(['POST /v1.0/groups/{id}/members/$ref 204']);
    expect(tenant().users.filter((u) => u.userPrincipalName === upn)).toHaveLength(1);
  });

  it('refuses a sign-in name someone else holds, naming them, and writes nothing', async () => {
    const existing = tenant().users.find((u) => u.userPrincipalName === 'adele.vance@contoso.com')!;
    const seq = lastSeq();
    const { body } = await run({ 'Display Name': 'Adele Vance-Smith', Email: existing.userPrincipalName });
    expect(body.status).toBe('failed');
    expect(body.error).toMatchObject({ code: 'conflict', step: 'check_existing_user' });
    expect(body.message).toContain(`a user with this sign-in name already exists: ${existing.userPrincipalName} (${existing.displayName})`.replace(/^a/, 'A'));
    expect(writesSince(seq)).toEqual([]);
  });

  it('refuses an unverified domain, listing the verified ones', async () => {
    const seq = lastSeq();
    const { body } = await run({ 'Display Name': 'Lab User', Email: 'lab.user@contoso-labs.com' });
    expect(body.status).toBe('failed');
    expect(body.error).toMatchObject({ code: 'validation_failed', step: 'check_domain' });
    expect(String(body.error?.fix)).toContain('contoso.com');
    expect(writesSince(seq)).toEqual([]);
  });

  it('refuses an unknown licence before creating anything', async () => {
    const seq = lastSeq();
    const { body } = await run({ 'Display Name': 'No Licence', Email: 'no.licence@contoso.com', 'License SKU': 'E3' });
    expect(body.status).toBe('failed');
    expect(body.error).toMatchObject({ code: 'not_found' });
    expect(userBy('no.licence@contoso.com')).toBeUndefined();
    expect(writesSince(seq)).toEqual([]);
  });

  it('dry run: returns the plan and writes nothing', async () => {
    const seq = lastSeq();
    const { body, runName } = await run({ 'Display Name': 'Dry Run', Email: 'dry.run@contoso.com', 'License SKU': 'SPB', 'Group Memberships': 'Sales Team' }, { dry_run: true });
    expect(body.status).toBe('success');
    expect(stepsOf(body)).toEqual(['plan=succeeded', 'create_user:dry.run@contoso.com=planned', 'assign_license:Microsoft 365 Business Premium=planned', 'add_member:Sales Team=planned']);
    expect(body.result).toMatchObject({ dry_run: true });
    expect(body.result).not.toHaveProperty('password_link');
    expect(writesSince(seq)).toEqual([]);
    expect(userBy('dry.run@contoso.com')).toBeUndefined();
    expect((await actions(runName)).get('Prepare_temporary_password')?.status ?? 'Skipped').toBe('Skipped');
  });

  it('partial_success when a group is refused (dynamic) or unknown; the account and other groups are made', async () => {
    const upn = "liam.o'neil@contoso.com";
    const { body } = await run({ 'Display Name': "Liam O'Neil", Email: upn, 'Group Memberships': "O'Brien Team, All Users, Nope Group" });
    expect(body.status).toBe('partial_success');
    expect(stepsOf(body)).toEqual([
      'plan=succeeded',
      'prepare_password=succeeded',
      `create_user:${upn}=succeeded`,
      "add_member:O'Brien Team=succeeded",
      'add_member:All Users=failed',
      'add_member:Nope Group=failed',
    ]);
    const created = userBy(upn)!;
    expect(created.mailNickname).toBe("liam.o'neil");
    expect(group("O'Brien Team").members).toContain(created.id);
    expect(body.error).toMatchObject({ code: 'refused' });
    expect(String(body.result.password_link)).toContain('http');
  });

  it('survives replication lag and throttling (429 + Retry-After) after creation', async () => {
    sys.graph.admin.setReplicationLag(300);
    sys.graph.admin.addFault({ method: 'POST', path: '/users/*/assignLicense', status: 429, retryAfter: 1, count: 2 });
    sys.graph.admin.addFault({ method: 'POST', path: '/users', status: 429, retryAfter: 1, count: 1 });
    const upn = 'katherine.johnson@contoso.com';
    const { body } = await run({ 'Display Name': 'Katherine Johnson', Email: upn, 'License SKU': 'SPB', 'Usage Location': 'gb', 'Group Memberships': 'Engineering' });
    expect(body.status, body.message).toBe('success');
    const created = userBy(upn)!;
    expect(created.usageLocation).toBe('GB');
    expect(created.licenses.map((l) => l.skuId)).toEqual([sku('SPB').skuId]);
    expect(group('Engineering').members).toContain(created.id);
    expect(tenant().users.filter((u) => u.userPrincipalName === upn)).toHaveLength(1);
  }, 180_000);

  it('adds to a distribution list through the Exchange runbook once the mailbox exists', async () => {
    const upn = 'alan.turing@contoso.com';
    addMailbox(upn, 'Alan Turing');
    const seq = lastSeq();
    const { body } = await run({ 'Display Name': 'Alan Turing', Email: upn, 'License SKU': 'SPB', 'Group Memberships': 'All Staff' });
    expect(body.status, body.message).toBe('success');
    expect(stepsOf(body)).toContain('add_member:All Staff=succeeded');
    expect(sys.automation.exchange.getGroupMembers('all-staff@contoso.com')).toContain(upn);
    expect(writesSince(seq).filter((w) => w.includes('/groups/'))).toEqual([]);
  });

  it('sets the manager with PUT manager/$ref to the resolved manager', async () => {
    const manager = tenant().users.find((u) => u.userPrincipalName === 'adele.vance@contoso.com')!;
    const upn = 'mary.jackson@contoso.com';
    const seq = lastSeq();
    const { body } = await run({ 'Display Name': 'Mary Jackson', Email: upn, 'Manager Email': manager.userPrincipalName });
    const created = userBy(upn)!;
    const put = sys.graph.admin.requests(seq).find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/v1.0/users/${created.id}/manager/$ref`);
    expect(put?.body).toEqual({ '@odata.id': `${sys.endpoints.graph}/v1.0/users/${manager.id}` });
    expect(body.result).toMatchObject({ manager: manager.userPrincipalName });
    // The step reports what Graph answered: succeeded on 204, failed (partial_success) otherwise.
    const step = body.steps.find((s) => s.name === `set_manager:${upn}`);
    expect(step?.status).toBe(put?.status === 204 ? 'succeeded' : 'failed');
    expect(body.status).toBe(put?.status === 204 ? 'success' : 'partial_success');
  });

  it('partial_success when the licence write keeps failing after the account was made', async () => {
    sys.graph.admin.addFault({ method: 'POST', path: '/users/*/assignLicense', status: 503, count: 50 });
    const upn = 'dorothy.vaughan@contoso.com';
    const { body } = await run({ 'Display Name': 'Dorothy Vaughan', Email: upn, 'License SKU': 'SPB', 'Group Memberships': 'Engineering' });
    expect(body.status).toBe('partial_success');
    expect(stepsOf(body)).toEqual(['plan=succeeded', 'prepare_password=succeeded', `create_user:${upn}=succeeded`, 'assign_license:Microsoft 365 Business Premium=failed', 'add_member:Engineering=succeeded']);
    expect(body.error).toMatchObject({ code: 'service_unavailable', step: 'assign_license:Microsoft 365 Business Premium' });
    expect(String(body.result.password_link)).toContain('http');
    expect(userBy(upn)?.licenses).toEqual([]);
  }, 180_000);

  it('a distribution list before Exchange knows the new mailbox: partial_success saying when to retry', async () => {
    const upn = 'mae.jemison@contoso.com';
    const { body } = await run({ 'Display Name': 'Mae Jemison', Email: upn, 'Group Memberships': 'All Staff' });
    expect(body.status).toBe('partial_success');
    expect(stepsOf(body)).toContain('add_member:All Staff=failed');
    expect(String(body.error?.fix)).toContain('Add User to Group');
    expect(sys.automation.exchange.getGroupMembers('all-staff@contoso.com')).not.toContain(upn);
    expect(userBy(upn)).toBeDefined();
  });

  it("with a distribution list and the router's claim: answers accepted with the link, then finishes the claim itself", async () => {
    const upn = 'edith.clarke@contoso.com';
    addMailbox(upn, 'Edith Clarke');
    const fields = { 'Display Name': 'Edith Clarke', Email: upn, 'Group Memberships': 'All Staff, Sales Team' };
    const request = normalised(fields);
    ticket--; // run() below sends the same ticket again
    const subject = { ticketId: request.ticketId, intent: request.intent, fieldsHash: request.fieldsHash };
    const claim = await getLedger().claim(subject, 'router-run-edith');
    expect(claim.outcome).toBe('claimed');
    const mails = sys.outlook.outbox().length;

    const { body, runName } = await run(fields, {}, { 'x-thread-claim-key': JSON.stringify(claim.key), 'x-thread-router-run-id': 'router-run-edith' });
    const byName = await actions(runName);
    expect(body.status).toBe('accepted');
    expect(body.steps[0]).toMatchObject({ name: `create_user:${upn}`, status: 'succeeded' });
    expect(body.steps.map((s) => `${s.name}=${s.status}`)).toEqual([`create_user:${upn}=succeeded`, 'add_member:All Staff=planned', 'add_member:Sales Team=planned']);
    expect(String(body.result.password_link)).toContain('#k=');
    expect(body.result.user_id).toBe(userBy(upn)!.id);

    expect(byName.get('Record_final_outcome')?.status).toBe('Succeeded');
    expect(byName.get('Respond')?.status ?? 'Skipped').toBe('Skipped');
    expect(sys.automation.exchange.getGroupMembers('all-staff@contoso.com')).toContain(upn);
    expect(group('Sales Team').members).toContain(userBy(upn)!.id);
    const again = await getLedger().claim(subject, 'router-run-retry');
    expect(again.outcome).toBe('duplicate');
    const stored = (again as { storedResponse: { status: string; run_id: string; result: Record<string, unknown> } }).storedResponse;
    expect(stored).toMatchObject({ status: 'success', run_id: 'router-run-edith' });
    expect(JSON.stringify(stored)).not.toContain(new URL(String(body.result.password_link)).hash);
    expect(sys.outlook.outbox().length).toBe(mails);
  });

  it('after an early accepted, a failed distribution list makes the stored outcome partial_success and the workflow e-mails the MSP', async () => {
    const upn = 'hedy.lamarr@contoso.com';
    const fields = { 'Display Name': 'Hedy Lamarr', Email: upn, 'Group Memberships': 'All Staff' };
    const request = normalised(fields);
    ticket--;
    const subject = { ticketId: request.ticketId, intent: request.intent, fieldsHash: request.fieldsHash };
    const claim = await getLedger().claim(subject, 'router-run-hedy');
    const { body, runName } = await run(fields, {}, { 'x-thread-claim-key': JSON.stringify(claim.key), 'x-thread-router-run-id': 'router-run-hedy' });
    const byName = await actions(runName);
    expect(body.status).toBe('accepted');
    expect(byName.get('Notify_MSP')?.status).toBe('Succeeded');
    // A partial_success is not final (issue 11 finding 1): a resend resumes it with what was done, so only the
    // missing distribution list is tried again (lib/idempotency/ledger.ts, docs/workflow-design.md "Resuming a request").
    const again = await getLedger().claim(subject, 'router-run-retry');
    expect(again).toMatchObject({ outcome: 'claimed', takeover: 'resume', previous: { status: 'partial_success', runId: 'router-run-hedy' } });
    const previous = (again as { previous?: { completedSteps: Array<{ name: string; status: string }> } }).previous;
    expect(previous?.completedSteps).toContainEqual(expect.objectContaining({ name: `create_user:${upn}`, status: 'succeeded', runId: 'router-run-hedy' }));
    expect(previous?.completedSteps.map((s) => s.name)).not.toContain('add_member:All Staff');
    const mail = sys.outlook.outbox().filter((m) => m.subject.endsWith(`Ticket #${request.ticketId}`));
    expect(mail.map((m) => m.subject)).toEqual([`[PARTIAL] Thread Automation: New User Creation — Ticket #${request.ticketId}`]);
    expect(mail[0]!.body).not.toContain(String(body.result.password_link));
    expect(mail[0]!.body).not.toContain('#k=');
  });

  it('creation failing (Graph keeps answering 503) → failed, the one-time link revoked, nothing else written', async () => {
    sys.graph.admin.addFault({ method: 'POST', path: '/users', status: 503, count: 50 });
    const seq = lastSeq();
    const { body, runName } = await run({ 'Display Name': 'Denied User', Email: 'denied.user@contoso.com', 'Group Memberships': 'Sales Team' });
    expect(body.status).toBe('failed');
    expect(body.error).toMatchObject({ code: 'service_unavailable' });
    expect(body.result).not.toHaveProperty('password_link');
    expect(stepsOf(body)).toEqual(['plan=succeeded', 'prepare_password=succeeded', 'create_user:denied.user@contoso.com=failed', 'revoke_link=succeeded']);
    expect((await actions(runName)).get('Revoke_password_link')?.status).toBe('Succeeded');
    expect(new Set(writesSince(seq))).toEqual(new Set(['POST /v1.0/users 503']));
    expect(userBy('denied.user@contoso.com')).toBeUndefined();
  });
});
