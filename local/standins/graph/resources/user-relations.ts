import { errors } from '../errors.js';
import { contextUrl, noContent, ok, type GraphCall, type GraphResult } from '../http-types.js';
import { DIRECTORY_OBJECT_FILTER_RULES, GROUP_FILTER_RULES } from '../odata/filter-rules.js';
import { countCollection, isAdvancedQuery, listCollection, type CollectionItem, type CollectionSpec } from '../odata/list.js';
import type { Route } from '../router.js';
import type { GroupRecord, UserRecord } from '../tenant/state.js';
import { directoryRoleView } from './roles.js';
import { referencedId } from './members.js';
import { userByKey } from './resolve.js';
import { DIRECTORY_OBJECT_SELECTABLE, GROUP_DEFAULTS, GROUP_SELECTABLE, groupView, USER_DEFAULTS, userView } from './views.js';

/** A user's relationships: manager, memberOf / transitiveMemberOf, licenseDetails, owned objects, devices. */

const MEMBER_OF: CollectionSpec = {
  contextName: 'directoryObjects',
  rules: DIRECTORY_OBJECT_FILTER_RULES,
  selectable: [...DIRECTORY_OBJECT_SELECTABLE, 'roleTemplateId', 'description'],
  defaults: GROUP_DEFAULTS,
  orderable: ['displayName'],
  defaultPageSize: 100,
  typed: true,
};

/** memberOf/microsoft.graph.group: the OData cast keeps groups only; with $filter it is an advanced query. */
const MEMBER_OF_GROUPS: CollectionSpec = {
  contextName: 'groups',
  rules: { ...GROUP_FILTER_RULES, everythingAdvanced: true },
  selectable: GROUP_SELECTABLE,
  defaults: GROUP_DEFAULTS,
  orderable: ['displayName'],
  defaultPageSize: 100,
};

const ROLE_DEFAULTS = ['id', 'deletedDateTime', 'description', 'displayName', 'roleTemplateId'];

function membershipItems(call: GraphCall, user: UserRecord, transitive: boolean, groupsOnly: boolean): CollectionItem[] {
  const groups: GroupRecord[] = transitive ? call.state.transitiveGroupsOf(user.id) : call.state.directGroupsOf(user.id);
  const items: CollectionItem[] = groups.map((g) => ({ view: groupView(g), odataType: '#microsoft.graph.group', defaults: GROUP_DEFAULTS }));
  if (groupsOnly) return items;
  const roles = transitive ? call.state.roleAssignmentsOf(user.id).map((a) => a.role) : user.roles;
  for (const role of new Set(roles)) {
    items.push({ view: directoryRoleView(call.state, role), odataType: '#microsoft.graph.directoryRole', defaults: ROLE_DEFAULTS });
  }
  return items;
}

function memberOf(call: GraphCall, key: string, transitive: boolean, cast?: string, count = false): GraphResult {
  const user = userByKey(call, key);
  let groupsOnly = false;
  if (cast !== undefined) {
    if (cast.toLowerCase() !== 'microsoft.graph.group') throw errors.segmentNotFound(cast);
    groupsOnly = true;
  }
  const items = membershipItems(call, user, transitive, groupsOnly);
  const spec = groupsOnly ? MEMBER_OF_GROUPS : MEMBER_OF;
  if (count) return countCollection(call, spec, items);
  // Casts combined with $filter, $search or $orderby are advanced queries (https://learn.microsoft.com/graph/aad-advanced-queries).
  if (groupsOnly && (call.query.has('$orderby') || call.query.has('$search')) && !isAdvancedQuery(call)) throw errors.unsupportedQuery();
  return listCollection(call, spec, items);
}

function manager(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  const mgr = user.managerId ? call.state.findUser(user.managerId) : undefined;
  // No manager is a 404 by design (microsoftgraph/aspnet-snippets-sample#6), never null.
  if (!mgr) throw errors.notFound('manager');
  const view = userView(call.state, mgr);
  return ok({
    '@odata.context': contextUrl(call.version, 'directoryObjects/$entity'),
    '@odata.type': '#microsoft.graph.user',
    ...Object.fromEntries(USER_DEFAULTS.map((k) => [k, view[k] ?? null])),
  });
}

