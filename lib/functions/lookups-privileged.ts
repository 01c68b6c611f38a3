import { app, type HttpFunctionOptions } from '@azure/functions';
import { z } from 'zod';
import { checkPrivileged, resolveUser } from '../lookups/index.js';
import { isGuid } from '../graph/index.js';
import { graphFor, tenantIdSchema } from './graph-for.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/** POST /api/lookups/privileged {user (object id or UPN), tenantId?} → 200 {userId, privileged, roles}. */
const bodySchema = z.object({ user: z.string().trim().min(1).max(320), tenantId: tenantIdSchema });

export const lookupsPrivileged: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'lookups/privileged',
  authLevel: 'anonymous',
  handler: helper({ step: 'check_privileged' }, async (request) => {
    const body = await readBody(request, bodySchema, 'check_privileged');
    const graph = await graphFor(body.tenantId);
    const userId = isGuid(body.user) ? body.user : (await resolveUser(graph, body.user)).id;
    return json(200, { userId, ...(await checkPrivileged(graph, userId)) });
  }),
};

app.http('lookupsPrivileged', lookupsPrivileged);
