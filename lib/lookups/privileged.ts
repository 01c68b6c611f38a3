import { loadSettings } from '../config/settings.js';
import { runBatch, type BatchRequest } from '../graph/batch.js';
import type { GraphClient } from '../graph/client.js';
import { directoryRoleName } from './directory-roles.js';
import { roleAssignmentsRequest, userMemberOfRequest } from './requests.js';
import type { ResolvedGroup } from './groups.js';

/**
 * Whether a target user is an administrator, so workflows can refuse (or route to a human) before
 * resetting an admin's password or disabling an admin. Two independent reads
 * in one $batch: active role assignments (roleManagement) and memberOf (directoryRole objects and
 * role-assignable groups, whose members only Privileged Authentication Administrators may touch).
 */
export interface PrivilegeCheck {
  privileged: boolean;
  /** Directory role names, plus "member of role-assignable group <name>" entries. */
  roles: string[];
}

const STEP = 'check_privileged';

/** memberOf of a user addressed by id or UPN (a UPN works too, which lets it share a batch with the user look-up). */
export function memberOfRequest(userKey: string, id = 'memberOf'): BatchRequest {
  return userMemberOfRequest(id, userKey, ['id', 'displayName', 'roleTemplateId', 'isAssignableToRole']);
}

interface MemberOfItem {
  '@odata.type'?: string;
  id?: string;
  displayName?: string;
  roleTemplateId?: string;
  isAssignableToRole?: boolean;
}

export async function checkPrivileged(graph: GraphClient, userId: string): Promise<PrivilegeCheck> {
  const results = await runBatch(
    graph,
    [
      roleAssignmentsRequest('assignments', userId),
      memberOfRequest(userId),
    ],
    { step: STEP },
  );
  const assignments = results.get('assignments');
  const memberOf = results.get('memberof');
  // Both reads are required: a refused one (403) is reported with the permission it needs, never
  // taken as "no roles" (infra/permissions.json grants Directory.Read.All, which covers both).
  if (!memberOf || memberOf.error) throw memberOf?.error ?? new Error('No $batch answer for memberOf.');
  if (assignments?.error) throw assignments.error;

  return rolesFrom(assignments?.body, memberOf.body);
}

/** Role names from a roleAssignments answer (optional) and a memberOf answer. */
export function rolesFrom(assignmentsBody: unknown, memberOfBody: unknown): PrivilegeCheck {
  const roles = new Set<string>();
  for (const a of (assignmentsBody as { value?: Array<{ roleDefinitionId?: string }> } | undefined)?.value ?? []) {
    if (a.roleDefinitionId) roles.add(directoryRoleName(a.roleDefinitionId));
  }
  for (const item of (memberOfBody as { value?: MemberOfItem[] } | undefined)?.value ?? []) {
    const type = item['@odata.type'] ?? '';
    if (type === '#microsoft.graph.directoryRole') {
      roles.add(item.roleTemplateId ? directoryRoleName(item.roleTemplateId) : (item.displayName ?? 'Directory role'));
    } else if (type === '#microsoft.graph.group' && item.isAssignableToRole) {
      roles.add(`member of role-assignable group ${item.displayName ?? item.id ?? ''}`.trim());
    }
  }
  const list = [...roles].sort();
  return { privileged: list.length > 0, roles: list };
}

/**
 * Groups a helper must not change membership of: role-assignable groups (they grant admin roles)
 * and the configured deny list (PROTECTED_GROUPS: display names or ids, compared case-insensitively).
 */
export function isProtectedGroup(
  group: Pick<ResolvedGroup, 'id' | 'displayName' | 'isAssignableToRole'>,
  protectedGroups: readonly string[] = loadSettings().PROTECTED_GROUPS,
): boolean {
  if (group.isAssignableToRole) return true;
  const names = new Set(protectedGroups.map((g) => g.trim().toLowerCase()).filter(Boolean));
  return names.has(group.id.toLowerCase()) || names.has(group.displayName.trim().toLowerCase());
}
