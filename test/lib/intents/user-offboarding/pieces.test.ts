import { describe, expect, it } from 'vitest';
import type { BatchItemResult } from '../../../../lib/graph/batch.js';
import { AppError } from '../../../../lib/errors/app-error.js';
import { checkAddress, checkDirectoryManager } from '../../../../lib/intents/user-offboarding/addresses.js';
import { planGroups } from '../../../../lib/intents/user-offboarding/groups.js';
import { splitLicences } from '../../../../lib/intents/user-offboarding/licences.js';
import { autoReplyHtml, planMailbox } from '../../../../lib/intents/user-offboarding/mailbox.js';

/** The pure parts of the offboarding plan on small inputs: licences, groups, addresses, mailbox options. */
const answer = (id: string, status: number, body: unknown): [string, BatchItemResult] => [id, { id, status, headers: {}, body, attempts: 1 }];

describe('splitLicences', () => {
  it('splits direct from group-inherited licences, names the groups and says which go with a removed membership', () => {
    const raw = {
      licenseAssignmentStates: [
        { skuId: 'S1', assignedByGroup: null, state: 'Active' },
        { skuId: 'S1', assignedByGroup: 'G1', state: 'Active' },
        { skuId: 'S2', assignedByGroup: 'G2', state: 'Active' },
      ],
    };
    const split = splitLicences(raw, new Map([['s1', 'ENTERPRISEPACK'], ['s2', 'SPB']]), new Map([['g1', 'Licensing E3']]), new Set(['g2']));
    expect(split.direct).toEqual([{ skuId: 'S1', skuPartNumber: 'ENTERPRISEPACK', label: 'Office 365 E3 (ENTERPRISEPACK)' }]);
    expect(split.inherited).toEqual([
      expect.objectContaining({ skuId: 'S1', groups: [{ id: 'G1', displayName: 'Licensing E3', removedWithMembership: false }] }),
      expect.objectContaining({ skuId: 'S2', skuPartNumber: 'SPB', groups: [{ id: 'G2', displayName: 'G2', removedWithMembership: true }] }),
    ]);
  });

  it('without assignment states every assigned licence counts as direct', () => {
    expect(splitLicences({ assignedLicenses: [{ skuId: 'X' }] }, new Map(), new Map(), new Set()).direct).toEqual([{ skuId: 'X', skuPartNumber: 'X', label: 'X' }]);
  });
});

describe('planGroups', () => {
  const base = { userId: 'U', userPrincipalName: 'u@contoso.com', owners: new Map<string, string[]>(), protectedGroups: [], licenceGroupIds: new Set<string>() };

  it('ignores directory roles, removes a group listed twice once, and sends mail-enabled groups to Exchange by address', () => {
    const plan = planGroups({
      ...base,
      memberOf: [
        { '@odata.type': '#microsoft.graph.directoryRole', id: 'R', displayName: 'Some role' },
        { '@odata.type': '#microsoft.graph.group', id: 'A', displayName: 'Team A', securityEnabled: true, mailEnabled: false },
        { '@odata.type': '#microsoft.graph.group', id: 'a', displayName: 'Team A', securityEnabled: true, mailEnabled: false },
        { '@odata.type': '#microsoft.graph.group', id: 'D', displayName: 'Everyone DL', mailEnabled: true, securityEnabled: false, mail: 'everyone@contoso.com' },
      ],
      owned: [],
    });
    expect(plan.graphGroups.map((g) => g.groupId)).toEqual(['A']);
    expect(plan.exchangeGroups).toEqual([expect.objectContaining({ groupIdentity: 'everyone@contoso.com', memberEmail: 'u@contoso.com', action: 'Remove' })]);
    expect(plan.steps.map((s) => s.name)).toEqual(['remove_member:Team A', 'remove_member:Everyone DL']);
  });

  it('drops ownership unless the user is the last owner; unknown owner lists are attempted (Graph has the last word)', () => {
    const plan = planGroups({
      ...base,
      memberOf: [],
      owned: [
        { id: 'ONLY', displayName: 'Solo' },
        { id: 'SHARED', displayName: 'Shared' },
        { id: 'UNKNOWN', displayName: 'Unknown' },
      ],
      owners: new Map([
        ['only', ['U']],
        ['shared', ['U', 'V']],
      ]),
    });
    expect(plan.steps.find((s) => s.name === 'remove_owner:Solo')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('only owner') });
    expect(plan.ownedGroups.map((g) => g.displayName)).toEqual(['Shared', 'Unknown']);
  });
});

describe('checkAddress', () => {
  it('refuses a guest as the manager', () => {
    const results = new Map([answer('managerupn', 200, { id: 'G', userPrincipalName: 'g#EXT#@contoso.onmicrosoft.com', displayName: 'Guest', userType: 'Guest' })]);
    expect(checkAddress('manager', 'g@gmail.com', 'grant_manager_access', results, new Set())).toMatchObject({ ok: false, error: { code: 'refused' } });
  });

  it('forwards to a mail-enabled group by its address', () => {
    const results = new Map([answer('forwardupn', 404, {}), answer('forwardmail', 200, { value: [] }), answer('forwardgroup', 200, { value: [{ id: 'D', displayName: 'Sales DL', mail: 'sales@contoso.com' }] })]);
    expect(checkAddress('forward', 'sales@contoso.com', 'forward_email', results, new Set(['contoso.com']))).toMatchObject({ ok: true, address: 'sales@contoso.com', internal: true });
  });
});

