import type { GraphClient } from '../../graph/client.js';
import { checkMemberships, resolveGroups, resolveUser, type ResolvedGroup } from '../../lookups/index.js';
import { decideCandidate, screenGroup } from './decide.js';
import type { ExchangeChange, GraphChange, GroupMembershipPlan, MembershipIntent, MembershipOperation, PlannedGroup } from './plan-types.js';

export type { GroupMembershipPlan } from './plan-types.js';

/**
 * Plans adding a user to (or removing them from) one or several groups with read-only look-ups.
 * Round trips in sequence: user and groups in parallel (two $batch calls at once), then one $batch
 * of membership checks — two, against the reference system's three before its write, while it also
 * classifies every group (Graph, Exchange, refused) and handles several groups per ticket.
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

export async function planGroupMembership(graph: GraphClient, operation: MembershipOperation, input: GroupMembershipPlanInput): Promise<GroupMembershipPlan> {
  const [user, resolutions] = await Promise.all([resolveUser(graph, input.userEmail), resolveGroups(graph, input.groupNames)]);
  const userLabel = label(user);

  const screened = resolutions.map((r) => screenGroup(r, operation, input.protectedGroups));
  const candidates = new Map<string, ResolvedGroup>();
  for (const s of screened) if ('candidate' in s) candidates.set(s.candidate.id, s.candidate);
  const membership = await checkMemberships(graph, user.id, [...candidates.keys()]);

  const seen = new Set<string>();
  const groups: PlannedGroup[] = screened.map((s) => {
    if ('final' in s) return s.final;
    const decided = decideCandidate(s.name, s.candidate, operation, membership.get(s.candidate.id) === true, userLabel);
    // Two ticket entries naming the same group (name and id): change it once.
    if (seen.has(s.candidate.id) && (decided.decision === 'graph' || decided.decision === 'exchange')) {
      return { ...decided, decision: 'already_done', detail: `${s.candidate.displayName} is listed twice in the ticket; it is changed once.` };
    }
    seen.add(s.candidate.id);
    return decided;
  });

  const graphChanges: GraphChange[] = [];
  const exchangeChanges: ExchangeChange[] = [];
  for (const g of groups) {
    if (!g.group) continue;
    if (g.decision === 'graph') graphChanges.push({ step: g.step, groupId: g.group.id, displayName: g.group.displayName, kind: g.group.kind });
    if (g.decision === 'exchange') {
      exchangeChanges.push({
        step: g.step,
        groupId: g.group.id,
        displayName: g.group.displayName,
        kind: g.group.kind,
        groupIdentity: g.group.mail ?? g.group.id,
        memberEmail: user.userPrincipalName,
        action: operation === 'add' ? 'Add' : 'Remove',
      });
    }
  }

  return {
    intent: INTENT_OF[operation],
    operation,
    user: { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName },
    groups,
    graphChanges,
    exchangeChanges,
    longRunning: exchangeChanges.length > 0,
  };
}
