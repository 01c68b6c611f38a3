import { app, type HttpFunctionOptions } from '@azure/functions';
import { z } from 'zod';
import { loadSettings } from '../config/settings.js';
import { AppError } from '../errors/app-error.js';
import { customerTokenSource } from '../msp/customer-token.js';
import { requireMspMode } from '../msp/mode.js';
import { verifyTenant } from '../msp/verify-tenant.js';
import { PRINCIPAL_ID_HEADER } from './caller.js';
import { graphFor } from './graph-for.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * POST /api/msp/verify-tenant {tenantId} → 200 {consented, grantedAppRoleIds, assignedDirectoryRoleIds,
 * initialDomain, verifiedDomains}, read in the customer's tenant with the MSP app's token (lib/msp/verify-tenant.ts).
 * Called by `npm run customer:add` with the technician's own Entra token (Easy Auth), not by the workflows: only
 * the object ids in ONBOARDING_CALLER_OBJECT_IDS may call it.
 */
const bodySchema = z.object({ tenantId: z.string().trim().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be the tenant id (a GUID)') });

function checkOnboardingCaller(id: string | null, allowed: readonly string[]): void {
  const caller = id?.trim().toLowerCase();
  if (!caller) {
    throw new AppError({
      code: 'unauthorized',
      message: 'The caller did not authenticate.',
      status: 401,
      fix: 'Run `npm run customer:add` signed in with `az login`; it calls this endpoint with your Entra token for the helpers app.',
      step: 'check_caller',
    });
  }
  if (!allowed.includes(caller)) {
    throw new AppError({
      code: 'forbidden',
      message: 'Your account may not onboard customers on this deployment.',
      status: 403,
      fix: "Add your Entra object id (az ad signed-in-user show --query id) to the helpers' app setting ONBOARDING_CALLER_OBJECT_IDS.",
      step: 'check_caller',
    });
  }
}

export const mspVerifyTenant: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'msp/verify-tenant',
  authLevel: 'anonymous',
  handler: helper({ step: 'verify_tenant', anonymous: true }, async (request) => {
    const settings = loadSettings();
    checkOnboardingCaller(request.headers.get(PRINCIPAL_ID_HEADER), settings.ONBOARDING_CALLER_OBJECT_IDS);
    requireMspMode(settings, 'verify_tenant');
    const body = await readBody(request, bodySchema, 'verify_tenant');
    const result = await verifyTenant(body.tenantId, {
      tokens: customerTokenSource(settings),
      graphFor: (tenantId) => graphFor(tenantId),
      appClientId: settings.MSP_APP_CLIENT_ID ?? '',
    });
    return json(200, result);
  }),
};

app.http('mspVerifyTenant', mspVerifyTenant);
