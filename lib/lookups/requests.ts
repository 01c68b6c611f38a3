import type { BatchRequest } from '../graph/batch.js';
import { buildQuery, isGuid, odataString } from '../graph/odata.js';
import { encodeSegment, userPath } from '../graph/path.js';

/**
 * THE Graph read requests of the helpers: every URL a plan puts into a $batch (or pages through) is
 * built here, so intent code names what it reads ("the user's memberOf") and never spells a Graph path
 * or filter. Each builder's row in lib/permissions/graph-calls.ts (with the helpers' grant) is checked by
 * test/permissions/graph-calls.test.ts. Pure functions (the workflows' inline code bundles the matchers
 * at the end).
 *
 * `id` is the $batch item id (answers are looked up by it, lower-cased); `userKey` is an object id or a UPN.
 */
type Select = readonly string[];

const EVENTUAL = { ConsistencyLevel: 'eventual' } as const;

/** `mail eq 'x' or proxyAddresses/any(p:p eq 'smtp:x')`: an address as a primary or secondary SMTP address. */
function mailOrProxyFilter(address: string): string {
  return `mail eq ${odataString(address)} or proxyAddresses/any(p:p eq ${odataString(`smtp:${address}`)})`;
}

/** GET /users/{id | upn}: https://learn.microsoft.com/graph/api/user-get */
export function userRequest(id: string, userKey: string, select: Select): BatchRequest {
  return { id, method: 'GET', url: `${userPath(userKey)}${buildQuery({ $select: select })}` };
}

/**
 * Users whose mail or proxy address is `address`: an advanced query (OR with a lambda), so it carries
 * ConsistencyLevel: eventual and $count (https://learn.microsoft.com/graph/aad-advanced-queries).
 */
export function usersByMailRequest(id: string, address: string, select: Select): BatchRequest {
  return { id, method: 'GET', url: `/users${buildQuery({ $filter: mailOrProxyFilter(address), $select: select, $count: 'true' })}`, headers: EVENTUAL };
}

/** Users holding `address` as mail or proxy address, or `alias` as mailNickname (who stands in a new account's way). */
export function usersByMailOrAliasRequest(id: string, address: string, alias: string, select: Select): BatchRequest {
  const filter = `${mailOrProxyFilter(address)} or mailNickname eq ${odataString(alias)}`;
  return { id, method: 'GET', url: `/users${buildQuery({ $filter: filter, $select: select, $count: 'true' })}`, headers: EVENTUAL };
}

/** Groups whose mail or proxy address is `address` (advanced query, as above). */
export function groupsByMailOrProxyRequest(id: string, address: string, select: Select): BatchRequest {
  return { id, method: 'GET', url: `/groups${buildQuery({ $filter: mailOrProxyFilter(address), $select: select, $count: 'true' })}`, headers: EVENTUAL };
}

/** Groups whose primary mail is `address` (a default query: no ConsistencyLevel needed). */
export function groupsByMailRequest(id: string, address: string, select: Select): BatchRequest {
  return { id, method: 'GET', url: `/groups${buildQuery({ $filter: `mail eq ${odataString(address)}`, $select: select })}` };
}

/** Groups with exactly this display name: https://learn.microsoft.com/graph/api/group-list */
export function groupsByDisplayNameRequest(id: string, name: string, select: Select): BatchRequest {
  return { id, method: 'GET', url: `/groups${buildQuery({ $filter: `displayName eq ${odataString(name)}`, $select: select })}` };
}

/**
 * Whether `userId` is a direct member of the group: filtering a members collection is an advanced query,
 * so it carries ConsistencyLevel: eventual and $count (https://learn.microsoft.com/graph/aad-advanced-queries).
 */
export function groupMemberCheckRequest(id: string, groupId: string, userId: string): BatchRequest {
  return {
    id,
    method: 'GET',
    url: `/groups/${encodeSegment(groupId)}/members${buildQuery({ $filter: `id eq ${odataString(userId)}`, $select: ['id'], $count: 'true' })}`,
    headers: EVENTUAL,
  };
}

/**
 * The user's direct group memberships with this display name (or id, for a GUID): cast to groups and
 * filtered, an advanced query (https://learn.microsoft.com/graph/api/user-list-memberof).
 */
