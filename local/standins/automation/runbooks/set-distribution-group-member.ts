import { connectExchange, ORGANIZATION_PARAMETER } from './connect-exchange.js';
import type { RunbookModel, RunbookResult } from './runbook-types.js';

/** Model of runbooks/Set-DistributionGroupMember.ps1: DL / mail-enabled security group membership, idempotently. */
export const setDistributionGroupMember: RunbookModel = {
  name: 'Set-DistributionGroupMember',
  parameters: [
    { name: 'GroupIdentity', type: 'string', mandatory: true, notNullOrEmpty: true },
    { name: 'MemberEmail', type: 'string', mandatory: true, notNullOrEmpty: true },
    { name: 'Action', type: 'string', mandatory: true, validateSet: ['Add', 'Remove'] },
    ORGANIZATION_PARAMETER,
  ],
  run(p, ctx): RunbookResult {
    connectExchange(p, ctx);
    const ex = ctx.exchange;
    const group = ex.getDistributionGroup(String(p.GroupIdentity));
    const member = ex.getRecipientAddress(String(p.MemberEmail));
    const add = String(p.Action).toLowerCase() === 'add';
    ctx.output(`Group ${group.PrimarySmtpAddress} (${group.RecipientTypeDetails}); member ${member}; ${p.Action}.`);
    const isMember = ex.getGroupMembers(group.PrimarySmtpAddress).some((m) => m.toLowerCase() === member.toLowerCase());
    const action = add ? 'add_member' : 'remove_member';
    const details = { group: group.PrimarySmtpAddress, groupType: group.RecipientTypeDetails, member };
    if (isMember === add) {
      const message = add ? `${member} is already a member of ${group.PrimarySmtpAddress}.` : `${member} is not a member of ${group.PrimarySmtpAddress}; nothing to remove.`;
      ctx.output(message);
      return { outcome: 'already_satisfied', action, message, details };
    }
    if (add) ex.addGroupMember(group.PrimarySmtpAddress, member);
    else ex.removeGroupMember(group.PrimarySmtpAddress, member);
    const message = add ? `Added ${member} to ${group.PrimarySmtpAddress}.` : `Removed ${member} from ${group.PrimarySmtpAddress}.`;
    ctx.output(message);
    return { outcome: 'applied', action, message, details };
  },
};
