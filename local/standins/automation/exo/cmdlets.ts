import { ExchangeCmdletError, objectNotFoundOnServer } from '../exchange-errors.js';
import type { ExchangeModel, SetMailboxChanges } from '../exchange-model.js';
import { groupObject, mailboxObject, mailboxPermissionObject, recipientObject, recipientPermissionObject, type ExoObject } from './objects.js';
import { CmdletParameters, notModelled } from './parameters.js';

/**
 * The cmdlets the stand-in serves on /cmdlet: each maps the posted parameters onto one ExchangeModel method
 * and returns what the cmdlet writes to the pipeline. Parameter names are the real ones from each
 * cmdlet's Microsoft Learn page (https://learn.microsoft.com/powershell/module/exchange/<cmdlet>).
 */

export interface CmdletSpec {
  /** Changes Exchange (refused for read-only roles, see access.ts). */
  write: boolean;
  /** Parameters the stand-in models; any other (non-common) parameter is refused as not modelled. */
  parameters: readonly string[];
  run(ex: ExchangeModel, p: CmdletParameters): ExoObject[];
}

const MAILBOX_TYPES: Record<string, SetMailboxChanges['Type']> = { shared: 'Shared', regular: 'Regular', room: 'Room' };

function onlyRight(p: CmdletParameters, name: string, right: string): void {
  const rights = p.list(name) ?? [right];
  const other = rights.find((r) => r.toLowerCase() !== right.toLowerCase());
  if (other) throw notModelled(p.cmdlet, `-${name} ${other}`);
}

/**
 * Add-/Remove-DistributionGroupMember by an identity that is not in the group's ManagedBy needs
 * -BypassSecurityGroupManagerCheck (Learn, Add-DistributionGroupMember). The wording is a best
 * reconstruction of EXO's refusal.
 */
function requireBypass(p: CmdletParameters, group: string): void {
  if (p.bool('BypassSecurityGroupManagerCheck') === true) return;
  throw new ExchangeCmdletError(
    `You don't have sufficient permissions. This operation can only be performed by a manager of the group "${group}".`,
    'Microsoft.Exchange.Configuration.Tasks.TaskException',
  );
}

