import { decideCandidate, type Screened } from './decide.js';
import type { ExchangeChange, GraphChange, MembershipOperation, PlannedGroup } from './plan-types.js';

export interface MembershipChanges {
  groups: PlannedGroup[];
  graphChanges: GraphChange[];
  exchangeChanges: ExchangeChange[];
}

/**
 * Decides every screened group for one user and splits the work: Microsoft 365 and security groups change through
 * Graph, distribution lists and mail-enabled security groups through the Exchange runbook. Two ticket entries naming
 * the same group (its name and its id) change it once. Used by Add/Remove User to Group and New User Creation.
 */
export function membershipChanges(
  screened: readonly Screened[],
  operation: MembershipOperation,
  isMember: (groupId: string) => boolean,
  user: { label: string; userPrincipalName: string },
): MembershipChanges {
  const seen = new Set<string>();
  const groups: PlannedGroup[] = screened.map((s) => {
    if ('final' in s) return s.final;
    const decided = decideCandidate(s.name, s.candidate, operation, isMember(s.candidate.id), user.label);
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
    const base = { step: g.step, groupId: g.group.id, displayName: g.group.displayName, kind: g.group.kind };
    if (g.decision === 'graph') graphChanges.push(base);
    if (g.decision === 'exchange') {
      exchangeChanges.push({ ...base, groupIdentity: g.group.mail ?? g.group.id, memberEmail: user.userPrincipalName, action: operation === 'add' ? 'Add' : 'Remove' });
    }
  }
  return { groups, graphChanges, exchangeChanges };
}
