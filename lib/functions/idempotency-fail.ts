import { app, type HttpFunctionOptions } from '@azure/functions';
import { getLedger } from '../idempotency/index.js';
import { finishBodySchema } from './idempotency-body.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * POST /api/idempotency/fail {key | request, runId, error} → 200 {status: "incomplete" | "failed", key}: the
 * same request may run again. When `error` is the router's answer (status failed or partial_success, with
 * steps) it is kept as for /complete, so the next attempt resumes with what was done. 409 conflict when
 * another run holds the claim.
 */
export const idempotencyFail: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'idempotency/fail',
  authLevel: 'anonymous',
  handler: helper({ step: 'fail_idempotency' }, async (request) => {
    const body = await readBody(request, finishBodySchema, 'fail_idempotency');
    const error = body.error ?? null;
    await getLedger().fail(body.key, body.runId, error);
    const status = (error as { status?: unknown } | null)?.status;
    return json(200, { status: status === 'partial_success' || status === 'failed' ? 'incomplete' : 'failed', key: body.key });
  }),
};

app.http('idempotencyFail', idempotencyFail);
