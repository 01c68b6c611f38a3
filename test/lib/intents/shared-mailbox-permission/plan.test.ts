import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../lib/errors/app-error.js';
import { createGraphClient, type GraphClient } from '../../../../lib/graph/client.js';
import { planSharedMailboxPermission, type SharedMailboxPermissionPlanInput } from '../../../../lib/intents/shared-mailbox-permission/plan.js';
import { startGraphStandIn, type GraphStandIn } from '../../../../local/standins/graph/index.js';
import { mintLocalToken } from '../../../../local/standins/identity/token.js';

/** The shared-mailbox-permission plan against the Graph stand-in's default tenant (contoso). */
let graphStandIn: GraphStandIn;
let graph: GraphClient;

const lastSeq = () => graphStandIn.admin.requests().at(-1)?.seq ?? 0;

function input(overrides: Partial<SharedMailboxPermissionPlanInput> = {}): SharedMailboxPermissionPlanInput {
  return { sharedMailboxEmail: 'support@contoso.com', userEmail: 'adele.vance@contoso.com', permissionType: 'Full Access', action: 'Grant', autoMapping: true, ...overrides };
}

async function refusal(i: SharedMailboxPermissionPlanInput): Promise<AppError> {
  const err = await planSharedMailboxPermission(graph, i).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  graphStandIn = await startGraphStandIn();
  const token = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a', roles: ['User.Read.All', 'Directory.Read.All'] });
  graph = createGraphClient({ baseUrl: graphStandIn.url, token: async () => token, retry: { sleep: async () => undefined } });
});

afterEach(() => {
  graphStandIn.admin.clearFaults();
  graphStandIn.admin.reset();
});

afterAll(async () => {
  await graphStandIn?.stop();
});

describe('planSharedMailboxPermission', () => {
  it('resolves user and mailbox in one $batch and plans the runbook with resolved addresses', async () => {
    const seq = lastSeq();
    const plan = await planSharedMailboxPermission(graph, input({ sharedMailboxEmail: 'HelpDesk@contoso.com' }));
    expect(plan).toMatchObject({
      intent: 'shared-mailbox-permission',
      user: { userPrincipalName: 'adele.vance@contoso.com', displayName: 'Adele Vance' },
      mailbox: { userPrincipalName: 'support@contoso.com', address: 'support@contoso.com', displayName: 'Contoso Support' },
      step: 'grant_full_access:support@contoso.com',
      longRunning: true,
      runbookParameters: { SharedMailboxEmail: 'support@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Full Access', Action: 'Grant', AutoMapping: true },
    });
    expect(plan.notes).toEqual(['Outlook will add the mailbox automatically (AutoMapping on).']);
    expect(plan.preview.steps).toEqual([{ name: 'grant_full_access:support@contoso.com', status: 'planned', detail: plan.preview.message }]);
    const calls = graphStandIn.admin.requests(seq);
    // One round trip: the $batch envelope; the log also lists its five inner reads.
    expect(calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)).toEqual(['POST /v1.0/$batch']);
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(5);
  });

  it('names the step after the permission and action (no AutoMapping note outside a Full Access grant)', async () => {
    const plan = await planSharedMailboxPermission(graph, input({ permissionType: 'Send on Behalf', action: 'Revoke' }));
    expect(plan.step).toBe('revoke_send_on_behalf:support@contoso.com');
    expect(plan.notes).toEqual([]);
    expect(plan.preview.message).toContain('will lose Send on Behalf on Contoso Support (support@contoso.com)');
  });

  it('refuses the user being the mailbox, even when named by different addresses', async () => {
    const err = await refusal(input({ sharedMailboxEmail: 'accounts@contoso.com', userEmail: 'billing@contoso.com' }));
    expect(err).toMatchObject({ code: 'refused', status: 422, step: 'check_request' });
  });

  it('refuses a Microsoft 365 group address and a distribution list, each with what to do instead', async () => {
    const m365 = await refusal(input({ sharedMailboxEmail: 'marketing@contoso.com' }));
    expect(m365).toMatchObject({ code: 'refused', step: 'resolve_mailbox' });
    expect(m365.message).toContain('a Microsoft 365 group');
    expect(m365.fix).toContain('Add User to Group');
    const dl = await refusal(input({ sharedMailboxEmail: 'all-staff@contoso.com' }));
    expect(dl.message).toContain('distribution list or mail-enabled security group');
  });

  it('not_found for an unknown mailbox address; a user without a mailbox as "mailbox" is refused', async () => {
    expect(await refusal(input({ sharedMailboxEmail: 'nobody@contoso.com' }))).toMatchObject({ code: 'not_found', status: 404, step: 'resolve_mailbox' });
    expect(await refusal(input({ sharedMailboxEmail: 'lee.gu@contoso.com' }))).toMatchObject({ code: 'refused', step: 'resolve_mailbox' });
  });

  it('refuses a disabled user for Grant only', async () => {
    expect(await refusal(input({ userEmail: 'pradeep.gupta@contoso.com' }))).toMatchObject({ code: 'refused', step: 'check_user' });
    const revoke = await planSharedMailboxPermission(graph, input({ userEmail: 'pradeep.gupta@contoso.com', action: 'Revoke' }));
    expect(revoke.runbookParameters).toMatchObject({ UserEmail: 'pradeep.gupta@contoso.com', Action: 'Revoke' });
  });

  it('throttling that outlasts the retries surfaces as throttled, never as not found', async () => {
    graphStandIn.admin.addFault({ path: '/**', status: 429, retryAfter: 1 });
    const err = await refusal(input());
    expect(err.code).toBe('throttled');
  });
});
