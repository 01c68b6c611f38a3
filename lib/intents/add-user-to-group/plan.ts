import type { GraphClient } from '../../graph/client.js';
import { planGroupMembership, type GroupMembershipPlan } from '../shared/group-membership/plan.js';
import type { AddUserToGroupFields } from './schema.js';

/** Plans "Add User to Group": per named group, a Graph add, an Exchange runbook add, nothing (already a member) or a refusal. */
export function planAddUserToGroup(graph: GraphClient, fields: AddUserToGroupFields, protectedGroups: readonly string[]): Promise<GroupMembershipPlan> {
  return planGroupMembership(graph, 'add', { userEmail: fields.userEmail, groupNames: fields.groupNames, protectedGroups });
}
