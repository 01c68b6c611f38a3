import {
  ambiguousIdentity,
  couldNotFindObject,
  invalidEnumValue,
  invalidSmtpAddress,
  memberAlreadyExists,
  memberNotFound,
  objectNotFoundOnServer,
} from './exchange-errors.js';
import { parseExchangeState, type DistributionGroup, type ExchangeState, type FullAccessEntry, type Mailbox } from './exchange-state.js';
import { pullFromTenant, pushToTenant, type TenantSource } from './tenant-link.js';

/**
 * The Exchange Online tenant behind the Automation stand-in, with one method per cmdlet the runbooks call.
 * The methods behave like the cmdlets (identity resolution, errors), so a runbook model written against
 * them makes the same checks the PowerShell runbook has to make.
 */

export type Recipient = { kind: 'mailbox'; mailbox: Mailbox } | { kind: 'group'; group: DistributionGroup };

export interface AcceptedDomain {
  Name: string;
  DomainName: string;
  DomainType: 'Authoritative';
  Default: boolean;
  MatchSubDomains: boolean;
}

export interface AutoReplyConfiguration {
  Identity: string;
  MailboxOwnerId: string;
  AutoReplyState: Mailbox['AutoReplyState'];
  InternalMessage: string | null;
  ExternalMessage: string | null;
  ExternalAudience: Mailbox['ExternalAudience'];
}

/** Set-MailboxAutoReplyConfiguration parameters (strings as the cmdlet receives them; enums checked here). */
export interface AutoReplyChanges {
  AutoReplyState?: string;
  InternalMessage?: string | null;
  ExternalMessage?: string | null;
  ExternalAudience?: string;
}

const AUTO_REPLY_STATES = ['Disabled', 'Enabled', 'Scheduled'] as const;
const EXTERNAL_AUDIENCES = ['None', 'Known', 'All'] as const;

function enumValue<T extends string>(allowed: readonly T[], value: string, parameter: string, enumType: string): T {
  const match = allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase());
  if (!match) throw invalidEnumValue(parameter, 'Set-MailboxAutoReplyConfiguration', value, enumType, allowed);
  return match;
}

/**
 * "HTML tags are automatically added to the text": "I'm on vacation" is stored as
 * <html><body>I'm on vacation</body></html> (Learn, Set-MailboxAutoReplyConfiguration -InternalMessage).
 */
function asReplyHtml(message: string | null): string | null {
  if (message === null || message === '') return message;
  return /^\s*<html[\s>]/i.test(message) ? message : `<html><body>${message}</body></html>`;
}

export interface SetMailboxChanges {
  Type?: 'Shared' | 'Regular' | 'Room';
  HiddenFromAddressListsEnabled?: boolean;
  /** null clears forwarding. */
  ForwardingSmtpAddress?: string | null;
  DeliverToMailboxAndForward?: boolean;
  /** The multivalued-property hashtable form @{Add=...} / @{Remove=...}; a plain list replaces every delegate. */
  GrantSendOnBehalfTo?: { Add?: string[]; Remove?: string[] } | string[];
}

