import { errors, GraphError } from '../errors.js';
import { noContent, type GraphCall, type GraphResult } from '../http-types.js';
import { DIRECTORY_OBJECT_FILTER_RULES } from '../odata/filter-rules.js';
import { countCollection, listCollection, type CollectionItem, type CollectionSpec } from '../odata/list.js';
import type { Route } from '../router.js';
import { canManageRoleAssignableGroup, canPerformSensitiveAction } from '../tenant/privileges.js';
import type { GroupRecord } from '../tenant/state.js';
import { groupById } from './resolve.js';
import { requireObjectBody } from './validation.js';
import { DIRECTORY_OBJECT_SELECTABLE, objectItem, USER_DEFAULTS } from './views.js';

/**
 * Group membership and ownership (https://learn.microsoft.com/graph/api/group-post-members, group-delete-members, group-post-owners): members/owners lists,
 * $ref add/remove with Graph's refusals for Exchange-managed, dynamic, synced and role-assignable groups.
 */

const MEMBERS: CollectionSpec = {
  contextName: 'directoryObjects',
  rules: DIRECTORY_OBJECT_FILTER_RULES,
  selectable: DIRECTORY_OBJECT_SELECTABLE,
  defaults: USER_DEFAULTS,
  orderable: ['displayName'],
  defaultPageSize: 100,
  typed: true,
};

function items(call: GraphCall, ids: string[]): CollectionItem[] {
  return ids.map((id) => objectItem(call.state, id)).filter((x): x is NonNullable<typeof x> => x !== undefined);
}

function transitiveMemberIds(call: GraphCall, group: GroupRecord): string[] {
  const seen = new Set<string>();
  const queue = [...group.members];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (seen.has(id.toLowerCase())) continue;
    seen.add(id.toLowerCase());
    const nested = call.state.findGroup(id);
    if (nested) queue.push(...nested.members);
  }
  return [...seen];
}

/** Refusals that depend only on the kind of group, in the order Graph applies them. */
function assertMembershipWritable(call: GraphCall, group: GroupRecord): void {
  if (group.onPremisesSyncEnabled) throw errors.onPremMastered();
  if (group.mailEnabled && !group.groupTypes.includes('Unified')) {
    throw errors.badRequest('Cannot Update a mail-enabled security groups and or distribution list.');
  }
  if (group.groupTypes.includes('DynamicMembership')) throw errors.forbidden();
  if (group.isAssignableToRole && !canManageRoleAssignableGroup(call.caller.directoryRoles, call.caller.appRoles)) throw errors.forbidden();
}

/** The object id at the end of an @odata.id such as https://graph.microsoft.com/v1.0/directoryObjects/{id}. */
export function referencedId(body: unknown): string {
  const ref = requireObjectBody(body)['@odata.id'];
  if (typeof ref !== 'string' || ref.trim() === '') throw errors.badRequest("Invalid request body: the '@odata.id' reference is missing.");
  const m = /\/(?:directoryObjects|users|groups)(?:\/|\(')([^/'()?]+)'?\)?\/?$/i.exec(ref.trim());
  if (!m?.[1]) throw errors.badRequest(`Invalid object identifier '${ref}'.`);
  return decodeURIComponent(m[1]);
}

/** The id as the directory spells it (case), for an object known to exist. */
function canonicalId(call: GraphCall, id: string): string {
  const found = call.state.findObject(id);
  if (!found) throw errors.notFound(id);
  return found.kind === 'user' ? found.user.id : found.group.id;
}

function addMember(call: GraphCall, groupId: string): GraphResult {
  const group = groupById(call, groupId);
  const memberId = referencedId(call.body);
  const member = call.state.findObject(memberId);
  if (!member) throw errors.notFound(memberId);
  assertMembershipWritable(call, group);
  if (call.state.isMember(group, memberId)) {
    throw errors.badRequest("One or more added object references already exist for the following modified properties: 'members'.");
  }
  group.members.push(canonicalId(call, memberId));
  return noContent;
}

