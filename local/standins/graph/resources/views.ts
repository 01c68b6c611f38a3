import type { GroupRecord, TenantState, UserRecord } from '../tenant/state.js';

/**
 * The JSON Graph returns for users and groups. A "view" holds every selectable property;
 * responses project it through $select or the default property list.
 */

export const USER_DEFAULTS = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/** Not selectable on GET /users (collection) → 501 (user-list.md). */
export const USER_COLLECTION_REFUSED = ['mailboxSettings', 'aboutMe', 'birthday', 'hireDate', 'interests', 'mySite', 'pastProjects', 'preferredName', 'responsibilities', 'schools', 'skills'];

export function userProxyAddresses(u: UserRecord): string[] {
  if (u.proxyAddresses) return u.proxyAddresses;
  return u.mail && u.mailbox ? [`SMTP:${u.mail}`] : [];
}

const LICENSE_FIELDS = ['assignedLicenses', 'assignedPlans', 'licenseAssignmentStates'];

/**
 * `fields` lists the properties the caller will read; licence properties (the costly ones, they walk
 * group membership) are computed only when listed or when `fields` is omitted.
 */
export function userView(state: TenantState, u: UserRecord, fields?: readonly string[]): Record<string, unknown> {
  const needLicenses = fields === undefined || fields.some((f) => LICENSE_FIELDS.includes(f));
  const licenses = needLicenses ? state.effectiveLicenses(u) : [];
  const seen = new Set<string>();
  const assignedLicenses = licenses
    .filter((l) => l.state === 'Active')
    .filter((l) => (seen.has(l.skuId) ? false : (seen.add(l.skuId), true)))
    .map((l) => ({ disabledPlans: l.disabledPlans, skuId: l.skuId }));
  return {
    id: u.id,
    businessPhones: u.businessPhones,
    displayName: u.displayName,
    givenName: u.givenName ?? null,
    jobTitle: u.jobTitle ?? null,
    mail: u.mail ?? null,
    mobilePhone: u.mobilePhone ?? null,
    officeLocation: u.officeLocation ?? null,
    preferredLanguage: u.preferredLanguage ?? null,
    surname: u.surname ?? null,
    userPrincipalName: u.userPrincipalName,
    accountEnabled: u.accountEnabled,
    assignedLicenses,
    assignedPlans: licenses.filter((l) => l.state === 'Active').flatMap((l) =>
      (state.findSku(l.skuId)?.servicePlans ?? [])
        .filter((p) => !l.disabledPlans.includes(p.servicePlanId))
        .map((p) => ({ assignedDateTime: u.createdDateTime ?? null, capabilityStatus: 'Enabled', service: p.servicePlanName, servicePlanId: p.servicePlanId })),
    ),
    licenseAssignmentStates: licenses.map((l) => ({
      assignedByGroup: l.assignedByGroup,
      disabledPlans: l.disabledPlans,
      error: l.error,
      lastUpdatedDateTime: u.createdDateTime ?? null,
      skuId: l.skuId,
      state: l.state,
    })),
    companyName: u.companyName ?? null,
    createdDateTime: u.createdDateTime ?? null,
    department: u.department ?? null,
    employeeId: u.employeeId ?? null,
    mailNickname: u.mailNickname ?? u.userPrincipalName.split('@')[0],
    onPremisesImmutableId: u.onPremisesImmutableId ?? null,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled ?? null,
    otherMails: u.otherMails,
    // Never returned on reads: the password is write-only.
    passwordProfile: null,
    passwordPolicies: null,
    proxyAddresses: userProxyAddresses(u),
    showInAddressList: u.mailbox ? !u.mailbox.hiddenFromAddressLists : null,
    signInSessionsValidFromDateTime: u.signInSessionsValidFromDateTime,
    lastPasswordChangeDateTime: u.passwordLastSetDateTime,
    usageLocation: u.usageLocation ?? null,
    userType: u.userType,
    identities: [{ signInType: 'userPrincipalName', issuer: u.userPrincipalName.split('@')[1] ?? '', issuerAssignedId: u.userPrincipalName }],
  };
}

/** Every property userView carries, plus the ones only readable one user at a time (null here). */
export const USER_SELECTABLE: readonly string[] = [
  ...USER_DEFAULTS,
  'accountEnabled',
  'assignedLicenses',
  'assignedPlans',
  'licenseAssignmentStates',
  'companyName',
  'createdDateTime',
  'department',
  'employeeId',
  'mailNickname',
  'onPremisesImmutableId',
  'onPremisesSyncEnabled',
  'otherMails',
  'passwordProfile',
  'passwordPolicies',
  'proxyAddresses',
  'showInAddressList',
  'signInSessionsValidFromDateTime',
  'lastPasswordChangeDateTime',
  'usageLocation',
  'userType',
  'identities',
  ...USER_COLLECTION_REFUSED,
];

export const GROUP_DEFAULTS = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'description',
  'displayName',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesSyncEnabled',
  'proxyAddresses',
  'securityEnabled',
  'securityIdentifier',
  'visibility',
] as const;

export const GROUP_SELECTABLE = [...GROUP_DEFAULTS, 'assignedLicenses', 'hideFromAddressLists', 'hideFromOutlookClients'];

export function groupView(g: GroupRecord): Record<string, unknown> {
  return {
    id: g.id,
    deletedDateTime: null,
    classification: null,
    createdDateTime: g.createdDateTime ?? null,
    description: g.description ?? null,
    displayName: g.displayName,
    groupTypes: g.groupTypes,
    isAssignableToRole: g.isAssignableToRole ?? null,
    mail: g.mail ?? null,
    mailEnabled: g.mailEnabled,
    mailNickname: g.mailNickname ?? g.displayName.replace(/[^A-Za-z0-9]/g, ''),
    membershipRule: g.membershipRule ?? null,
    membershipRuleProcessingState: g.membershipRuleProcessingState ?? null,
    onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null,
    proxyAddresses: g.mail ? [`SMTP:${g.mail}`] : [],
    securityEnabled: g.securityEnabled,
    securityIdentifier: `S-1-12-1-${parseInt(g.id.slice(0, 8), 16)}-${parseInt(g.id.slice(9, 13), 16)}`,
    visibility: g.visibility ?? null,
    assignedLicenses: g.licenses.map((l) => ({ disabledPlans: l.disabledPlans, skuId: l.skuId })),
    hideFromAddressLists: g.groupTypes.includes('Unified') ? false : null,
    hideFromOutlookClients: g.groupTypes.includes('Unified') ? false : null,
  };
}

/** Union of the properties a members/memberOf item can carry. */
export const DIRECTORY_OBJECT_SELECTABLE = [...new Set([...USER_SELECTABLE, ...GROUP_SELECTABLE])];

export interface ObjectItem {
  view: Record<string, unknown>;
  odataType: string;
  defaults: readonly string[];
}

export function objectItem(state: TenantState, id: string): ObjectItem | undefined {
  const found = state.findObject(id);
  if (!found) return undefined;
  return found.kind === 'user'
    ? { view: userView(state, found.user), odataType: '#microsoft.graph.user', defaults: USER_DEFAULTS }
    : { view: groupView(found.group), odataType: '#microsoft.graph.group', defaults: GROUP_DEFAULTS };
}
