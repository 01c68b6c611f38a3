import { connectExchange, ORGANIZATION_PARAMETER } from './connect-exchange.js';
import type { RunbookModel, RunbookResult } from './runbook-types.js';

/** Model of runbooks/Convert-ToSharedMailbox.ps1. */
export const convertToSharedMailbox: RunbookModel = {
  name: 'Convert-ToSharedMailbox',
  parameters: [{ name: 'UserPrincipalName', type: 'string', mandatory: true, notNullOrEmpty: true }, ORGANIZATION_PARAMETER],
  run(p, ctx): RunbookResult {
    connectExchange(p, ctx);
    const ex = ctx.exchange;
    const before = ex.getMailbox(String(p.UserPrincipalName));
    const mbx = before.PrimarySmtpAddress;
    const previousType = before.RecipientTypeDetails;
    ctx.output(`Mailbox ${mbx} is a ${previousType}.`);
    if (previousType === 'SharedMailbox') {
      const message = `${mbx} is already a shared mailbox.`;
      ctx.output(message);
      return { outcome: 'already_satisfied', action: 'convert_to_shared', message, details: { mailbox: mbx, previousType, recipientTypeDetails: previousType } };
    }
    ex.setMailbox(mbx, { Type: 'Shared' });
    const after = ex.getMailbox(mbx).RecipientTypeDetails;
    ctx.output(`Verification: RecipientTypeDetails = ${after}`);
    const message = `Converted ${mbx} to a shared mailbox.`;
    return { outcome: 'applied', action: 'convert_to_shared', message, details: { mailbox: mbx, previousType, recipientTypeDetails: after } };
  },
};
