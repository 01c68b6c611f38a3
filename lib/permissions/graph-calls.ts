/**
 * THE table of Microsoft Graph permissions per endpoint: one row per operation the Graph stand-in serves,
 * with the application permissions Microsoft's "Permissions" section accepts and its Learn page.
 *
 * Three readers, one table:
 * - the Graph stand-in refuses a call whose caller holds none of a row's accepted combinations
 *   (403 Authorization_RequestDenied, as Graph does);
 * - the helpers (lib/graph/errors.ts) and the outcome summaries (lib/inline/action-failure.ts, run by the helpers' summary route) name the
 *   missing permission when Graph answers 403, because Graph's own 403 never says which one is missing;
 * - test/permissions checks every Graph call of the workflows (their Http actions) and of the helpers (every
 *   request builder of lib/lookups/requests.ts, the one place helper reads are spelled) against it and
 *   against infra/permissions.json; lib/intents/graph-permissions.ts derives each intent's permissions
 *   from it (test/lib/intents/contract.test.ts).
 * This module is pure data and functions (no imports), so any layer can read it without pulling in a client.
 */

/** Identities that call Graph. */
export type GraphCaller = 'logicApp' | 'helpers';

export interface GraphCallRule {
  /** Stable id, used in tests and in answers' details. */
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path after the version, as the stand-in routes it: literal segments match ignoring case, {x} is one segment. */
  pattern: string;
  /** Versions the row applies to (default both). */
  versions?: ReadonlyArray<'v1.0' | 'beta'>;
  /** PATCH rows that apply only when the body carries one of these properties (user-update's per-property notes). */
  bodyProperties?: readonly string[];
  /** Application permissions: any one combination is enough; least privileged first, as Microsoft lists them. Empty: apps may not call it. */
  accepted: ReadonlyArray<readonly string[]>;
  /** Directory roles the caller needs on top (at least one of them), for app-only calls that Microsoft documents so. */
  roles?: readonly string[];
  /** What this project grants for the row, per calling identity (must be one of `accepted` and be in infra/permissions.json). */
  granted?: Partial<Record<GraphCaller, readonly string[]>>;
  /** Plain words for answers: "revoke the user's sign-in sessions". */
  does: string;
  docs: string;
}

const G = 'https://learn.microsoft.com/graph/api';
const v1 = (page: string) => `${G}/${page}?view=graph-rest-1.0#permissions`;
const beta = (page: string) => `${G}/${page}?view=graph-rest-beta#permissions`;

const USER_READ = [['User.Read.All'], ['User.ReadWrite.All'], ['Directory.Read.All'], ['Directory.ReadWrite.All']] as const;
const GROUP_READ = [['GroupMember.Read.All'], ['Group.Read.All'], ['Directory.Read.All'], ['GroupMember.ReadWrite.All'], ['Group.ReadWrite.All'], ['Directory.ReadWrite.All']] as const;
const MEMBER_WRITE = [['GroupMember.ReadWrite.All'], ['Group.ReadWrite.All'], ['Directory.ReadWrite.All']] as const;
const MEMBERSHIP_READ = [['Directory.Read.All'], ['Directory.ReadWrite.All']] as const;
const ROLE_READ = [['RoleManagement.Read.Directory'], ['RoleManagement.Read.All'], ['Directory.Read.All'], ['RoleManagement.ReadWrite.Directory'], ['Directory.ReadWrite.All']] as const;
const METHODS_READ = [['UserAuthenticationMethod.Read.All'], ['UserAuthenticationMethod.ReadWrite.All']] as const;
const METHODS_WRITE = [['UserAuthenticationMethod.ReadWrite.All']] as const;
const HELPERS_DIRECTORY = { helpers: ['Directory.Read.All'] } as const;
const APPLICATION_READ = [['Application.Read.All'], ['Application.ReadWrite.OwnedBy'], ['Application.ReadWrite.All'], ['Directory.Read.All'], ['Directory.ReadWrite.All']] as const;
/** The app-only password rule: "at least the User Administrator" role (user-update, passwordProfile). */
export const PASSWORD_RESET_ROLES = ['User Administrator', 'Privileged Authentication Administrator', 'Global Administrator'] as const;

