import type { TenantState, UserRecord } from '../graph/tenant/state.js';
import type { ExchangeState, Mailbox } from './exchange-state.js';

/**
 * One tenant behind both stand-ins: the facts Exchange Online and Microsoft Graph both show live in the
 * Graph stand-in's TenantState, so a runbook's change is visible through Graph as in a real tenant.
 * The Exchange model pulls these facts before it reads and pushes them after it writes; everything
 * Graph doesn't show stays in the Exchange model only.
 *
 * Shared (Exchange ⇄ Graph):
 * - distribution group / mail-enabled security group membership ⇄ group `members`
 *   (both group types are read-only through Graph: https://learn.microsoft.com/graph/api/resources/groups-overview,
 *   table "Group types"; the writes come from Exchange, here the runbooks);
 * - HiddenFromAddressListsEnabled ⇄ user `showInAddressList` (false when hidden; read-only in Graph:
 *   https://learn.microsoft.com/graph/api/resources/user "showInAddressList");
 * - RecipientTypeDetails UserMailbox/SharedMailbox/RoomMailbox ⇄ mailboxSettings `userPurpose`
 *   user/shared/room (https://learn.microsoft.com/graph/api/resources/mailboxsettings "userPurpose", read-only in Graph);
 * - Set-MailboxAutoReplyConfiguration ⇄ mailboxSettings `automaticRepliesSetting`
 *   (https://learn.microsoft.com/graph/api/resources/automaticrepliessetting): status Disabled/Enabled/Scheduled
 *   = disabled/alwaysEnabled/scheduled, externalAudience None/Known/All = none/contactsOnly/all.
 *
 * Exchange only (Graph v1.0 shows nothing for them): Full Access (Get-MailboxPermission), Send As
 * (Get-RecipientPermission), GrantSendOnBehalfTo, ForwardingSmtpAddress / DeliverToMailboxAndForward
 * (mailboxSettings has no forwarding property), accepted domains as Exchange lists them.
 */
export type TenantSource = () => TenantState;

const lower = (s: string) => s.toLowerCase();

const TYPE_TO_GRAPH = { UserMailbox: 'user', SharedMailbox: 'shared', RoomMailbox: 'room' } as const;
const TYPE_FROM_GRAPH = { user: 'UserMailbox', shared: 'SharedMailbox', room: 'RoomMailbox' } as const;
const STATE_TO_GRAPH = { Disabled: 'disabled', Enabled: 'alwaysEnabled', Scheduled: 'scheduled' } as const;
const STATE_FROM_GRAPH = { disabled: 'Disabled', alwaysEnabled: 'Enabled', scheduled: 'Scheduled' } as const;
const AUDIENCE_TO_GRAPH = { None: 'none', Known: 'contactsOnly', All: 'all' } as const;
const AUDIENCE_FROM_GRAPH = { none: 'None', contactsOnly: 'Known', all: 'All' } as const;

/** The Graph user behind a mailbox (same UPN, else same primary address), whether or not Graph shows its mailbox yet. */
function graphUserOf(tenant: TenantState, m: Mailbox): UserRecord | undefined {
  const byUpn = tenant.findUser(m.UserPrincipalName, { includeReplicating: true });
  return byUpn ?? [...tenant.users.values()].find((u) => u.mail && lower(u.mail) === lower(m.PrimarySmtpAddress));
}

/** The Graph user behind a mailbox, if Graph also shows the mailbox (its settings are then shared facts). */
function userOf(tenant: TenantState, m: Mailbox): UserRecord | undefined {
  const user = graphUserOf(tenant, m);
  return user?.mailbox ? user : undefined;
}

function groupOf(tenant: TenantState, address: string) {
  return [...tenant.groups.values()].find((g) => g.mailEnabled && g.mail && lower(g.mail) === lower(address) && !g.groupTypes.includes('Unified'));
}