export function userGroupMembershipRequest(id: string, userKey: string, groupNameOrId: string): BatchRequest {
  const filter = isGuid(groupNameOrId) ? `id eq ${odataString(groupNameOrId)}` : `displayName eq ${odataString(groupNameOrId)}`;
  return { id, method: 'GET', url: `${userPath(userKey)}/memberOf/microsoft.graph.group${buildQuery({ $filter: filter, $select: ['id'], $count: 'true' })}`, headers: EVENTUAL };
}

/** GET /groups/{id}: https://learn.microsoft.com/graph/api/group-get */
export function groupRequest(id: string, groupId: string, select: Select): BatchRequest {
  return { id, method: 'GET', url: `/groups/${encodeSegment(groupId)}${buildQuery({ $select: select })}` };
}

/** A group's owners (ids): https://learn.microsoft.com/graph/api/group-list-owners */
export function groupOwnersRequest(id: string, groupId: string): BatchRequest {
  return { id, method: 'GET', url: `/groups/${encodeURIComponent(groupId)}/owners${buildQuery({ $select: ['id'], $top: 999 })}` };
}

/** The tenant's subscriptions: https://learn.microsoft.com/graph/api/subscribedsku-list */
export function subscribedSkusRequest(id: string, select: Select): BatchRequest {
  return { id, method: 'GET', url: `/subscribedSkus${buildQuery({ $select: select })}` };
}

/** The tenant's domains: https://learn.microsoft.com/graph/api/domain-list */
export function domainsRequest(id: string, select: Select): BatchRequest {
  return { id, method: 'GET', url: `/domains${buildQuery({ $select: select })}` };
}

/** A user's direct memberships (groups and directory roles): https://learn.microsoft.com/graph/api/user-list-memberof */
export function userMemberOfRequest(id: string, userKey: string, select: Select): BatchRequest {
  return { id, method: 'GET', url: `${userPath(userKey)}/memberOf${buildQuery({ $select: select, $top: 999 })}` };
}

/** The directory objects a user owns: https://learn.microsoft.com/graph/api/user-list-ownedobjects */
export function userOwnedObjectsRequest(id: string, userKey: string, select: Select): BatchRequest {
  return { id, method: 'GET', url: `${userPath(userKey)}/ownedObjects${buildQuery({ $select: select, $top: 999 })}` };
}

/** A user's mailbox settings: https://learn.microsoft.com/graph/api/user-get-mailboxsettings */
export function userMailboxSettingsRequest(id: string, userKey: string): BatchRequest {
  return { id, method: 'GET', url: `${userPath(userKey)}/mailboxSettings` };
}

/** A user's manager: https://learn.microsoft.com/graph/api/user-list-manager (404 when none is set). */
export function userManagerRequest(id: string, userKey: string, select: Select): BatchRequest {
  return { id, method: 'GET', url: `${userPath(userKey)}/manager${buildQuery({ $select: select })}` };
}

/** A user's registered authentication methods: https://learn.microsoft.com/graph/api/authentication-list-methods */
export function authenticationMethodsRequest(id: string, userKey: string): BatchRequest {
  return { id, method: 'GET', url: `${userPath(userKey)}/authentication/methods` };
}

/**
 * A user's sign-in preferences (the default second factor), beta only:
 * https://learn.microsoft.com/graph/api/authenticationmethodsroot-get-signinpreferences?view=graph-rest-beta
 * A path for GraphClient.get with `version: 'beta'` ($batch items use the batch's version).
 */
export function signInPreferencesPath(userKey: string): string {
  return `${userPath(userKey)}/authentication/signInPreferences`;
}

/** A principal's directory role assignments: https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments */
export function roleAssignmentsRequest(id: string, principalId: string): BatchRequest {
  return { id, method: 'GET', url: `/roleManagement/directory/roleAssignments${buildQuery({ $filter: `principalId eq ${odataString(principalId)}` })}` };
}

/**
 * Matchers for the workflows' write actions, read back by the outcome summaries: the path segment that
 * identifies which group (and relation) or which authentication method an Http action's URI addressed.
 * Lower case, compared with the lower-cased URI.
 */
export function groupRelationSegment(groupId: string, relation: 'members' | 'owners'): string {
  return `/groups/${encodeURIComponent(groupId)}/${relation}`.toLowerCase();
}

export function authenticationMethodSegment(methodSegment: string, methodId: string): string {
  return `/authentication/${methodSegment}/${encodeURIComponent(methodId)}`.toLowerCase();
}
