import { randomUUID } from 'node:crypto';
import { errors, GraphError } from '../errors.js';
import { contextUrl, noContent, ok, type GraphCall, type GraphResult } from '../http-types.js';
import { USER_FILTER_RULES } from '../odata/filter-rules.js';
import { countCollection, listCollection, type CollectionSpec } from '../odata/list.js';
import { parseSelect, project } from '../odata/select.js';
import type { Route } from '../router.js';
import { canPerformSensitiveAction, canResetPassword, ON_PREM_MASTERED_PROPERTIES, SENSITIVE_PROPERTIES } from '../tenant/privileges.js';
import type { UserRecord } from '../tenant/state.js';
import { userByKey } from './resolve.js';
import {
  checkMailNickname,
  checkPasswordComplexity,
  checkUsageLocation,
  expectBoolean,
  expectString,
  invalidProperty,
  requireObjectBody,
  splitUpn,
  unknownProperty,
} from './validation.js';
import { USER_COLLECTION_REFUSED, USER_DEFAULTS, USER_SELECTABLE, userProxyAddresses, userView } from './views.js';

/** /users: list, get, create, update, delete, revokeSignInSessions (https://learn.microsoft.com/graph/api/resources/user). */

export const USER_COLLECTION: CollectionSpec = {
  contextName: 'users',
  rules: USER_FILTER_RULES,
  selectable: USER_SELECTABLE,
  defaults: USER_DEFAULTS,
  refusedInCollection: USER_COLLECTION_REFUSED,
  orderable: ['displayName', 'userPrincipalName'],
  defaultPageSize: 100,
};

function allUsers(call: GraphCall) {
  return call.state.visibleUsers().map((u) => ({ view: userView(call.state, u) }));
}

/** $expand=manager (optionally manager($select=a,b)) on a single user; other expansions are not modelled. */
function expandManager(call: GraphCall, user: UserRecord): Record<string, unknown> {
  const raw = call.query.get('$expand');
  if (raw === undefined) return {};
  const m = /^manager(?:\(\$select=([^)]*)\))?$/i.exec(raw.trim());
  if (!m) throw errors.notImplemented(`$expand=${raw} is not implemented by the Graph stand-in (only manager).`);
  const mgr = user.managerId ? call.state.findUser(user.managerId) : undefined;
  if (!mgr) return {};
  const select = parseSelect(m[1], USER_FILTER_RULES.typeName, USER_SELECTABLE);
  return { manager: { '@odata.type': '#microsoft.graph.user', ...project(userView(call.state, mgr, select ?? USER_DEFAULTS), select, USER_DEFAULTS) } };
}

function getUser(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  const select = parseSelect(call.query.get('$select'), USER_FILTER_RULES.typeName, USER_SELECTABLE);
  const fragment = select ? `users(${select.join(',')})/$entity` : 'users/$entity';
  return ok({
    '@odata.context': contextUrl(call.version, fragment),
    ...project(userView(call.state, user, select ?? USER_DEFAULTS), select, USER_DEFAULTS),
    ...expandManager(call, user),
  });
}

/** Properties a caller may write, by kind of value. */
const WRITABLE_STRINGS = ['displayName', 'givenName', 'surname', 'jobTitle', 'department', 'companyName', 'officeLocation', 'mobilePhone', 'preferredLanguage', 'employeeId', 'mail', 'onPremisesImmutableId'];
const READ_ONLY = ['id', 'proxyAddresses', 'assignedLicenses', 'assignedPlans', 'licenseAssignmentStates', 'createdDateTime', 'onPremisesSyncEnabled', 'signInSessionsValidFromDateTime', 'lastPasswordChangeDateTime', 'identities', 'showInAddressList'];
const WRITABLE = new Set([...WRITABLE_STRINGS, 'accountEnabled', 'usageLocation', 'userPrincipalName', 'mailNickname', 'passwordProfile', 'passwordPolicies', 'businessPhones', 'otherMails', 'userType']);