const METHOD_TYPES = [
  ['phoneMethods', 'phoneauthenticationmethod'],
  ['emailMethods', 'emailauthenticationmethod'],
  ['fido2Methods', 'fido2authenticationmethod'],
  ['microsoftAuthenticatorMethods', 'microsoftauthenticatorauthenticationmethod'],
  ['softwareOathMethods', 'softwareoathauthenticationmethod'],
  ['temporaryAccessPassMethods', 'temporaryaccesspassauthenticationmethod'],
  ['windowsHelloForBusinessMethods', 'windowshelloforbusinessauthenticationmethod'],
  ['platformCredentialMethods', 'platformcredentialauthenticationmethod'],
] as const;

/** Rows are matched in order; the first match wins, so specific patterns come before {placeholders}. */
export const GRAPH_CALL_RULES: readonly GraphCallRule[] = [
  { id: 'batch', method: 'POST', pattern: '$batch', accepted: [[]], does: 'send a $batch (each request in it is checked on its own)', docs: 'https://learn.microsoft.com/graph/json-batching' },

  // Users
  { id: 'user-list', method: 'GET', pattern: 'users', accepted: USER_READ, granted: HELPERS_DIRECTORY, does: 'look up users', docs: v1('user-list') },
  { id: 'user-count', method: 'GET', pattern: 'users/$count', accepted: USER_READ, granted: HELPERS_DIRECTORY, does: 'count users', docs: v1('user-list') },
  { id: 'user-create', method: 'POST', pattern: 'users', accepted: [['User.ReadWrite.All'], ['Directory.ReadWrite.All']], granted: { logicApp: ['User.ReadWrite.All'] }, does: 'create a user', docs: v1('user-post-users') },
  { id: 'user-get', method: 'GET', pattern: 'users/{user}', accepted: USER_READ, granted: { ...HELPERS_DIRECTORY, logicApp: ['User.ReadWrite.All'] }, does: 'read a user', docs: v1('user-get') },
  {
    id: 'user-update-account-enabled',
    method: 'PATCH',
    pattern: 'users/{user}',
    bodyProperties: ['accountEnabled'],
    accepted: [['User.EnableDisableAccount.All', 'User.Read.All'], ['User.ReadWrite.All'], ['Directory.ReadWrite.All']],
    granted: { logicApp: ['User.ReadWrite.All'] },
    does: 'block or allow sign-in',
    docs: v1('user-update'),
  },
  {
    id: 'user-update-password',
    method: 'PATCH',
    pattern: 'users/{user}',
    bodyProperties: ['passwordProfile'],
    accepted: [['User.ReadWrite.All'], ['Directory.ReadWrite.All']],
    roles: PASSWORD_RESET_ROLES,
    granted: { logicApp: ['User.ReadWrite.All'] },
    does: "set the user's password",
    docs: v1('user-update'),
  },
  { id: 'user-update', method: 'PATCH', pattern: 'users/{user}', accepted: [['User.ReadWrite.All'], ['Directory.ReadWrite.All']], granted: { logicApp: ['User.ReadWrite.All'] }, does: 'update the user', docs: v1('user-update') },
  { id: 'user-delete', method: 'DELETE', pattern: 'users/{user}', accepted: [['User.ReadWrite.All'], ['Directory.ReadWrite.All']], does: 'delete a user', docs: v1('user-delete') },
  {
    id: 'user-revoke-sessions',
    method: 'POST',
    pattern: 'users/{user}/revokeSignInSessions',
    accepted: [['User.RevokeSessions.All'], ['Directory.ReadWrite.All']],
    granted: { logicApp: ['User.RevokeSessions.All'] },
    does: "revoke the user's sign-in sessions",
    docs: v1('user-revokesigninsessions'),
  },
  { id: 'user-assign-license', method: 'POST', pattern: 'users/{user}/assignLicense', accepted: [['LicenseAssignment.ReadWrite.All'], ['User.ReadWrite.All'], ['Directory.ReadWrite.All']], granted: { logicApp: ['User.ReadWrite.All'] }, does: 'assign or remove licences', docs: v1('user-assignlicense') },
  { id: 'user-license-details', method: 'GET', pattern: 'users/{user}/licenseDetails', accepted: [['LicenseAssignment.Read.All'], ['User.Read.All'], ['Directory.Read.All'], ['User.ReadWrite.All'], ['Directory.ReadWrite.All']], granted: HELPERS_DIRECTORY, does: "read the user's licences", docs: v1('user-list-licensedetails') },

  // User relations
  { id: 'user-manager-get', method: 'GET', pattern: 'users/{user}/manager', accepted: USER_READ, granted: HELPERS_DIRECTORY, does: "read the user's manager", docs: v1('user-list-manager') },
  { id: 'user-manager-set', method: 'PUT', pattern: 'users/{user}/manager/$ref', accepted: [['User.ReadWrite.All'], ['Directory.ReadWrite.All']], granted: { logicApp: ['User.ReadWrite.All'] }, does: "set the user's manager", docs: v1('user-post-manager') },
  { id: 'user-manager-remove', method: 'DELETE', pattern: 'users/{user}/manager/$ref', accepted: [['User.ReadWrite.All'], ['Directory.ReadWrite.All']], does: "remove the user's manager", docs: v1('user-delete-manager') },
  { id: 'user-memberof-count', method: 'GET', pattern: 'users/{user}/memberOf/$count', accepted: MEMBERSHIP_READ, granted: HELPERS_DIRECTORY, does: "count the user's memberships", docs: v1('user-list-memberof') },
  { id: 'user-memberof-cast-count', method: 'GET', pattern: 'users/{user}/memberOf/{cast}/$count', accepted: MEMBERSHIP_READ, granted: HELPERS_DIRECTORY, does: "count the user's group memberships", docs: v1('user-list-memberof') },
  { id: 'user-memberof', method: 'GET', pattern: 'users/{user}/memberOf', accepted: MEMBERSHIP_READ, granted: HELPERS_DIRECTORY, does: "read the user's groups and directory roles", docs: v1('user-list-memberof') },
  { id: 'user-memberof-cast', method: 'GET', pattern: 'users/{user}/memberOf/{cast}', accepted: MEMBERSHIP_READ, granted: HELPERS_DIRECTORY, does: "read the user's group memberships", docs: v1('user-list-memberof') },
  { id: 'user-transitive-memberof-count', method: 'GET', pattern: 'users/{user}/transitiveMemberOf/$count', accepted: MEMBERSHIP_READ, granted: HELPERS_DIRECTORY, does: "count the user's nested memberships", docs: v1('user-list-transitivememberof') },
  { id: 'user-transitive-memberof', method: 'GET', pattern: 'users/{user}/transitiveMemberOf', accepted: MEMBERSHIP_READ, granted: HELPERS_DIRECTORY, does: "read the user's nested memberships", docs: v1('user-list-transitivememberof') },
  { id: 'user-transitive-memberof-cast', method: 'GET', pattern: 'users/{user}/transitiveMemberOf/{cast}', accepted: MEMBERSHIP_READ, granted: HELPERS_DIRECTORY, does: "read the user's nested group memberships", docs: v1('user-list-transitivememberof') },
  { id: 'user-owned-objects', method: 'GET', pattern: 'users/{user}/ownedObjects', accepted: [['User.Read.All'], ['Directory.Read.All'], ['User.ReadWrite.All'], ['Directory.ReadWrite.All']], granted: HELPERS_DIRECTORY, does: 'read the groups the user owns', docs: v1('user-list-ownedobjects') },
  { id: 'user-owned-devices', method: 'GET', pattern: 'users/{user}/ownedDevices', accepted: USER_READ, granted: HELPERS_DIRECTORY, does: "read the user's devices", docs: v1('user-list-owneddevices') },
  { id: 'user-registered-devices', method: 'GET', pattern: 'users/{user}/registeredDevices', accepted: USER_READ, granted: HELPERS_DIRECTORY, does: "read the user's registered devices", docs: v1('user-list-registereddevices') },

  // Authentication methods
  { id: 'auth-sign-in-preferences', method: 'GET', pattern: 'users/{user}/authentication/signInPreferences', versions: ['beta'], accepted: METHODS_READ, granted: { helpers: ['UserAuthenticationMethod.Read.All'] }, does: "read the user's default MFA method", docs: beta('authenticationmethodsroot-get-signinpreferences') },
  { id: 'auth-methods-list', method: 'GET', pattern: 'users/{user}/authentication/methods', accepted: METHODS_READ, granted: { helpers: ['UserAuthenticationMethod.Read.All'] }, does: "list the user's MFA methods", docs: v1('authentication-list-methods') },
  { id: 'auth-method-get', method: 'GET', pattern: 'users/{user}/authentication/methods/{id}', accepted: METHODS_READ, granted: { helpers: ['UserAuthenticationMethod.Read.All'] }, does: 'read an MFA method', docs: v1('authenticationmethod-get') },
  { id: 'auth-method-delete-generic', method: 'DELETE', pattern: 'users/{user}/authentication/methods/{id}', accepted: METHODS_WRITE, does: 'remove an MFA method', docs: v1('authentication-list-methods') },
  { id: 'auth-password-reset', method: 'POST', pattern: 'users/{user}/authentication/methods/{id}/resetPassword', accepted: [], does: 'reset a password through the authentication methods API (delegated only)', docs: v1('authenticationmethod-resetpassword') },
  { id: 'auth-password-reset-typed', method: 'POST', pattern: 'users/{user}/authentication/passwordMethods/{id}/resetPassword', accepted: [], does: 'reset a password through the authentication methods API (delegated only)', docs: v1('authenticationmethod-resetpassword') },
  { id: 'auth-tap-create', method: 'POST', pattern: 'users/{user}/authentication/temporaryAccessPassMethods', accepted: METHODS_WRITE, does: 'create a Temporary Access Pass', docs: v1('authentication-post-temporaryaccesspassmethods') },
  ...METHOD_TYPES.map(([segment, page]): GraphCallRule => ({
    id: `auth-${segment}-delete`,
    method: 'DELETE',
    pattern: `users/{user}/authentication/${segment}/{id}`,
    accepted: METHODS_WRITE,
    granted: { logicApp: ['UserAuthenticationMethod.ReadWrite.All'] },
    does: 'remove an MFA method',
    docs: v1(`${page}-delete`),
  })),
  { id: 'auth-typed-get', method: 'GET', pattern: 'users/{user}/authentication/{methodType}/{id}', accepted: METHODS_READ, granted: { helpers: ['UserAuthenticationMethod.Read.All'] }, does: 'read an MFA method', docs: v1('authentication-list-methods') },
  { id: 'auth-typed-list', method: 'GET', pattern: 'users/{user}/authentication/{methodType}', accepted: METHODS_READ, granted: { helpers: ['UserAuthenticationMethod.Read.All'] }, does: "list the user's MFA methods of one type", docs: v1('authentication-list-methods') },

  // Mail
  { id: 'mailbox-settings-get', method: 'GET', pattern: 'users/{user}/mailboxSettings', accepted: [['MailboxSettings.Read'], ['MailboxSettings.ReadWrite']], granted: { helpers: ['MailboxSettings.Read'] }, does: "read the user's mailbox settings", docs: v1('user-get-mailboxsettings') },
  { id: 'mailbox-auto-replies-get', method: 'GET', pattern: 'users/{user}/mailboxSettings/automaticRepliesSetting', accepted: [['MailboxSettings.Read'], ['MailboxSettings.ReadWrite']], granted: { helpers: ['MailboxSettings.Read'] }, does: "read the user's automatic replies", docs: v1('user-get-mailboxsettings') },
  { id: 'mailbox-settings-update', method: 'PATCH', pattern: 'users/{user}/mailboxSettings', accepted: [['MailboxSettings.ReadWrite']], does: "change the user's mailbox settings", docs: v1('user-update-mailboxsettings') },
  { id: 'send-mail', method: 'POST', pattern: 'users/{user}/sendMail', accepted: [['Mail.Send']], does: 'send mail as a user', docs: v1('user-sendmail') },

  // Licences
  { id: 'subscribed-skus-list', method: 'GET', pattern: 'subscribedSkus', accepted: [['LicenseAssignment.Read.All'], ['Organization.Read.All'], ['Directory.Read.All'], ['Organization.ReadWrite.All'], ['Directory.ReadWrite.All']], granted: HELPERS_DIRECTORY, does: "read the tenant's licences", docs: v1('subscribedsku-list') },
  { id: 'subscribed-sku-get', method: 'GET', pattern: 'subscribedSkus/{id}', accepted: [['LicenseAssignment.Read.All'], ['Organization.Read.All'], ['Directory.Read.All'], ['Organization.ReadWrite.All'], ['Directory.ReadWrite.All']], granted: HELPERS_DIRECTORY, does: 'read a licence', docs: v1('subscribedsku-get') },
  { id: 'group-assign-license', method: 'POST', pattern: 'groups/{group}/assignLicense', accepted: [['LicenseAssignment.ReadWrite.All'], ['Group.ReadWrite.All'], ['Directory.ReadWrite.All']], does: "change a group's licences", docs: v1('group-assignlicense') },

  // Groups
  { id: 'group-list', method: 'GET', pattern: 'groups', accepted: GROUP_READ, granted: HELPERS_DIRECTORY, does: 'look up groups', docs: v1('group-list') },
  { id: 'group-count', method: 'GET', pattern: 'groups/$count', accepted: GROUP_READ, granted: HELPERS_DIRECTORY, does: 'count groups', docs: v1('group-list') },
  { id: 'group-get', method: 'GET', pattern: 'groups/{group}', accepted: GROUP_READ, granted: HELPERS_DIRECTORY, does: 'read a group', docs: v1('group-get') },
  { id: 'group-update-members', method: 'PATCH', pattern: 'groups/{group}', bodyProperties: ['members@odata.bind'], accepted: MEMBER_WRITE, does: 'add members to a group', docs: v1('group-post-members') },
  { id: 'group-update', method: 'PATCH', pattern: 'groups/{group}', accepted: [['Group.ReadWrite.All'], ['Directory.ReadWrite.All']], does: 'update a group', docs: v1('group-update') },
  { id: 'group-members-count', method: 'GET', pattern: 'groups/{group}/members/$count', accepted: GROUP_READ, granted: HELPERS_DIRECTORY, does: 'count group members', docs: v1('group-list-members') },
  { id: 'group-members-list', method: 'GET', pattern: 'groups/{group}/members', accepted: GROUP_READ, granted: HELPERS_DIRECTORY, does: 'list group members', docs: v1('group-list-members') },
  { id: 'group-transitive-members', method: 'GET', pattern: 'groups/{group}/transitiveMembers', accepted: GROUP_READ, granted: HELPERS_DIRECTORY, does: 'list nested group members', docs: v1('group-list-transitivemembers') },
  { id: 'group-member-add', method: 'POST', pattern: 'groups/{group}/members/$ref', accepted: MEMBER_WRITE, granted: { logicApp: ['Group.ReadWrite.All'] }, does: 'add a member to a group', docs: v1('group-post-members') },
  { id: 'group-member-remove', method: 'DELETE', pattern: 'groups/{group}/members/{member}/$ref', accepted: MEMBER_WRITE, granted: { logicApp: ['Group.ReadWrite.All'] }, does: 'remove a member from a group', docs: v1('group-delete-members') },
  {
    id: 'group-member-delete-object',
    method: 'DELETE',
    pattern: 'groups/{group}/members/{member}',
    // Without /$ref Graph deletes the member object itself, which needs rights over the member's type too.
    accepted: [['GroupMember.ReadWrite.All', 'User.ReadWrite.All'], ['Group.ReadWrite.All', 'User.ReadWrite.All'], ['Directory.ReadWrite.All']],
    does: 'delete a group member object',
    docs: v1('group-delete-members'),
  },
  { id: 'group-owners-list', method: 'GET', pattern: 'groups/{group}/owners', accepted: GROUP_READ, granted: HELPERS_DIRECTORY, does: "list a group's owners", docs: v1('group-list-owners') },
  { id: 'group-owner-add', method: 'POST', pattern: 'groups/{group}/owners/$ref', accepted: [['Group.ReadWrite.All'], ['Directory.ReadWrite.All']], does: 'add a group owner', docs: v1('group-post-owners') },
  { id: 'group-owner-remove', method: 'DELETE', pattern: 'groups/{group}/owners/{owner}/$ref', accepted: [['Group.ReadWrite.All'], ['Directory.ReadWrite.All']], granted: { logicApp: ['Group.ReadWrite.All'] }, does: 'remove a group owner', docs: v1('group-delete-owners') },

  // Directory roles
  { id: 'directory-roles-list', method: 'GET', pattern: 'directoryRoles', accepted: ROLE_READ, granted: HELPERS_DIRECTORY, does: 'list directory roles', docs: v1('directoryrole-list') },
  { id: 'directory-role-get', method: 'GET', pattern: 'directoryRoles/{role}', accepted: ROLE_READ, granted: HELPERS_DIRECTORY, does: 'read a directory role', docs: v1('directoryrole-get') },
  { id: 'directory-role-members', method: 'GET', pattern: 'directoryRoles/{role}/members', accepted: ROLE_READ, granted: HELPERS_DIRECTORY, does: "list a directory role's members", docs: v1('directoryrole-list-members') },
  { id: 'role-assignments-list', method: 'GET', pattern: 'roleManagement/directory/roleAssignments', accepted: ROLE_READ, granted: HELPERS_DIRECTORY, does: "read the user's administrator role assignments", docs: v1('rbacapplication-list-roleassignments') },
  { id: 'role-definitions-list', method: 'GET', pattern: 'roleManagement/directory/roleDefinitions', accepted: ROLE_READ, granted: HELPERS_DIRECTORY, does: 'list role definitions', docs: v1('rbacapplication-list-roledefinitions') },

  // Domains and organisation
  { id: 'domains-list', method: 'GET', pattern: 'domains', accepted: [['Domain.Read.All'], ['Directory.Read.All'], ['Domain.ReadWrite.All'], ['Directory.ReadWrite.All']], granted: HELPERS_DIRECTORY, does: "read the tenant's domains", docs: v1('domain-list') },
  { id: 'domain-get', method: 'GET', pattern: 'domains/{id}', accepted: [['Domain.Read.All'], ['Directory.Read.All'], ['Domain.ReadWrite.All'], ['Directory.ReadWrite.All']], granted: HELPERS_DIRECTORY, does: 'read a domain', docs: v1('domain-get') },
  { id: 'organization-get', method: 'GET', pattern: 'organization', accepted: [['Organization.Read.All'], ['Directory.Read.All'], ['Organization.ReadWrite.All'], ['Directory.ReadWrite.All']], granted: HELPERS_DIRECTORY, does: "read the tenant's details", docs: v1('organization-list') },

  // Service principals (msp mode's onboarding check reads the app's own service principal and its app role assignments)
  { id: 'service-principals-list', method: 'GET', pattern: 'servicePrincipals', accepted: APPLICATION_READ, granted: HELPERS_DIRECTORY, does: "find the app's service principal in the tenant", docs: v1('serviceprincipal-list') },
  { id: 'service-principal-get', method: 'GET', pattern: 'servicePrincipals/{id}', accepted: APPLICATION_READ, granted: HELPERS_DIRECTORY, does: 'read a service principal', docs: v1('serviceprincipal-get') },
  { id: 'service-principal-app-role-assignments', method: 'GET', pattern: 'servicePrincipals/{id}/appRoleAssignments', accepted: APPLICATION_READ, granted: HELPERS_DIRECTORY, does: "list the application permissions granted to the app's service principal", docs: v1('serviceprincipal-list-approleassignments') },
];

