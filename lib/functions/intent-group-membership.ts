import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { loadSettings } from '../config/settings.js';
import { getGraphClient } from '../graph/default-client.js';
import { planAddUserToGroup } from '../intents/add-user-to-group/plan.js';
import type { MembershipIntent } from '../intents/group-membership/plan-types.js';
import { routeGroupMembership } from '../intents/group-membership/route.js';
import { planRemoveUserFromGroup } from '../intents/remove-user-from-group/plan.js';
import { trackStep } from '../telemetry/index.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * Plan helpers of workflows/add-user-to-group and workflows/remove-user-from-group: read-only
 * look-ups that say, per group, whether the workflow writes with Graph, runs the Exchange runbook,
 * has nothing to do, or must refuse. Body `{request}` (the normalised request) → `200 {plan}`.
 * Plus the router's question whether the Exchange runbook is involved (202 convention).
 */
const fieldsSchema = z.object({ userEmail: z.string().min(1), groupNames: z.array(z.string().min(1)).min(1).max(20) });

function bodySchema(intent: MembershipIntent) {
  return z.object({ request: z.object({ intent: z.literal(intent), ticketId: z.number().int(), fields: fieldsSchema }) });
}

function telemetryFor(request: HttpRequest, context: InvocationContext, intent: MembershipIntent, ticketId: number) {
  return { run_id: request.headers.get('x-ms-workflow-run-id') ?? context.invocationId, intent_id: intent, ticket_id: String(ticketId) };
}

const addBody = bodySchema('add-user-to-group');

export const addUserToGroupPlan = {
  methods: ['POST' as const],
  route: 'intents/add-user-to-group/plan',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'plan_add_user_to_group' }, async (request, context) => {
    const { request: req } = await readBody(request, addBody, 'plan_add_user_to_group');
    const telemetry = telemetryFor(request, context, req.intent, req.ticketId);
    const plan = await trackStep(telemetry, 'plan_add_user_to_group', async () =>
      planAddUserToGroup(await getGraphClient(), req.fields, loadSettings().PROTECTED_GROUPS),
    );
    return json(200, { plan });
  }),
};

const removeBody = bodySchema('remove-user-from-group');

export const removeUserFromGroupPlan = {
  methods: ['POST' as const],
  route: 'intents/remove-user-from-group/plan',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'plan_remove_user_from_group' }, async (request, context) => {
    const { request: req } = await readBody(request, removeBody, 'plan_remove_user_from_group');
    const telemetry = telemetryFor(request, context, req.intent, req.ticketId);
    const plan = await trackStep(telemetry, 'plan_remove_user_from_group', async () =>
      planRemoveUserFromGroup(await getGraphClient(), req.fields, loadSettings().PROTECTED_GROUPS),
    );
    return json(200, { plan });
  }),
};

const routeBody = z.object({
  request: z.object({ intent: z.enum(['add-user-to-group', 'remove-user-from-group']), ticketId: z.number().int(), fields: fieldsSchema }),
});

/** For the router: does this request involve the Exchange runbook (answer 202 first)? `{respondEarly, exchangeGroups}`. */
export const groupMembershipRoute = {
  methods: ['POST' as const],
  route: 'intents/group-membership/route',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'route_group_membership' }, async (request) => {
    const { request: req } = await readBody(request, routeBody, 'route_group_membership');
    return json(200, await routeGroupMembership(await getGraphClient(), req.fields.groupNames));
  }),
};

app.http('addUserToGroupPlan', addUserToGroupPlan);
app.http('removeUserFromGroupPlan', removeUserFromGroupPlan);
app.http('groupMembershipRoute', groupMembershipRoute);
