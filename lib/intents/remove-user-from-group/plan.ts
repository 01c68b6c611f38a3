import type { GraphClient } from '../../graph/client.js';
import { planGroupMembership, type GroupMembershipPlan } from '../shared/group-membership/plan.js';
import type { RemoveUserFromGroupFields } from './schema.js';

/** Plans "Remove User from Group": per named group, a Graph removal, an Exchange runbook removal, nothing (not a member) or a refusal. */
export function planRemoveUserFromGroup(graph: GraphClient, fields: RemoveUserFromGroupFields, protectedGroups: readonly string[]): Promise<GroupMembershipPlan> {
  return planGroupMembership(graph, 'remove', { userEmail: fields.userEmail, groupNames: fields.groupNames, protectedGroups });
}
