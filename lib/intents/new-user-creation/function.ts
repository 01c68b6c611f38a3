import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { loadSettings } from '../../config/settings.js';
import { customerDimension, graphForRequest, requestCustomerSchema, type RequestCustomer } from '../../msp/request-customer.js';
import { planNewUserCreation } from './plan.js';
import { prepareNewUserPassword } from './prepare-secret.js';
import { revokeOneTimeLink } from '../../passwords/one-time-link.js';
import { trackStep, withSecretScope } from '../../telemetry/index.js';
import { helper } from '../../functions/helper.js';
import { readBody } from '../../functions/read-body.js';
import { json } from '../../functions/respond.js';

/**
 * New-user-creation helpers called by workflows/new-user-creation: plan (read-only checks and
 * look-ups), prepare-secret (generated password + one-time link; the calling action secures inputs
 * and outputs) and revoke-link (the account could not be created, so the link must not work).
 */
const optional = z.string().optional();
const requestSchema = z.object({
  intent: z.literal('new-user-creation'),
  ticketId: z.number().int(),
  customer: requestCustomerSchema,
  fields: z.object({
    displayName: z.string().min(1),
    userPrincipalName: z.string().min(1),
    firstName: optional,
    lastName: optional,
    department: optional,
    jobTitle: optional,
    license: optional,
    groupNames: z.array(z.string()).default([]),
    usageLocation: optional,
    managerEmail: optional,
  }),
});

function telemetryOf(request: HttpRequest, context: InvocationContext, ticketId: number, customer?: RequestCustomer) {
  return { run_id: request.headers.get('x-ms-workflow-run-id') ?? context.invocationId, intent_id: 'new-user-creation', ticket_id: String(ticketId), ...customerDimension(customer) };
}

const planBody = z.object({ request: requestSchema, defaultUsageLocation: z.string().nullish() });

export const newUserCreationPlan = {
  methods: ['POST' as const],
  route: 'intents/new-user-creation/plan',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'plan_new_user' }, async (request, context) => {
    const body = await readBody(request, planBody, 'plan_new_user');
    const settings = loadSettings();
    const plan = await trackStep(telemetryOf(request, context, body.request.ticketId, body.request.customer), 'plan_new_user', async () =>
      planNewUserCreation(await graphForRequest(body.request), {
        fields: body.request.fields,
        protectedGroups: settings.PROTECTED_GROUPS,
        defaultUsageLocation: body.defaultUsageLocation?.trim() || settings.DEFAULT_USAGE_LOCATION,
      }),
    );
    return json(200, { plan });
  }),
};

const prepareBody = z.object({ request: requestSchema });

export const newUserCreationPrepareSecret = {
  methods: ['POST' as const],
  route: 'intents/new-user-creation/prepare-secret',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'prepare_password' }, (request, context) =>
    withSecretScope(async () => {
      const body = await readBody(request, prepareBody, 'prepare_password');
      const prepared = await trackStep(telemetryOf(request, context, body.request.ticketId), 'prepare_password', () => prepareNewUserPassword(body.request.customer?.id));
      return json(200, prepared);
    }),
  ),
};

const revokeBody = z.object({ linkId: z.string().min(1) });

export const newUserCreationRevokeLink = {
  methods: ['POST' as const],
  route: 'intents/new-user-creation/revoke-link',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'revoke_link' }, async (request) => {
    const body = await readBody(request, revokeBody, 'revoke_link');
    // false: already used, expired or purged; either way nobody can reveal a password no account has.
    return json(200, { revoked: await revokeOneTimeLink(body.linkId) });
  }),
};

app.http('newUserCreationPlan', newUserCreationPlan);
app.http('newUserCreationPrepareSecret', newUserCreationPrepareSecret);
app.http('newUserCreationRevokeLink', newUserCreationRevokeLink);