export const CMDLETS: Readonly<Record<string, CmdletSpec>> = {
  'Get-Mailbox': {
    write: false,
    parameters: ['Identity', 'ResultSize'],
    run: (ex, p) => {
      const id = p.string('Identity');
      if (id !== undefined) return [mailboxObject(ex.getMailbox(id), ex)];
      return ex.snapshot().Mailboxes.map((m) => mailboxObject(ex.getMailbox(m.PrimarySmtpAddress), ex));
    },
  },
  'Set-Mailbox': {
    write: true,
    parameters: ['Identity', 'Type', 'HiddenFromAddressListsEnabled', 'ForwardingSmtpAddress', 'DeliverToMailboxAndForward', 'GrantSendOnBehalfTo'],
    run: (ex, p) => {
      const changes: SetMailboxChanges = {};
      const type = p.string('Type');
      if (type !== undefined) {
        const t = MAILBOX_TYPES[type.toLowerCase()];
        if (!t) throw notModelled(p.cmdlet, `-Type ${type}`);
        changes.Type = t;
      }
      const hidden = p.bool('HiddenFromAddressListsEnabled');
      if (hidden !== undefined) changes.HiddenFromAddressListsEnabled = hidden;
      const forwarding = p.nullableString('ForwardingSmtpAddress');
      if (forwarding !== undefined) changes.ForwardingSmtpAddress = forwarding;
      const deliver = p.bool('DeliverToMailboxAndForward');
      if (deliver !== undefined) changes.DeliverToMailboxAndForward = deliver;
      const delegates = p.multiValued('GrantSendOnBehalfTo');
      if (delegates !== undefined) changes.GrantSendOnBehalfTo = delegates;
      ex.setMailbox(p.string('Identity', true), changes);
      return [];
    },
  },
  'Get-Recipient': {
    write: false,
    parameters: ['Identity', 'ResultSize'],
    run: (ex, p) => {
      const id = p.string('Identity', true);
      const r = ex.findRecipient(id);
      if (!r) throw objectNotFoundOnServer(id);
      return [recipientObject(r)];
    },
  },
  'Get-DistributionGroup': {
    write: false,
    parameters: ['Identity', 'ResultSize'],
    run: (ex, p) => [groupObject(ex.getDistributionGroup(p.string('Identity', true)))],
  },
  'Get-DistributionGroupMember': {
    write: false,
    parameters: ['Identity', 'ResultSize'],
    run: (ex, p) =>
      ex.getGroupMembers(p.string('Identity', true)).map((m) => {
        const r = ex.findRecipient(m);
        return r ? recipientObject(r) : { PrimarySmtpAddress: m };
      }),
  },
  'Add-DistributionGroupMember': {
    write: true,
    parameters: ['Identity', 'Member', 'BypassSecurityGroupManagerCheck'],
    run: (ex, p) => {
      const group = ex.getDistributionGroup(p.string('Identity', true));
      requireBypass(p, group.DisplayName);
      ex.addGroupMember(group.PrimarySmtpAddress, p.string('Member', true));
      return [];
    },
  },
  'Remove-DistributionGroupMember': {
    write: true,
    parameters: ['Identity', 'Member', 'BypassSecurityGroupManagerCheck'],
    run: (ex, p) => {
      const group = ex.getDistributionGroup(p.string('Identity', true));
      requireBypass(p, group.DisplayName);
      ex.removeGroupMember(group.PrimarySmtpAddress, p.string('Member', true));
      return [];
    },
  },
  'Get-MailboxPermission': {
    write: false,
    parameters: ['Identity', 'User', 'ResultSize'],
    run: (ex, p) => {
      const mbx = ex.getMailbox(p.string('Identity', true));
      const user = p.string('User');
      if (user === undefined) return mbx.FullAccess.map((e) => mailboxPermissionObject(mbx, e.User));
      const entry = ex.getFullAccess(mbx.PrimarySmtpAddress, user);
      return entry ? [mailboxPermissionObject(mbx, entry.User)] : [];
    },
  },
  'Add-MailboxPermission': {
    write: true,
    parameters: ['Identity', 'User', 'AccessRights', 'InheritanceType', 'AutoMapping'],
    run: (ex, p) => {
      onlyRight(p, 'AccessRights', 'FullAccess');
      const mbx = ex.getMailbox(p.string('Identity', true));
      const user = p.string('User', true);
      // AutoMapping defaults to $true (Learn, Add-MailboxPermission -AutoMapping).
      ex.addFullAccess(mbx.PrimarySmtpAddress, user, p.bool('AutoMapping') ?? true);
      return [mailboxPermissionObject(mbx, ex.resolveTrustee(user))];
    },
  },
  'Remove-MailboxPermission': {
    write: true,
    parameters: ['Identity', 'User', 'AccessRights', 'InheritanceType'],
    run: (ex, p) => {
      onlyRight(p, 'AccessRights', 'FullAccess');
      ex.removeFullAccess(p.string('Identity', true), p.string('User', true));
      return [];
    },
  },
  'Get-RecipientPermission': {
    write: false,
    parameters: ['Identity', 'Trustee', 'AccessRights', 'ResultSize'],
    run: (ex, p) => {
      onlyRight(p, 'AccessRights', 'SendAs');
      const mbx = ex.getMailbox(p.string('Identity', true));
      const trustee = p.string('Trustee');
      if (trustee === undefined) return mbx.SendAs.map((t) => recipientPermissionObject(mbx, t));
      return ex.hasSendAs(mbx.PrimarySmtpAddress, trustee) ? [recipientPermissionObject(mbx, ex.resolveTrustee(trustee))] : [];
    },
  },
  'Add-RecipientPermission': {
    write: true,
    parameters: ['Identity', 'Trustee', 'AccessRights'],
    run: (ex, p) => {
      onlyRight(p, 'AccessRights', 'SendAs');
      const mbx = ex.getMailbox(p.string('Identity', true));
      const trustee = p.string('Trustee', true);
      ex.addSendAs(mbx.PrimarySmtpAddress, trustee);
      return [recipientPermissionObject(mbx, ex.resolveTrustee(trustee))];
    },
  },
  'Remove-RecipientPermission': {
    write: true,
    parameters: ['Identity', 'Trustee', 'AccessRights'],
    run: (ex, p) => {
      onlyRight(p, 'AccessRights', 'SendAs');
      ex.removeSendAs(p.string('Identity', true), p.string('Trustee', true));
      return [];
    },
  },
  'Get-AcceptedDomain': {
    write: false,
    parameters: ['Identity', 'ResultSize'],
    run: (ex, p) => {
      const id = p.string('Identity')?.toLowerCase();
      return ex.getAcceptedDomains().filter((d) => id === undefined || d.DomainName.toLowerCase() === id) as unknown as ExoObject[];
    },
  },
  'Get-MailboxAutoReplyConfiguration': {
    write: false,
    parameters: ['Identity', 'ResultSize'],
    run: (ex, p) => [{ ...ex.getAutoReplyConfiguration(p.string('Identity', true)) }],
  },
  'Set-MailboxAutoReplyConfiguration': {
    write: true,
    parameters: ['Identity', 'AutoReplyState', 'InternalMessage', 'ExternalMessage', 'ExternalAudience'],
    run: (ex, p) => {
      const changes = {
        ...(p.has('AutoReplyState') ? { AutoReplyState: p.string('AutoReplyState', true) } : {}),
        ...(p.has('InternalMessage') ? { InternalMessage: p.nullableString('InternalMessage') ?? null } : {}),
        ...(p.has('ExternalMessage') ? { ExternalMessage: p.nullableString('ExternalMessage') ?? null } : {}),
        ...(p.has('ExternalAudience') ? { ExternalAudience: p.string('ExternalAudience', true) } : {}),
      };
      ex.setAutoReplyConfiguration(p.string('Identity', true), changes);
      return [];
    },
  },
  'Disconnect-ExchangeOnline': { write: false, parameters: [], run: () => [] },
};

/** The spec for a cmdlet name (PowerShell command names are case-insensitive). */
export function findCmdlet(name: string): { name: string; spec: CmdletSpec } | undefined {
  const key = Object.keys(CMDLETS).find((k) => k.toLowerCase() === name.toLowerCase());
  const spec = key ? CMDLETS[key] : undefined;
  return key && spec ? { name: key, spec } : undefined;
}
