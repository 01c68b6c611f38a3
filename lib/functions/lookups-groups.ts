import { app, type HttpFunctionOptions } from '@azure/functions';
import { z } from 'zod';
import { resolveGroups } from '../lookups/index.js';
import { graphFor, tenantIdSchema } from './graph-for.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * POST /api/lookups/groups {groups: string[], tenantId?} → 200 {groups: [{name, ok, group} | {name, ok: false, error}]}.
 * Per-name outcomes, so one unknown group does not hide the others; a Graph outage fails the call.
 */
const bodySchema = z.object({ groups: z.array(z.string().trim().min(1).max(256)).min(1).max(100), tenantId: tenantIdSchema });

export const lookupsGroups: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'lookups/groups',
  authLevel: 'anonymous',
  handler: helper({ step: 'resolve_groups' }, async (request) => {
    const body = await readBody(request, bodySchema, 'resolve_groups');
    const results = await resolveGroups(await graphFor(body.tenantId), body.groups);
    const retryable = results.find((r) => !r.ok && r.error.retryable);
    if (retryable && !retryable.ok) throw retryable.error;
    return json(200, { groups: results.map((r) => (r.ok ? r : { name: r.name, ok: false, error: r.error.toBody().error })) });
  }),
};

app.http('lookupsGroups', lookupsGroups);
