/**
 * THE intent table: every intent the runner carries out, with everything other layers derive from it.
 * - lib/contract/types.ts derives INTENT_IDS / IntentId from it; lib/contract/registry.ts pairs each id
 *   with its field schema (lib/intents/<id>/schema.ts) and accepts the names listed here;
 * - lib/inline/intent-routes.ts (the router's inline code) derives its route table from it;
 * - test/lib/intents/contract.test.ts checks it against the tree: each intent has its folder
 *   (schema, plan, function, summary), test folder, workflow folder and router case, every helper route
 *   is registered in lib/functions/index.ts and called by the workflow, every runbook exists, and the
 *   Graph writes listed are exactly the workflow's Graph Http actions (whose permissions come from
 *   lib/permissions/graph-calls.ts through lib/intents/graph-permissions.ts).
 * Pure data and functions, no imports: it is bundled into the router's inline code.
 */
export interface IntentEntry {
  /** Kebab-case id: names lib/intents/<id>/, test/lib/intents/<id>/ and workflows/<id>/. */
  id: string;
  /** Every accepted intent_name, display name first (matched ignoring case and extra spaces). */
  names: readonly [string, ...string[]];
  /** Child workflow (workflows/<workflow>/) the router's `Run_intent` Switch case calls. */
  workflow: string;
  /** Helper routes (after /api/) the child workflow and the router call for this intent. */
  helperRoutes: readonly string[];
  /**
   * Route helper the router asks before it calls the child when only a look-up can tell whether a runbook
   * is involved: POST /api/intents/<routeHelper>/route, the case of the router's `Ask_route_helper` Switch.
   */
  routeHelper?: string;
  /** Azure Automation runbooks (runbooks/<name>.ps1) the workflow may start. */
  runbooks: readonly string[];
  /** The workflow's Graph Http actions (writes and the read-back of a created user), named as in lib/permissions/workflow-graph-actions.ts. */
  graphActions: readonly string[];
  /** True when carrying the request out always involves a runbook, so the router answers 202 `accepted` before the child runs. */
  longRunning(fields: Record<string, unknown>): boolean;
}

const never = (): boolean => false;

export const INTENT_REGISTRY = [
  {
    id: 'password-reset',
    names: ['Password Reset'],
    workflow: 'password-reset',
    helperRoutes: ['intents/password-reset/plan', 'intents/password-reset/prepare-secret', 'intents/password-reset/revoke-link'],
    runbooks: [],
    graphActions: ['Set_password_via_Graph'],
    longRunning: never,
  },
  {
    // Exchange-managed groups (distribution lists, mail-enabled security) need a runbook: the route helper tells the router.
    id: 'add-user-to-group',
    names: ['Add User to Group'],
    workflow: 'add-user-to-group',
    helperRoutes: ['intents/add-user-to-group/plan', 'intents/group-membership/route'],
    routeHelper: 'group-membership',
    runbooks: ['Set-DistributionGroupMember'],
    graphActions: ['Add_member_via_Graph'],
    longRunning: never,
  },
  {
    id: 'remove-user-from-group',
    names: ['Remove User from Group'],
    workflow: 'remove-user-from-group',
    helperRoutes: ['intents/remove-user-from-group/plan', 'intents/group-membership/route'],
    routeHelper: 'group-membership',
    runbooks: ['Set-DistributionGroupMember'],
    graphActions: ['Remove_member_via_Graph'],
    longRunning: never,
  },
  {
    id: 'license-assignment',
    names: ['License Assignment'],
    workflow: 'license-assignment',
    helperRoutes: ['intents/license-assignment/plan'],
    runbooks: [],
    graphActions: ['Set_usage_location', 'Assign_license', 'Assign_license_after_wait', 'Remove_license'],
    longRunning: never,
  },
  {
    id: 'mfa-reset',
    names: ['MFA Reset'],
    workflow: 'mfa-reset',
    helperRoutes: ['intents/mfa-reset/plan'],
    runbooks: [],
    graphActions: ['Delete_authentication_method', 'Delete_default_method', 'Revoke_sign_in_sessions'],
    longRunning: never,
  },
  {
    // Distribution lists need a runbook after creation: the child answers accepted (with the one-time link) itself.
    id: 'new-user-creation',
    names: ['New User Creation'],
    workflow: 'new-user-creation',
    helperRoutes: ['intents/new-user-creation/plan', 'intents/new-user-creation/prepare-secret', 'intents/new-user-creation/revoke-link'],
    runbooks: ['Set-DistributionGroupMember'],
    graphActions: ['Create_user', 'Read_new_user', 'Set_manager', 'Assign_license', 'Assign_license_after_wait', 'Add_member_via_Graph'],
    longRunning: never,
  },
  {
    // Runbooks (mailbox options, Exchange-managed groups) are decided by the child's plan: it answers accepted.
    id: 'user-offboarding',
    names: ['User Offboarding', 'Disable Account', 'User Offboarding / Disable Account'],
    workflow: 'user-offboarding',
    helperRoutes: ['intents/user-offboarding/plan', 'intents/user-offboarding/scramble-password'],
    runbooks: ['Convert-ToSharedMailbox', 'Set-DistributionGroupMember', 'Set-MailboxOffboarding', 'Set-SharedMailboxPermission'],
    graphActions: [
      'Block_sign_in',
      'Revoke_sign_in_sessions',
      'Reset_password_to_random',
      'Remove_licenses',
      'Remove_license_group_member',
      'Remove_group_member',
      'Remove_group_owner',
    ],
    longRunning: never,
  },
  {
    // Always a runbook, but refusals found by the plan should reach Thread at once: the child answers accepted.
    id: 'shared-mailbox-permission',
    names: ['Shared Mailbox Permission'],
    workflow: 'shared-mailbox-permission',
    helperRoutes: ['intents/shared-mailbox-permission/plan'],
    runbooks: ['Set-SharedMailboxPermission'],
    graphActions: [],
    longRunning: never,
  },
] as const satisfies readonly IntentEntry[];

export type RegisteredIntentId = (typeof INTENT_REGISTRY)[number]['id'];

/** The registry entry of `id`, or undefined for an id the runner does not know. */
export function intentEntry(id: unknown): IntentEntry | undefined {
  return INTENT_REGISTRY.find((entry) => entry.id === id);
}
