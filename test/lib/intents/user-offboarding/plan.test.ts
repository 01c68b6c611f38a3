import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../lib/errors/app-error.js';
import { createGraphClient, type GraphClient } from '../../../../lib/graph/client.js';
import { planUserOffboarding, type UserOffboardingPlanInput } from '../../../../lib/intents/user-offboarding/plan.js';
import { startGraphStandIn, type GraphStandIn } from '../../../../local/standins/graph/index.js';
import { mintLocalToken } from '../../../../local/standins/identity/token.js';

/** The offboarding plan against the Graph stand-in's default tenant (contoso): reads only, one round when it can. */
let graphStandIn: GraphStandIn;
let graph: GraphClient;

type TenantUser = { id: string; userPrincipalName: string };
const userId = (upn: string) => (graphStandIn.admin.tenant() as unknown as { users: TenantUser[] }).users.find((u) => u.userPrincipalName === upn)!.id;
const lastSeq = () => graphStandIn.admin.requests().at(-1)?.seq ?? 0;

function input(overrides: Partial<UserOffboardingPlanInput>): UserOffboardingPlanInput {
  return {
    userEmail: 'alex.wilber@contoso.com',
    revokeSessions: true,
    removeLicenses: false,
    convertToSharedMailbox: false,
    removeFromGroups: false,
    hideFromAddressList: false,
    protectedGroups: [],
    ...overrides,
  };
}

beforeAll(async () => {
  graphStandIn = await startGraphStandIn();
  const token = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a', roles: ['User.Read.All', 'Directory.Read.All', 'MailboxSettings.Read'] });
  graph = createGraphClient({ baseUrl: graphStandIn.url, token: async () => token, retry: { sleep: async () => undefined } });
});

afterEach(() => graphStandIn.admin.reset());

afterAll(async () => {
  await graphStandIn?.stop();
});

