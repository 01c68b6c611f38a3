/**
 * What the group-membership plan helpers answer (`200 {plan}`) and the add-user-to-group /
 * remove-user-from-group workflows act on. Free of runtime imports so the outcome summary
 * (lib/intents/shared/group-membership/summary.ts) shares the exact shape.
 */
export type MembershipOperation = 'add' | 'remove';

export type MembershipIntent = 'add-user-to-group' | 'remove-user-from-group';

/**
 * Per group, what the workflow will do:
 * - `graph`: a Graph write (POST members/$ref or DELETE members/{id}/$ref) in the Graph loop;
 * - `exchange`: the Set-DistributionGroupMember runbook in the Exchange loop (DLs, mail-enabled security);
 * - `already_done`: the membership is already as asked, no write;
 * - `refused`: automation must not change it (dynamic, synced, role-assignable, deny-listed);
 * - `failed`: the group could not be resolved (not found, ambiguous, ...).
 */
export type GroupDecision = 'graph' | 'exchange' | 'already_done' | 'refused' | 'failed';

export interface PlanError {
  code: string;
  message: string;
  fix: string;
  step: string;
  graphCode?: string;
  retryable?: boolean;
  details?: Record<string, unknown>;
}

export interface PlannedGroup {
  /** The name as the ticket gave it. */
  name: string;
  /** Step name in the outcome, e.g. "add_member:Marketing" (Graph display name when resolved). */
  step: string;
  decision: GroupDecision;
  /** Plain-language reason for the decision (why refused, why nothing to do, what will happen). */
  detail: string;
  group?: {
    id: string;
    displayName: string;
    kind: string;
    mail: string | null;
  };
  /** For `refused` and `failed`. */
  error?: PlanError;
}

/** One Graph write: the Graph loop's item. */
export interface GraphChange {
  step: string;
  groupId: string;
  displayName: string;
  kind: string;
}

/** One runbook job: the Exchange loop's item (parameters of Set-DistributionGroupMember). */
export interface ExchangeChange {
  step: string;
  groupId: string;
  displayName: string;
  kind: string;
  /** -GroupIdentity: the group's primary SMTP address. */
  groupIdentity: string;
  /** -MemberEmail: the resolved UPN, never the raw ticket value (the runbook must act on the account the plan checked). */
  memberEmail: string;
  /** -Action */
  action: 'Add' | 'Remove';
}

/** The plan as the requester reads it: one step per group (planned, already_done, failed) and a sentence. */
export interface PlanPreview {
  message: string;
  steps: Array<{ name: string; status: 'planned' | 'already_done' | 'failed'; detail: string }>;
}

export interface GroupMembershipPlan {
  intent: MembershipIntent;
  operation: MembershipOperation;
  user: {
    id: string;
    userPrincipalName: string;
    displayName: string;
  };
  groups: PlannedGroup[];
  graphChanges: GraphChange[];
  exchangeChanges: ExchangeChange[];
  /**
   * An Exchange runbook is involved: the workflow answers `accepted` (the router's 202) before the
   * runbook work and records the final outcome itself (lib/inline/intent-routes.ts).
   */
  longRunning: boolean;
  preview: PlanPreview;
}

/** Step name of a group in the outcome; one prefix per operation so technicians read what was attempted. */
export function membershipStepName(operation: MembershipOperation, groupLabel: string): string {
  return `${operation === 'add' ? 'add_member' : 'remove_member'}:${groupLabel}`;
}