/** Graph user id → the mailbox's primary address, for every mailbox Exchange and Graph both know. */
function mailboxIndex(state: ExchangeState, tenant: TenantState): { byUserId: Map<string, string>; byAddress: Map<string, string> } {
  const byUserId = new Map<string, string>();
  const byAddress = new Map<string, string>();
  for (const m of state.Mailboxes) {
    // Membership pairs by the user alone: a user created a moment ago has its Exchange mailbox before Graph's
    // mailboxSettings show one, and a distribution list can already hold it.
    const user = graphUserOf(tenant, m);
    if (!user) continue;
    byUserId.set(lower(user.id), m.PrimarySmtpAddress);
    byAddress.set(lower(m.PrimarySmtpAddress), user.id);
  }
  return { byUserId, byAddress };
}

/** Copies the shared facts from the Graph tenant into the Exchange state (in place: callers hold references). */
export function pullFromTenant(state: ExchangeState, tenant: TenantState): void {
  for (const m of state.Mailboxes) {
    const mbx = userOf(tenant, m)?.mailbox;
    if (!mbx) continue;
    m.HiddenFromAddressListsEnabled = mbx.hiddenFromAddressLists;
    if (mbx.type !== 'equipment') m.RecipientTypeDetails = TYPE_FROM_GRAPH[mbx.type];
    const r = mbx.automaticRepliesSetting;
    m.AutoReplyState = r ? STATE_FROM_GRAPH[r.status] : 'Disabled';
    m.ExternalAudience = r ? AUDIENCE_FROM_GRAPH[r.externalAudience] : 'All';
    // Graph shows a message never set as ''; Exchange as null.
    const internal = r?.internalReplyMessage ?? '';
    const external = r?.externalReplyMessage ?? '';
    m.InternalMessage = internal === '' && m.InternalMessage === null ? null : internal;
    m.ExternalMessage = external === '' && m.ExternalMessage === null ? null : external;
  }
  const { byUserId } = mailboxIndex(state, tenant);
  for (const g of state.DistributionGroups) {
    const group = groupOf(tenant, g.PrimarySmtpAddress);
    if (!group) continue;
    g.Members = group.members.flatMap((id) => {
      const address = byUserId.get(lower(id));
      return address ? [address] : [];
    });
  }
}

/** Writes the shared facts of the Exchange state into the Graph tenant. */
export function pushToTenant(state: ExchangeState, tenant: TenantState): void {
  for (const m of state.Mailboxes) {
    const mbx = userOf(tenant, m)?.mailbox;
    if (!mbx) continue;
    mbx.hiddenFromAddressLists = m.HiddenFromAddressListsEnabled;
    mbx.type = TYPE_TO_GRAPH[m.RecipientTypeDetails];
    const current = mbx.automaticRepliesSetting;
    mbx.automaticRepliesSetting = {
      ...current,
      status: STATE_TO_GRAPH[m.AutoReplyState],
      externalAudience: AUDIENCE_TO_GRAPH[m.ExternalAudience],
      internalReplyMessage: m.InternalMessage ?? '',
      externalReplyMessage: m.ExternalMessage ?? '',
    };
  }
  const { byUserId, byAddress } = mailboxIndex(state, tenant);
  for (const g of state.DistributionGroups) {
    const group = groupOf(tenant, g.PrimarySmtpAddress);
    if (!group) continue;
    const wanted = g.Members.map((a) => byAddress.get(lower(a))).filter((id): id is string => id !== undefined);
    const wantedKeys = new Set(wanted.map(lower));
    // Members Exchange doesn't model (nested groups, users without a mailbox here) stay; order is kept.
    const kept = group.members.filter((id) => !byUserId.has(lower(id)) || wantedKeys.has(lower(id)));
    const keptKeys = new Set(kept.map(lower));
    group.members = [...kept, ...wanted.filter((id) => !keptKeys.has(lower(id)))];
  }
}
