import { z } from 'zod';

/**
 * The tenant fixture format (documented field by field in docs/graph-stand-in.md).
 * Validation happens once at load so a typo in a fixture fails loudly with its JSON path
 * instead of surfacing later as a confusing Graph answer.
 */

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

export const licenseAssignmentSchema = z.strictObject({
  skuId: guid,
  disabledPlans: z.array(guid).default([]),
});

export const authMethodTypes = [
  'phone',
  'microsoftAuthenticator',
  'fido2',
  'softwareOath',
  'temporaryAccessPass',
  'windowsHelloForBusiness',
  'email',
  'platformCredential',
] as const;
export type AuthMethodType = (typeof authMethodTypes)[number];

export const authMethodSchema = z.strictObject({
  type: z.enum(authMethodTypes),
  /** Fixed ids are used for phone (per phoneType) and email when omitted. */
  id: z.string().min(1).optional(),
  isDefault: z.boolean().default(false),
  displayName: z.string().optional(),
  createdDateTime: z.string().optional(),
  /** phone */
  phoneNumber: z.string().optional(),
  phoneType: z.enum(['mobile', 'alternateMobile', 'office']).optional(),
  /** email */
  emailAddress: z.string().optional(),
  /** fido2 */
  model: z.string().optional(),
  aaGuid: z.string().optional(),
  /** microsoftAuthenticator */
  deviceTag: z.string().optional(),
  phoneAppVersion: z.string().optional(),
  /** temporaryAccessPass */
  lifetimeInMinutes: z.number().int().positive().optional(),
  isUsableOnce: z.boolean().optional(),
  /** windowsHelloForBusiness / platformCredential */
  keyStrength: z.enum(['normal', 'weak', 'unknown']).optional(),
  platform: z.enum(['windows', 'macOS', 'iOS', 'android', 'linux', 'unknown']).optional(),
});

export const automaticRepliesSchema = z.strictObject({
  status: z.enum(['disabled', 'alwaysEnabled', 'scheduled']).default('disabled'),
  externalAudience: z.enum(['none', 'contactsOnly', 'all']).default('all'),
  internalReplyMessage: z.string().default(''),
  externalReplyMessage: z.string().default(''),
  scheduledStartDateTime: z.strictObject({ dateTime: z.string(), timeZone: z.string() }).optional(),
  scheduledEndDateTime: z.strictObject({ dateTime: z.string(), timeZone: z.string() }).optional(),
});

export const mailboxSchema = z.strictObject({
  /** Exchange recipient type; the Automation stand-in reads it to seed its Exchange model. */
  type: z.enum(['user', 'shared', 'room', 'equipment']),
  hiddenFromAddressLists: z.boolean().default(false),
  automaticRepliesSetting: automaticRepliesSchema.optional(),
  timeZone: z.string().default('UTC'),
});

export const userSchema = z.strictObject({
  id: guid,
  userPrincipalName: z.string().min(3),
  displayName: z.string().min(1),
  givenName: z.string().nullable().optional(),
  surname: z.string().nullable().optional(),
  mail: z.string().nullable().optional(),
  mailNickname: z.string().optional(),
  otherMails: z.array(z.string()).default([]),
  proxyAddresses: z.array(z.string()).optional(),
  accountEnabled: z.boolean().default(true),
  userType: z.enum(['Member', 'Guest']).default('Member'),
  usageLocation: z.string().length(2).nullable().optional(),
  jobTitle: z.string().nullable().optional(),
  department: z.string().nullable().optional(),
  companyName: z.string().nullable().optional(),
  officeLocation: z.string().nullable().optional(),
  mobilePhone: z.string().nullable().optional(),
  businessPhones: z.array(z.string()).default([]),
  preferredLanguage: z.string().nullable().optional(),
  employeeId: z.string().nullable().optional(),
  createdDateTime: z.string().optional(),
  onPremisesSyncEnabled: z.boolean().nullable().optional(),
  onPremisesImmutableId: z.string().nullable().optional(),
  /** Object id of the manager (a user in this fixture). */
  managerId: guid.optional(),
  /** Directory role display names held directly (e.g. "Global Administrator"). */
  roles: z.array(z.string()).default([]),
  /** Directly assigned licences; group-based ones come from the groups' `licenses`. */
  licenses: z.array(licenseAssignmentSchema).default([]),
  authMethods: z.array(authMethodSchema).default([]),
  /** Exchange Online mailbox; absent = no mailbox (mailboxSettings/sendMail fail like Graph). */
  mailbox: mailboxSchema.nullable().optional(),
});

