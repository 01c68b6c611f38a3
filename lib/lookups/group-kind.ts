/**
 * What kind of group a directory object is, and who can change its membership
 * (https://learn.microsoft.com/graph/api/resources/groups-overview). Always derived from what Graph says now, never from the ticket.
 */
export type GroupKind = 'security' | 'microsoft365' | 'mail-enabled-security' | 'distribution' | 'dynamic' | 'role-assignable' | 'synced';

export type MembershipManager = 'graph' | 'exchange' | 'none';

export interface GroupFacts {
  groupTypes?: string[] | null;
  mailEnabled?: boolean | null;
  securityEnabled?: boolean | null;
  isAssignableToRole?: boolean | null;
  onPremisesSyncEnabled?: boolean | null;
}

export interface GroupClassification {
  kind: GroupKind;
  membershipManagedBy: MembershipManager;
  /** Why membership cannot be changed here (kind dynamic or synced). */
  reason?: string;
}

export function classifyGroup(g: GroupFacts): GroupClassification {
  const types = (g.groupTypes ?? []).map((t) => t.toLowerCase());
  if (types.includes('dynamicmembership')) {
    return { kind: 'dynamic', membershipManagedBy: 'none', reason: 'Membership of a dynamic group follows its membership rule and cannot be changed by hand.' };
  }
  if (g.onPremisesSyncEnabled) {
    return { kind: 'synced', membershipManagedBy: 'none', reason: 'The group is synchronised from on-premises Active Directory; change its membership there.' };
  }
  if (g.isAssignableToRole) return { kind: 'role-assignable', membershipManagedBy: 'graph' };
  if (types.includes('unified')) return { kind: 'microsoft365', membershipManagedBy: 'graph' };
  if (g.mailEnabled && g.securityEnabled) return { kind: 'mail-enabled-security', membershipManagedBy: 'exchange' };
  if (g.mailEnabled) return { kind: 'distribution', membershipManagedBy: 'exchange' };
  return { kind: 'security', membershipManagedBy: 'graph' };
}
