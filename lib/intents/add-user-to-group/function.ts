import { app } from '@azure/functions';
import { membershipPlanHandler } from '../shared/group-membership/function.js';
import { planAddUserToGroup } from './plan.js';

/**
 * Plan helper of workflows/add-user-to-group: body `{request}` → `200 {plan}` (read-only look-ups).
 * The router's route question for this intent is answered by the shared groupMembershipRoute
 * (/api/intents/group-membership/route, lib/intents/shared/group-membership/function.ts).
 */
export const addUserToGroupPlan = {
  methods: ['POST' as const],
  route: 'intents/add-user-to-group/plan',
  authLevel: 'anonymous' as const,
  handler: membershipPlanHandler('add-user-to-group', 'plan_add_user_to_group', planAddUserToGroup),
};

app.http('addUserToGroupPlan', addUserToGroupPlan);
