import type { AppError } from '../../../errors/app-error.js';
import { isProtectedGroup, type GroupResolution, type ResolvedGroup } from '../../../lookups/index.js';
import { membershipStepName, type MembershipOperation, type PlanError, type PlannedGroup } from './plan-types.js';

/**
 * The per-group decisions of a membership plan, as pure functions of what the look-ups found, so
 * every rule (who changes what, what is refused and why) is testable without Graph.
 */
const REFUSE_STEP = 'check_group';

function planError(error: AppError): PlanError {
  return {
    code: error.code,
    message: error.message,
    fix: error.fix ?? 'Check the group in the Microsoft 365 admin center.',
    step: error.step ?? 'resolve_groups',
    ...(error.graphCode ? { graphCode: error.graphCode } : {}),
    retryable: error.retryable,
    ...(error.details ? { details: error.details } : {}),
  };
}

function refusal(group: ResolvedGroup, message: string, fix: string): PlanError {
  return { code: 'refused', message, fix, step: REFUSE_STEP, retryable: false, details: { groupId: group.id, kind: group.kind } };
}

function summary(group: ResolvedGroup): NonNullable<PlannedGroup['group']> {
  return { id: group.id, displayName: group.displayName, kind: group.kind, mail: group.mail };
}

/** Why automation must leave this group alone, or undefined when it may change the membership. */
export function refusalFor(group: ResolvedGroup, protectedGroups: readonly string[]): PlanError | undefined {
  const name = `"${group.displayName}"`;
  if (group.kind === 'dynamic') {
    return refusal(
      group,
      `${name} is a dynamic group: its members come from its membership rule, so nobody can be added or removed by hand.`,
      "Change the user's attributes so the rule includes or excludes them, or ask for the rule to be changed in the Microsoft Entra admin center.",
    );
  }
  if (group.kind === 'synced') {
    return refusal(
      group,
      `${name} is synchronised from on-premises Active Directory, so its membership is managed there, not in Microsoft 365.`,
      'Change the membership in on-premises Active Directory (Active Directory Users and Computers) and let Entra Connect synchronise it.',
    );
  }
  if (group.isAssignableToRole) {
    return refusal(
      group,
      `${name} can be assigned directory roles: its members receive administrator rights, so automation does not change it.`,
      'Have a Privileged Role Administrator make the change in the Microsoft Entra admin center after verifying the request.',
    );
  }
  if (isProtectedGroup(group, protectedGroups)) {
    return refusal(
      group,
      `${name} is on this installation's list of protected groups, so automation does not change its membership.`,
      'Make the change by hand after approval, or remove the group from the PROTECTED_GROUPS setting if it should be automated.',
    );
  }
  return undefined;
}

/** First pass: groups that need no membership check (not resolved, refused) get their final decision. */
export type Screened = { final: PlannedGroup } | { candidate: ResolvedGroup; name: string };

export function screenGroup(resolution: GroupResolution, operation: MembershipOperation, protectedGroups: readonly string[]): Screened {
  if (!resolution.ok) {
    const error = planError(resolution.error);
    return { final: { name: resolution.name, step: membershipStepName(operation, resolution.name), decision: 'failed', detail: error.message, error } };
  }
  const group = resolution.group;
  const refused = refusalFor(group, protectedGroups);
  if (refused) {
    return {
      final: { name: resolution.name, step: membershipStepName(operation, group.displayName), decision: 'refused', detail: refused.message, group: summary(group), error: refused },
    };
  }
  return { candidate: group, name: resolution.name };
}

/** Second pass: a changeable group, knowing whether the user is a member now. */
export function decideCandidate(name: string, group: ResolvedGroup, operation: MembershipOperation, isMember: boolean, userLabel: string): PlannedGroup {
  const step = membershipStepName(operation, group.displayName);
  const base = { name, step, group: summary(group) };
  if (operation === 'add' && isMember) return { ...base, decision: 'already_done', detail: `${userLabel} is already a member of ${group.displayName}.` };
  if (operation === 'remove' && !isMember) return { ...base, decision: 'already_done', detail: `${userLabel} is not a member of ${group.displayName}; nothing to remove.` };
  const verb = operation === 'add' ? `Add ${userLabel} to` : `Remove ${userLabel} from`;
  if (group.membershipManagedBy === 'exchange') {
    return { ...base, decision: 'exchange', detail: `${verb} ${group.displayName} in Exchange Online (${group.kind === 'distribution' ? 'distribution list' : 'mail-enabled security group'}; Graph cannot change it).` };
  }
  return { ...base, decision: 'graph', detail: `${verb} ${group.displayName} with Microsoft Graph (${group.kind === 'microsoft365' ? 'Microsoft 365 group' : 'security group'}).` };
}
