import type { ExchangeModel, SetMailboxChanges } from '../exchange-model.js';
import { connectExchange, ORGANIZATION_PARAMETER } from './connect-exchange.js';
import { replyText } from './reply-text.js';
import { RunbookError, type RunbookContext, type RunbookModel, type RunbookResult } from './runbook-types.js';

/**
 * Model of runbooks/Set-MailboxOffboarding.ps1: hide from the GAL, set forwarding and turn on an
 * automatic reply for a leaver. HideFromAddressList $false, an empty ForwardTo and an empty
 * AutoReplyMessage leave those settings as they are. Forwarding outside the organization's accepted
 * domains is refused (reported, nothing changed) unless the Automation variable AllowExternalForwarding
 * is true: Microsoft 365's default outbound spam policy blocks it
 * (https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding).
 */

const SMTP = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Get-AutomationVariable AllowExternalForwarding; a missing variable means no. */
function externalForwardingAllowed(ctx: RunbookContext): boolean {
  const key = Object.keys(ctx.variables).find((k) => k.toLowerCase() === 'allowexternalforwarding');
  const value = key === undefined ? undefined : ctx.variables[key];
  return value !== undefined && String(value).trim().toLowerCase() === 'true';
}

/** Get-Recipient -ErrorAction SilentlyContinue: any error (not found, ambiguous) reads as "no recipient". */
function internalRecipient(ex: ExchangeModel, identity: string): string | undefined {
  try {
    return ex.findRecipient(identity) ? ex.getRecipientAddress(identity) : undefined;
  } catch {
    return undefined;
  }
}

export const setMailboxOffboarding: RunbookModel = {
  name: 'Set-MailboxOffboarding',
  parameters: [
    { name: 'UserPrincipalName', type: 'string', mandatory: true, notNullOrEmpty: true },
    { name: 'HideFromAddressList', type: 'bool', mandatory: false, default: true },
    { name: 'ForwardTo', type: 'string', mandatory: false, default: '' },
    { name: 'DeliverToMailboxAndForward', type: 'bool', mandatory: false, default: false },
    { name: 'AutoReplyMessage', type: 'string', mandatory: false, default: '' },
    ORGANIZATION_PARAMETER,
  ],
  run(p, ctx): RunbookResult {
    connectExchange(p, ctx);
    const ex = ctx.exchange;
    const mailbox = ex.getMailbox(String(p.UserPrincipalName));
    const mbx = mailbox.PrimarySmtpAddress;
    const changes: SetMailboxChanges = {};
    const changed: string[] = [];
    const refused: Array<{ step: string; reason: string }> = [];

    if (p.HideFromAddressList === true && !mailbox.HiddenFromAddressListsEnabled) {
      changes.HiddenFromAddressListsEnabled = true;
      changed.push('hidden_from_address_lists');
    }
    const forward = typeof p.ForwardTo === 'string' ? p.ForwardTo.trim() : '';
    if (forward !== '') {
      // An internal recipient is forwarded to by its primary address; anything else must be an SMTP address.
      const target = internalRecipient(ex, forward) ?? forward;
      if (target.toLowerCase() === mbx.toLowerCase()) throw new RunbookError(`Cannot forward ${mbx} to itself.`);
      if (!SMTP.test(target)) throw new RunbookError(`ForwardTo '${forward}' is neither a recipient of this organisation nor an email address.`);
      if (!ex.isInternalAddress(target) && !externalForwardingAllowed(ctx)) {
        const reason =
          `Forwarding to ${target} was not set up: ${target.split('@').at(-1) ?? ''} is outside the organisation, and ` +
          "Microsoft 365's outbound spam policy blocks automatic forwarding to external addresses by default, so the mail " +
          'would never arrive. To allow it, permit automatic forwarding in the outbound spam policy and set the Automation ' +
          'variable AllowExternalForwarding to true, or forward to an internal mailbox.';
        refused.push({ step: 'forwarding', reason });
      } else {
        const deliver = p.DeliverToMailboxAndForward === true;
        const current = mailbox.ForwardingSmtpAddress?.replace(/^smtp:/i, '') ?? '';
        if (current.toLowerCase() !== target.toLowerCase()) {
          changes.ForwardingSmtpAddress = target;
          changed.push('forwarding');
        }
        if (mailbox.DeliverToMailboxAndForward !== deliver) {
          changes.DeliverToMailboxAndForward = deliver;
          changed.push('deliver_to_mailbox_and_forward');
        }
      }
    }
    if (Object.keys(changes).length) ex.setMailbox(mbx, changes);

    let autoReplyState: string | null = null;
    const reply = typeof p.AutoReplyMessage === 'string' ? p.AutoReplyMessage.trim() : '';
    if (reply !== '') {
      let replies = ex.getAutoReplyConfiguration(mbx);
      const wanted = replyText(reply);
      const same =
        replies.AutoReplyState === 'Enabled' && replies.ExternalAudience === 'All' && replyText(replies.InternalMessage) === wanted && replyText(replies.ExternalMessage) === wanted;
      if (!same) {
        ex.setAutoReplyConfiguration(mbx, { AutoReplyState: 'Enabled', InternalMessage: reply, ExternalMessage: reply, ExternalAudience: 'All' });
        changed.push('auto_reply');
        replies = ex.getAutoReplyConfiguration(mbx);
      }
      autoReplyState = replies.AutoReplyState;
    }

    const now = ex.getMailbox(mbx);
    const details = {
      mailbox: mbx,
      hiddenFromAddressListsEnabled: now.HiddenFromAddressListsEnabled,
      forwardingSmtpAddress: now.ForwardingSmtpAddress ? now.ForwardingSmtpAddress.replace(/^smtp:/i, '') : null,
      deliverToMailboxAndForward: now.DeliverToMailboxAndForward,
      changed,
      autoReplyState,
      refused,
    };
    const refusals = refused.map((r) => r.reason).join(' ');
    let message: string;
    if (changed.length) message = `Updated ${mbx}: ${changed.join(', ')}.${refusals ? ` ${refusals}` : ''}`;
    else if (refusals) message = `Nothing was changed on ${mbx}. ${refusals}`;
    else message = `${mbx} already has the requested offboarding settings.`;
    ctx.output(message);
    return { outcome: changed.length ? 'applied' : 'already_satisfied', action: 'mailbox_offboarding', message, details };
  },
};
