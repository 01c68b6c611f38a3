import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';
import { graphWritesSince, lastGraphSeq, postWebhook, waitForRun } from './support/webhook-harness.js';

/**
 * Exactly once per step, end to end (issue 11 findings 1 and 5; docs/workflow-design.md "Resuming a request"):
 * webhook → router claim → child → Graph stand-in, resent the way Thread resends a ticket.
 *
 * - A partial_success is resumed: the resend writes only what is missing and answers with both attempts.
 * - A run that died (cancelled through the management API, "Workflow Runs - Cancel",
 *   https://learn.microsoft.com/rest/api/appservice/workflow-runs/cancel) is taken over at once: the ledger asks the
 *   management API ("Workflow Runs - Get", https://learn.microsoft.com/rest/api/appservice/workflow-runs/get), which
 *   answers Cancelled, instead of waiting for the 15-minute lease.
 * - Password Reset always sets a new password on a resend: the ledger never keeps a one-time link, so a password an
 *   earlier run set can never be delivered again; the answer says it is replaced.
 */
let sys: LocalSystem;
let ticket = 990_000;

type TenantUser = { id: string; userPrincipalName: string };
type TenantGroup = { id: string; displayName: string; members: string[] };

beforeAll(async () => {
  sys = await startLocalSystem({ timeScale: 0.01 });
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

const post = (body: unknown) => postWebhook(sys, body);

function meta(id: number) {
  return { ticket_id: id, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' };
}

function tenant() {
  return sys.graph.admin.tenant() as unknown as { users: TenantUser[]; groups: TenantGroup[] };
}

function userId(upn: string): string {
  const user = tenant().users.find((u) => u.userPrincipalName === upn);
  if (!user) throw new Error(`no user ${upn}`);
  return user.id;
}

function group(name: string): TenantGroup {
  const found = tenant().groups.find((g) => g.displayName === name);
  if (!found) throw new Error(`no group ${name}`);
  return found;
}

const isMember = (upn: string, groupName: string) => group(groupName).members.includes(userId(upn));

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 800; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function fired(ruleId: string): number {
  return sys.graph.admin.faults().rules.find((r) => r.id === ruleId)?.fired ?? 0;
}

/** The running child run of `workflow` and the router run that started it. */
function runningChild(workflow: string): { child: string; router: string } | undefined {
  const run = sys.runtime.history.listRuns({ workflow }).find((r) => r.status === 'Running' && r.parentRun?.runName);
  return run?.parentRun ? { child: run.name, router: run.parentRun.runName } : undefined;
}

/** POST .../workflows/{workflow}/runs/{run}/cancel on the runtime's management API, as a support engineer would. */
async function cancelRun(workflow: string, runName: string): Promise<void> {
  const res = await fetch(`${sys.endpoints.runtime}/runtime/webhooks/workflow/api/management/workflows/${workflow}/runs/${runName}/cancel?api-version=2025-03-01`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
  if (res.status === 409) {
    // Already ended: the local runtime cancels a child with the parent run that waits for it.
    expect(sys.runtime.history.getRun(workflow, runName)?.status).not.toBe('Running');
    return;
  }
  expect(res.status, `cancel ${workflow} ${runName}`).toBeLessThan(300);
}

describe('exactly once per step (issue 11)', () => {
  it('finding 1: a partial success is completed by a resend that adds only the missing membership; a third resend is a duplicate', async () => {
    const upn = 'kai.carter@contoso.com';
    expect(isMember(upn, 'Sales Team') || isMember(upn, 'Engineering')).toBe(false);
    const engineering = group('Engineering').id;
    // Graph throttles every try at the Engineering membership (1 + the action's 4 retries), then recovers.
    sys.graph.admin.addFault({ method: 'POST', path: `/groups/${engineering}/members/$ref`, status: 429, retryAfter: 0, count: 5 });
    const payload = { intent_name: 'Add User to Group', intent_fields: { 'User Email': upn, 'Group Name': 'Sales Team, Engineering' }, meta_data: meta(++ticket) };

    const first = await post(payload);
    expect(first.body).toMatchObject({ status: 'partial_success' });
    expect(isMember(upn, 'Sales Team')).toBe(true);
    expect(isMember(upn, 'Engineering')).toBe(false);
    await waitForRun(sys, first.runId);

    const seq = lastGraphSeq(sys);
    const second = await post(payload);
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('success');
    expect(second.body.message).toMatch(new RegExp(`^Done earlier \\(run ${first.runId}, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\): .*Sales Team.* Done now: `));
    const steps = new Map((second.body.steps ?? []).map((s) => [s.name, s]));
    expect(steps.get('add_member:Sales Team')).toMatchObject({ status: 'succeeded', detail: expect.stringContaining(`Done earlier (run ${first.runId}`) });
    expect(steps.get('add_member:Engineering')).toMatchObject({ status: 'succeeded' });
    expect(steps.get('add_member:Engineering')?.detail).not.toContain('Done earlier');
    // Only the missing membership was written.
    expect(graphWritesSince(sys, seq)).toEqual([`POST /v1.0/groups/${engineering}/members/$ref 204`]);
    expect(isMember(upn, 'Engineering')).toBe(true);
    await waitForRun(sys, second.runId);

    const seq3 = lastGraphSeq(sys);
    const third = await post(payload);
    expect(third.body).toMatchObject({ status: 'duplicate', original_status: 'success', run_id: second.runId });
    expect(third.body.message).toContain('Nothing was changed this time.');
    expect(graphWritesSince(sys, seq3)).toEqual([]);
  });

  it('finding 5: a resend of a request whose run was cancelled mid-way is taken over at once, and no succeeded write is repeated', async () => {
    const upn = 'rosa.diaz@contoso.com';
    expect(isMember(upn, 'Sales Team') || isMember(upn, 'Engineering')).toBe(false);
    const sales = group('Sales Team').id;
    const engineering = group('Engineering').id;
    // The Engineering write is throttled once with a long Retry-After, so the run is still working when it is cancelled.
    const hold = sys.graph.admin.addFault({ method: 'POST', path: `/groups/${engineering}/members/$ref`, status: 429, retryAfter: 6_000, count: 1 });
    const payload = { intent_name: 'Add User to Group', intent_fields: { 'User Email': upn, 'Group Name': 'Sales Team, Engineering' }, meta_data: meta(++ticket) };
    const seq = lastGraphSeq(sys);

    const pending = post(payload).catch(() => undefined);
    await until('the Sales Team write and the throttled Engineering write', () => fired(hold.id) === 1 && graphWritesSince(sys, seq).includes(`POST /v1.0/groups/${sales}/members/$ref 204`));
    const running = runningChild('add-user-to-group');
    expect(running).toBeDefined();
    // The router first, so it cannot record the child's end as its own failure.
    await cancelRun('thread-webhook', running!.router);
    await cancelRun('add-user-to-group', running!.child);
    await pending;
    await waitForRun(sys, running!.router);
    expect(sys.runtime.history.getRun('thread-webhook', running!.router)?.status).toBe('Cancelled');
    expect(isMember(upn, 'Sales Team')).toBe(true);
    expect(isMember(upn, 'Engineering')).toBe(false);

    const seq2 = lastGraphSeq(sys);
    const started = Date.now();
    const resent = await post(payload);
    // Taken over at once: no in_progress answer and no wait for the lease (15 minutes).
    expect(resent.body.status).toBe('success');
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(resent.body.message).toMatch(new RegExp(`^Run ${running!.router} stopped without answering \\(Cancelled in the run history\\); this run checked the tenant again`));
    const steps = new Map((resent.body.steps ?? []).map((s) => [s.name, s]));
    expect(steps.get('add_member:Sales Team')).toMatchObject({ status: 'already_done' });
    expect(steps.get('add_member:Engineering')).toMatchObject({ status: 'succeeded' });
    // The Sales Team membership the cancelled run made is not written again.
    const writes = graphWritesSince(sys, seq2);
    expect(writes).toEqual([`POST /v1.0/groups/${engineering}/members/$ref 204`]);
    expect(graphWritesSince(sys, seq).filter((w) => w.startsWith(`POST /v1.0/groups/${sales}/`))).toHaveLength(1);
    expect(isMember(upn, 'Engineering')).toBe(true);
  });

  it('User Offboarding: a resend after a partial success signs the user out and scrambles the password only once', async () => {
    const upn = 'allan.deyoung@contoso.com';
    const id = userId(upn);
    // Removing the licences keeps failing (503 on every try); everything before it succeeds.
    sys.graph.admin.addFault({ method: 'POST', path: `/users/${id}/assignLicense`, status: 503, count: 50 });
    const payload = { intent_name: 'User Offboarding', intent_fields: { 'User Email': upn, 'Remove Licenses': true, 'Revoke Sessions': true }, meta_data: meta(++ticket) };
    const first = await post(payload);
    expect(first.body.status, JSON.stringify(first.body)).toBe('partial_success');
    const firstSteps = new Map((first.body.steps ?? []).map((s) => [s.name, s.status]));
    expect([firstSteps.get('revoke_sessions'), firstSteps.get('reset_password'), firstSteps.get('remove_licenses')]).toEqual(['succeeded', 'succeeded', 'failed']);
    await waitForRun(sys, first.runId);
    sys.graph.admin.clearFaults();

    const seq = lastGraphSeq(sys);
    const second = await post(payload);
    expect(second.body.status, JSON.stringify(second.body)).toBe('success');
    const steps = new Map((second.body.steps ?? []).map((s) => [s.name, s]));
    // Signing out and the random password leave nothing a look-up can see: the ledger's record decides.
    expect(steps.get('revoke_sessions')).toMatchObject({ status: 'succeeded', detail: expect.stringContaining(`Done earlier (run ${first.runId}`) });
    expect(steps.get('reset_password')).toMatchObject({ status: 'succeeded', detail: expect.stringContaining(`Done earlier (run ${first.runId}`) });
    expect(steps.get('remove_licenses')).toMatchObject({ status: 'succeeded' });
    expect(graphWritesSince(sys, seq)).toEqual([`POST /v1.0/users/${id}/assignLicense 200`]);
  });

  it('MFA Reset: methods removed earlier but the sign-out failed → a resend signs the user out and removes nothing again', async () => {
    const upn = 'alex.wilber@contoso.com';
    const id = userId(upn);
    // Signing out keeps failing in the first attempt; the method deletes succeed.
    sys.graph.admin.addFault({ method: 'POST', path: `/users/${id}/revokeSignInSessions`, status: 503, count: 50 });
    const payload = { intent_name: 'MFA Reset', intent_fields: { 'User Email': upn }, meta_data: meta(++ticket) };
    const first = await post(payload);
    expect(first.body.status, JSON.stringify(first.body)).toBe('partial_success');
    expect(first.body.steps?.find((s) => s.name === `revoke_sessions:${upn}`)?.status).toBe('failed');
    await waitForRun(sys, first.runId);
    sys.graph.admin.clearFaults();

    const seq = lastGraphSeq(sys);
    const second = await post(payload);
    expect(second.body.status, JSON.stringify(second.body)).toBe('success');
    // Nothing is left to remove, and a look-up cannot see a missing sign-out: the ledger's record says it is owed.
    expect(graphWritesSince(sys, seq)).toEqual([`POST /v1.0/users/${id}/revokeSignInSessions 200`]);
    expect(second.body.message).toMatch(new RegExp(`^Done earlier \\(run ${first.runId}, [^)]+\\): .+ Done now: Signed .+ out everywhere`));
    expect(second.body.steps?.filter((s) => s.name.startsWith('remove_method:')).every((s) => s.status === 'succeeded' && s.detail?.startsWith(`Done earlier (run ${first.runId}`))).toBe(true);
  });

  it('Password Reset: after a run that set the password but died before answering, a resend sets a new one and says the first never reached the requester', async () => {
    const upn = 'tomas.novak@contoso.com';
    const id = userId(upn);
    // The password write is slowed (latency only): the run is cancelled while Graph is applying it, so the password
    // changes but the answer with its link is never given.
    const slow = sys.graph.admin.addFault({ method: 'PATCH', path: `/users/${id}`, latencyMs: 1_500, count: 1 });
    const payload = { intent_name: 'Password Reset', intent_fields: { 'User Email': upn }, meta_data: meta(++ticket) };
    const seq = lastGraphSeq(sys);

    const pending = post(payload).catch(() => undefined);
    await until('the password write to reach Graph', () => fired(slow.id) === 1);
    const running = runningChild('password-reset');
    expect(running).toBeDefined();
    await cancelRun('thread-webhook', running!.router);
    await cancelRun('password-reset', running!.child);
    await pending;
    await until('the first password write to finish', () => graphWritesSince(sys, seq).length === 1);
    expect(graphWritesSince(sys, seq)).toEqual([`PATCH /v1.0/users/${id} 204`]);

    const resent = await post(payload);
    expect(resent.body.status).toBe('success');
    expect(String(resent.body.result?.password_link)).toContain('#k=');
    expect(resent.body.message).toMatch(new RegExp(`^Run ${running!.router} stopped without answering \\(Cancelled in the run history\\)`));
    expect(resent.body.steps?.find((s) => s.name === 'plan')?.detail).toContain(
      `Run ${running!.router} stopped without answering; any password it set never reached the requester, so a new password is set now and replaces it.`,
    );
    // One password per attempt: the lost one and the one delivered now.
    expect(graphWritesSince(sys, seq)).toEqual([`PATCH /v1.0/users/${id} 204`, `PATCH /v1.0/users/${id} 204`]);
  });
});
