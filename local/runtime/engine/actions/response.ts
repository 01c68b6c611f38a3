import { SECURE_PLACEHOLDER } from '../../model.js';
import { ActionFailure } from '../errors.js';
import type { ActionExecutor } from './types.js';

/**
 * Response: answers the caller waiting on the Request trigger (or the parent's Workflow action).
 * The answer is saved on the run record so the asynchronous-response polling URL can serve it;
 * a secured answer is kept in engine memory instead and only its status code is recorded. Only 2xx, 4xx and 5xx codes are allowed, and only one response per run.
 */
const MAX_SECURED_ANSWERS = 1000;

export const response: ActionExecutor = async (ctx) => {
  const inputs = (ctx.evaluateInputs() ?? {}) as { statusCode?: unknown; headers?: unknown; body?: unknown };
  const statusCode = inputs.statusCode === undefined ? 200 : Number(inputs.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 200 || statusCode > 599 || (statusCode >= 300 && statusCode < 400)) {
    throw new ActionFailure('InvalidResponseStatusCode', `The response status code '${String(inputs.statusCode)}' is not valid: use a 2xx, 4xx or 5xx code.`);
  }
  const run = ctx.run;
  if (run.record.response) {
    throw new ActionFailure('ActionResponseAlreadySent', `The action '${ctx.action.name}' cannot send a response: a response has already been sent for this request.`);
  }
  const headers: Record<string, string> = {};
  if (inputs.headers && typeof inputs.headers === 'object') {
    for (const [k, v] of Object.entries(inputs.headers as Record<string, unknown>)) headers[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const saved: { statusCode: number; headers?: Record<string, string>; body?: unknown; secure?: boolean } = { statusCode };
  if (ctx.action.secureInputs || ctx.action.hideInputs) {
    // A secured answer (e.g. one carrying a one-time password link) must not reach the history files.
    saved.secure = true;
    saved.body = SECURE_PLACEHOLDER;
    const answers = run.shared.securedResponses;
    answers.set(`${run.workflowName.toLowerCase()}/${run.record.name}`, { statusCode, headers, body: inputs.body });
    // Bounded: only recent runs' answers are pollable; the oldest go first.
    if (answers.size > MAX_SECURED_ANSWERS) answers.delete(answers.keys().next().value as string);
  } else {
    if (Object.keys(headers).length > 0) saved.headers = headers;
    if (inputs.body !== undefined) saved.body = inputs.body;
  }
  run.record.response = saved;
  run.shared.history.saveRun(run.record);
  if (!run.responded) {
    run.responded = true;
    run.respond({ statusCode, headers, body: inputs.body });
  }
  return { code: 'OK', inputs: { statusCode, headers, body: inputs.body } };
};
