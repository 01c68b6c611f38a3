import type { ActionResultLike, InlineContext } from '../../../lib/inline/context.js';

/** Builds workflowContext objects the way the runtime shapes them (actions() results, trigger(), workflow()). */
export function ok(body: unknown, statusCode = 200): ActionResultLike {
  return { status: 'Succeeded', code: 'OK', outputs: { statusCode, headers: {}, body } };
}

export function httpFailed(statusCode: number, body: unknown): ActionResultLike {
  return { status: 'Failed', code: 'BadRequest', outputs: { statusCode, headers: {}, body }, error: { code: 'BadRequest', message: `Http request failed with status ${statusCode}` } };
}

export function failedWithoutAnswer(message = 'connect ECONNREFUSED 127.0.0.1:1'): ActionResultLike {
  return { status: 'Failed', code: 'ServiceUnavailable', error: { code: 'ServiceUnavailable', message } };
}

export const skipped: ActionResultLike = { status: 'Skipped', code: 'ActionSkipped' };

export function context(actions: Record<string, ActionResultLike>, triggerBody: unknown = {}, host = '127.0.0.1:7071'): InlineContext {
  return {
    actions,
    trigger: { outputs: { headers: { Host: host }, body: triggerBody } },
    workflow: { name: 'thread-webhook', run: { name: '08584000000000000000000000001CU00' } },
  };
}

export function passwordResetRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    intent: 'password-reset',
    intentName: 'Password Reset',
    ticketId: 5678,
    fields: { userEmail: 'adele.vance@contoso.com', temporaryPassword: 'Sup3r$ecret-Pa55', forceChangeOnLogin: true },
    meta: { contactName: 'Megan Bowen', contactEmail: 'megan.bowen@contoso.com', companyName: 'Contoso' },
    dryRun: false,
    fieldsHash: 'a'.repeat(64),
    ...overrides,
  };
}

/**
 * A runbook step as the workflows run it (docs/workflow-design.md, "Runbook jobs"), in the shapes the local runtime
 * records (local/runtime/connectors/azure-automation.ts, local/runtime/engine/actions/compose.ts):
 * - `Start_<x>_job`: createJob with waitForJob false answers as soon as the job exists, so its body is the new job
 *   ({jobId, status 'New', ...}), never the final status;
 * - `Record_<x>_job_status`: a Compose whose inputs and outputs are both {jobId, status, statusDetails} of the last
 *   getJobStatus read (status '' when no read succeeded);
 * - the getJobOutput action: the job's output text as its body.
 */
export function startedJob(jobId: string, inputs?: unknown, name?: string): ActionResultLike {
  return {
    ...(name ? { name } : {}),
    status: 'Succeeded',
    code: 'OK',
    ...(inputs !== undefined ? { inputs } : {}),
    outputs: { statusCode: 200, headers: {}, body: { jobId, status: 'New', statusDetails: '', startTime: null, endTime: null, creationTime: '2026-12-06T14:05:00Z' } },
  };
}

export function recordedJobStatus(jobId: string, status: string, statusDetails = '', name?: string): ActionResultLike {
  const value = { jobId, status, statusDetails };
  return { ...(name ? { name } : {}), status: 'Succeeded', code: 'OK', inputs: value, outputs: value as ActionResultLike['outputs'] };
}

export function jobOutput(text: string, jobId?: string, name?: string): ActionResultLike {
  return { ...(name ? { name } : {}), status: 'Succeeded', code: 'OK', ...(jobId !== undefined ? { inputs: { parameters: { jobId } } } : {}), outputs: { statusCode: 200, headers: {}, body: text } };
}

/** The last output line a failing runbook writes before it throws (runbooks/README.md, "Output contract"). */
export function failedResultLine(message: string, exchangeConnected = true): string {
  return `RESULT: ${JSON.stringify({ outcome: 'failed', message, details: { exchangeConnected } })}`;
}