/** PATCH /groups/{id} with members@odata.bind: up to 20 references, all or nothing (group-post-members.md). */
function bulkAddMembers(call: GraphCall, groupId: string): GraphResult {
  const group = groupById(call, groupId);
  const body = requireObjectBody(call.body);
  for (const key of Object.keys(body)) {
    if (!['members@odata.bind', 'owners@odata.bind', 'description', 'displayName'].includes(key)) {
      throw new GraphError(400, 'BadRequest', `The property '${key}' does not exist on type 'microsoft.graph.group'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    }
  }
  const refs = (key: string): string[] => {
    const list = body[key];
    if (list === undefined) return [];
    if (!Array.isArray(list)) throw errors.badRequest(`Invalid value specified for property '${key}' of resource 'Group'.`);
    if (list.length > 20) throw errors.badRequest('Too many references in one request: at most 20 objects can be added at once.');
    return list.map((ref) => referencedId({ '@odata.id': ref }));
  };
  const members = refs('members@odata.bind');
  const owners = refs('owners@odata.bind');
  for (const id of [...members, ...owners]) if (!call.state.findObject(id)) throw errors.notFound(id);
  if (members.length > 0) {
    assertMembershipWritable(call, group);
    if (members.some((id) => call.state.isMember(group, id))) {
      throw errors.badRequest("One or more added object references already exist for the following modified properties: 'members'.");
    }
  }
  for (const k of ['description', 'displayName'] as const) {
    if (body[k] !== undefined && typeof body[k] !== 'string' && !(k === 'description' && body[k] === null)) throw errors.badRequest(`Invalid value specified for property '${k}' of resource 'Group'.`);
  }
  group.members.push(...members.map((id) => canonicalId(call, id)));
  for (const id of owners) if (!group.owners.some((o) => o.toLowerCase() === id.toLowerCase())) group.owners.push(canonicalId(call, id));
  if (typeof body.displayName === 'string') group.displayName = body.displayName;
  if (body.description !== undefined) group.description = body.description as string | null;
  return noContent;
}

function removeMember(call: GraphCall, groupId: string, memberId: string): GraphResult {
  const group = groupById(call, groupId);
  assertMembershipWritable(call, group);
  // Not a member: the 404 names the group, not the member (microsoft-graph-docs#18714).
  if (!call.state.isMember(group, memberId)) throw errors.notFound(group.id);
  group.members = group.members.filter((m) => m.toLowerCase() !== memberId.toLowerCase());
  return noContent;
}

/** DELETE without /$ref deletes the member object itself when the app may (group-delete-members.md CAUTION). */
function deleteMemberObject(call: GraphCall, groupId: string, memberId: string): GraphResult {
  const group = groupById(call, groupId);
  if (!call.state.isMember(group, memberId)) throw errors.notFound(memberId);
  const user = call.state.findUser(memberId);
  if (!user) throw errors.forbidden();
  if (!canPerformSensitiveAction(call.caller.directoryRoles, call.state.rolesOf(user.id))) throw errors.forbidden();
  if (user.onPremisesSyncEnabled) throw errors.onPremMastered();
  call.state.softDeleteUser(user);
  return noContent;
}

function addOwner(call: GraphCall, groupId: string): GraphResult {
  const group = groupById(call, groupId);
  const ownerId = referencedId(call.body);
  const owner = call.state.findUser(ownerId);
  if (!owner) throw errors.notFound(ownerId);
  if (group.owners.some((o) => o.toLowerCase() === owner.id.toLowerCase())) {
    throw errors.badRequest("One or more added object references already exist for the following modified properties: 'owners'.");
  }
  group.owners.push(owner.id);
  return noContent;
}

function removeOwner(call: GraphCall, groupId: string, ownerId: string): GraphResult {
  const group = groupById(call, groupId);
  if (!group.owners.some((o) => o.toLowerCase() === ownerId.toLowerCase())) throw errors.notFound(group.id);
  if (group.owners.length === 1) {
    throw new GraphError(400, 'Request_BadRequest', 'The group must have at least one owner, hence this owner cannot be removed.');
  }
  group.owners = group.owners.filter((o) => o.toLowerCase() !== ownerId.toLowerCase());
  return noContent;
}

export const memberRoutes: Route[] = [
  { method: 'GET', pattern: 'groups/{group}/members', handler: (c, p) => listCollection(c, MEMBERS, items(c, groupById(c, p.group as string).members)) },
  { method: 'GET', pattern: 'groups/{group}/members/$count', handler: (c, p) => countCollection(c, MEMBERS, items(c, groupById(c, p.group as string).members)) },
  {
    method: 'GET',
    pattern: 'groups/{group}/transitiveMembers',
    handler: (c, p) => listCollection(c, MEMBERS, items(c, transitiveMemberIds(c, groupById(c, p.group as string)))),
  },
  { method: 'PATCH', pattern: 'groups/{group}', handler: (c, p) => bulkAddMembers(c, p.group as string) },
  { method: 'POST', pattern: 'groups/{group}/members/$ref', handler: (c, p) => addMember(c, p.group as string) },
  { method: 'DELETE', pattern: 'groups/{group}/members/{member}/$ref', handler: (c, p) => removeMember(c, p.group as string, p.member as string) },
  { method: 'DELETE', pattern: 'groups/{group}/members/{member}', handler: (c, p) => deleteMemberObject(c, p.group as string, p.member as string) },
  { method: 'GET', pattern: 'groups/{group}/owners', handler: (c, p) => listCollection(c, MEMBERS, items(c, groupById(c, p.group as string).owners)) },
  { method: 'POST', pattern: 'groups/{group}/owners/$ref', handler: (c, p) => addOwner(c, p.group as string) },
  { method: 'DELETE', pattern: 'groups/{group}/owners/{owner}/$ref', handler: (c, p) => removeOwner(c, p.group as string, p.owner as string) },
];
