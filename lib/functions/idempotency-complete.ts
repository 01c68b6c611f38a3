import { app, type HttpFunctionOptions } from '@azure/functions';
import { getLedger } from '../idempotency/index.js';
import { finishBodySchema } from './idempotency-body.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * POST /api/idempotency/complete {key | request, runId, response} → 200 {status: "completed" | "incomplete", key}.
 * A `success` answer completes the request (duplicates get it); `partial_success` or `failed` leaves it
 * incomplete, and the next claim resumes it with what was done. 409 conflict when another run holds the
 * claim. The stored response is redacted before storage.
 */
export const idempotencyComplete: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'idempotency/complete',
  authLevel: 'anonymous',
  handler: helper({ step: 'complete_idempotency' }, async (request) => {
    const body = await readBody(request, finishBodySchema, 'complete_idempotency');
    const response = body.response ?? null;
    await getLedger().complete(body.key, body.runId, response);
    const status = (response as { status?: unknown } | null)?.status;
    return json(200, { status: status === 'partial_success' || status === 'failed' ? 'incomplete' : 'completed', key: body.key });
  }),
};

app.http('idempotencyComplete', idempotencyComplete);
