import type { ActionRecord, RunRecord } from '../../model.js';
import { sendError } from '../http-io.js';
import type { RouteRequest } from '../router.js';

/** Whether a workflow exists in the loaded project or left runs in history (e.g. since removed). */
export function workflowKnown(r: RouteRequest, workflow: string): boolean {
  return r.ctx.engine.project.workflows.has(workflow) || r.ctx.history.listRuns({ workflow, top: 1 }).length > 0;
}

export function requireWorkflow(r: RouteRequest, workflow: string): boolean {
  if (workflowKnown(r, workflow)) return true;
  sendError(r.res, 404, 'WorkflowNotFound', `The workflow '${workflow}' could not be found.`);
  return false;
}

export function requireRun(r: RouteRequest, workflow: string, runName: string): RunRecord | undefined {
  if (!requireWorkflow(r, workflow)) return undefined;
  const run = r.ctx.history.getRun(workflow, runName);
  if (!run) sendError(r.res, 404, 'WorkflowRunNotFound', `The workflow run '${runName}' could not be found.`);
  return run;
}

export function requireAction(r: RouteRequest, run: RunRecord, action: string): ActionRecord | undefined {
  const found = r.ctx.history.listActions(run.workflow, run.name).find((a) => a.name === action);
  if (!found) sendError(r.res, 404, 'WorkflowRunActionNotFound', `The workflow run action '${action}' could not be found.`);
  return found;
}
