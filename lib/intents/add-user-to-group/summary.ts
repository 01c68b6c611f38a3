/**
 * The outcome summary of workflows/add-user-to-group (its `Summarise_add_user_to_group` action). Add and remove
 * differ only in the operation the plan carries, so the logic is shared: lib/intents/shared/group-membership/summary.ts.
 */
export { dependsOn, main, GROUP_MEMBERSHIP_ACTIONS, type MembershipSummary } from '../shared/group-membership/summary.js';
