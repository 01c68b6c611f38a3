import { app, type HttpFunctionOptions } from '@azure/functions';
import { getLedger } from '../idempotency/index.js';
import { claimBodySchema } from './idempotency-body.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * POST /api/idempotency/claim {request, runId} → 200 {outcome: claimed | duplicate | in_progress, key, runId, ...}.
 * Storage trouble → 503 storage_unavailable (retryable), never a false duplicate.
 */
export const idempotencyClaim: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'idempotency/claim',
  authLevel: 'anonymous',
  handler: helper({ step: 'claim_idempotency' }, async (request) => {
    const body = await readBody(request, claimBodySchema, 'claim_idempotency');
    return json(200, await getLedger().claim(body.request, body.runId));
  }),
};

app.http('idempotencyClaim', idempotencyClaim);
