import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExchangeModel } from '../../../local/standins/automation/exchange-model.js';
import { checkOrganization } from '../../../local/standins/automation/exo/access.js';
import { bindParameters } from '../../../local/standins/automation/runbooks/bind-parameters.js';
import { findRunbook } from '../../../local/standins/automation/runbooks/index.js';
import type { RunbookResult } from '../../../local/standins/automation/runbooks/runbook-types.js';

const fixture = JSON.parse(readFileSync(new URL('../../../local/standins/automation/fixtures/default-exchange.json', import.meta.url), 'utf8')) as unknown;

let exchange: ExchangeModel;
let lines: string[];

function run(runbook: string, params: Record<string, string>, variables: Record<string, string | boolean> = { ExchangeOrganization: 'contoso.onmicrosoft.com' }): RunbookResult {
  const model = findRunbook(runbook);
  if (!model) throw new Error(`no model ${runbook}`);
  lines = [];
  // Connect-ExchangeOnline as a fully permitted identity; exo-access.test.ts covers the refusals.
  const connect = (organization: string) => {
    const refusal = checkOrganization(organization, exchange.organization);
    if (refusal) throw refusal;
  };
  return model.run(bindParameters(model.parameters, params), { exchange, variables, connect, output: (l) => lines.push(l), warning: (l) => lines.push(`WARNING: ${l}`) });
}

const mailbox = (id: string) => exchange.getMailbox(id);

beforeEach(() => {
  exchange = new ExchangeModel(fixture);
});

describe('Set-SharedMailboxPermission', () => {
  const base = { SharedMailboxEmail: 'support@contoso.com', UserEmail: 'adele.vance@contoso.com' };

  it('grants Full Access with the AutoMapping flag, then reports already_satisfied', () => {
    const first = run('Set-SharedMailboxPermission', { ...base, PermissionType: 'Full Access', Action: 'Grant', AutoMapping: 'false' });
    expect(first).toMatchObject({ outcome: 'applied', action: 'grant_full_access', details: { mailbox: 'support@contoso.com', user: 'adele.vance@contoso.com', autoMapping: false } });
    expect(mailbox('support@contoso.com').FullAccess).toEqual([{ User: 'adele.vance@contoso.com', AutoMapping: false }]);
    const again = run('Set-SharedMailboxPermission', { ...base, PermissionType: 'full access', Action: 'grant' });
    expect(again.outcome).toBe('already_satisfied');
    expect(mailbox('support@contoso.com').FullAccess).toHaveLength(1);
  });

  it('revokes Full Access and is idempotent on a second revoke', () => {
    const r = run('Set-SharedMailboxPermission', { SharedMailboxEmail: 'info@contoso.com', UserEmail: 'megan.bowen@contoso.com', PermissionType: 'Full Access', Action: 'Revoke' });
    expect(r.outcome).toBe('applied');
    expect(mailbox('info@contoso.com').FullAccess).toEqual([]);
    const again = run('Set-SharedMailboxPermission', { SharedMailboxEmail: 'info@contoso.com', UserEmail: 'megan.bowen@contoso.com', PermissionType: 'Full Access', Action: 'Revoke' });
    expect(again).toMatchObject({ outcome: 'already_satisfied', action: 'revoke_full_access' });
  });

  it('grants and revokes Send As', () => {
    expect(run('Set-SharedMailboxPermission', { ...base, PermissionType: 'Send As', Action: 'Grant' }).outcome).toBe('applied');
    expect(mailbox('support@contoso.com').SendAs).toEqual(['adele.vance@contoso.com']);
    expect(run('Set-SharedMailboxPermission', { ...base, PermissionType: 'Send As', Action: 'Grant' }).outcome).toBe('already_satisfied');
    expect(run('Set-SharedMailboxPermission', { ...base, PermissionType: 'Send As', Action: 'Revoke' }).outcome).toBe('applied');
    expect(mailbox('support@contoso.com').SendAs).toEqual([]);
  });

  it('adds and removes one Send on Behalf delegate without touching the others', () => {
    // billing@ already has patti.fernandez as a delegate; identities may be given by display name and still compare as SMTP.
    const grant = run('Set-SharedMailboxPermission', { SharedMailboxEmail: 'billing@contoso.com', UserEmail: 'Adele Vance', PermissionType: 'Send on Behalf', Action: 'Grant' });
    expect(grant).toMatchObject({ outcome: 'applied', details: { user: 'adele.vance@contoso.com' } });
    expect(mailbox('billing@contoso.com').GrantSendOnBehalfTo).toEqual(['patti.fernandez@contoso.com', 'adele.vance@contoso.com']);
    expect(run('Set-SharedMailboxPermission', { SharedMailboxEmail: 'billing@contoso.com', UserEmail: 'ADELE.VANCE@contoso.com', PermissionType: 'Send on Behalf', Action: 'Grant' }).outcome).toBe('already_satisfied');
    const revoke = run('Set-SharedMailboxPermission', { SharedMailboxEmail: 'billing@contoso.com', UserEmail: 'patti.fernandez@contoso.com', PermissionType: 'Send on Behalf', Action: 'Revoke' });
    expect(revoke.outcome).toBe('applied');
    expect(mailbox('billing@contoso.com').GrantSendOnBehalfTo).toEqual(['adele.vance@contoso.com']);
  });

  it('fails with the cmdlet wording for unknown mailboxes and users', () => {
    expect(() => run('Set-SharedMailboxPermission', { ...base, SharedMailboxEmail: 'nope@contoso.com', PermissionType: 'Send As', Action: 'Grant' })).toThrow(
      /The operation couldn't be performed because object 'nope@contoso.com' couldn't be found on/,
    );
    // The runbook resolves the user with Get-Recipient, whose error names the server (observed in timmcmic/DLConversionV2#130).
    expect(() => run('Set-SharedMailboxPermission', { ...base, UserEmail: 'ghost@contoso.com', PermissionType: 'Send As', Action: 'Grant' })).toThrow(
      /^The operation couldn't be performed because object 'ghost@contoso.com' couldn't be found on '/,
    );
  });

  it('refuses to treat a user mailbox as a shared mailbox', () => {
    expect(() => run('Set-SharedMailboxPermission', { SharedMailboxEmail: 'alex.wilber@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Full Access', Action: 'Grant' })).toThrow(
      /is a UserMailbox, not a shared mailbox/,
    );
    expect(mailbox('alex.wilber@contoso.com').FullAccess).toEqual([]);
  });

  it('resolves proxy addresses (billing@ is also accounts@) and refuses room mailboxes', () => {
    const r = run('Set-SharedMailboxPermission', { SharedMailboxEmail: 'accounts@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Send As', Action: 'Grant' });
    expect(r.details.mailbox).toBe('billing@contoso.com');
    expect(() => run('Set-SharedMailboxPermission', { SharedMailboxEmail: 'boardroom@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Send As', Action: 'Grant' })).toThrow(
      /is a RoomMailbox, not a shared mailbox/,
    );
  });

  it('writes a RESULT-ready result and progress lines', () => {
    run('Set-SharedMailboxPermission', { ...base, PermissionType: 'Send As', Action: 'Grant' });
    expect(lines[0]).toBe('Connected to Exchange Online organization contoso.onmicrosoft.com.');
    expect(lines.at(-1)).toBe('Granted Send As on support@contoso.com to adele.vance@contoso.com.');
  });
});