describe('checkAddress: forwarding outside the tenant (https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding)', () => {
  const domains = answer('domains', 200, { value: [{ id: 'contoso.com', isVerified: true }] });
  const notFound = [answer('forwardupn', 404, {}), answer('forwardmail', 200, { value: [] }), answer('forwardgroup', 200, { value: [] })];

  it('refuses an address outside the verified domains unless allowed, and allows it with a note when allowed', () => {
    const results = new Map([domains, ...notFound]);
    expect(checkAddress('forward', 'x@fabrikam.example', 'forward_email', results, new Set(['contoso.com']))).toMatchObject({
      ok: false,
      internal: false,
      error: { code: 'refused', step: 'forward_email', retryable: false },
    });
    expect(checkAddress('forward', 'x@fabrikam.example', 'forward_email', results, new Set(['contoso.com']), { allowExternalForwarding: true })).toMatchObject({
      ok: true,
      address: 'x@fabrikam.example',
      internal: false,
      note: expect.stringContaining('ALLOW_EXTERNAL_FORWARDING'),
    });
  });

  it('says the check could not be made when the domains read failed (never guesses "outside")', () => {
    const failed = new Map([answer('domains', 503, {}), ...notFound]);
    expect(checkAddress('forward', 'x@fabrikam.example', 'forward_email', failed, new Set())).toMatchObject({
      ok: false,
      error: { code: 'service_unavailable', retryable: true, message: expect.stringContaining('could not be checked') },
    });
  });
});

// GET /users/{id}/manager: https://learn.microsoft.com/graph/api/user-list-manager (404 when no manager is set).
describe('checkDirectoryManager', () => {
  const manager = (status: number, body: unknown, error?: AppError) => ({ ...answer('manager', status, body)[1], ...(error ? { error } : {}) });

  it('takes the manager user by UPN, noting a disabled one', () => {
    expect(checkDirectoryManager(manager(200, { id: 'M', userPrincipalName: 'boss@contoso.com', displayName: 'Boss', accountEnabled: false }), 'U', 'grant_manager_access')).toMatchObject({
      ok: true,
      address: 'boss@contoso.com',
      label: 'Boss (boss@contoso.com)',
      note: expect.stringContaining('itself disabled'),
    });
  });

  it('refuses with what to do when no manager is set, the manager is a guest or not a user', () => {
    expect(checkDirectoryManager(manager(404, {}), 'U', 'grant_manager_access')).toMatchObject({ ok: false, error: { code: 'refused', fix: expect.stringContaining('Microsoft Entra admin center') } });
    expect(checkDirectoryManager(manager(200, { id: 'G', userPrincipalName: 'g#EXT#@contoso.onmicrosoft.com', userType: 'Guest' }), 'U', 'grant_manager_access')).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(checkDirectoryManager(manager(200, { '@odata.type': '#microsoft.graph.orgContact', id: 'C', displayName: 'Contact' }), 'U', 'grant_manager_access')).toMatchObject({ ok: false, error: { code: 'refused' } });
  });

  it('throws a refused read (403: a missing permission is reported, never planned around) and reports other failures as retryable', () => {
    const forbidden = new AppError({ code: 'forbidden', message: 'Insufficient privileges.', status: 403, fix: 'Grant Directory.Read.All.', step: 'resolve_user', retryable: false });
    expect(() => checkDirectoryManager(manager(403, {}, forbidden), 'U', 'grant_manager_access')).toThrow(forbidden);
    expect(checkDirectoryManager(manager(503, {}), 'U', 'grant_manager_access')).toMatchObject({ ok: false, error: { code: 'service_unavailable', retryable: true } });
  });
});

describe('planMailbox', () => {
  const facts = { userPrincipalName: 'u@contoso.com', who: 'U', hasMailbox: true, currentReplies: null, forward: null, manager: null };

  it('turns the auto-reply text into escaped HTML with line breaks', () => {
    expect(autoReplyHtml('  a < b\nc & "d"  ')).toBe('a &lt; b<br>c &amp; &quot;d&quot;');
  });

  it('plans no Exchange job when neither hiding nor forwarding is asked, and keeps a copy only when someone reads the mailbox later', () => {
    expect(planMailbox({ hideFromAddressList: false, convertToSharedMailbox: true }, facts).mailboxRunbook).toBeNull();
    expect(planMailbox({ hideFromAddressList: false, forwardTo: 'x@fabrikam.example', convertToSharedMailbox: false }, { ...facts, forward: { ok: true, address: 'x@fabrikam.example', label: 'x', internal: false } }).mailboxRunbook).toMatchObject({
      DeliverToMailboxAndForward: false,
    });
  });
});
