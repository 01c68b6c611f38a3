/** Look-ups the plan helpers and HTTP functions use; each takes the GraphClient to use. */
export { resolveUser, type ResolvedUser } from './user.js';
export { resolveGroups, resolveGroup, type ResolvedGroup, type GroupResolution } from './groups.js';
export { classifyGroup, type GroupKind, type MembershipManager } from './group-kind.js';
export { checkMembership, checkMemberships } from './membership.js';
export { resolveLicense, matchLicense, listSubscribedSkus, type ResolvedLicense, type SubscribedSku } from './license.js';
export { checkPrivileged, isProtectedGroup, type PrivilegeCheck } from './privileged.js';
export { listVerifiedDomains, assertDomainVerified, type VerifiedDomain } from './domains.js';
export { resolveUserWithPrivileges, type UserWithPrivileges } from './user-with-privileges.js';
export { resolveUserAndGroups, type UserAndGroups, type GroupWithMembership } from './user-and-groups.js';