describe('parameter binding', () => {
  const model = findRunbook('set-sharedmailboxpermission');
  if (!model) throw new Error('model missing');

  it('applies ValidateSet case-insensitively and keeps the value as given, as PowerShell does', () => {
    const bound = bindParameters(model.parameters, { sharedmailboxemail: 'a@contoso.com', UserEmail: 'b@contoso.com', PermissionType: 'SEND ON BEHALF', Action: 'revoke' });
    expect(bound).toMatchObject({ SharedMailboxEmail: 'a@contoso.com', PermissionType: 'SEND ON BEHALF', Action: 'revoke', AutoMapping: true });
  });

  it('rejects values outside the set, missing mandatory, unknown parameters and bad booleans with PowerShell messages', () => {
    const ok = { SharedMailboxEmail: 'a@contoso.com', UserEmail: 'b@contoso.com', PermissionType: 'Send As', Action: 'Grant' };
    expect(() => bindParameters(model.parameters, { ...ok, PermissionType: 'Owner' })).toThrow(
      'Cannot validate argument on parameter \'PermissionType\'. The argument "Owner" does not belong to the set "Full Access,Send As,Send on Behalf"',
    );
    expect(() => bindParameters(model.parameters, { SharedMailboxEmail: 'a@contoso.com', Action: 'Grant' })).toThrow(
      'Cannot process command because of one or more missing mandatory parameters: UserEmail PermissionType.',
    );
    expect(() => bindParameters(model.parameters, { ...ok, Mailbox: 'x' })).toThrow("A parameter cannot be found that matches parameter name 'Mailbox'.");
    expect(() => bindParameters(model.parameters, { ...ok, AutoMapping: 'maybe' })).toThrow(/Cannot process argument transformation on parameter 'AutoMapping'/);
    expect(() => bindParameters(model.parameters, { ...ok, UserEmail: '' })).toThrow("Cannot validate argument on parameter 'UserEmail'. The argument is null or empty.");
    expect(() => bindParameters(model.parameters, { ...ok, Action: '' })).toThrow(`Cannot validate argument on parameter 'Action'. The argument "" does not belong to the set "Grant,Revoke"`);
    // PowerShell keeps values as given: whitespace is not empty, and nothing is trimmed or re-cased.
    expect(bindParameters(model.parameters, { ...ok, UserEmail: ' ', PermissionType: 'send as' })).toMatchObject({ UserEmail: ' ', PermissionType: 'send as' });
    expect(bindParameters(model.parameters, { ...ok, AutoMapping: 'False' }).AutoMapping).toBe(false);
  });
});

