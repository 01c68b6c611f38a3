import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';

/**
 * Issue 11 item 9, end to end through the router (workflows/thread-webhook → workflows/user-offboarding →
 * plan helper → Graph / Azure Automation / Outlook stand-ins):
 * - a dry run never mails the MSP, whatever its outcome;
 * - "Grant Manager Access: yes" grants the user's manager from Entra ID
 *   (GET /users/{id}/manager, https://learn.microsoft.com/graph/api/user-list-manager);
 * - forwarding outside the tenant's verified domains is refused unless ALLOW_EXTERNAL_FORWARDING is true
 *   (https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding), and a
 *   forwarding the Set-MailboxOffboarding runbook refused (Automation variable AllowExternalForwarding) is
 *   reported as refused.
 * Offboardings with mailbox work answer 202 with a status URL; the final outcome is read from it.
 */
let sys: LocalSystem;
let ticket = 911_000;

type Step = { name: string; status: string; detail?: string };
type Body = Record<string, unknown> & { status?: string; message?: string; steps?: Step[]; result?: Record<string, unknown>; error?: Record<string, unknown>; status_url?: string };

const stepOf = (body: Body, name: string) => body.steps?.find((s) => s.name === name);
const mailbox = (address: string) => sys.automation.exchange.snapshot().Mailboxes.find((m) => m.PrimarySmtpAddress === address)!;
const mailFor = (ticketId: number) => sys.outlook.outbox().filter((m) => m.subject.includes(`Ticket #${ticketId}`));

