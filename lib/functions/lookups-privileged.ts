import { app, type HttpFunctionOptions } from '@azure/functions';
import { z } from 'zod';
import { resolveUserWithPrivileges } from '../lookups/index.js';
import { graphFor, tenantIdSchema } from './graph-for.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * POST /api/lookups/privileged {user (object id, UPN or mail), tenantId?} → 200 {userId, userPrincipalName, privileged, roles}.
 * One Graph round trip for a UPN or id (see lookups/user-with-privileges.ts).
 */
const bodySchema = z.object({ user: z.string().trim().min(1).max(320), tenantId: tenantIdSchema });

export const lookupsPrivileged: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'lookups/privileged',
  authLevel: 'anonymous',
  handler: helper({ step: 'check_privileged' }, async (request) => {
    const body = await readBody(request, bodySchema, 'check_privileged');
    const { user, privilege } = await resolveUserWithPrivileges(await graphFor(body.tenantId), body.user);
    return json(200, { userId: user.id, userPrincipalName: user.userPrincipalName, ...privilege });
  }),
};

app.http('lookupsPrivileged', lookupsPrivileged);