describe('planUserOffboarding', () => {
  it('plans every option in CIPP order in one Graph round (plus the owners of owned groups), without writing', async () => {
    const seq = lastSeq();
    const plan = await planUserOffboarding(
      graph,
      input({
        removeLicenses: true,
        convertToSharedMailbox: true,
        removeFromGroups: true,
        hideFromAddressList: true,
        forwardTo: 'adele.vance@contoso.com',
        autoReplyMessage: 'Gone <for good> & "happy".',
        managerAccess: 'miriam.graham@contoso.com',
      }),
    );
    expect(plan.steps.map((s) => s.name)).toEqual([
      'block_sign_in',
      'revoke_sessions',
      'reset_password',
      'hide_from_address_list',
      'forward_email',
      'auto_reply',
      'convert_to_shared_mailbox',
      'grant_manager_access',
      'remove_licenses',
      'remove_member:Marketing',
      'remove_member:All Staff',
      'remove_member:All Users',
      'remove_owner:Marketing',
      'remove_owner:Engineering',
    ]);
    expect(plan.writes).toMatchObject({
      blockSignIn: true,
      revokeSessions: true,
      resetPassword: true,
      mailboxRunbook: { UserPrincipalName: 'alex.wilber@contoso.com', HideFromAddressList: true, ForwardTo: 'adele.vance@contoso.com', DeliverToMailboxAndForward: true },
      convertToShared: true,
      managerAccess: { SharedMailboxEmail: 'alex.wilber@contoso.com', UserEmail: 'miriam.graham@contoso.com', PermissionType: 'Full Access', Action: 'Grant' },
    });
    // The automatic reply rides on the Set-MailboxOffboarding job, escaped: Set-MailboxAutoReplyConfiguration takes HTML.
    expect(plan.writes.mailboxRunbook?.AutoReplyMessage).toBe('Gone &lt;for good&gt; &amp; &quot;happy&quot;.');
    expect(plan.licences.direct).toEqual([expect.objectContaining({ skuPartNumber: 'ENTERPRISEPACK', label: 'Office 365 E3 (ENTERPRISEPACK)' })]);
    expect(plan.writes.graphGroups.map((g) => g.displayName)).toEqual(['Marketing']);
    expect(plan.writes.exchangeGroups).toEqual([expect.objectContaining({ displayName: 'All Staff', groupIdentity: 'all-staff@contoso.com', memberEmail: 'alex.wilber@contoso.com', action: 'Remove' })]);
    expect(plan.writes.ownedGroups.map((g) => g.displayName)).toEqual(['Marketing']);
    expect(plan.longRunning).toBe(true);
    const calls = graphStandIn.admin.requests(seq);
    expect(calls.every((r) => r.method === 'GET' || r.path.endsWith('/$batch'))).toBe(true);
    expect(calls.filter((r) => r.path.endsWith('/$batch'))).toHaveLength(2);
  });

  it('refuses an administrator with the roles and a fix', async () => {
    const err = (await planUserOffboarding(graph, input({ userEmail: 'nestor.wilke@contoso.com' })).catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'refused', step: 'check_privileged' });
    expect(err.message).toContain('Exchange Administrator');
  });

  it('refuses a member of a role-assignable group too', async () => {
    const err = (await planUserOffboarding(graph, input({ userEmail: 'patti.fernandez@contoso.com' })).catch((e: unknown) => e)) as AppError;
    expect(err).toMatchObject({ code: 'refused', step: 'check_privileged' });
    expect(err.message).toContain('Tier 0 Admins');
  });

  it('an unknown user is not_found', async () => {
    const err = (await planUserOffboarding(graph, input({ userEmail: 'no.such.person@contoso.com' })).catch((e: unknown) => e)) as AppError;
    expect(err).toMatchObject({ code: 'not_found' });
  });

  it('a disabled user with nothing else asked is already done; with more asked only the block is already done', async () => {
    const done = await planUserOffboarding(graph, input({ userEmail: 'joni.sherman@contoso.com' }));
    expect(done.alreadyDone).toMatch(/already disabled/);
    expect(done.writes).toMatchObject({ blockSignIn: false, revokeSessions: false, resetPassword: false, removeSkuIds: [] });
    const more = await planUserOffboarding(graph, input({ userEmail: 'joni.sherman@contoso.com', removeLicenses: true }));
    expect(more.alreadyDone).toBeNull();
    expect(more.steps[0]).toMatchObject({ name: 'block_sign_in', status: 'already_done' });
    expect(more.writes.blockSignIn).toBe(false);
    expect(more.writes.removeSkuIds).toHaveLength(1);
  });

  it('keeps group-inherited licences out of assignLicense and names the group; with Remove Groups they go with the membership', async () => {
    const kept = await planUserOffboarding(graph, input({ userEmail: 'johanna.lorenz@contoso.com', removeLicenses: true }));
    expect(kept.writes.removeSkuIds).toEqual([]);
    expect(kept.steps.find((s) => s.name === 'remove_licenses')?.status).toBe('already_done');
    expect(kept.licences.inherited).toEqual([expect.objectContaining({ skuPartNumber: 'ENTERPRISEPACK', groups: [expect.objectContaining({ displayName: 'Licensing - Office 365 E3', removedWithMembership: false })] })]);
    const withGroups = await planUserOffboarding(graph, input({ userEmail: 'johanna.lorenz@contoso.com', removeLicenses: true, removeFromGroups: true }));
    expect(withGroups.writes.licenseGroups.map((g) => g.displayName)).toEqual(['Licensing - Office 365 E3']);
    expect(withGroups.writes.graphGroups.map((g) => g.displayName)).toEqual(['Engineering']);
    expect(withGroups.licences.inherited[0]?.groups[0]?.removedWithMembership).toBe(true);
  });

  it('skips synced and protected groups with the reason', async () => {
    const plan = await planUserOffboarding(graph, input({ userEmail: 'diego.siciliani@contoso.com', removeFromGroups: true, protectedGroups: ['All Users'] }));
    expect(plan.steps.find((s) => s.name === 'remove_member:HQ Staff')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('on-premises') });
    expect(plan.steps.find((s) => s.name === 'remove_member:All Users')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('protected') });
    expect(plan.notes.join(' ')).toMatch(/synchronised from on-premises/);
  });

  it('checks the addresses: unknown internal forward refused, manager access needs the conversion', async () => {
    const plan = await planUserOffboarding(graph, input({ forwardTo: 'ghost@contoso.com', managerAccess: 'miriam.graham@contoso.com' }));
    expect(plan.steps.find((s) => s.name === 'forward_email')).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
    expect(plan.steps.find((s) => s.name === 'grant_manager_access')).toMatchObject({ status: 'failed', error: { code: 'refused', fix: expect.stringContaining('Convert to Shared Mailbox') } });
    expect(plan.writes.mailboxRunbook).toBeNull();
    expect(plan.writes.managerAccess).toBeNull();
  });

  // Microsoft 365's default outbound spam policy blocks automatic external forwarding:
  // https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding
  // "External" = not one of the tenant's verified domains (GET /domains, https://learn.microsoft.com/graph/api/domain-list).
  it('refuses forwarding outside the verified domains up front unless ALLOW_EXTERNAL_FORWARDING; the rest is still planned', async () => {
    const external = await planUserOffboarding(graph, input({ forwardTo: 'alex@fabrikam.example', hideFromAddressList: true }));
    expect(external.steps.find((s) => s.name === 'forward_email')).toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('fabrikam.example is not one of the organisation'),
      error: { code: 'refused', step: 'forward_email', retryable: false, fix: expect.stringContaining('ALLOW_EXTERNAL_FORWARDING') },
    });
    expect(external.steps.find((s) => s.name === 'forward_email')?.detail).toContain('https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding');
    expect(external.steps.find((s) => s.name === 'hide_from_address_list')?.status).toBe('planned');
    expect(external.writes.mailboxRunbook).toMatchObject({ ForwardTo: '', HideFromAddressList: true });

    const allowed = await planUserOffboarding(graph, input({ forwardTo: 'alex@fabrikam.example', allowExternalForwarding: true }));
    expect(allowed.steps.find((s) => s.name === 'forward_email')?.status).toBe('planned');
    expect(allowed.writes.mailboxRunbook).toMatchObject({ ForwardTo: 'alex@fabrikam.example', HideFromAddressList: false, DeliverToMailboxAndForward: false });
    expect(allowed.notes.join(' ')).toMatch(/outside the organisation.*ALLOW_EXTERNAL_FORWARDING/);
  });

  it("refuses forwarding to a guest's outside address and to an unverified tenant domain", async () => {
    const guest = await planUserOffboarding(graph, input({ forwardTo: 'john.doe@fabrikam.com' }));
    expect(guest.steps.find((s) => s.name === 'forward_email')).toMatchObject({ status: 'failed', error: { code: 'refused' } });
    // Allowed, the outside address goes to Exchange as given, never the guest account's #EXT# UPN.
    const allowed = await planUserOffboarding(graph, input({ forwardTo: 'john.doe@fabrikam.com', allowExternalForwarding: true }));
    expect(allowed.writes.mailboxRunbook?.ForwardTo).toBe('john.doe@fabrikam.com');
    const unverified = await planUserOffboarding(graph, input({ forwardTo: 'someone@contoso-labs.com' }));
    expect(unverified.steps.find((s) => s.name === 'forward_email')).toMatchObject({ status: 'failed', error: { code: 'refused' } });
    expect(unverified.writes.mailboxRunbook).toBeNull();
  });

  // GET /users/{id}/manager: https://learn.microsoft.com/graph/api/user-list-manager (404 when none is set).
  it('"Grant Manager Access: yes" grants the manager recorded in Entra ID, read in the same round', async () => {
    const seq = lastSeq();
    const plan = await planUserOffboarding(graph, input({ convertToSharedMailbox: true, managerAccess: true }));
    expect(plan.writes.managerAccess).toMatchObject({ SharedMailboxEmail: 'alex.wilber@contoso.com', UserEmail: 'patti.fernandez@contoso.com', PermissionType: 'Full Access', Action: 'Grant' });
    expect(plan.steps.find((s) => s.name === 'grant_manager_access')).toMatchObject({ status: 'planned', detail: expect.stringContaining('patti.fernandez@contoso.com') });
    const batches = graphStandIn.admin.requests(seq).filter((r) => r.path.endsWith('/$batch'));
    expect(batches).toHaveLength(1);
  });

  it('"Grant Manager Access: yes" without a manager refuses only that step, with what to do', async () => {
    const plan = await planUserOffboarding(graph, input({ userEmail: 'henrietta.mueller@contoso.com', convertToSharedMailbox: true, managerAccess: true }));
    expect(plan.steps.find((s) => s.name === 'grant_manager_access')).toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('has no manager set in Entra ID'),
      error: { code: 'refused', step: 'grant_manager_access', fix: expect.stringContaining("manager's e-mail address") },
    });
    expect(plan.writes.managerAccess).toBeNull();
    expect(plan.writes.convertToShared).toBe(true);
    expect(plan.steps.find((s) => s.name === 'convert_to_shared_mailbox')?.status).toBe('planned');
    expect(plan.steps.find((s) => s.name === 'block_sign_in')?.status).toBe('planned');
  });

  it('a user without a mailbox gets the mailbox steps refused, the rest planned', async () => {
    const plan = await planUserOffboarding(graph, input({ userEmail: 'lee.gu@contoso.com', convertToSharedMailbox: true, hideFromAddressList: true }));
    expect(plan.steps.find((s) => s.name === 'convert_to_shared_mailbox')).toMatchObject({ status: 'failed', detail: expect.stringContaining('no Exchange Online mailbox') });
    expect(plan.writes).toMatchObject({ blockSignIn: true, convertToShared: false, mailboxRunbook: null });
    expect(plan.longRunning).toBe(false);
  });

  it('an unchanged automatic reply is already done', async () => {
    const id = userId('adele.vance@contoso.com');
    const res = await fetch(`${graphStandIn.url}/v1.0/users/${id}/mailboxSettings`, {
      method: 'PATCH',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a', roles: ['MailboxSettings.ReadWrite'] })}`,
      },
      body: JSON.stringify({ automaticRepliesSetting: { status: 'alwaysEnabled', externalAudience: 'all', internalReplyMessage: 'Left.', externalReplyMessage: 'Left.' } }),
    });
    expect(res.status).toBe(200);
    const plan = await planUserOffboarding(graph, input({ userEmail: 'adele.vance@contoso.com', autoReplyMessage: 'Left.' }));
    expect(plan.steps.find((s) => s.name === 'auto_reply')?.status).toBe('already_done');
    expect(plan.writes.mailboxRunbook).toBeNull();
  });
});