function checkUpnAvailable(call: GraphCall, upn: string, self?: UserRecord): void {
  const { domain } = splitUpn(upn);
  if (!call.state.isVerifiedDomain(domain)) {
    throw errors.badRequest('The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.');
  }
  // Uniqueness is enforced on the directory write, so objects still replicating count too.
  const taken = call.state.findUser(upn, { includeReplicating: true });
  if (taken && taken !== self) {
    throw new GraphError(400, 'Request_BadRequest', 'Another object with the same value for property userPrincipalName already exists.', {
      details: [{ target: 'userPrincipalName', code: 'ObjectConflict' }],
    });
  }
  const lower = upn.toLowerCase();
  for (const u of call.state.users.values()) {
    if (u === self) continue;
    if (userProxyAddresses(u).some((p) => p.toLowerCase() === `smtp:${lower}`) || u.mail?.toLowerCase() === lower) {
      throw new GraphError(400, 'Request_BadRequest', 'Another object with the same value for property proxyAddresses already exists.', {
        details: [{ target: 'proxyAddresses', code: 'ObjectConflict' }],
      });
    }
  }
}

function readPasswordProfile(value: unknown): { password: string; force: boolean } {
  if (!value || typeof value !== 'object') throw invalidProperty('passwordProfile');
  const p = value as Record<string, unknown>;
  if (p.password === undefined || p.password === null || p.password === '') {
    throw errors.badRequest('Property passwordProfile.password value is required but is empty or missing.');
  }
  checkPasswordComplexity(p.password);
  const force = p.forceChangePasswordNextSignIn === undefined ? true : expectBoolean(p.forceChangePasswordNextSignIn);
  return { password: p.password as string, force };
}

function createUser(call: GraphCall): GraphResult {
  const body = requireObjectBody(call.body);
  for (const key of Object.keys(body)) if (!WRITABLE.has(key) && !READ_ONLY.includes(key)) throw unknownProperty(key, 'microsoft.graph.user');
  for (const required of ['accountEnabled', 'displayName', 'mailNickname', 'passwordProfile', 'userPrincipalName']) {
    if (body[required] === undefined || body[required] === null || body[required] === '') {
      throw required === 'userPrincipalName' ? errors.badRequest('Property userPrincipalName is invalid.') : invalidProperty(required);
    }
  }
  const upn = expectString(body.userPrincipalName, 'userPrincipalName');
  const accountEnabled = expectBoolean(body.accountEnabled);
  const displayName = expectString(body.displayName, 'displayName');
  const mailNickname = checkMailNickname(body.mailNickname);
  const { force } = readPasswordProfile(body.passwordProfile);
  const usageLocation = body.usageLocation === undefined ? undefined : checkUsageLocation(body.usageLocation);
  checkUpnAvailable(call, upn);
  const now = new Date().toISOString().slice(0, 19) + 'Z';
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  const user: UserRecord = {
    id: randomUUID(),
    userPrincipalName: upn,
    displayName,
    givenName: str('givenName') ?? null,
    surname: str('surname') ?? null,
    mail: null,
    mailNickname,
    otherMails: [],
    accountEnabled,
    userType: 'Member',
    usageLocation: usageLocation ?? null,
    jobTitle: str('jobTitle') ?? null,
    department: str('department') ?? null,
    companyName: str('companyName') ?? null,
    officeLocation: str('officeLocation') ?? null,
    mobilePhone: str('mobilePhone') ?? null,
    businessPhones: [],
    preferredLanguage: null,
    employeeId: str('employeeId') ?? null,
    createdDateTime: now,
    onPremisesSyncEnabled: null,
    roles: [],
    licenses: [],
    authMethods: [],
    // No mailbox until a licence with Exchange Online is assigned (see licenses.ts).
    mailbox: null,
    passwordLastSetDateTime: now,
    forceChangePasswordNextSignIn: force,
    signInSessionsValidFromDateTime: now,
  };
  call.state.users.set(user.id.toLowerCase(), user);
  call.state.markCreated(user.id);
  if (user.usageLocation) call.state.markUsageLocationSet(user.id);
  return ok({ '@odata.context': contextUrl(call.version, 'users/$entity'), ...project(userView(call.state, user), undefined, USER_DEFAULTS) }, 201, {
    Location: `https://graph.microsoft.com/v2/${call.state.tenantId}/directoryObjects/${user.id}/Microsoft.DirectoryServices.User`,
  });
}

