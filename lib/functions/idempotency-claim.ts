import { app, type HttpFunctionOptions } from '@azure/functions';
import { getLedger } from '../idempotency/index.js';
import { claimBodySchema } from './idempotency-body.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * POST /api/idempotency/claim {request, runId, workflow?} → 200 ClaimResult:
 * - {outcome: "claimed", key, runId, attempt, takeover?, previous?}: run it. `takeover` "resume" / "dead_run" /
 *   "lease_expired" / "previous_failed" carries `previous` {runId, status, finishedAt, message, completedSteps,
 *   runStatus?}: pass it to the child, which skips the changes listed there (lib/idempotency/previous-attempt.ts);
 * - {outcome: "duplicate", key, runId, completedAt, storedResponse}: answer from the stored response;
 * - {outcome: "in_progress", key, runId, claimedAt, leaseUntil, runStatus?}: another run is on it.
 * Storage trouble → 503 storage_unavailable (retryable), never a false duplicate.
 */
export const idempotencyClaim: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'idempotency/claim',
  authLevel: 'anonymous',
  handler: helper({ step: 'claim_idempotency' }, async (request) => {
    const body = await readBody(request, claimBodySchema, 'claim_idempotency');
    return json(200, await getLedger().claim(body.request, body.runId, body.workflow ? { workflow: body.workflow } : {}));
  }),
};

app.http('idempotencyClaim', idempotencyClaim);
