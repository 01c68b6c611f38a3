import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { loadSettings } from '../../../config/settings.js';
import { helper } from '../../../functions/helper.js';
import { readBody } from '../../../functions/read-body.js';
import { json } from '../../../functions/respond.js';
import type { GraphClient } from '../../../graph/client.js';
import { customerDimension, graphForRequest, requestCustomerSchema, type RequestCustomer } from '../../../msp/request-customer.js';
import { trackStep } from '../../../telemetry/index.js';
import type { GroupMembershipPlan, MembershipIntent } from './plan-types.js';
import { routeGroupMembership } from './route.js';

/**
 * Shared by add-user-to-group and remove-user-from-group (not an intent of its own):
 * - `membershipPlanHandler` is the handler of each intent's plan entry point (lib/intents/<id>/function.ts): body
 *   `{request}` (the normalised request) → `200 {plan}`: per group, whether the workflow writes with Graph,
 *   runs the Exchange runbook, has nothing to do, or must refuse. Read-only.
 * - `groupMembershipRoute` answers the router's question whether the Exchange runbook is involved, so it
 *   can answer 202 `accepted` first (docs/workflow-design.md, router step 3). Its route stays
 *   /api/intents/group-membership/route because the router calls it for both intents.
 */
const fieldsSchema = z.object({ userEmail: z.string().min(1), groupNames: z.array(z.string().min(1)).min(1).max(20) });

function telemetryFor(request: HttpRequest, context: InvocationContext, intent: MembershipIntent, ticketId: number, customer?: RequestCustomer) {
  return { run_id: request.headers.get('x-ms-workflow-run-id') ?? context.invocationId, intent_id: intent, ticket_id: String(ticketId), ...customerDimension(customer) };
}

type MembershipPlanner = (graph: GraphClient, fields: z.output<typeof fieldsSchema>, protectedGroups: readonly string[]) => Promise<GroupMembershipPlan>;

/** The handler of one intent's plan entry point; the registration object stays a literal in the intent's function.ts. */
export function membershipPlanHandler(intent: MembershipIntent, step: string, plan: MembershipPlanner) {
  const body = z.object({ request: z.object({ intent: z.literal(intent), ticketId: z.number().int(), customer: requestCustomerSchema, fields: fieldsSchema }) });
  return helper({ step }, async (request, context) => {
    const { request: req } = await readBody(request, body, step);
    const telemetry = telemetryFor(request, context, req.intent, req.ticketId, req.customer);
    const planned = await trackStep(telemetry, step, async () => plan(await graphForRequest(req), req.fields, loadSettings().PROTECTED_GROUPS));
    return json(200, { plan: planned });
  });
}

const routeBody = z.object({
  request: z.object({ intent: z.enum(['add-user-to-group', 'remove-user-from-group']), ticketId: z.number().int(), customer: requestCustomerSchema, fields: fieldsSchema }),
});

/** For the router: does this request involve the Exchange runbook (answer 202 first)? `{respondEarly, exchangeGroups}`. */
export const groupMembershipRoute = {
  methods: ['POST' as const],
  route: 'intents/group-membership/route',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'route_group_membership' }, async (request) => {
    const { request: req } = await readBody(request, routeBody, 'route_group_membership');
    return json(200, await routeGroupMembership(await graphForRequest(req), req.fields.groupNames));
  }),
};

app.http('groupMembershipRoute', groupMembershipRoute);
