import { app, type HttpFunctionOptions } from '@azure/functions';
import { getLedger } from '../idempotency/index.js';
import { handoffBodySchema } from './idempotency-body.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * POST /api/idempotency/handoff {key, runId, to: {workflow, runId}} → 200 {status: "handed_off", key}.
 * A child that answers `accepted` keeps working after the router's run has ended, and finishes the request
 * itself; it names its own run here (before its Response) so a later claim asks whether the child is alive,
 * not the router, whose run has already succeeded. `runId` is the run holding the claim (the router's,
 * header x-thread-router-run-id). 409 conflict when another run holds the claim or it is no longer processing.
 */
export const idempotencyHandoff: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'idempotency/handoff',
  authLevel: 'anonymous',
  handler: helper({ step: 'handoff_idempotency' }, async (request) => {
    const body = await readBody(request, handoffBodySchema, 'handoff_idempotency');
    await getLedger().handoff(body.key, body.runId, body.to);
    return json(200, { status: 'handed_off', key: body.key });
  }),
};

app.http('idempotencyHandoff', idempotencyHandoff);
