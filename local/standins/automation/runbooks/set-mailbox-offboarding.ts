import { connectExchange, ORGANIZATION_PARAMETER } from './connect-exchange.js';
import type { SetMailboxChanges } from '../exchange-model.js';
import { RunbookError, type RunbookModel, type RunbookResult } from './runbook-types.js';

/**
 * Model of runbooks/Set-MailboxOffboarding.ps1: hide from the GAL and set forwarding for a leaver.
 * HideFromAddressList $false and an empty ForwardTo leave those settings as they are (offboarding
 * never un-hides or clears forwarding someone else set up).
 */
export const setMailboxOffboarding: RunbookModel = {
  name: 'Set-MailboxOffboarding',
  parameters: [
    { name: 'UserPrincipalName', type: 'string', mandatory: true },
    { name: 'HideFromAddressList', type: 'bool', mandatory: false, default: true },
    { name: 'ForwardTo', type: 'string', mandatory: false, default: '' },
    { name: 'DeliverToMailboxAndForward', type: 'bool', mandatory: false, default: false },
    ORGANIZATION_PARAMETER,
  ],
  run(p, ctx): RunbookResult {
    connectExchange(p, ctx);
    const ex = ctx.exchange;
    const mailbox = ex.getMailbox(String(p.UserPrincipalName));
    const mbx = mailbox.PrimarySmtpAddress;
    const changes: SetMailboxChanges = {};
    const applied: string[] = [];

    if (p.HideFromAddressList === true && !mailbox.HiddenFromAddressListsEnabled) {
      changes.HiddenFromAddressListsEnabled = true;
      applied.push('hidden_from_address_lists');
    }
    const forwardTo = typeof p.ForwardTo === 'string' ? p.ForwardTo.trim() : '';
    if (forwardTo !== '') {
      // An internal recipient is forwarded to by its primary address; anything else must be an SMTP address.
      const internal = ex.findRecipient(forwardTo);
      const target = internal ? ex.resolveTrustee(forwardTo) : forwardTo;
      if (target.toLowerCase() === mbx.toLowerCase()) throw new RunbookError(`Cannot forward ${mbx} to itself.`);
      const deliver = p.DeliverToMailboxAndForward === true;
      const current = mailbox.ForwardingSmtpAddress?.replace(/^smtp:/i, '').toLowerCase();
      if (current !== target.toLowerCase()) {
        changes.ForwardingSmtpAddress = target;
        applied.push('forwarding');
      }
      if (mailbox.DeliverToMailboxAndForward !== deliver) {
        changes.DeliverToMailboxAndForward = deliver;
        applied.push('deliver_to_mailbox_and_forward');
      }
    }
    if (applied.length) ex.setMailbox(mbx, changes);
    const now = ex.getMailbox(mbx);
    const details = {
      mailbox: mbx,
      hiddenFromAddressListsEnabled: now.HiddenFromAddressListsEnabled,
      forwardingSmtpAddress: now.ForwardingSmtpAddress?.replace(/^smtp:/i, '') ?? null,
      deliverToMailboxAndForward: now.DeliverToMailboxAndForward,
      changed: applied,
    };
    const message = applied.length ? `Updated ${mbx}: ${applied.join(', ')}.` : `${mbx} already has the requested offboarding settings.`;
    ctx.output(message);
    return { outcome: applied.length ? 'applied' : 'already_satisfied', action: 'mailbox_offboarding', message, details };
  },
};