function splitPath(path: string): string[] {
  return path
    .split('?')[0]!
    .split('/')
    .filter((s) => s !== '');
}

function patternMatches(pattern: string, segments: readonly string[]): boolean {
  const parts = pattern.split('/').filter(Boolean);
  if (parts.length !== segments.length) return false;
  return parts.every((p, i) => (p.startsWith('{') && p.endsWith('}')) || p.toLowerCase() === (segments[i] as string).toLowerCase());
}

/**
 * Segments of a Graph path as the stand-in routes them: `users('x')` becomes `users/x`, a leading version
 * (`/v1.0`, `/beta`) and a base URL are dropped.
 */
export function graphPathSegments(path: string): { version: 'v1.0' | 'beta' | undefined; segments: string[] } {
  let rest = path.replace(/^https?:\/\/[^/]+/i, '');
  let version: 'v1.0' | 'beta' | undefined;
  const m = /^\/?(v1\.0|beta)(\/|$)/i.exec(rest);
  if (m) {
    version = m[1]!.toLowerCase() === 'beta' ? 'beta' : 'v1.0';
    rest = rest.slice(m[0].length);
  }
  const segments = splitPath(rest).flatMap((s) => {
    const key = /^([A-Za-z]+)\((.*)\)$/.exec(s);
    return key ? [key[1]!, key[2]!] : [s];
  });
  return { version, segments };
}