/** 403 unless the caller's Entra roles outrank the target for the properties being changed. */
function authorizeUserWrite(call: GraphCall, target: UserRecord, keys: string[]): void {
  const callerRoles = call.caller.directoryRoles;
  const targetRoles = call.state.rolesOf(target.id);
  if (keys.includes('passwordProfile') && !canResetPassword(callerRoles, targetRoles)) throw errors.forbidden();
  if (keys.some((k) => SENSITIVE_PROPERTIES.includes(k) && k !== 'passwordProfile') && !canPerformSensitiveAction(callerRoles, targetRoles)) {
    throw errors.forbidden();
  }
}

function updateUser(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  const body = requireObjectBody(call.body);
  const keys = Object.keys(body);
  for (const k of keys) {
    if (READ_ONLY.includes(k)) throw errors.badRequest(`Property '${k}' is read-only and cannot be set.`);
    if (!WRITABLE.has(k)) throw unknownProperty(k, 'microsoft.graph.user');
  }
  authorizeUserWrite(call, user, keys);
  if (user.onPremisesSyncEnabled && keys.some((k) => ON_PREM_MASTERED_PROPERTIES.includes(k))) throw errors.onPremMastered();

  // Validate everything before changing anything: a refused PATCH leaves the user untouched.
  const changes: Partial<UserRecord> = {};
  let password: { force: boolean } | undefined;
  for (const k of keys) {
    const v = body[k];
    if (k === 'accountEnabled') changes.accountEnabled = expectBoolean(v);
    else if (k === 'usageLocation') changes.usageLocation = checkUsageLocation(v);
    else if (k === 'mailNickname') changes.mailNickname = checkMailNickname(v);
    else if (k === 'passwordProfile') password = readPasswordProfile(v);
    else if (k === 'userPrincipalName') {
      checkUpnAvailable(call, expectString(v, k), user);
      changes.userPrincipalName = v as string;
    } else if (k === 'businessPhones' || k === 'otherMails') {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidProperty(k);
      changes[k] = v as string[];
    } else if (k === 'userType') {
      if (v !== 'Member' && v !== 'Guest') throw invalidProperty(k);
      changes.userType = v;
    } else if (k === 'mail' && v === null) throw invalidProperty('mail');
    else if (k === 'passwordPolicies') {
      if (v !== null && typeof v !== 'string') throw invalidProperty(k);
    } else if (WRITABLE_STRINGS.includes(k)) {
      if (v !== null && typeof v !== 'string') throw invalidProperty(k);
      if (k === 'displayName' && !v) throw invalidProperty(k);
      (changes as Record<string, unknown>)[k] = v;
    }
  }
  Object.assign(user, changes);
  if (changes.usageLocation) call.state.markUsageLocationSet(user.id);
  if (password) {
    user.passwordLastSetDateTime = new Date().toISOString();
    user.forceChangePasswordNextSignIn = password.force;
  }
  return noContent;
}

function deleteUser(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  if (!canPerformSensitiveAction(call.caller.directoryRoles, call.state.rolesOf(user.id))) throw errors.forbidden();
  if (user.onPremisesSyncEnabled) throw errors.onPremMastered();
  call.state.softDeleteUser(user);
  return noContent;
}

function revokeSessions(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  if (!canPerformSensitiveAction(call.caller.directoryRoles, call.state.rolesOf(user.id))) throw errors.forbidden();
  user.signInSessionsValidFromDateTime = new Date().toISOString().slice(0, 19) + 'Z';
  // Documented known issue: 200 with a Boolean instead of 204.
  return ok({ '@odata.context': contextUrl(call.version, 'Edm.Boolean'), value: true });
}

export const userRoutes: Route[] = [
  { method: 'GET', pattern: 'users', handler: (c) => listCollection(c, USER_COLLECTION, allUsers(c)) },
  { method: 'POST', pattern: 'users', handler: (c) => createUser(c) },
  { method: 'GET', pattern: 'users/$count', handler: (c) => countCollection(c, USER_COLLECTION, allUsers(c)) },
  { method: 'GET', pattern: 'users/{user}', handler: (c, p) => getUser(c, p.user as string) },
  { method: 'PATCH', pattern: 'users/{user}', handler: (c, p) => updateUser(c, p.user as string) },
  { method: 'DELETE', pattern: 'users/{user}', handler: (c, p) => deleteUser(c, p.user as string) },
  { method: 'POST', pattern: 'users/{user}/revokeSignInSessions', handler: (c, p) => revokeSessions(c, p.user as string) },
];
