import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken } from '../../local/standins/identity/token.js';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';
import { childRunActions, graphWritesSince, lastGraphSeq, postWebhook, waitForRun } from './support/webhook-harness.js';

/**
 * MFA Reset end to end: webhook → router → workflows/mfa-reset → plan helper → Graph stand-in,
 * checked in the tenant, the Graph request log, the run history and the outbox.
 */
let sys: LocalSystem;
let ticket = 730_000;

type TenantUser = { id: string; userPrincipalName: string; authMethods: Array<{ type: string; id: string; isDefault?: boolean }> };
const user = (upn: string) => (sys.graph.admin.tenant() as unknown as { users: TenantUser[] }).users.find((u) => u.userPrincipalName === upn)!;
const lastSeq = () => lastGraphSeq(sys);

const post = (body: unknown) => postWebhook(sys, body);

function payload(fields: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    intent_name: 'MFA Reset',
    intent_fields: fields,
    meta_data: { ticket_id: ++ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' },
    ...extra,
  };
}

const writesSince = (seq: number) => graphWritesSince(sys, seq);

const finished = (runName: string) => waitForRun(sys, runName);

const childActions = (routerRun: string) => childRunActions(sys, 'mfa-reset', routerRun);

async function sessionsValidFrom(upn: string): Promise<unknown> {
  const token = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '00000000-0000-0000-0000-0000000000aa', roles: ['User.Read.All'] });
  const res = await fetch(`${sys.endpoints.graph}/v1.0/users/${encodeURIComponent(upn)}?$select=signInSessionsValidFromDateTime`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await res.json()) as { signInSessionsValidFromDateTime?: unknown }).signInSessionsValidFromDateTime;
}

const deletePath = (u: TenantUser, segment: string, id: string) => `/v1.0/users/${u.id}/authentication/${segment}/${encodeURIComponent(id)}`;
const mailFor = (id: number) => sys.outlook.outbox().filter((m) => m.subject.endsWith(`Ticket #${id}`));

beforeAll(async () => {
  sys = await startLocalSystem({ timeScale: 0.01 });
}, 120_000);

afterEach(() => {
  sys.graph.admin.clearFaults();
});

afterAll(async () => {
  await sys?.stop();
});

