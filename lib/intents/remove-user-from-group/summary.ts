/**
 * The outcome summary of workflows/remove-user-from-group (its `Summarise_remove_user_from_group` action). Add and remove
 * differ only in the operation the plan carries, so the logic is shared: lib/intents/shared/group-membership/summary.ts.
 */
export { dependsOn, main, GROUP_MEMBERSHIP_ACTIONS, type MembershipSummary } from '../shared/group-membership/summary.js';
