import { app, type HttpFunctionOptions } from '@azure/functions';
import { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { listVerifiedDomains } from '../lookups/index.js';
import { graphFor } from './graph-for.js';
import { helper } from './helper.js';
import { json } from './respond.js';

/** GET /api/lookups/domains[?tenantId=] → 200 {domains: [{id, isDefault, isInitial}]} (verified only). */
const tenantQuery = z.string().uuid().optional();

export const lookupsDomains: HttpFunctionOptions = {
  methods: ['GET'],
  route: 'lookups/domains',
  authLevel: 'anonymous',
  handler: helper({ step: 'list_domains' }, async (request) => {
    const tenant = tenantQuery.safeParse(request.query.get('tenantId') ?? undefined);
    if (!tenant.success) {
      throw new AppError({ code: 'validation_failed', message: 'tenantId must be a GUID.', status: 400, fix: 'Pass the customer tenant id (a GUID) or leave it out.', step: 'list_domains' });
    }
    const tenantId = tenant.data;
    return json(200, { domains: await listVerifiedDomains(await graphFor(tenantId)) });
  }),
};

app.http('lookupsDomains', lookupsDomains);
