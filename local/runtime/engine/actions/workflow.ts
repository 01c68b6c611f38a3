import { ActionFailure } from '../errors.js';
import { TriggerRequestError } from '../errors.js';
import { stringHeaders } from '../outbound.js';
import { statusCodeName } from '../retry.js';
import type { ActionExecutor } from './types.js';

interface WorkflowInputs {
  host?: { workflow?: { id?: unknown }; triggerName?: unknown };
  headers?: unknown;
  queries?: unknown;
  body?: unknown;
}

/**
 * Workflow ("Invoke a workflow in this workflow app"): starts the child through its Request trigger and
 * waits for its answer, as an HTTP caller would: the child's Response when it runs (the child may keep
 * working afterwards, the "respond early" pattern), 202 at once when the child has no Response action.
 * Outputs are that answer {statusCode, headers, body}; a 4xx/5xx answer (including 502 NoResponse) fails
 * the action.
 */
export const workflow: ActionExecutor = async (ctx) => {
  const inputs = (ctx.evaluateInputs() ?? {}) as WorkflowInputs;
  const run = ctx.run;
  const childName = String(inputs.host?.workflow?.id ?? '');
  const child = run.shared.project.workflows.get(childName);
  if (!child) throw new ActionFailure('WorkflowNotFound', `The workflow '${childName}' could not be found in this logic app.`);
  const triggerName = typeof inputs.host?.triggerName === 'string' ? inputs.host.triggerName : child.triggerName;
  const queries: Record<string, string> = {};
  for (const [k, v] of Object.entries(stringHeaders(inputs.queries))) queries[k] = v;
  const headers = stringHeaders(inputs.headers);
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type') && inputs.body !== undefined && typeof inputs.body !== 'string') {
    headers['Content-Type'] = 'application/json';
  }
  let started;
  try {
    started = run.shared.start(childName, triggerName, { method: 'POST', relativePath: '', headers, queries, body: inputs.body }, {
      parentRun: { workflow: run.workflowName, runName: run.record.name, action: ctx.action.name },
      clientTrackingId: run.record.clientTrackingId,
    });
  } catch (err) {
    if (err instanceof TriggerRequestError) throw new ActionFailure(err.code, err.message);
    throw err;
  }
  const childRun = { workflow: childName, runName: started.runName };
  // Linked by id, so a restart adopts this child whatever client tracking id its trigger set (../resume.ts).
  run.shared.checkpoints?.childStarted(run, ctx.action.name, childRun);
  const onAbort = (): void => {
    // A run suspended for a restart leaves its child to resume too.
    if (!run.suspended) run.shared.cancel(childName, started.runName);
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await started.response;
    const outputs: Record<string, unknown> = { statusCode: response.statusCode, headers: response.headers };
    if (response.body !== undefined) outputs.body = response.body;
    const code = statusCodeName(response.statusCode);
    if (response.statusCode >= 400) {
      return {
        status: 'Failed',
        code,
        outputs,
        childRun,
        error: { code, message: `The child workflow '${childName}' run '${started.runName}' answered with status code '${response.statusCode}'.` },
      };
    }
    return { code, outputs, childRun };
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
};
