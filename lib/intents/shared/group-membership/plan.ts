import type { GraphClient } from '../../../graph/client.js';
import { checkMemberships, resolveGroups, resolveUser, type ResolvedGroup } from '../../../lookups/index.js';
import { membershipChanges } from './changes.js';
import { screenGroup } from './decide.js';
import { directMemberOf } from './direct-groups.js';
import { previewOf } from './preview.js';
import type { GroupMembershipPlan, MembershipIntent, MembershipOperation } from './plan-types.js';

export type { GroupMembershipPlan } from './plan-types.js';

/**
 * Plans adding a user to (or removing them from) one or several groups with read-only look-ups.
 * One round in the usual case: the user, the groups (two $batch calls) and the user's direct
 * memberships (memberOf) at once, rather than three sequential reads per group, while it also
 * classifies every group (Graph, Exchange, refused) and takes several groups.
 * A second round (one $batch of membership checks) runs only when memberOf cannot prove the answer:
 * removals of groups memberOf does not list (hidden membership), a user found by mail, a failed read.
 * Per-group problems (unknown, ambiguous, refused) are reported in the plan, not thrown, so the
 * other groups still go ahead (partial success); a user that cannot be resolved fails the plan.
 */
export interface GroupMembershipPlanInput {
  userEmail: string;
  groupNames: readonly string[];
  /** PROTECTED_GROUPS: display names or ids automation must never change. */
  protectedGroups: readonly string[];
}

const INTENT_OF: Record<MembershipOperation, MembershipIntent> = { add: 'add-user-to-group', remove: 'remove-user-from-group' };

function label(user: { displayName: string; userPrincipalName: string }): string {
  return user.displayName ? `${user.displayName} (${user.userPrincipalName})` : user.userPrincipalName;
}

/**
 * Membership per candidate group. memberOf (read by the ticket's UPN, so only trusted when that is how
 * the user was found) proves membership; for an add, "not listed" is enough too, because the write
 * itself treats Graph's "already exist" as already a member. Everything else is checked per group.
 */
async function memberships(
  graph: GraphClient,
  operation: MembershipOperation,
  user: { id: string; matchedBy: string },
  listed: Set<string> | undefined,
  groupIds: readonly string[],
): Promise<Map<string, boolean>> {
  const trusted = user.matchedBy === 'userPrincipalName' || user.matchedBy === 'id' ? listed : undefined;
  const known = new Map<string, boolean>();
  const unknown: string[] = [];
  for (const id of groupIds) {
    if (trusted?.has(id.toLowerCase())) known.set(id, true);
    else if (trusted && operation === 'add') known.set(id, false);
    else unknown.push(id);
  }
  const checked = await checkMemberships(graph, user.id, unknown);
  for (const [id, member] of checked) known.set(id, member);
  return known;
}

export async function planGroupMembership(graph: GraphClient, operation: MembershipOperation, input: GroupMembershipPlanInput): Promise<GroupMembershipPlan> {
  const [user, resolutions, listed] = await Promise.all([
    resolveUser(graph, input.userEmail),
    resolveGroups(graph, input.groupNames),
    directMemberOf(graph, input.userEmail),
  ]);
  const userLabel = label(user);

  const screened = resolutions.map((r) => screenGroup(r, operation, input.protectedGroups));
  const candidates = new Map<string, ResolvedGroup>();
  for (const s of screened) if ('candidate' in s) candidates.set(s.candidate.id, s.candidate);
  const membership = await memberships(graph, operation, user, listed, [...candidates.keys()]);

  const { groups, graphChanges, exchangeChanges } = membershipChanges(screened, operation, (id) => membership.get(id) === true, {
    label: userLabel,
    userPrincipalName: user.userPrincipalName,
  });

  const plan = {
    intent: INTENT_OF[operation],
    operation,
    user: { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName },
    groups,
    graphChanges,
    exchangeChanges,
    longRunning: exchangeChanges.length > 0,
  };
  return { ...plan, preview: previewOf(plan) };
}
