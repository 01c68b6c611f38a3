import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateWebhook } from '../../lib/contract/index.js';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';
import { issueDispatch } from './support/router-dispatch.js';
import { childRunActions, lastGraphSeq, postWebhook, waitForRun } from './support/webhook-harness.js';

/**
 * Children accept calls only from the router (issue 11, finding 11; docs/workflow-design.md, "Who may call a
 * child workflow"). A child's signed trigger URL alone is not enough: without a single-use dispatch the router
 * obtained for this very intent, the child answers 403 not_called_by_router, ends its run Failed and changes
 * nothing (no plan, no Graph call, no runbook job). Through the router the same children run as before.
 */
let sys: LocalSystem;
let ticket = 990_000;

const USER = 'adele.vance@contoso.com';
const CHILDREN: Record<string, { intentName: string; fields: Record<string, unknown> }> = {
  'password-reset': { intentName: 'Password Reset', fields: { 'User Email': USER } },
  'add-user-to-group': { intentName: 'Add User to Group', fields: { 'User Email': USER, 'Group Name': 'All Staff' } },
  'remove-user-from-group': { intentName: 'Remove User from Group', fields: { 'User Email': USER, 'Group Name': 'Marketing' } },
  'license-assignment': { intentName: 'License Assignment', fields: { 'User Email': USER, 'License SKU': 'SPB' } },
  'mfa-reset': { intentName: 'MFA Reset', fields: { 'User Email': USER } },
  'new-user-creation': { intentName: 'New User Creation', fields: { 'Display Name': 'Pat Direct', Email: 'pat.direct@contoso.com', 'First Name': 'Pat', 'Last Name': 'Direct' } },
  'user-offboarding': { intentName: 'User Offboarding', fields: { 'User Email': USER, 'Convert to Shared Mailbox': 'yes' } },
  'shared-mailbox-permission': { intentName: 'Shared Mailbox Permission', fields: { 'Shared Mailbox Email': 'support@contoso.com', 'User Email': USER } },
};

function payload(intentName: string, fields: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { intent_name: intentName, intent_fields: fields, meta_data: { ticket_id: ++ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' }, ...extra };
}

function normalised(workflow: string) {
  const child = CHILDREN[workflow]!;
  const checked = validateWebhook(payload(child.intentName, child.fields));
  if (!checked.ok) throw new Error(`invalid test payload for ${workflow}: ${JSON.stringify(checked.problems)}`);
  return checked.request;
}

type Refusal = { status?: string; error?: { code?: string; fix?: string; reason?: string } };

async function callDirectly(workflow: string, headers: Record<string, string> = {}) {
  const url = sys.endpoints.triggers[workflow];
  if (!url) throw new Error(`no trigger URL for ${workflow}`);
  const graphSeq = lastGraphSeq(sys);
  const jobs = sys.automation.jobs().length;
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(normalised(workflow)) });
  const runId = res.headers.get('x-ms-workflow-run-id') ?? '';
  const body = (await res.json()) as Refusal;
  await waitForRun(sys, runId, workflow);
  const actions = new Map(sys.runtime.history.listActions(workflow, runId).map((a) => [a.name, a]));
  return { status: res.status, body, run: sys.runtime.history.getRun(workflow, runId)!, actions, graphCalls: sys.graph.admin.requests(graphSeq), newJobs: sys.automation.jobs().length - jobs };
}

function expectRefusedAndUnchanged(r: Awaited<ReturnType<typeof callDirectly>>, reason: string) {
  expect(r.status).toBe(403);
  expect(r.body).toMatchObject({ status: 'failed', error: { code: 'not_called_by_router', fix: "Send the request to the router's URL (thread-webhook).", reason } });
  expect(r.run.status).toBe('Failed');
  expect(r.run.error).toMatchObject({ code: 'NotCalledByRouter' });
  // Nothing after the check ran: no plan (so not even a Graph read), no write, no runbook job.
  const ran = [...r.actions.values()].filter((a) => a.status !== 'Skipped').map((a) => a.name).sort();
  expect(ran).toEqual(['Accept_router_dispatch', 'Check_router_dispatch_accepted', 'End_run_as_refused', 'Refuse_direct_call']);
  expect(r.graphCalls).toEqual([]);
  expect(r.newJobs).toBe(0);
}

