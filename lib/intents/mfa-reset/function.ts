import { parsePreviousAttempt } from '../../idempotency/previous-attempt.js';
import { app } from '@azure/functions';
import { z } from 'zod';
import { customerDimension, graphForRequest, requestCustomerSchema } from '../../msp/request-customer.js';
import { planMfaReset } from './plan.js';
import { MFA_METHODS } from './schema.js';
import { trackStep } from '../../telemetry/index.js';
import { helper } from '../../functions/helper.js';
import { readBody } from '../../functions/read-body.js';
import { json } from '../../functions/respond.js';

/**
 * Plan helper of workflows/mfa-reset: body `{request}` (the normalised request) → `200 {plan}` with
 * the methods to delete in order (default-likely last). Read-only; refuses administrators.
 */
const bodySchema = z.object({
  request: z.object({
    intent: z.literal('mfa-reset'),
    ticketId: z.number().int(),
    customer: requestCustomerSchema,
    fields: z.object({ userEmail: z.string().min(1), method: z.enum(MFA_METHODS) }),
    /** The ledger's record of earlier attempts, passed on by the router (lib/idempotency/previous-attempt.ts). */
    previous: z.unknown().optional(),
  }),
});

export const mfaResetPlan = {
  methods: ['POST' as const],
  route: 'intents/mfa-reset/plan',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'plan_mfa_reset' }, async (request, context) => {
    const { request: req } = await readBody(request, bodySchema, 'plan_mfa_reset');
    const telemetry = { run_id: request.headers.get('x-ms-workflow-run-id') ?? context.invocationId, intent_id: 'mfa-reset', ticket_id: String(req.ticketId), ...customerDimension(req.customer) };
    const plan = await trackStep(telemetry, 'plan_mfa_reset', async () => planMfaReset(await graphForRequest(req), { ...req.fields, previous: parsePreviousAttempt(req.previous) }));
    return json(200, { plan });
  }),
};

app.http('mfaResetPlan', mfaResetPlan);