/** PUT /users/{id}/manager/$ref {"@odata.id": ".../users/{managerId}"}: 204; the manager must be a user. */
function setManager(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  const managerId = referencedId(call.body);
  const mgr = call.state.findUser(managerId);
  if (!mgr) throw errors.notFound(managerId);
  user.managerId = mgr.id;
  return noContent;
}

/** DELETE /users/{id}/manager/$ref: 204, or 404 when the user has no manager. */
function removeManager(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  if (!user.managerId) throw errors.notFound('manager');
  user.managerId = undefined;
  return noContent;
}

function licenseDetails(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  const seen = new Set<string>();
  const value = call.state
    .effectiveLicenses(user)
    .filter((l) => l.state === 'Active')
    .filter((l) => (seen.has(l.skuId) ? false : (seen.add(l.skuId), true)))
    .map((l) => {
      const sku = call.state.findSku(l.skuId);
      return {
        id: `${user.id}_${l.skuId}`,
        skuId: l.skuId,
        skuPartNumber: sku?.skuPartNumber ?? null,
        servicePlans: (sku?.servicePlans ?? []).map((p) => ({
          servicePlanId: p.servicePlanId,
          servicePlanName: p.servicePlanName,
          provisioningStatus: l.disabledPlans.includes(p.servicePlanId) ? 'Disabled' : 'Success',
          appliesTo: p.appliesTo,
        })),
      };
    });
  return ok({ '@odata.context': contextUrl(call.version, `users('${user.id}')/licenseDetails`), value });
}

function ownedObjects(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  const value = [...call.state.groups.values()]
    .filter((g) => g.owners.some((o) => o.toLowerCase() === user.id.toLowerCase()))
    .map((g) => ({ '@odata.type': '#microsoft.graph.group', ...groupView(g) }));
  return ok({ '@odata.context': contextUrl(call.version, 'directoryObjects'), value });
}

/** The stand-in models no devices; the lists exist so offboarding code can page them. */
function devices(call: GraphCall, key: string): GraphResult {
  userByKey(call, key);
  return ok({ '@odata.context': contextUrl(call.version, 'directoryObjects'), value: [] });
}

export const userRelationRoutes: Route[] = [
  { method: 'GET', pattern: 'users/{user}/manager', handler: (c, p) => manager(c, p.user as string) },
  { method: 'PUT', pattern: 'users/{user}/manager/$ref', handler: (c, p) => setManager(c, p.user as string) },
  { method: 'DELETE', pattern: 'users/{user}/manager/$ref', handler: (c, p) => removeManager(c, p.user as string) },
  { method: 'GET', pattern: 'users/{user}/memberOf', handler: (c, p) => memberOf(c, p.user as string, false) },
  { method: 'GET', pattern: 'users/{user}/memberOf/$count', handler: (c, p) => memberOf(c, p.user as string, false, undefined, true) },
  { method: 'GET', pattern: 'users/{user}/memberOf/{cast}', handler: (c, p) => memberOf(c, p.user as string, false, p.cast) },
  { method: 'GET', pattern: 'users/{user}/memberOf/{cast}/$count', handler: (c, p) => memberOf(c, p.user as string, false, p.cast, true) },
  { method: 'GET', pattern: 'users/{user}/transitiveMemberOf', handler: (c, p) => memberOf(c, p.user as string, true) },
  { method: 'GET', pattern: 'users/{user}/transitiveMemberOf/$count', handler: (c, p) => memberOf(c, p.user as string, true, undefined, true) },
  { method: 'GET', pattern: 'users/{user}/transitiveMemberOf/{cast}', handler: (c, p) => memberOf(c, p.user as string, true, p.cast) },
  { method: 'GET', pattern: 'users/{user}/licenseDetails', handler: (c, p) => licenseDetails(c, p.user as string) },
  { method: 'GET', pattern: 'users/{user}/ownedObjects', handler: (c, p) => ownedObjects(c, p.user as string) },
  { method: 'GET', pattern: 'users/{user}/ownedDevices', handler: (c, p) => devices(c, p.user as string) },
  { method: 'GET', pattern: 'users/{user}/registeredDevices', handler: (c, p) => devices(c, p.user as string) },
];
