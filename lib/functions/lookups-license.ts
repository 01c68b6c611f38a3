import { app, type HttpFunctionOptions } from '@azure/functions';
import { z } from 'zod';
import { resolveLicense } from '../lookups/index.js';
import { graphFor, tenantIdSchema } from './graph-for.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/** POST /api/lookups/license {license, tenantId?} → 200 {license} | 404 (lists the tenant's licences) | 409 ambiguous. */
const bodySchema = z.object({ license: z.string().trim().min(1).max(200), tenantId: tenantIdSchema });

export const lookupsLicense: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'lookups/license',
  authLevel: 'anonymous',
  handler: helper({ step: 'resolve_license' }, async (request) => {
    const body = await readBody(request, bodySchema, 'resolve_license');
    return json(200, { license: await resolveLicense(await graphFor(body.tenantId), body.license) });
  }),
};

app.http('lookupsLicense', lookupsLicense);