describe('Exchange connection: the initial onmicrosoft.com domain, never the tenant GUID', () => {
  it('needs the initial onmicrosoft.com domain of the right tenant', () => {
    const p = { UserPrincipalName: 'alex.wilber@contoso.com' };
    expect(() => run('Convert-ToSharedMailbox', p, {})).toThrow("Variable asset 'ExchangeOrganization' was not found in the Automation account.");
    expect(() => run('Convert-ToSharedMailbox', { ...p, Organization: '11111111-2222-3333-4444-555555555555.onmicrosoft.com' })).toThrow(/no access to organization/);
    expect(() => run('Convert-ToSharedMailbox', { ...p, Organization: 'contoso.com' })).toThrow(/not an initial/);
    expect(run('Convert-ToSharedMailbox', { ...p, Organization: 'CONTOSO.onmicrosoft.com' }, {}).outcome).toBe('applied');
  });
});

describe('Set-DistributionGroupMember', () => {
  it('adds to a distribution list and a mail-enabled security group, idempotently', () => {
    const add = run('Set-DistributionGroupMember', { GroupIdentity: 'all-staff@contoso.com', MemberEmail: 'nestor.wilke@contoso.com', Action: 'Add' });
    expect(add).toMatchObject({ outcome: 'applied', action: 'add_member', details: { groupType: 'MailUniversalDistributionGroup' } });
    expect(exchange.getGroupMembers('all-staff@contoso.com')).toContain('nestor.wilke@contoso.com');
    expect(run('Set-DistributionGroupMember', { GroupIdentity: 'All Staff', MemberEmail: 'nestor.wilke@contoso.com', Action: 'add' }).outcome).toBe('already_satisfied');
    const sec = run('Set-DistributionGroupMember', { GroupIdentity: 'finance-mesg@contoso.com', MemberEmail: 'adele.vance@contoso.com', Action: 'Add' });
    expect(sec.details.groupType).toBe('MailUniversalSecurityGroup');
  });

  it('removes, and treats removing a non-member as already satisfied', () => {
    expect(run('Set-DistributionGroupMember', { GroupIdentity: 'finance-mesg@contoso.com', MemberEmail: 'emily.braun@contoso.com', Action: 'Remove' }).outcome).toBe('applied');
    expect(exchange.getGroupMembers('finance-mesg@contoso.com')).toEqual(['ben.walters@contoso.com', 'pradeep.gupta@contoso.com']);
    expect(run('Set-DistributionGroupMember', { GroupIdentity: 'finance-mesg@contoso.com', MemberEmail: 'emily.braun@contoso.com', Action: 'Remove' }).outcome).toBe('already_satisfied');
  });

  it('fails for an unknown group or member', () => {
    expect(() => run('Set-DistributionGroupMember', { GroupIdentity: 'nogroup@contoso.com', MemberEmail: 'adele.vance@contoso.com', Action: 'Add' })).toThrow(/object 'nogroup@contoso.com' couldn't be found/);
    expect(() => run('Set-DistributionGroupMember', { GroupIdentity: 'all-staff@contoso.com', MemberEmail: 'ghost@contoso.com', Action: 'Add' })).toThrow(/object 'ghost@contoso.com' couldn't be found on/);
  });

  it('the model raises the cmdlet errors the runbook guards against', () => {
    expect(() => exchange.addGroupMember('all-staff@contoso.com', 'adele.vance@contoso.com')).toThrow('The recipient "adele.vance@contoso.com" is already a member of the group "All Staff".');
    expect(() => exchange.removeGroupMember('finance-mesg@contoso.com', 'adele.vance@contoso.com')).toThrow(/isn't a member of the group/);
  });
});

describe('Convert-ToSharedMailbox', () => {
  it('converts a user mailbox once, then reports already_satisfied', () => {
    const r = run('Convert-ToSharedMailbox', { UserPrincipalName: 'alex.wilber@contoso.com' });
    expect(r).toMatchObject({ outcome: 'applied', details: { previousType: 'UserMailbox', recipientTypeDetails: 'SharedMailbox' } });
    expect(lines).toContain('Verification: RecipientTypeDetails = SharedMailbox');
    expect(run('Convert-ToSharedMailbox', { UserPrincipalName: 'alex.wilber@contoso.com' }).outcome).toBe('already_satisfied');
  });

  it('fails for an unknown mailbox', () => {
    expect(() => run('Convert-ToSharedMailbox', { UserPrincipalName: 'ghost@contoso.com' })).toThrow(/couldn't be found/);
  });
});

describe('Set-MailboxOffboarding', () => {
  it('hides from the GAL and forwards with a kept copy, then is already satisfied', () => {
    const r = run('Set-MailboxOffboarding', { UserPrincipalName: 'diego.siciliani@contoso.com', HideFromAddressList: 'true', ForwardTo: 'Megan Bowen', DeliverToMailboxAndForward: 'true' });
    expect(r).toMatchObject({
      outcome: 'applied',
      details: { hiddenFromAddressListsEnabled: true, forwardingSmtpAddress: 'megan.bowen@contoso.com', deliverToMailboxAndForward: true, changed: ['hidden_from_address_lists', 'forwarding', 'deliver_to_mailbox_and_forward'] },
    });
    expect(mailbox('diego.siciliani@contoso.com').ForwardingSmtpAddress).toBe('smtp:megan.bowen@contoso.com');
    const again = run('Set-MailboxOffboarding', { UserPrincipalName: 'diego.siciliani@contoso.com', HideFromAddressList: 'true', ForwardTo: 'megan.bowen@contoso.com', DeliverToMailboxAndForward: 'true' });
    expect(again).toMatchObject({ outcome: 'already_satisfied', details: { changed: [] } });
  });

  it('refuses external forwarding unless AllowExternalForwarding is true (default outbound spam policy, https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding)', () => {
    const r = run('Set-MailboxOffboarding', { UserPrincipalName: 'joni.sherman@contoso.com', HideFromAddressList: 'false', ForwardTo: 'joni@fabrikam.example' });
    expect(r).toMatchObject({ outcome: 'already_satisfied', details: { forwardingSmtpAddress: null, changed: [], refused: [{ step: 'forwarding' }] } });
    expect(r.message).toMatch(/^Nothing was changed on joni.sherman@contoso.com. Forwarding to joni@fabrikam.example was not set up: fabrikam.example is outside the organisation/);
    const allowed = run('Set-MailboxOffboarding', { UserPrincipalName: 'joni.sherman@contoso.com', HideFromAddressList: 'false', ForwardTo: 'joni@fabrikam.example' }, {
      ExchangeOrganization: 'contoso.onmicrosoft.com',
      AllowExternalForwarding: true,
    });
    expect(allowed.details).toMatchObject({ hiddenFromAddressListsEnabled: false, forwardingSmtpAddress: 'joni@fabrikam.example', deliverToMailboxAndForward: false, refused: [] });
  });

  it('turns on the automatic reply once; Exchange keeps it as HTML (Learn: Set-MailboxAutoReplyConfiguration -InternalMessage)', () => {
    const p = { UserPrincipalName: 'joni.sherman@contoso.com', HideFromAddressList: 'false', AutoReplyMessage: 'Joni has left; write to Megan.' };
    expect(run('Set-MailboxOffboarding', p)).toMatchObject({ outcome: 'applied', details: { changed: ['auto_reply'], autoReplyState: 'Enabled' } });
    expect(exchange.getAutoReplyConfiguration('joni.sherman@contoso.com')).toMatchObject({
      AutoReplyState: 'Enabled',
      ExternalAudience: 'All',
      InternalMessage: '<html><body>Joni has left; write to Megan.</body></html>',
    });
    expect(run('Set-MailboxOffboarding', p)).toMatchObject({ outcome: 'already_satisfied', details: { changed: [], autoReplyState: 'Enabled' } });
  });

  it('rejects an invalid forwarding address and self-forwarding without changing anything', () => {
    expect(() => run('Set-MailboxOffboarding', { UserPrincipalName: 'joni.sherman@contoso.com', ForwardTo: 'not an address' })).toThrow(
      "ForwardTo 'not an address' is neither a recipient of this organisation nor an email address.",
    );
    expect(() => run('Set-MailboxOffboarding', { UserPrincipalName: 'joni.sherman@contoso.com', ForwardTo: 'Joni Sherman' })).toThrow(/to itself/);
    expect(mailbox('joni.sherman@contoso.com')).toMatchObject({ HiddenFromAddressListsEnabled: false, ForwardingSmtpAddress: null });
  });
});

describe('Exchange fixture', () => {
  it('refuses fixtures with dangling references or duplicates', () => {
    const bad = structuredClone(fixture) as { DistributionGroups: Array<{ Members: string[] }> };
    bad.DistributionGroups[0]?.Members.push('ghost@contoso.com');
    expect(() => new ExchangeModel(bad)).toThrow(/unknown member ghost@contoso.com/);
    expect(() => new ExchangeModel({ Organization: 'contoso.com', AcceptedDomains: ['contoso.com'], Mailboxes: [] })).toThrow(/Organization/);
  });
});
