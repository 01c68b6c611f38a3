import { app } from '@azure/functions';
import { z } from 'zod';
import { customerDimension, graphForRequest, requestCustomerSchema } from '../../msp/request-customer.js';
import { planSharedMailboxPermission } from './plan.js';
import { MAILBOX_PERMISSION_ACTIONS, MAILBOX_PERMISSION_TYPES } from './schema.js';
import { trackStep } from '../../telemetry/index.js';
import { helper } from '../../functions/helper.js';
import { readBody } from '../../functions/read-body.js';
import { json } from '../../functions/respond.js';

/**
 * Plan helper of workflows/shared-mailbox-permission: body `{request}` (the normalised request) →
 * `200 {plan}` with the resolved user and mailbox and the runbook's parameters, or an AppError body
 * (refused / not_found / ambiguous / throttled). Read-only: the runbook makes the change.
 */
const bodySchema = z.object({
  request: z.object({
    intent: z.literal('shared-mailbox-permission'),
    ticketId: z.number().int(),
    customer: requestCustomerSchema,
    fields: z.object({
      sharedMailboxEmail: z.string().min(1),
      userEmail: z.string().min(1),
      permissionType: z.enum(MAILBOX_PERMISSION_TYPES),
      action: z.enum(MAILBOX_PERMISSION_ACTIONS),
      autoMapping: z.boolean(),
    }),
  }),
});

export const sharedMailboxPermissionPlan = {
  methods: ['POST' as const],
  route: 'intents/shared-mailbox-permission/plan',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'plan_mailbox_permission' }, async (request, context) => {
    const { request: req } = await readBody(request, bodySchema, 'plan_mailbox_permission');
    const telemetry = { run_id: request.headers.get('x-ms-workflow-run-id') ?? context.invocationId, intent_id: 'shared-mailbox-permission', ticket_id: String(req.ticketId), ...customerDimension(req.customer) };
    const plan = await trackStep(telemetry, 'plan_mailbox_permission', async () => planSharedMailboxPermission(await graphForRequest(req), req.fields));
    return json(200, { plan });
  }),
};

app.http('sharedMailboxPermissionPlan', sharedMailboxPermissionPlan);
