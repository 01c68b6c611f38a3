/**
 * What the User Offboarding plan helper answers (`200 {plan}`) and workflows/user-offboarding acts on.
 * Free of runtime imports so the outcome summary (lib/intents/user-offboarding/summary.ts) shares the
 * exact shape.
 */
import type { ExchangeChange, GraphChange, PlanError } from '../shared/group-membership/plan-types.js';

export type { ExchangeChange, GraphChange, PlanError } from '../shared/group-membership/plan-types.js';

/**
 * Step names in the outcome, in the order the workflow runs them: cut access first, mailbox work next,
 * conversion BEFORE licence removal (a mailbox without a licence is lost unless it is shared), groups last.
 */
export const OFFBOARDING_STEPS = {
  blockSignIn: 'block_sign_in',
  revokeSessions: 'revoke_sessions',
  resetPassword: 'reset_password',
  hideFromAddressList: 'hide_from_address_list',
  forwardEmail: 'forward_email',
  autoReply: 'auto_reply',
  convertToShared: 'convert_to_shared_mailbox',
  managerAccess: 'grant_manager_access',
  removeLicenses: 'remove_licenses',
} as const;

export type PlannedStepStatus = 'planned' | 'already_done' | 'failed' | 'skipped';

/** One step of the offboarding as planned: `planned` ones are carried out by a named workflow action. */
export interface PlannedStep {
  name: string;
  status: PlannedStepStatus;
  /** What will happen, or why nothing will (already done, refused, not possible). */
  detail: string;
  /** For `failed`: what went wrong and what to do instead. */
  error?: PlanError;
}

export interface OffboardingLicence {
  skuId: string;
  skuPartNumber: string;
  /** What people call it ("Office 365 E3 (ENTERPRISEPACK)"), the part number when unknown. */
  label: string;
}

/** A licence the user gets from a group (group-based licensing): cannot be removed from the user directly. */
export interface InheritedLicence extends OffboardingLicence {
  groups: Array<{ id: string; displayName: string; removedWithMembership: boolean }>;
}

/** Parameters of the Set-MailboxOffboarding runbook (runbooks/README.md). */
export interface MailboxRunbookParameters {
  UserPrincipalName: string;
  HideFromAddressList: boolean;
  ForwardTo: string;
  DeliverToMailboxAndForward: boolean;
  /** The ticket's reply as escaped HTML for Set-MailboxAutoReplyConfiguration (internal and external senders); '' leaves it as it is. */
  AutoReplyMessage: string;
}

/** Parameters of Set-SharedMailboxPermission for the manager's Full Access (after the conversion). */
export interface ManagerAccessParameters {
  SharedMailboxEmail: string;
  UserEmail: string;
  PermissionType: 'Full Access';
  Action: 'Grant';
  AutoMapping: boolean;
}

/**
 * The writes, each null/false/empty when nothing is to be done; the workflow's If conditions read
 * exactly these, so a write that is not planned never runs.
 */
export interface OffboardingWrites {
  blockSignIn: boolean;
  revokeSessions: boolean;
  resetPassword: boolean;
  mailboxRunbook: MailboxRunbookParameters | null;
  convertToShared: boolean;
  managerAccess: ManagerAccessParameters | null;
  /** Directly assigned skuIds for POST assignLicense removeLicenses. */
  removeSkuIds: string[];
  /** Memberships that carry a licence: removed only after a successful conversion (like the licences). */
  licenseGroups: GraphChange[];
  graphGroups: GraphChange[];
  exchangeGroups: ExchangeChange[];
  ownedGroups: GraphChange[];
}

export interface UserOffboardingPlan {
  intent: 'user-offboarding';
  user: { id: string; userPrincipalName: string; displayName: string; accountEnabled: boolean; mail: string | null };
  /** Set when nothing at all is to be done (already disabled, nothing else asked): success, no writes. */
  alreadyDone: string | null;
  steps: PlannedStep[];
  writes: OffboardingWrites;
  licences: { direct: OffboardingLicence[]; inherited: InheritedLicence[] };
  /** Things the technician should know (mailbox deleted after licence removal, external forwarding...). */
  notes: string[];
  /** An Exchange runbook runs: the workflow answers `accepted` first (lib/inline/intent-routes.ts). */
  longRunning: boolean;
  preview: { message: string; steps: Array<{ name: string; status: PlannedStepStatus; detail: string }> };
}
