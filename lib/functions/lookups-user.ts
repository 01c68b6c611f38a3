import { app, type HttpFunctionOptions } from '@azure/functions';
import { z } from 'zod';
import { resolveUser } from '../lookups/index.js';
import { graphFor, tenantIdSchema } from './graph-for.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/** POST /api/lookups/user {user, tenantId?} → 200 {user} | 404 not_found | 409 ambiguous | 403/429/503 as they are. */
const bodySchema = z.object({ user: z.string().trim().min(1).max(320), tenantId: tenantIdSchema });

export const lookupsUser: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'lookups/user',
  authLevel: 'anonymous',
  handler: helper({ step: 'resolve_user' }, async (request) => {
    const body = await readBody(request, bodySchema, 'resolve_user');
    return json(200, { user: await resolveUser(await graphFor(body.tenantId), body.user) });
  }),
};

app.http('lookupsUser', lookupsUser);
