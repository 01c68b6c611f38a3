import type { AddressCheck } from './addresses.js';
import {
  OFFBOARDING_STEPS as S,
  type MailboxRunbookParameters,
  type ManagerAccessParameters,
  type PlannedStep,
} from './plan-types.js';

/**
 * The mailbox part of an offboarding: GAL hiding, forwarding and the automatic reply (one
 * Set-MailboxOffboarding job: Exchange RBAC scopes what the Automation account may change, where Graph
 * would need MailboxSettings.ReadWrite on every mailbox of the tenant), the conversion to a shared mailbox
 * (Convert-ToSharedMailbox) and the manager's Full Access (Set-SharedMailboxPermission, which only
 * works on a shared mailbox, so it needs the conversion). Pure: fed with what the plan's $batch read.
 */
export interface MailboxOptions {
  hideFromAddressList: boolean;
  forwardTo?: string | undefined;
  autoReplyMessage?: string | undefined;
  convertToSharedMailbox: boolean;
  /** An address, or `true`: the user's manager (facts.manager then holds who that is). */
  managerAccess?: string | true | undefined;
}

export interface MailboxFacts {
  userPrincipalName: string;
  who: string;
  /** false: Graph says there is no Exchange Online mailbox; null: unknown (the read failed otherwise). */
  hasMailbox: boolean | null;
  /** The current automaticRepliesSetting, when read. */
  currentReplies: Record<string, unknown> | null;
  forward: AddressCheck | null;
  manager: AddressCheck | null;
}

export interface MailboxPlan {
  steps: PlannedStep[];
  mailboxRunbook: MailboxRunbookParameters | null;
  convertToShared: boolean;
  managerAccess: ManagerAccessParameters | null;
  notes: string[];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** The ticket's plain text as the HTML Exchange shows: escaped, line breaks kept. */
export function autoReplyHtml(message: string): string {
  return escapeHtml(message.trim()).replace(/\r?\n/g, '<br>');
}

function noMailbox(name: string, who: string, what: string): PlannedStep {
  return {
    name,
    status: 'failed',
    detail: `${who} has no Exchange Online mailbox, so ${what} is not possible.`,
    error: {
      code: 'refused',
      message: `${who} has no Exchange Online mailbox (unlicensed, hosted on-premises or already removed), so ${what} is not possible.`,
      fix: 'Leave the mailbox options out of the ticket for this user, or handle the on-premises mailbox by hand.',
      step: name,
      retryable: false,
    },
  };
}

export function planMailbox(options: MailboxOptions, facts: MailboxFacts): MailboxPlan {
  const plan: MailboxPlan = { steps: [], mailboxRunbook: null, convertToShared: false, managerAccess: null, notes: [] };
  const { who } = facts;
  const mailbox = facts.hasMailbox !== false;

  let hide = false;
  if (options.hideFromAddressList) {
    if (!mailbox) plan.steps.push(noMailbox(S.hideFromAddressList, who, 'hiding it from the address list'));
    else {
      hide = true;
      plan.steps.push({ name: S.hideFromAddressList, status: 'planned', detail: `Hide ${who} from the global address list (Exchange Online).` });
    }
  }

  let forwardTo = '';
  if (options.forwardTo) {
    const check = facts.forward;
    if (!mailbox) plan.steps.push(noMailbox(S.forwardEmail, who, 'forwarding its mail'));
    else if (check && !check.ok && check.error) plan.steps.push({ name: S.forwardEmail, status: 'failed', detail: check.error.message, error: check.error });
    else {
      forwardTo = check?.address ?? options.forwardTo;
      plan.steps.push({ name: S.forwardEmail, status: 'planned', detail: `Forward new mail for ${who} to ${check?.label ?? forwardTo} (Exchange Online).` });
      if (check?.note) plan.notes.push(check.note);
    }
  }
  let autoReplyMessage = '';
  if (options.autoReplyMessage) {
    const html = autoReplyHtml(options.autoReplyMessage);
    const current = facts.currentReplies;
    if (!mailbox) plan.steps.push(noMailbox(S.autoReply, who, 'an automatic reply'));
    else if (
      current &&
      String(current.status ?? '').toLowerCase() === 'alwaysenabled' &&
      current.internalReplyMessage === html &&
      current.externalReplyMessage === html &&
      String(current.externalAudience ?? '').toLowerCase() === 'all'
    ) {
      plan.steps.push({ name: S.autoReply, status: 'already_done', detail: `${who} already answers with this automatic reply.` });
    } else {
      // Set-MailboxAutoReplyConfiguration takes HTML: the ticket's text goes escaped, or "<name@x>" would vanish as a tag.
      autoReplyMessage = html;
      plan.steps.push({ name: S.autoReply, status: 'planned', detail: `Turn on an automatic reply for ${who} (internal and external senders, Exchange Online).` });
    }
  }

  if (hide || forwardTo || autoReplyMessage) {
    plan.mailboxRunbook = {
      UserPrincipalName: facts.userPrincipalName,
      HideFromAddressList: hide,
      ForwardTo: forwardTo,
      // Keep a copy when someone will read the mailbox afterwards (shared mailbox / manager access).
      DeliverToMailboxAndForward: forwardTo !== '' && (options.convertToSharedMailbox || Boolean(options.managerAccess)),
      AutoReplyMessage: autoReplyMessage,
    };
  }

  if (options.convertToSharedMailbox) {
    if (!mailbox) plan.steps.push(noMailbox(S.convertToShared, who, 'converting it to a shared mailbox'));
    else {
      plan.convertToShared = true;
      plan.steps.push({ name: S.convertToShared, status: 'planned', detail: `Convert the mailbox of ${who} to a shared mailbox (before any licence is removed).` });
    }
  }

  if (options.managerAccess) {
    const check = facts.manager;
    const given = typeof options.managerAccess === 'string' ? options.managerAccess : "the user's manager";
    if (!mailbox) plan.steps.push(noMailbox(S.managerAccess, who, 'giving someone access to it'));
    else if (check && !check.ok && check.error) plan.steps.push({ name: S.managerAccess, status: 'failed', detail: check.error.message, error: check.error });
    else if (!options.convertToSharedMailbox) {
      const message = `Full Access for ${check?.label ?? given} is given on the shared mailbox, but the ticket does not ask to convert the mailbox of ${who}.`;
      plan.steps.push({
        name: S.managerAccess,
        status: 'failed',
        detail: message,
        error: {
          code: 'refused',
          message,
          fix: 'Send the request again with "Convert to Shared Mailbox" set to true (the mailbox then needs no licence), or grant Full Access by hand in the Exchange admin center.',
          step: S.managerAccess,
          retryable: false,
        },
      });
    } else {
      const manager = check?.address ?? given;
      plan.managerAccess = { SharedMailboxEmail: facts.userPrincipalName, UserEmail: manager, PermissionType: 'Full Access', Action: 'Grant', AutoMapping: true };
      plan.steps.push({ name: S.managerAccess, status: 'planned', detail: `Give ${check?.label ?? manager} Full Access to the shared mailbox (after the conversion).` });
      if (check?.note) plan.notes.push(check.note);
    }
  }
  return plan;
}