describe('MFA Reset', () => {
  it('removes every method but the password, one DELETE each in order, default (Authenticator) last, then revokes sessions', async () => {
    const upn = 'miriam.graham@contoso.com';
    const before = user(upn);
    const sessionsBefore = await sessionsValidFrom(upn);
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': upn }));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'success', intent: 'MFA Reset', ticket_id: ticket, run_id: res.runId });
    expect(res.body.result).toMatchObject({ user: upn, method: 'All', not_removed: [], sessions_revoked: true });
    expect((res.body.result?.removed as string[]).length).toBe(before.authMethods.length);
    expect(res.body.steps?.every((s) => s.status === 'succeeded')).toBe(true);
    expect(user(upn).authMethods).toEqual([]);
    expect(await sessionsValidFrom(upn)).not.toBe(sessionsBefore);

    const writes = writesSince(seq);
    expect(writes).toHaveLength(before.authMethods.length + 1);
    expect(writes.every((w, i) => (i < writes.length - 1 ? / 204$/.test(w) && w.startsWith('DELETE ') : w === `POST /v1.0/users/${before.id}/revokeSignInSessions 200`))).toBe(true);
    const authenticator = before.authMethods.find((m) => m.type === 'microsoftAuthenticator')!;
    expect(writes.at(-2)).toBe(`DELETE ${deletePath(before, 'microsoftAuthenticatorMethods', authenticator.id)} 204`);
    // Never the generic, unroutable /authentication/methods/{id}, never the password method.
    expect(writes.some((w) => w.includes('/authentication/methods/') || w.includes('passwordMethods'))).toBe(false);

    const actions = childActions(res.runId);
    expect(actions.get('For_each_method')).toMatchObject({ status: 'Succeeded', repetitionCount: before.authMethods.length });
    expect(actions.get('Revoke_sign_in_sessions')?.status).toBe('Succeeded');
    await finished(res.runId);
    expect(mailFor(ticket)).toEqual([]);
  });

  it("removes the user's default method last when Graph (beta signInPreferences) names it: no refused delete", async () => {
    const upn = 'adele.vance@contoso.com';
    const before = user(upn);
    const phone = before.authMethods.find((m) => m.type === 'phone')!;
    expect(phone.isDefault).toBe(true);
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': upn, 'MFA Method to Reset': 'all' }));
    expect(res.body.status).toBe('success');
    expect(user(upn).authMethods).toEqual([]);
    const deletes = writesSince(seq).filter((w) => w.startsWith('DELETE'));
    expect(deletes.at(-1)).toBe(`DELETE ${deletePath(before, 'phoneMethods', phone.id)} 204`);
    expect(deletes.every((w) => w.endsWith(' 204'))).toBe(true);
    expect(childActions(res.runId).get('Delete_default_method')?.status ?? 'Skipped').toBe('Skipped');
  });

  it('when Graph cannot name the default, removes it once the others are gone', async () => {
    // The previous test removed Adele's methods: start from the shipped tenant again.
    sys.graph.admin.reset();
    // beta signInPreferences unavailable: the plan falls back to the usual ranking (Authenticator last),
    // so Adele's default (her mobile phone) is refused first and deleted again after the others.
    sys.graph.admin.addFault({ path: '/users/*/authentication/signInPreferences', status: 429, retryAfter: 0, count: 20 });
    const upn = 'adele.vance@contoso.com';
    const before = user(upn);
    const phone = before.authMethods.find((m) => m.type === 'phone')!;
    expect(phone.isDefault).toBe(true);
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': upn, 'MFA Method to Reset': 'all' }));
    expect(res.body.status).toBe('success');
    expect(res.body.steps?.find((s) => s.name.startsWith('remove_method:Phone'))?.detail).toMatch(/default method/);
    expect(user(upn).authMethods).toEqual([]);
    const phoneDelete = `DELETE ${deletePath(before, 'phoneMethods', phone.id)}`;
    expect(writesSince(seq).filter((w) => w.startsWith(phoneDelete))).toEqual([`${phoneDelete} 400`, `${phoneDelete} 204`]);
    expect(childActions(res.runId).get('Delete_default_method')?.status).toBe('Succeeded');
  });

  it('removes only the requested kind', async () => {
    const upn = 'kai.carter@contoso.com';
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': upn, 'MFA Method to Reset': 'SMS' }));
    expect(res.body.status).toBe('success');
    expect(res.body.result).toMatchObject({ method: 'Phone', removed: [expect.stringMatching(/^Phone \(mobile/)] });
    expect(writesSince(seq).filter((w) => w.startsWith('DELETE'))).toHaveLength(1);
    expect(user(upn).authMethods).toEqual([]);
  });

  it('answers success with a clear message and writes nothing when no method matches', async () => {
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': 'christie.cline@contoso.com', 'MFA Method to Reset': 'FIDO2' }));
    expect(res.body.status).toBe('success');
    expect(String(res.body.message)).toMatch(/no FIDO2 methods registered.*Registered: Phone/);
    expect(res.body.result).toMatchObject({ removed: [], sessions_revoked: false });
    expect(writesSince(seq)).toEqual([]);
  });

  it('partial_success (and a [PARTIAL] mail) when some methods are removed and others not', async () => {
    const upn = 'alex.wilber@contoso.com';
    // Authenticator (the default, removed last) keeps failing; FIDO2 goes first and is removed.
    sys.graph.admin.addFault({ method: 'DELETE', path: '/users/*/authentication/microsoftAuthenticatorMethods/*', status: 503, count: 50 });
    const res = await post(payload({ 'User Email': upn }));
    expect(res.body.status).toBe('partial_success');
    expect(res.body.error).toMatchObject({ code: 'service_unavailable' });
    const byStatus = Object.fromEntries((res.body.steps ?? []).map((s) => [s.name.split(' ')[0], s.status]));
    expect(byStatus).toMatchObject({ 'remove_method:FIDO2': 'succeeded', 'remove_method:Authenticator': 'failed', [`revoke_sessions:${upn}`]: 'succeeded' });
    expect(user(upn).authMethods.map((m) => m.type)).toEqual(['microsoftAuthenticator']);
    await finished(res.runId);
    const mail = mailFor(ticket);
    expect(mail.map((m) => m.subject)).toEqual([`[PARTIAL] Thread Automation: MFA Reset — Ticket #${ticket}`]);
    expect(mail[0]!.body).toContain('Authenticator');
  }, 60_000);

  it('refuses an administrator, writes nothing and tells the MSP', async () => {
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': 'isaiah.langer@contoso.com' }));
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'refused', step: 'check_privileged' });
    expect(String(res.body.message)).toContain('Helpdesk Administrator');
    expect(writesSince(seq)).toEqual([]);
    await finished(res.runId);
    expect(mailFor(ticket).map((m) => m.subject)).toEqual([`[FAILED] Thread Automation: MFA Reset — Ticket #${ticket}`]);
  });

  it('reports an unknown user as not found without writing', async () => {
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': 'nobody.here@contoso.com' }));
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatchObject({ code: 'not_found' });
    expect(String(res.body.message)).toContain('nobody.here@contoso.com');
    expect(writesSince(seq)).toEqual([]);
  });

  it('still succeeds when Graph throttles a share of the calls (429 with Retry-After)', async () => {
    const upn = 'emily.braun@contoso.com';
    const seq = lastSeq();
    const share = sys.graph.admin.addFault({ path: '/**', status: 429, retryAfter: 1, probability: 0.4, seed: 5 });
    sys.graph.admin.addFault({ method: 'DELETE', path: '/users/*/authentication/*/*', status: 429, retryAfter: 1, count: 2 });
    const res = await post(payload({ 'User Email': upn }));
    sys.graph.admin.clearFaults();
    expect(res.body.status).toBe('success');
    expect(user(upn).authMethods).toEqual([]);
    const log = sys.graph.admin.requests(seq);
    expect(log.some((r) => r.status === 429 && r.fault === share.id)).toBe(true);
    expect(log.filter((r) => r.method === 'DELETE' && r.status === 204)).toHaveLength(1);
  }, 60_000);

  it('a duplicate delivered concurrently deletes each method exactly once', async () => {
    const upn = 'lenore.pierce@contoso.com';
    const count = user(upn).authMethods.length;
    const seq = lastSeq();
    const body = payload({ 'User Email': upn });
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(body)));
    const statuses = answers.map((a) => a.body.status);
    expect(statuses.filter((s) => s === 'success')).toHaveLength(1);
    expect(statuses.every((s) => s === 'success' || s === 'duplicate' || s === 'in_progress')).toBe(true);
    expect(writesSince(seq).filter((w) => w.startsWith('DELETE'))).toHaveLength(count);
    expect(writesSince(seq).filter((w) => w.includes('revokeSignInSessions'))).toHaveLength(1);
  });

  it('dry run: lists the planned deletions and writes nothing', async () => {
    const upn = 'li.wei@contoso.com';
    const before = user(upn).authMethods.length;
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': upn }, { dry_run: true }));
    expect(res.body).toMatchObject({ status: 'success', dry_run: true });
    expect(res.body.steps?.slice(1).every((s) => s.status === 'planned')).toBe(true);
    expect(res.body.steps).toHaveLength(before + 2);
    expect(writesSince(seq)).toEqual([]);
    expect(user(upn).authMethods).toHaveLength(before);
  });

  it('answers 400 naming the field for an ambiguous method kind', async () => {
    const seq = lastSeq();
    const res = await post(payload({ 'User Email': 'li.wei@contoso.com', 'MFA Method to Reset': 'OATH' }));
    expect(res.status).toBe(400);
    expect(res.body.problems?.map((p) => p.path).join(' ')).toContain('MFA Method to Reset');
    expect(writesSince(seq)).toEqual([]);
  });

  it("handles a user name with a quote (conor.o'brien)", async () => {
    const upn = "conor.o'brien@contoso.com";
    const res = await post(payload({ 'User Email': upn }));
    expect(res.body.status).toBe('success');
    expect(user(upn).authMethods).toEqual([]);
  });
});
