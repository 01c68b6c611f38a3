import { app } from '@azure/functions';
import { z } from 'zod';
import { loadSettings } from '../../config/settings.js';
import { customerDimension, graphForRequest, requestCustomerSchema } from '../../msp/request-customer.js';
import { planLicenseAssignment } from './plan.js';
import { trackStep } from '../../telemetry/index.js';
import { helper } from '../../functions/helper.js';
import { readBody } from '../../functions/read-body.js';
import { json } from '../../functions/respond.js';

/**
 * Plan helper of workflows/license-assignment: body `{request, defaultUsageLocation?}` (the normalised
 * request and the Logic App's defaultUsageLocation parameter) → `200 {plan}`. Read-only. The
 * installation default falls back to the helpers' own DEFAULT_USAGE_LOCATION setting.
 */
const bodySchema = z.object({
  request: z.object({
    intent: z.literal('license-assignment'),
    ticketId: z.number().int(),
    customer: requestCustomerSchema,
    fields: z.object({
      userEmail: z.string().min(1),
      license: z.string().min(1),
      action: z.enum(['Assign', 'Remove']),
      usageLocation: z.string().optional(),
    }),
  }),
  defaultUsageLocation: z.string().optional(),
});

export const licenseAssignmentPlan = {
  methods: ['POST' as const],
  route: 'intents/license-assignment/plan',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'plan_license_assignment' }, async (request, context) => {
    const body = await readBody(request, bodySchema, 'plan_license_assignment');
    const { fields, ticketId } = body.request;
    const telemetry = { run_id: request.headers.get('x-ms-workflow-run-id') ?? context.invocationId, intent_id: 'license-assignment', ticket_id: String(ticketId), ...customerDimension(body.request.customer) };
    const plan = await trackStep(telemetry, 'plan_license_assignment', async () =>
      planLicenseAssignment(await graphForRequest(body.request), {
        ...fields,
        defaultUsageLocation: body.defaultUsageLocation?.trim() || loadSettings().DEFAULT_USAGE_LOCATION,
      }),
    );
    return json(200, { plan });
  }),
};

app.http('licenseAssignmentPlan', licenseAssignmentPlan);
