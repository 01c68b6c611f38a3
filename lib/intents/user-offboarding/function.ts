import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { loadSettings } from '../../config/settings.js';
import { customerDimension, graphForRequest, requestCustomerSchema, type RequestCustomer } from '../../msp/request-customer.js';
import { planUserOffboarding } from './plan.js';
import { parsePreviousAttempt } from '../../idempotency/previous-attempt.js';
import { generatePassword } from '../../passwords/generate.js';
import { registerSecretValue, trackStep, withSecretScope } from '../../telemetry/index.js';
import { helper } from '../../functions/helper.js';
import { readBody } from '../../functions/read-body.js';
import { json } from '../../functions/respond.js';

/**
 * Helpers of workflows/user-offboarding:
 * - plan: body `{request}` (the normalised request) → `200 {plan}`; read-only look-ups and refusals.
 * - scramble-password: `{}` → `200 {password}`, a long random password for Reset_password_to_random.
 *   It is never delivered to anyone (the leaver must not sign in again); the workflow secures this
 *   action's inputs and outputs so it never reaches run history.
 */
const bodySchema = z.object({
  request: z.object({
    intent: z.literal('user-offboarding'),
    ticketId: z.number().int(),
    customer: requestCustomerSchema,
    fields: z.object({
      userEmail: z.string().min(1),
      revokeSessions: z.boolean(),
      resetPassword: z.boolean().optional(),
      removeLicenses: z.boolean(),
      convertToSharedMailbox: z.boolean(),
      removeFromGroups: z.boolean(),
      hideFromAddressList: z.boolean(),
      forwardTo: z.string().optional(),
      autoReplyMessage: z.string().optional(),
      managerAccess: z.union([z.string(), z.literal(true)]).optional(),
    }),
    /** The ledger's record of earlier attempts, passed on by the router (lib/idempotency/previous-attempt.ts). */
    previous: z.unknown().optional(),
  }),
});

/** Longer than any password a person would be handed: nobody ever types this one. */
const SCRAMBLED_PASSWORD_LENGTH = 48;

function telemetryFor(request: HttpRequest, context: InvocationContext, ticketId: number, customer?: RequestCustomer) {
  return { run_id: request.headers.get('x-ms-workflow-run-id') ?? context.invocationId, intent_id: 'user-offboarding', ticket_id: String(ticketId), ...customerDimension(customer) };
}

export const userOffboardingPlan = {
  methods: ['POST' as const],
  route: 'intents/user-offboarding/plan',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'plan_user_offboarding' }, async (request, context) => {
    const { request: req } = await readBody(request, bodySchema, 'plan_user_offboarding');
    const plan = await trackStep(telemetryFor(request, context, req.ticketId, req.customer), 'plan_user_offboarding', async () =>
      planUserOffboarding(await graphForRequest(req), {
        ...req.fields,
        previous: parsePreviousAttempt(req.previous),
        protectedGroups: loadSettings().PROTECTED_GROUPS,
        allowExternalForwarding: loadSettings().ALLOW_EXTERNAL_FORWARDING,
      }),
    );
    return json(200, { plan });
  }),
};

export const userOffboardingScramblePassword = {
  methods: ['POST' as const],
  route: 'intents/user-offboarding/scramble-password',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'scramble_password' }, async () =>
    withSecretScope(async () => {
      const password = generatePassword(SCRAMBLED_PASSWORD_LENGTH);
      registerSecretValue(password);
      return json(200, { password });
    }),
  ),
};

app.http('userOffboardingPlan', userOffboardingPlan);
app.http('userOffboardingScramblePassword', userOffboardingScramblePassword);
