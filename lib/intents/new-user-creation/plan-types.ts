import type { ExchangeChange, GraphChange, PlannedGroup } from '../shared/group-membership/plan-types.js';

/**
 * What the new-user-creation plan helper answers (`200 {plan}`) and workflows/new-user-creation acts
 * on. Free of runtime imports so the workflow's inline summary shares the exact shape.
 */
export interface NewUserIdentity {
  userPrincipalName: string;
  displayName: string;
  mailNickname: string;
}

/**
 * The POST /users body without the password: the workflow adds `passwordProfile` inside its secured
 * Create_user action, so the plan (and its run-history record) never holds a secret.
 */
export interface CreateUserBody {
  accountEnabled: true;
  displayName: string;
  userPrincipalName: string;
  mailNickname: string;
  givenName?: string;
  surname?: string;
  department?: string;
  jobTitle?: string;
  usageLocation?: string;
}

export interface PlannedLicense {
  skuId: string;
  skuPartNumber: string;
  productName: string;
  total: number;
  consumed: number;
  free: number;
  /** `none`: the account (created by an earlier run of this ticket) already holds it. */
  change: 'assign' | 'none';
}

export interface NewUserPlan {
  intent: 'new-user-creation';
  user: NewUserIdentity & { usageLocation: string | null; usageLocationSource: 'field' | 'default' | null };
  /** False when an earlier run of this ticket already created the account (same UPN and display name). */
  create: boolean;
  /** The account found by the UPN when `create` is false. */
  existingUser: { id: string; userPrincipalName: string; displayName: string } | null;
  createBody: CreateUserBody;
  /** The verified domain the UPN uses. */
  domain: string;
  license: PlannedLicense | null;
  manager: { id: string; userPrincipalName: string; displayName: string } | null;
  /** Per group of the ticket: graph / exchange / already_done / refused / failed (as in the group intents). */
  groups: PlannedGroup[];
  graphChanges: GraphChange[];
  exchangeChanges: ExchangeChange[];
  /**
   * An Exchange runbook is involved (distribution lists): when the router passed its claim, the workflow
   * answers `accepted` right after creating the account (with the one-time link) and finishes the
   * router's claim itself (lib/inline/intent-routes.ts).
   */
  longRunning: boolean;
  /** The steps of that early answer: creation done, the rest planned. */
  progressSteps: Array<{ name: string; status: 'succeeded' | 'already_done' | 'planned' | 'failed'; detail: string }>;
  /** The writes the workflow will make, in order, for the dry-run answer and the technician. */
  changes: Array<{ step: string; target: string; description: string }>;
  notes: string[];
}

/** Step names of the outcome (shared by the plan's `changes` and the inline summary). */
export const NEW_USER_STEPS = {
  create: (upn: string) => `create_user:${upn}`,
  manager: (upn: string) => `set_manager:${upn}`,
  license: (productName: string) => `assign_license:${productName}`,
} as const;