async function post(fields: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<{ status: number; body: Body; runId: string; ticketId: number }> {
  const ticketId = ++ticket;
  const payload = {
    intent_name: 'User Offboarding',
    intent_fields: fields,
    meta_data: { ticket_id: ticketId, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' },
    ...extra,
  };
  const res = await fetch(sys.endpoints.webhook, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
  return { status: res.status, body: (await res.json()) as Body, runId: res.headers.get('x-ms-workflow-run-id') ?? '', ticketId };
}

/** The router run (and its notification step) has ended. */
async function routerFinished(runName: string): Promise<void> {
  for (let i = 0; i < 800; i++) {
    const run = sys.runtime.history.getRun('thread-webhook', runName);
    if (run && run.status !== 'Running' && run.status !== 'Waiting') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`router run ${runName} did not finish`);
}

/** The final outcome: the answer itself, or for a 202 what its status URL serves once the child has finished. */
async function finalOutcome(answer: { status: number; body: Body }): Promise<Body> {
  if (answer.status !== 202) return answer.body;
  const url = String(answer.body.status_url);
  for (let i = 0; i < 1200; i++) {
    const res = await fetch(url);
    if (res.status === 200) return (await res.json()) as Body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no final outcome at ${url}`);
}

async function setAutomationVariables(variables: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sys.endpoints.automation}/_admin/variables`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(variables) });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  sys = await startLocalSystem({ timeScale: 0.01 });
}, 120_000);

afterEach(() => {
  // The helpers read their settings from process.env (local/system.ts), as Azure Functions app settings.
  delete process.env.ALLOW_EXTERNAL_FORWARDING;
});

afterAll(async () => {
  delete process.env.ALLOW_EXTERNAL_FORWARDING;
  await sys?.stop();
});

describe('User Offboarding options (issue 11 item 9) through the router', () => {
  it('a failing dry run answers but sends no mail; the same request for real does', async () => {
    const dry = await post({ 'User Email': 'no.such.person@contoso.com', 'Remove Licenses': true }, { dry_run: true });
    expect(dry.body).toMatchObject({ status: 'failed', dry_run: true, error: { code: 'not_found', fix: expect.any(String) } });
    await routerFinished(dry.runId);
    expect(mailFor(dry.ticketId)).toEqual([]);

    const real = await post({ 'User Email': 'no.such.person@contoso.com', 'Remove Licenses': true });
    expect(real.body).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
    await routerFinished(real.runId);
    expect(mailFor(real.ticketId).map((m) => m.subject)).toEqual([`[FAILED] Thread Automation: User Offboarding — Ticket #${real.ticketId}`]);
  }, 60_000);

  it('"Grant Manager Access: yes" gives the manager from Entra ID Full Access to the shared mailbox', async () => {
    const upn = 'adele.vance@contoso.com'; // manager: Patti Fernandez in the stand-in tenant
    const answer = await post({ 'User Email': upn, 'Convert to Shared Mailbox': true, 'Grant Manager Access': 'Yes' });
    const body = await finalOutcome(answer);
    expect(body.status, JSON.stringify(body)).toBe('success');
    expect(stepOf(body, 'grant_manager_access')).toMatchObject({ status: 'succeeded', detail: expect.stringContaining('patti.fernandez@contoso.com') });
    expect(mailbox(upn).RecipientTypeDetails).toBe('SharedMailbox');
    expect(mailbox(upn).FullAccess.map((f) => f.User)).toContain('patti.fernandez@contoso.com');
  }, 120_000);

  it('"Grant Manager Access: yes" for a user without a manager refuses that step with what to do; the rest proceeds', async () => {
    const upn = 'henrietta.mueller@contoso.com';
    const answer = await post({ 'User Email': upn, 'Convert to Shared Mailbox': true, 'Grant Manager Access': 'yes' });
    const body = await finalOutcome(answer);
    expect(body.status, JSON.stringify(body)).toBe('partial_success');
    expect(stepOf(body, 'grant_manager_access')).toMatchObject({ status: 'failed', detail: expect.stringContaining('no manager set in Entra ID') });
    expect(body.error).toMatchObject({ code: 'refused', step: 'grant_manager_access', fix: expect.stringContaining("manager's e-mail address") });
    expect(stepOf(body, 'block_sign_in')?.status).toBe('succeeded');
    expect(stepOf(body, 'convert_to_shared_mailbox')?.status).toBe('succeeded');
    expect(mailbox(upn).RecipientTypeDetails).toBe('SharedMailbox');
  }, 120_000);

  it('refuses forwarding outside the organisation up front (ALLOW_EXTERNAL_FORWARDING not set), with the reason; the rest runs', async () => {
    const upn = 'christie.cline@contoso.com';
    const answer = await post({ 'User Email': upn, 'Hide from GAL': true, 'Forward Email To': 'christie@fabrikam.example' });
    const body = await finalOutcome(answer);
    expect(body.status, JSON.stringify(body)).toBe('partial_success');
    expect(stepOf(body, 'forward_email')).toMatchObject({ status: 'failed', detail: expect.stringContaining('outbound-spam-policies-external-email-forwarding') });
    expect(body.error).toMatchObject({ code: 'refused', step: 'forward_email', fix: expect.stringContaining('ALLOW_EXTERNAL_FORWARDING') });
    expect(stepOf(body, 'hide_from_address_list')?.status).toBe('succeeded');
    expect(mailbox(upn).HiddenFromAddressListsEnabled).toBe(true);
    expect(mailbox(upn).ForwardingSmtpAddress ?? null).toBeNull();
  }, 120_000);

  it('with ALLOW_EXTERNAL_FORWARDING but the runbook refusing (AllowExternalForwarding false), forwarding is reported refused, not already done', async () => {
    process.env.ALLOW_EXTERNAL_FORWARDING = 'true';
    const upn = 'bianca.pisani@contoso.com';
    const answer = await post({ 'User Email': upn, 'Forward Email To': 'bianca@fabrikam.example' });
    const body = await finalOutcome(answer);
    expect(body.status, JSON.stringify(body)).toBe('partial_success');
    expect(stepOf(body, 'forward_email')).toMatchObject({ status: 'failed', detail: expect.stringContaining('AllowExternalForwarding') });
    expect(body.error).toMatchObject({ code: 'refused', step: 'forward_email' });
    expect(mailbox(upn).ForwardingSmtpAddress ?? null).toBeNull();
  }, 120_000);

  it('forwards outside the organisation when both ALLOW_EXTERNAL_FORWARDING and AllowExternalForwarding allow it', async () => {
    process.env.ALLOW_EXTERNAL_FORWARDING = 'true';
    await setAutomationVariables({ AllowExternalForwarding: true });
    const upn = 'raul.razo@contoso.com';
    const answer = await post({ 'User Email': upn, 'Forward Email To': 'raul@fabrikam.example' });
    const body = await finalOutcome(answer);
    expect(body.status, JSON.stringify(body)).toBe('success');
    expect(stepOf(body, 'forward_email')?.status).toBe('succeeded');
    expect(mailbox(upn).ForwardingSmtpAddress?.replace(/^smtp:/i, '')).toBe('raul@fabrikam.example');
    expect((body.result?.notes as string[] | undefined)?.join(' ')).toMatch(/outside the organisation/);
  }, 120_000);
});