beforeAll(async () => {
  sys = await startLocalSystem({ timeScale: 0.01 });
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

describe('child workflows refuse calls the router did not dispatch', () => {
  it.each(Object.keys(CHILDREN))('%s: a direct POST to its signed URL without a dispatch id gets 403 and a Failed run', async (workflow) => {
    expectRefusedAndUnchanged(await callDirectly(workflow), 'missing');
  });

  it.each(Object.keys(CHILDREN))('%s: a forged dispatch id gets 403', async (workflow) => {
    expectRefusedAndUnchanged(await callDirectly(workflow, { 'x-thread-dispatch-id': 'f'.repeat(32) }), 'unknown');
  });

  it('a dispatch issued for another intent is refused', async () => {
    const forPasswordReset = await issueDispatch(sys, 'password-reset');
    expectRefusedAndUnchanged(await callDirectly('mfa-reset', { 'x-thread-dispatch-id': forPasswordReset }), 'other_intent');
  });

  it('a dispatch id read from run history is worthless: the child run that used it already holds it', async () => {
    const routed = await postWebhook(sys, payload('MFA Reset', { 'User Email': USER }, { dry_run: true }));
    expect(routed.status).toBe(200);
    await waitForRun(sys, routed.runId);
    const accepted = childRunActions(sys, 'mfa-reset', routed.runId).get('Accept_router_dispatch');
    expect(accepted?.status).toBe('Succeeded');
    const usedId = (accepted?.inputs as { body?: { dispatchId?: string } } | undefined)?.body?.dispatchId;
    expect(usedId).toMatch(/^[0-9a-f]{32}$/);
    expectRefusedAndUnchanged(await callDirectly('mfa-reset', { 'x-thread-dispatch-id': usedId! }), 'used_by_other_run');
  });
});

describe('through the router', () => {
  it('the router obtains a dispatch per child call (dry runs too) and the child accepts it', async () => {
    const res = await postWebhook(sys, payload('Password Reset', { 'User Email': USER }, { dry_run: true }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dry_run: true });
    expect(res.body.status).not.toBe('failed');
    await waitForRun(sys, res.runId);
    const router = new Map(sys.runtime.history.listActions('thread-webhook', res.runId).map((a) => [a.name, a]));
    expect(router.get('Issue_router_dispatch')).toMatchObject({ status: 'Succeeded' });
    // Its inputs read the secured Validate_payload, so run history hides them (as Azure does); the id it got is visible.
    const issued = (router.get('Issue_router_dispatch')?.outputs as { body?: { dispatchId?: string } } | undefined)?.body?.dispatchId;
    expect(issued).toMatch(/^[0-9a-f]{32}$/);
    const child = childRunActions(sys, 'password-reset', res.runId);
    expect(child.get('Accept_router_dispatch')).toMatchObject({ status: 'Succeeded', outputs: { body: { status: 'accepted', dryRun: true, routerRunId: res.runId } } });
    // (password-reset secures its trigger, so the Accept action's inputs, which read the trigger's headers, are hidden too.)
    expect(child.get('Refuse_direct_call')?.status ?? 'Skipped').toBe('Skipped');
  });

  it('a real run through the router changes the tenant as before', async () => {
    const seq = lastGraphSeq(sys);
    const res = await postWebhook(sys, payload('MFA Reset', { 'User Email': 'lidia.holloway@contoso.com' }));
    expect(res.status).toBe(200);
    expect(['success', 'failed', 'partial_success']).toContain(res.body.status);
    expect(res.body.error?.code).not.toBe('not_called_by_router');
    await waitForRun(sys, res.runId);
    expect(childRunActions(sys, 'mfa-reset', res.runId).get('Plan_mfa_reset')?.status).toBe('Succeeded');
    expect(sys.graph.admin.requests(seq).length).toBeGreaterThan(0);
  });
});
