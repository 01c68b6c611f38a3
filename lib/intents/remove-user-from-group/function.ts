import { app } from '@azure/functions';
import { membershipPlanHandler } from '../shared/group-membership/function.js';
import { planRemoveUserFromGroup } from './plan.js';

/**
 * Plan helper of workflows/remove-user-from-group: body `{request}` → `200 {plan}` (read-only look-ups).
 * The router's route question for this intent is answered by the shared groupMembershipRoute
 * (/api/intents/group-membership/route, lib/intents/shared/group-membership/function.ts).
 */
export const removeUserFromGroupPlan = {
  methods: ['POST' as const],
  route: 'intents/remove-user-from-group/plan',
  authLevel: 'anonymous' as const,
  handler: membershipPlanHandler('remove-user-from-group', 'plan_remove_user_from_group', planRemoveUserFromGroup),
};

app.http('removeUserFromGroupPlan', removeUserFromGroupPlan);
