/**
 * What the shared-mailbox-permission plan helper answers (`200 {plan}`) and the workflow acts on.
 * Free of runtime imports so the outcome summary (lib/intents/shared-mailbox-permission/summary.ts)
 * shares the exact shape.
 */
export type MailboxPermissionType = 'Full Access' | 'Send As' | 'Send on Behalf';
export type MailboxPermissionAction = 'Grant' | 'Revoke';

/** The parameters of the Set-SharedMailboxPermission runbook (runbooks/README.md), resolved by the plan. */
export interface MailboxPermissionRunbookParameters {
  /** The mailbox's primary SMTP address as Graph reports it (`mail`), not the ticket's alias. */
  SharedMailboxEmail: string;
  /** The resolved user's UPN, never the raw ticket value (the runbook must act on the account the plan checked). */
  UserEmail: string;
  PermissionType: MailboxPermissionType;
  Action: MailboxPermissionAction;
  /** Only meaningful for a Full Access grant; always sent so the job's parameters are explicit. */
  AutoMapping: boolean;
}

export interface PlannedPrincipal {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
}

export interface SharedMailboxPermissionPlan {
  intent: 'shared-mailbox-permission';
  user: PlannedPrincipal;
  mailbox: PlannedPrincipal & { address: string };
  permissionType: MailboxPermissionType;
  action: MailboxPermissionAction;
  autoMapping: boolean;
  /** Step name in the outcome, e.g. "grant_full_access:info@contoso.com". */
  step: string;
  runbookParameters: MailboxPermissionRunbookParameters;
  /**
   * Always true: whether the permission already exists and whether the address is really a shared
   * mailbox are known only to Exchange, so the runbook runs for every accepted plan (minutes in Azure);
   * the workflow answers `accepted` first when the router passed its claim (lib/inline/intent-routes.ts).
   */
  longRunning: true;
  /** Plain-language remarks for the requester (e.g. AutoMapping ignored for Send As). */
  notes: string[];
  preview: { message: string; steps: Array<{ name: string; status: 'planned'; detail: string }> };
}

const PERMISSION_SLUG: Readonly<Record<MailboxPermissionType, string>> = {
  'Full Access': 'full_access',
  'Send As': 'send_as',
  'Send on Behalf': 'send_on_behalf',
};

/** "grant_full_access" etc.: the same words as the runbook's RESULT `action`. */
export function permissionActionSlug(action: MailboxPermissionAction, permission: MailboxPermissionType): string {
  return `${action === 'Grant' ? 'grant' : 'revoke'}_${PERMISSION_SLUG[permission]}`;
}

export function permissionStepName(action: MailboxPermissionAction, permission: MailboxPermissionType, mailboxAddress: string): string {
  return `${permissionActionSlug(action, permission)}:${mailboxAddress}`;
}