/**
 * Every row that governs one call: normally one; a PATCH with several governed properties gets one row per
 * property (each must be satisfied). Empty when the stand-in would not route the call at all.
 */
export function rulesForCall(method: string, version: 'v1.0' | 'beta', segments: readonly string[], bodyKeys: readonly string[] = []): GraphCallRule[] {
  const upper = method.toUpperCase();
  const candidates = GRAPH_CALL_RULES.filter(
    (r) => r.method === upper && (!r.versions || r.versions.includes(version)) && patternMatches(r.pattern, segments),
  );
  if (candidates.length === 0) return [];
  const general = candidates.find((r) => !r.bodyProperties);
  const specific = candidates.filter((r) => r.bodyProperties?.some((p) => bodyKeys.includes(p)));
  const coveredKeys = new Set(specific.flatMap((r) => r.bodyProperties ?? []));
  const others = bodyKeys.some((k) => !coveredKeys.has(k)) || specific.length === 0;
  const rows = [...specific, ...(others && general ? [general] : [])];
  return rows.length > 0 ? rows : [candidates[0] as GraphCallRule];
}

/** Whether a set of application permissions satisfies a row. */
export function permissionsSatisfy(rule: GraphCallRule, appRoles: readonly string[]): boolean {
  return rule.accepted.some((combo) => combo.every((p) => appRoles.includes(p)));
}

