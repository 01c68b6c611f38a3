import { app, type HttpFunctionOptions } from '@azure/functions';
import { getLedger } from '../idempotency/index.js';
import { finishBodySchema } from './idempotency-body.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * POST /api/idempotency/fail {key | request, runId, error} → 200 {status: "failed", key}: the same
 * request may run again. 409 conflict when another run holds the claim.
 */
export const idempotencyFail: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'idempotency/fail',
  authLevel: 'anonymous',
  handler: helper({ step: 'fail_idempotency' }, async (request) => {
    const body = await readBody(request, finishBodySchema, 'fail_idempotency');
    await getLedger().fail(body.key, body.runId, body.error ?? null);
    return json(200, { status: 'failed', key: body.key });
  }),
};

app.http('idempotencyFail', idempotencyFail);
