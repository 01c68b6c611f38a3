import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { customerDimension, graphForRequest, requestCustomerSchema } from '../../msp/request-customer.js';
import { planPasswordReset } from './plan.js';
import { parsePreviousAttempt } from '../../idempotency/previous-attempt.js';
import { prepareTemporaryPassword } from './prepare-secret.js';
import { revokeOneTimeLink } from '../../passwords/one-time-link.js';
import { trackStep, withSecretScope } from '../../telemetry/index.js';
import { helper } from '../../functions/helper.js';
import { readBody } from '../../functions/read-body.js';
import { json } from '../../functions/respond.js';

/**
 * Password-reset helpers called by workflows/password-reset: plan (read-only checks), prepare-secret
 * (the password + its one-time link; the calling action secures inputs and outputs) and revoke-link
 * (when the password could not be set).
 */
const requestSchema = z.object({
  intent: z.literal('password-reset'),
  ticketId: z.number().int(),
  customer: requestCustomerSchema,
  fields: z.object({
    userEmail: z.string().min(1),
    forceChangeOnLogin: z.boolean(),
    temporaryPassword: z.string().optional(),
  }),
  /** The ledger's record of earlier attempts, passed on by the router (lib/idempotency/previous-attempt.ts). */
  previous: z.unknown().optional(),
});

function runId(request: HttpRequest, context: InvocationContext): string {
  return request.headers.get('x-ms-workflow-run-id') ?? context.invocationId;
}

const planBody = z.object({ request: requestSchema, passwordSupplied: z.boolean().default(false) });

export const passwordResetPlan = {
  methods: ['POST' as const],
  route: 'intents/password-reset/plan',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'plan_password_reset' }, async (request, context) => {
    const body = await readBody(request, planBody, 'plan_password_reset');
    const { fields, ticketId } = body.request;
    const telemetry = { run_id: runId(request, context), intent_id: 'password-reset', ticket_id: String(ticketId), ...customerDimension(body.request.customer) };
    const plan = await trackStep(telemetry, 'plan_password_reset', async () =>
      planPasswordReset(await graphForRequest(body.request), {
        userEmail: fields.userEmail,
        forceChangeOnLogin: fields.forceChangeOnLogin,
        passwordSupplied: body.passwordSupplied || (fields.temporaryPassword ?? '') !== '',
        previous: parsePreviousAttempt(body.request.previous),
      }),
    );
    return json(200, { plan });
  }),
};

const prepareBody = z.object({ request: requestSchema });

export const passwordResetPrepareSecret = {
  methods: ['POST' as const],
  route: 'intents/password-reset/prepare-secret',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'prepare_password' }, (request, context) =>
    withSecretScope(async () => {
      const body = await readBody(request, prepareBody, 'prepare_password');
      const telemetry = { run_id: runId(request, context), intent_id: 'password-reset', ticket_id: String(body.request.ticketId) };
      const prepared = await trackStep(telemetry, 'prepare_password', () => prepareTemporaryPassword(body.request.fields.temporaryPassword, body.request.customer?.id));
      return json(200, prepared);
    }),
  ),
};

const revokeBody = z.object({ linkId: z.string().min(1) });

export const passwordResetRevokeLink = {
  methods: ['POST' as const],
  route: 'intents/password-reset/revoke-link',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'revoke_link' }, async (request) => {
    const body = await readBody(request, revokeBody, 'revoke_link');
    // false: already used, expired or purged; either way nobody can reveal the unapplied password.
    return json(200, { revoked: await revokeOneTimeLink(body.linkId) });
  }),
};

app.http('passwordResetPlan', passwordResetPlan);
app.http('passwordResetPrepareSecret', passwordResetPrepareSecret);
app.http('passwordResetRevokeLink', passwordResetRevokeLink);
