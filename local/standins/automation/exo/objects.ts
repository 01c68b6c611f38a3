import type { ExchangeModel, Recipient } from '../exchange-model.js';
import type { DistributionGroup, Mailbox } from '../exchange-state.js';

/**
 * The objects the stand-in's cmdlets return, with the property names and value forms of Exchange Online's
 * output (https://learn.microsoft.com/powershell/module/exchange/get-mailbox and the other Get-* pages).
 * `Identity`, and the entries of GrantSendOnBehalfTo, are recipient names (the alias here), not addresses,
 * as in EXO: a runbook that compares them with addresses without resolving them first is wrong.
 */

export type ExoObject = Record<string, unknown>;

export function mailboxObject(m: Mailbox, ex: ExchangeModel): ExoObject {
  return {
    Identity: m.Alias,
    Name: m.Alias,
    Alias: m.Alias,
    DisplayName: m.DisplayName,
    UserPrincipalName: m.UserPrincipalName,
    PrimarySmtpAddress: m.PrimarySmtpAddress,
    RecipientType: 'UserMailbox',
    RecipientTypeDetails: m.RecipientTypeDetails,
    EmailAddresses: [...m.EmailAddresses],
    HiddenFromAddressListsEnabled: m.HiddenFromAddressListsEnabled,
    ForwardingAddress: null,
    ForwardingSmtpAddress: m.ForwardingSmtpAddress,
    DeliverToMailboxAndForward: m.DeliverToMailboxAndForward,
    GrantSendOnBehalfTo: m.GrantSendOnBehalfTo.map((a) => recipientName(ex, a)),
  };
}

export function groupObject(g: DistributionGroup): ExoObject {
  return {
    Identity: g.Alias,
    Name: g.Alias,
    Alias: g.Alias,
    DisplayName: g.DisplayName,
    PrimarySmtpAddress: g.PrimarySmtpAddress,
    RecipientType: g.RecipientTypeDetails,
    RecipientTypeDetails: g.RecipientTypeDetails,
    EmailAddresses: [`SMTP:${g.PrimarySmtpAddress}`],
  };
}

/** Get-Recipient / Get-DistributionGroupMember rows. */
export function recipientObject(r: Recipient): ExoObject {
  if (r.kind === 'group') return groupObject(r.group);
  const m = r.mailbox;
  return {
    Identity: m.Alias,
    Name: m.Alias,
    Alias: m.Alias,
    DisplayName: m.DisplayName,
    PrimarySmtpAddress: m.PrimarySmtpAddress,
    RecipientType: 'UserMailbox',
    RecipientTypeDetails: m.RecipientTypeDetails,
    EmailAddresses: [...m.EmailAddresses],
  };
}

/** Get-MailboxPermission / Add-MailboxPermission rows (explicit FullAccess entries only). */
export function mailboxPermissionObject(m: Mailbox, user: string): ExoObject {
  return { Identity: m.Alias, User: user, AccessRights: ['FullAccess'], IsInherited: false, Deny: false, InheritanceType: 'All' };
}

/** Get-RecipientPermission / Add-RecipientPermission rows. */
export function recipientPermissionObject(m: Mailbox, trustee: string): ExoObject {
  return { Identity: m.Alias, Trustee: trustee, AccessControlType: 'Allow', AccessRights: ['SendAs'], IsInherited: false, InheritanceType: 'None' };
}

function recipientName(ex: ExchangeModel, address: string): string {
  const r = ex.findRecipient(address);
  if (!r) return address;
  return r.kind === 'mailbox' ? r.mailbox.Alias : r.group.Alias;
}