export const groupSchema = z.strictObject({
  id: guid,
  displayName: z.string().min(1),
  description: z.string().nullable().optional(),
  mail: z.string().nullable().optional(),
  mailNickname: z.string().optional(),
  mailEnabled: z.boolean(),
  securityEnabled: z.boolean(),
  groupTypes: z.array(z.enum(['Unified', 'DynamicMembership'])).default([]),
  membershipRule: z.string().nullable().optional(),
  membershipRuleProcessingState: z.enum(['On', 'Paused']).nullable().optional(),
  isAssignableToRole: z.boolean().nullable().optional(),
  onPremisesSyncEnabled: z.boolean().nullable().optional(),
  visibility: z.enum(['Public', 'Private', 'HiddenMembership']).nullable().optional(),
  createdDateTime: z.string().optional(),
  /** Object ids of member users or groups. */
  members: z.array(guid).default([]),
  owners: z.array(guid).default([]),
  /** Group-based licensing: every (transitive) user member inherits these. */
  licenses: z.array(licenseAssignmentSchema).default([]),
  /** Directory roles assigned to this (role-assignable) group; members hold them. */
  roles: z.array(z.string()).default([]),
});

export const skuSchema = z.strictObject({
  skuId: guid,
  skuPartNumber: z.string().min(1),
  appliesTo: z.enum(['User', 'Company']).default('User'),
  capabilityStatus: z.enum(['Enabled', 'Warning', 'Suspended', 'Deleted', 'LockedOut']).default('Enabled'),
  prepaidUnits: z.strictObject({
    enabled: z.number().int().nonnegative(),
    suspended: z.number().int().nonnegative().default(0),
    warning: z.number().int().nonnegative().default(0),
    lockedOut: z.number().int().nonnegative().default(0),
  }),
  servicePlans: z
    .array(z.strictObject({ servicePlanId: guid, servicePlanName: z.string(), appliesTo: z.enum(['User', 'Company']).default('User') }))
    .default([]),
  subscriptionIds: z.array(guid).default([]),
});

export const domainSchema = z.strictObject({
  id: z.string().min(3),
  isVerified: z.boolean(),
  isDefault: z.boolean().default(false),
  isInitial: z.boolean().default(false),
  authenticationType: z.enum(['Managed', 'Federated']).default('Managed'),
  supportedServices: z.array(z.string()).default([]),
});

/**
 * What the app's service principal holds when a fixture does not say: enough to reset ordinary users'
 * and helpdesk admins' passwords, not a Global or Privileged Authentication Administrator's.
 */
export const DEFAULT_CALLER_ROLES = ['User Administrator', 'Helpdesk Administrator', 'Authentication Administrator'] as const;
export const DEFAULT_CALLER_PERMISSIONS = [
  'User.ReadWrite.All',
  'Group.Read.All',
  'GroupMember.ReadWrite.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'LicenseAssignment.ReadWrite.All',
  'User-PasswordProfile.ReadWrite.All',
  'User.RevokeSessions.All',
  'Directory.Read.All',
  'RoleManagement.Read.Directory',
  'Mail.Send',
  'MailboxSettings.ReadWrite',
] as const;

export const tenantFixtureSchema = z.strictObject({
  tenantId: guid,
  displayName: z.string().min(1),
  /** The calling application's service principal: the Entra roles and app permissions it holds. */
  caller: z
    .strictObject({
      displayName: z.string().default('Thread Intent Runner'),
      roles: z.array(z.string()).default([...DEFAULT_CALLER_ROLES]),
      permissions: z.array(z.string()).default([...DEFAULT_CALLER_PERMISSIONS]),
    })
    .default({ displayName: 'Thread Intent Runner', roles: [...DEFAULT_CALLER_ROLES], permissions: [...DEFAULT_CALLER_PERMISSIONS] }),
  domains: z.array(domainSchema).min(1),
  subscribedSkus: z.array(skuSchema).default([]),
  users: z.array(userSchema).default([]),
  groups: z.array(groupSchema).default([]),
});

export type TenantFixtureInput = z.input<typeof tenantFixtureSchema>;
export type TenantFixture = z.output<typeof tenantFixtureSchema>;
export type UserFixture = z.output<typeof userSchema>;
export type GroupFixture = z.output<typeof groupSchema>;
export type SkuFixture = z.output<typeof skuSchema>;
export type AuthMethodFixture = z.output<typeof authMethodSchema>;
export type LicenseAssignmentFixture = z.output<typeof licenseAssignmentSchema>;
