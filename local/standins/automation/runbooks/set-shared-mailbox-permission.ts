import { connectExchange, ORGANIZATION_PARAMETER } from './connect-exchange.js';
import { RunbookError, type RunbookModel, type RunbookResult } from './runbook-types.js';

/** Model of runbooks/Set-SharedMailboxPermission.ps1: grant or revoke one delegate permission, idempotently. */

const PERMISSIONS = ['Full Access', 'Send As', 'Send on Behalf'] as const;
type Permission = (typeof PERMISSIONS)[number];

const ACTION_SLUG: Record<Permission, string> = { 'Full Access': 'full_access', 'Send As': 'send_as', 'Send on Behalf': 'send_on_behalf' };

export const setSharedMailboxPermission: RunbookModel = {
  name: 'Set-SharedMailboxPermission',
  parameters: [
    { name: 'SharedMailboxEmail', type: 'string', mandatory: true, notNullOrEmpty: true },
    { name: 'UserEmail', type: 'string', mandatory: true, notNullOrEmpty: true },
    { name: 'PermissionType', type: 'string', mandatory: true, validateSet: PERMISSIONS },
    { name: 'Action', type: 'string', mandatory: true, validateSet: ['Grant', 'Revoke'] },
    { name: 'AutoMapping', type: 'bool', mandatory: false, default: true },
    ORGANIZATION_PARAMETER,
  ],
  run(p, ctx): RunbookResult {
    connectExchange(p, ctx);
    const ex = ctx.exchange;
    // PowerShell compares case-insensitively ($Action -eq 'Grant', switch) but shows the value as given.
    const given = String(p.PermissionType);
    const permission = PERMISSIONS.find((x) => x.toLowerCase() === given.toLowerCase()) as Permission;
    const grant = String(p.Action).toLowerCase() === 'grant';
    const autoMapping = p.AutoMapping !== false;
    const mailbox = ex.getMailbox(String(p.SharedMailboxEmail));
    if (mailbox.RecipientTypeDetails !== 'SharedMailbox') {
      throw new RunbookError(`'${mailbox.PrimarySmtpAddress}' is a ${mailbox.RecipientTypeDetails}, not a shared mailbox; no permission was changed.`);
    }
    const mbx = mailbox.PrimarySmtpAddress;
    const user = ex.getRecipientAddress(String(p.UserEmail));
    ctx.output(`Mailbox ${mbx} (${mailbox.RecipientTypeDetails}); user ${user}; ${String(p.Action)} ${given}.`);

    let has: boolean;
    if (permission === 'Full Access') has = ex.getFullAccess(mbx, user) !== undefined;
    else if (permission === 'Send As') has = ex.hasSendAs(mbx, user);
    else has = ex.getMailbox(mbx).GrantSendOnBehalfTo.some((a) => a.toLowerCase() === user.toLowerCase());

    const action = `${grant ? 'grant' : 'revoke'}_${ACTION_SLUG[permission]}`;
    const details: Record<string, unknown> = { mailbox: mbx, user, permissionType: given };
    if (permission === 'Full Access' && grant) details.autoMapping = autoMapping;

    if (grant === has) {
      const message = grant ? `${user} already has ${given} on ${mbx}.` : `${user} does not have ${given} on ${mbx}; nothing to revoke.`;
      ctx.output(message);
      return { outcome: 'already_satisfied', action, message, details };
    }
    if (permission === 'Full Access') {
      if (grant) ex.addFullAccess(mbx, user, autoMapping);
      else ex.removeFullAccess(mbx, user);
    } else if (permission === 'Send As') {
      if (grant) ex.addSendAs(mbx, user);
      else ex.removeSendAs(mbx, user);
    } else {
      ex.setMailbox(mbx, { GrantSendOnBehalfTo: grant ? { Add: [user] } : { Remove: [user] } });
    }
    const message = grant ? `Granted ${given} on ${mbx} to ${user}.` : `Revoked ${given} on ${mbx} from ${user}.`;
    ctx.output(message);
    return { outcome: 'applied', action, message, details };
  },
};
