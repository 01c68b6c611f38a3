import { classifyGroup, type GroupKind } from '../../lookups/group-kind.js';
import { membershipStepName } from '../shared/group-membership/plan-types.js';
import type { ExchangeChange, GraphChange, PlannedStep } from './plan-types.js';

/**
 * Which of the leaver's group memberships and ownerships the workflow removes ("Remove Groups"), from
 * the memberOf and ownedObjects answers of the plan's $batch (https://learn.microsoft.com/graph/api/group-delete-members):
 * security and Microsoft 365 groups with a Graph DELETE; distribution lists and mail-enabled security
 * groups with the Set-DistributionGroupMember runbook; dynamic, on-premises-synced and protected
 * groups skipped with the reason; ownership dropped unless the user is the last owner (Graph refuses).
 * Memberships that carry a licence are kept apart: like the licences they go only after the mailbox
 * conversion has succeeded.
 */
export interface GroupItem {
  '@odata.type'?: string;
  id?: string;
  displayName?: string;
  mail?: string | null;
  groupTypes?: string[] | null;
  mailEnabled?: boolean | null;
  securityEnabled?: boolean | null;
  onPremisesSyncEnabled?: boolean | null;
  isAssignableToRole?: boolean | null;
}

export interface GroupPlanInput {
  userId: string;
  userPrincipalName: string;
  memberOf: GroupItem[];
  owned: GroupItem[];
  /** Owner ids per owned group id (lower case); a group missing here is treated as "other owners unknown". */
  owners: ReadonlyMap<string, string[]>;
  protectedGroups: readonly string[];
  licenceGroupIds: ReadonlySet<string>;
}

export interface GroupPlan {
  licenseGroups: GraphChange[];
  graphGroups: GraphChange[];
  exchangeGroups: ExchangeChange[];
  ownedGroups: GraphChange[];
  steps: PlannedStep[];
  /** Groups whose membership will be removed (lower-case ids): their licences go with them. */
  removedIds: Set<string>;
}

const isGroup = (item: GroupItem) => (item['@odata.type'] ?? '#microsoft.graph.group') === '#microsoft.graph.group' && typeof item.id === 'string';

function isProtected(item: GroupItem, protectedGroups: readonly string[]): boolean {
  const names = new Set(protectedGroups.map((g) => g.trim().toLowerCase()).filter(Boolean));
  return names.has(String(item.id).toLowerCase()) || names.has(String(item.displayName ?? '').trim().toLowerCase());
}

function skipReason(kind: GroupKind, item: GroupItem, protectedGroups: readonly string[], reason: string | undefined): string | undefined {
  if (isProtected(item, protectedGroups)) return `${item.displayName} is a protected group (PROTECTED_GROUPS); automation never changes it. Remove the user by hand if that is really wanted.`;
  if (kind === 'role-assignable') return `${item.displayName} grants administrator roles; only a Privileged Role Administrator may change it. Remove the user by hand.`;
  if (reason) return `${item.displayName}: ${reason}`;
  return undefined;
}

export function planGroups(input: GroupPlanInput): GroupPlan {
  const plan: GroupPlan = { licenseGroups: [], graphGroups: [], exchangeGroups: [], ownedGroups: [], steps: [], removedIds: new Set() };
  const seen = new Set<string>();
  for (const item of input.memberOf.filter(isGroup)) {
    const id = String(item.id);
    if (seen.has(id.toLowerCase())) continue;
    seen.add(id.toLowerCase());
    const name = item.displayName || id;
    const step = membershipStepName('remove', name);
    const { kind, membershipManagedBy, reason } = classifyGroup(item);
    const skip = skipReason(kind, item, input.protectedGroups, reason);
    if (skip) {
      plan.steps.push({ name: step, status: 'skipped', detail: skip });
      continue;
    }
    plan.removedIds.add(id.toLowerCase());
    if (membershipManagedBy === 'exchange') {
      plan.exchangeGroups.push({
        step,
        groupId: id,
        displayName: name,
        kind,
        groupIdentity: item.mail ?? id,
        memberEmail: input.userPrincipalName,
        action: 'Remove',
      });
      plan.steps.push({ name: step, status: 'planned', detail: `Remove from ${name} (${kind === 'distribution' ? 'distribution list' : 'mail-enabled security group'}, in Exchange Online).` });
      continue;
    }
    const change: GraphChange = { step, groupId: id, displayName: name, kind };
    if (input.licenceGroupIds.has(id.toLowerCase())) {
      plan.licenseGroups.push(change);
      plan.steps.push({ name: step, status: 'planned', detail: `Remove from ${name}; its group-based licence goes with it (after any mailbox conversion).` });
    } else {
      plan.graphGroups.push(change);
      plan.steps.push({ name: step, status: 'planned', detail: `Remove from ${name}.` });
    }
  }
  const seenOwned = new Set<string>();
  for (const item of input.owned.filter(isGroup)) {
    const id = String(item.id);
    if (seenOwned.has(id.toLowerCase())) continue;
    seenOwned.add(id.toLowerCase());
    const name = item.displayName || id;
    const step = `remove_owner:${name}`;
    const owners = input.owners.get(id.toLowerCase());
    if (isProtected(item, input.protectedGroups)) {
      plan.steps.push({ name: step, status: 'skipped', detail: `${name} is a protected group (PROTECTED_GROUPS); its owners are not changed.` });
    } else if (item.onPremisesSyncEnabled) {
      plan.steps.push({ name: step, status: 'skipped', detail: `${name} is synchronised from on-premises Active Directory; change its owner there.` });
    } else if (owners && owners.filter((o) => o.toLowerCase() !== input.userId.toLowerCase()).length === 0) {
      plan.steps.push({
        name: step,
        status: 'skipped',
        detail: `The user is the only owner of ${name}; Microsoft requires at least one owner, so ownership stays. Add another owner to ${name}, then remove this one.`,
      });
    } else {
      plan.ownedGroups.push({ step, groupId: id, displayName: name, kind: classifyGroup(item).kind });
      plan.steps.push({ name: step, status: 'planned', detail: `Remove as owner of ${name}.` });
    }
  }
  return plan;
}
