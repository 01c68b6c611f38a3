/**
 * Who may do what to whom, from the "Who can reset passwords" and "Who can perform sensitive
 * actions" tables of https://learn.microsoft.com/entra/identity/role-based-access-control/privileged-roles-permissions
 * (#who-can-reset-passwords, #who-can-perform-sensitive-actions). The caller is the app's service
 * principal; its Entra roles are the manifest's directory roles for a known identity (authorization.ts),
 * else the fixture's `caller.roles`. On top of these target rules, an app needs at least the User
 * Administrator role to set any password (user-update, passwordProfile: lib/permissions/graph-calls.ts).
 * Authentication-method deletes need no role app-only (UserAuthenticationMethod.ReadWrite.All suffices;
 * the Authentication Administrator rules of the methods APIs apply to delegated callers).
 */

const GA = 'Global Administrator';
const PAA = 'Privileged Authentication Administrator';
const UA = 'User Administrator';
const AA = 'Authentication Administrator';
const HA = 'Helpdesk Administrator';
const PWA = 'Password Administrator';

/** Pseudo-role for members of role-assignable groups: only PAA and GA act on them. */
export const ROLE_ASSIGNABLE_MEMBER = '(member of a role-assignable group)';

const PASSWORD_RESETTERS = [PWA, HA, AA, UA, PAA, GA];
const READER_LIKE = ['Directory Readers', 'Guest Inviter', 'Message Center Reader', 'Password Administrator', 'Reports Reader', 'Usage Summary Reports Reader'];

/** Target role -> caller roles allowed to reset that user's password. Unlisted roles: PAA and GA only (#who-can-reset-passwords). */
const RESET_MATRIX: Record<string, string[]> = {
  ...Object.fromEntries(READER_LIKE.map((r) => [r, PASSWORD_RESETTERS])),
  [HA]: [HA, UA, PAA, GA],
  [AA]: [AA, PAA, GA],
  'Groups Administrator': [UA, PAA, GA],
  [UA]: [UA, PAA, GA],
};

/** Target role -> caller roles allowed to perform sensitive actions (disable, delete, phones...) (#who-can-perform-sensitive-actions). */
const SENSITIVE_MATRIX: Record<string, string[]> = {
  'Directory Readers': [AA, UA, PAA, GA],
  'Guest Inviter': [AA, UA, PAA, GA],
  'Message Center Reader': [AA, UA, PAA, GA],
  'Password Administrator': [AA, UA, PAA, GA],
  'Reports Reader': [AA, UA, PAA, GA],
  'Usage Summary Reports Reader': [AA, UA, PAA, GA],
  [AA]: [AA, PAA, GA],
  'Groups Administrator': [UA, PAA, GA],
  [HA]: [UA, PAA, GA],
  [UA]: [UA, PAA, GA],
};

function covers(matrix: Record<string, string[]>, targetRoles: readonly string[], callerRoles: readonly string[]): boolean {
  return targetRoles.every((role) => (matrix[role] ?? [PAA, GA]).some((allowed) => callerRoles.includes(allowed)));
}

/** Password reset through passwordProfile: the app needs a resetting role even for non-admin targets. */
export function canResetPassword(callerRoles: readonly string[], targetRoles: readonly string[]): boolean {
  if (!PASSWORD_RESETTERS.some((r) => callerRoles.includes(r))) return false;
  return covers(RESET_MATRIX, targetRoles, callerRoles);
}

/** Sensitive actions: app permissions suffice for users without roles; admin targets need an outranking role. */
export function canPerformSensitiveAction(callerRoles: readonly string[], targetRoles: readonly string[]): boolean {
  if (targetRoles.length === 0) return true;
  return covers(SENSITIVE_MATRIX, targetRoles, callerRoles);
}

/** Properties whose change on an admin counts as a sensitive action (resources/users.md). */
export const SENSITIVE_PROPERTIES = ['accountEnabled', 'businessPhones', 'mobilePhone', 'onPremisesImmutableId', 'otherMails', 'passwordProfile', 'userPrincipalName'];

/** Properties mastered on-premises for synced users: cloud writes are refused. */
export const ON_PREM_MASTERED_PROPERTIES = [
  'displayName',
  'givenName',
  'surname',
  'userPrincipalName',
  'mail',
  'mailNickname',
  'jobTitle',
  'department',
  'companyName',
  'officeLocation',
  'businessPhones',
  'mobilePhone',
  'employeeId',
  'onPremisesImmutableId',
  'passwordProfile',
];
// accountEnabled is absent on purpose: blocking sign-in of a synced user works in the cloud and is
// undone by the next sync if the on-premises account is still enabled (MicrosoftDocs/azure-docs#35963, #76071).

/** Adding members to a role-assignable group needs RoleManagement.ReadWrite.Directory or a role-admin role. */
export function canManageRoleAssignableGroup(callerRoles: readonly string[], permissions: readonly string[]): boolean {
  return permissions.includes('RoleManagement.ReadWrite.Directory') || callerRoles.includes('Privileged Role Administrator') || callerRoles.includes(GA);
}