/** Whether a set of directory roles satisfies a row's role requirement. */
export function rolesSatisfy(rule: GraphCallRule, directoryRoles: readonly string[]): boolean {
  return !rule.roles || rule.roles.some((r) => directoryRoles.includes(r));
}

export interface DeniedGraphCall {
  /** Row ids that govern the call. */
  rules: string[];
  /** What this project grants for the call to this caller (app permissions). */
  permissions: string[];
  /** Directory roles the call also needs. */
  roles: string[];
  message: string;
  fix: string;
}

const CALLER_LABEL: Record<GraphCaller, string> = {
  logicApp: "the Logic App's managed identity",
  helpers: "the helper functions' identity (their managed identity; in msp mode the MSP app in the customer's tenant)",
};

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The answer for a Graph 403: which permission (and directory role) the call needs and how to grant it.
 * Graph's own 403 never says which one is missing; this reads it from the table above.
 */
export function describeDeniedGraphCall(method: string, path: string, caller: GraphCaller, bodyKeys: readonly string[] = []): DeniedGraphCall | undefined {
  const { version, segments } = graphPathSegments(path);
  const rules = rulesForCall(method, version ?? 'v1.0', segments, bodyKeys);
  if (rules.length === 0) return undefined;
  const permissions = [...new Set(rules.flatMap((r) => [...(r.granted?.[caller] ?? r.accepted[0] ?? [])]))];
  const roles = [...new Set(rules.flatMap((r) => (r.roles ? [r.roles[0] as string] : [])))];
  const who = CALLER_LABEL[caller];
  const does = list(rules.map((r) => r.does));
  const needs = [
    ...(permissions.length ? [`the Microsoft Graph application permission${permissions.length > 1 ? 's' : ''} ${list(permissions)}`] : []),
    ...(roles.length ? [`the ${list(roles)} directory role`] : []),
  ];
  const message = `Microsoft Graph refused to ${does}: ${who} needs ${list(needs)}.`;
  const grant = [
    ...(permissions.length ? [`grant ${list(permissions)} (Microsoft Graph, application) to ${who}`] : []),
    ...(roles.length ? [`assign it the ${list(roles)} role (Entra admin center → Roles and administrators)`] : []),
  ];
  const adminNote = roles.length
    ? ` If it already has them, the user is probably an administrator, whose password only a Privileged Authentication Administrator may reset.`
    : '';
  const fix = `Re-run \`npm run deploy\` (it grants everything in infra/permissions.json), or ${grant.join(' and ')}. New permissions reach Graph when the identity's next token is issued (up to 24 hours for a managed identity).${adminNote}`;
  return { rules: rules.map((r) => r.id), permissions, roles, message, fix };
}