const SMTP = /^[^@\s"<>]+@[^@\s"<>]+\.[^@\s"<>]+$/;
const lower = (s: string) => s.toLowerCase();

export interface ExchangeModelOptions {
  /**
   * The Graph stand-in's tenant to share mail facts with (tenant-link.ts). Without it the model owns all
   * its state, as in the Automation stand-in's own unit tests.
   */
  tenant?: TenantSource;
}

export class ExchangeModel {
  private state: ExchangeState;
  private readonly tenant: TenantSource | undefined;

  /** With a shared tenant, Graph's current facts win at start (the fixtures describe the same tenant). */
  constructor(initial: unknown, options: ExchangeModelOptions = {}) {
    this.state = parseExchangeState(initial);
    this.tenant = options.tenant;
    this.pull();
  }

  /**
   * Replaces the whole Exchange tenant (admin API / tests). With a shared tenant the loaded shared facts
   * (DL members, hidden, mailbox type, auto-replies) are written to Graph too: what was loaded is what
   * both stand-ins show.
   */
  load(input: unknown): void {
    this.state = parseExchangeState(input);
    this.push();
  }

  snapshot(): ExchangeState {
    this.pull();
    return structuredClone(this.state);
  }

  /** True when the mail facts Graph also shows live in the Graph stand-in's tenant. */
  get sharesTenant(): boolean {
    return this.tenant !== undefined;
  }

  private pull(): void {
    if (this.tenant) pullFromTenant(this.state, this.tenant());
  }

  private push(): void {
    if (this.tenant) pushToTenant(this.state, this.tenant());
  }

  get organization(): string {
    return this.state.Organization;
  }

  /** Resolves an identity the way EXO does: SMTP address, UPN, alias or display name, case-insensitive. */
  findRecipient(identity: string): Recipient | undefined {
    this.pull();
    const id = lower(identity.trim());
    const mailboxes = this.state.Mailboxes.filter(
      (m) =>
        lower(m.PrimarySmtpAddress) === id ||
        lower(m.UserPrincipalName) === id ||
        lower(m.Alias) === id ||
        lower(m.DisplayName) === id ||
        m.EmailAddresses.some((p) => lower(p.slice(5)) === id),
    );
    const groups = this.state.DistributionGroups.filter(
      (g) => lower(g.PrimarySmtpAddress) === id || lower(g.Alias) === id || lower(g.DisplayName) === id,
    );
    const all: Recipient[] = [...mailboxes.map((mailbox) => ({ kind: 'mailbox' as const, mailbox })), ...groups.map((group) => ({ kind: 'group' as const, group }))];
    if (all.length > 1) throw ambiguousIdentity(identity);
    return all[0];
  }

  private address(r: Recipient): string {
    return r.kind === 'mailbox' ? r.mailbox.PrimarySmtpAddress : r.group.PrimarySmtpAddress;
  }

  /** Get-Recipient: the primary SMTP address of a trustee/member argument. */
  resolveTrustee(identity: string): string {
    const r = this.findRecipient(identity);
    if (!r) throw couldNotFindObject(identity);
    return this.address(r);
  }

  /** Get-Recipient -Identity: the recipient's primary SMTP address; a missing one fails as that cmdlet does. */
  getRecipientAddress(identity: string): string {
    const r = this.findRecipient(identity);
    if (!r) throw objectNotFoundOnServer(identity);
    return this.address(r);
  }

  /** Get-Mailbox -Identity */
  getMailbox(identity: string): Mailbox {
    const r = this.findRecipient(identity);
    if (r?.kind !== 'mailbox') throw objectNotFoundOnServer(identity);
    return r.mailbox;
  }

  /** Get-DistributionGroup -Identity (DLs and mail-enabled security groups). */
  getDistributionGroup(identity: string): DistributionGroup {
    const r = this.findRecipient(identity);
    if (r?.kind !== 'group') throw objectNotFoundOnServer(identity);
    return r.group;
  }

  /** Get-MailboxPermission -Identity -User, limited to explicit FullAccess entries. */
  getFullAccess(mailbox: string, user: string): FullAccessEntry | undefined {
    const mbx = this.getMailbox(mailbox);
    const trustee = lower(this.resolveTrustee(user));
    return mbx.FullAccess.find((e) => lower(e.User) === trustee);
  }

  /** Add-MailboxPermission -AccessRights FullAccess -InheritanceType All -AutoMapping */
  addFullAccess(mailbox: string, user: string, autoMapping: boolean): void {
    const mbx = this.getMailbox(mailbox);
    const trustee = this.resolveTrustee(user);
    const existing = mbx.FullAccess.find((e) => lower(e.User) === lower(trustee));
    if (existing) existing.AutoMapping = autoMapping;
    else mbx.FullAccess.push({ User: trustee, AutoMapping: autoMapping });
  }

  /** Remove-MailboxPermission -AccessRights FullAccess -InheritanceType All */
  removeFullAccess(mailbox: string, user: string): void {
    const mbx = this.getMailbox(mailbox);
    const trustee = lower(this.resolveTrustee(user));
    mbx.FullAccess = mbx.FullAccess.filter((e) => lower(e.User) !== trustee);
  }

  /** Get-RecipientPermission -Identity -Trustee (SendAs). */
  hasSendAs(mailbox: string, trustee: string): boolean {
    const mbx = this.getMailbox(mailbox);
    const t = lower(this.resolveTrustee(trustee));
    return mbx.SendAs.some((a) => lower(a) === t);
  }

  /** Add-RecipientPermission -AccessRights SendAs */
  addSendAs(mailbox: string, trustee: string): void {
    const mbx = this.getMailbox(mailbox);
    const t = this.resolveTrustee(trustee);
    if (!mbx.SendAs.some((a) => lower(a) === lower(t))) mbx.SendAs.push(t);
  }

  /** Remove-RecipientPermission -AccessRights SendAs */
  removeSendAs(mailbox: string, trustee: string): void {
    const mbx = this.getMailbox(mailbox);
    const t = lower(this.resolveTrustee(trustee));
    mbx.SendAs = mbx.SendAs.filter((a) => lower(a) !== t);
  }

  /** Set-Mailbox: resolves every recipient before changing anything, as the cmdlet validates first. */
  setMailbox(identity: string, changes: SetMailboxChanges): void {
    const mbx = this.getMailbox(identity);
    const delegates = changes.GrantSendOnBehalfTo;
    const replace = Array.isArray(delegates) ? delegates.map((a) => this.resolveTrustee(a)) : undefined;
    const add = (Array.isArray(delegates) ? [] : (delegates?.Add ?? [])).map((a) => this.resolveTrustee(a));
    const remove = (Array.isArray(delegates) ? [] : (delegates?.Remove ?? [])).map((a) => lower(this.resolveTrustee(a)));
    let forwarding: string | null | undefined;
    if (changes.ForwardingSmtpAddress !== undefined) {
      if (changes.ForwardingSmtpAddress === null) forwarding = null;
      else {
        const bare = changes.ForwardingSmtpAddress.replace(/^smtp:/i, '');
        if (!SMTP.test(bare)) throw invalidSmtpAddress(changes.ForwardingSmtpAddress);
        forwarding = `smtp:${bare}`;
      }
    }
    if (changes.Type === 'Shared') mbx.RecipientTypeDetails = 'SharedMailbox';
    if (changes.Type === 'Regular') mbx.RecipientTypeDetails = 'UserMailbox';
    if (changes.Type === 'Room') mbx.RecipientTypeDetails = 'RoomMailbox';
    if (changes.HiddenFromAddressListsEnabled !== undefined) mbx.HiddenFromAddressListsEnabled = changes.HiddenFromAddressListsEnabled;
    if (forwarding !== undefined) mbx.ForwardingSmtpAddress = forwarding;
    if (changes.DeliverToMailboxAndForward !== undefined) mbx.DeliverToMailboxAndForward = changes.DeliverToMailboxAndForward;
    if (replace) mbx.GrantSendOnBehalfTo = [...new Map(replace.map((a) => [lower(a), a])).values()];
    for (const a of add) if (!mbx.GrantSendOnBehalfTo.some((x) => lower(x) === lower(a))) mbx.GrantSendOnBehalfTo.push(a);
    if (remove.length) mbx.GrantSendOnBehalfTo = mbx.GrantSendOnBehalfTo.filter((x) => !remove.includes(lower(x)));
    this.push();
  }

  /**
   * Get-AcceptedDomain. The stand-in keeps no default-domain setting: the first domain listed is the default.
   * https://learn.microsoft.com/powershell/module/exchange/get-accepteddomain
   */
  getAcceptedDomains(): AcceptedDomain[] {
    return this.state.AcceptedDomains.map((d, i) => ({ Name: d, DomainName: d, DomainType: 'Authoritative', Default: i === 0, MatchSubDomains: false }));
  }

  /** True when the address's domain is one of the organization's accepted domains. */
  isInternalAddress(address: string): boolean {
    const domain = lower(address.replace(/^smtp:/i, '').split('@').at(-1) ?? '');
    return this.state.AcceptedDomains.some((d) => lower(d) === domain);
  }

  /** Get-MailboxAutoReplyConfiguration -Identity */
  getAutoReplyConfiguration(identity: string): AutoReplyConfiguration {
    const mbx = this.getMailbox(identity);
    return {
      Identity: mbx.Alias,
      MailboxOwnerId: mbx.Alias,
      AutoReplyState: mbx.AutoReplyState,
      InternalMessage: mbx.InternalMessage,
      ExternalMessage: mbx.ExternalMessage,
      ExternalAudience: mbx.ExternalAudience,
    };
  }

  /**
   * Set-MailboxAutoReplyConfiguration: only the parameters given change (the others keep their values).
   * https://learn.microsoft.com/powershell/module/exchange/set-mailboxautoreplyconfiguration
   */
  setAutoReplyConfiguration(identity: string, changes: AutoReplyChanges): void {
    const mbx = this.getMailbox(identity);
    const state = changes.AutoReplyState === undefined ? undefined : enumValue(AUTO_REPLY_STATES, changes.AutoReplyState, 'AutoReplyState', 'Microsoft.Exchange.Data.Storage.Management.OofState');
    const audience = changes.ExternalAudience === undefined ? undefined : enumValue(EXTERNAL_AUDIENCES, changes.ExternalAudience, 'ExternalAudience', 'Microsoft.Exchange.Data.Storage.Management.ExternalAudience');
    if (state !== undefined) mbx.AutoReplyState = state;
    if (audience !== undefined) mbx.ExternalAudience = audience;
    if (changes.InternalMessage !== undefined) mbx.InternalMessage = asReplyHtml(changes.InternalMessage);
    if (changes.ExternalMessage !== undefined) mbx.ExternalMessage = asReplyHtml(changes.ExternalMessage);
    this.push();
  }

  /** Get-DistributionGroupMember: members' primary SMTP addresses. */
  getGroupMembers(group: string): string[] {
    return [...this.getDistributionGroup(group).Members];
  }

  /** Add-DistributionGroupMember -BypassSecurityGroupManagerCheck */
  addGroupMember(group: string, member: string): void {
    const g = this.getDistributionGroup(group);
    const m = this.resolveTrustee(member);
    if (g.Members.some((x) => lower(x) === lower(m))) throw memberAlreadyExists(member, g.DisplayName);
    g.Members.push(m);
    this.push();
  }

  /** Remove-DistributionGroupMember -BypassSecurityGroupManagerCheck */
  removeGroupMember(group: string, member: string): void {
    const g = this.getDistributionGroup(group);
    const m = lower(this.resolveTrustee(member));
    if (!g.Members.some((x) => lower(x) === m)) throw memberNotFound(member, g.DisplayName);
    g.Members = g.Members.filter((x) => lower(x) !== m);
    this.push();
  }
}
