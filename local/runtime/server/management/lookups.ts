import type { ActionRecord, RunRecord } from '../../model.js';
import { findWorkflow } from '../context.js';
import { sendError } from '../http-io.js';
import type { RouteRequest } from '../router.js';

/**
 * The workflow's name as the project spells it (names are case-insensitive), or as given when it
 * is only known from history (a workflow since removed); undefined, with a 404 sent, otherwise.
 */
export function requireWorkflow(r: RouteRequest, workflow: string): string | undefined {
  const loaded = findWorkflow(r.ctx, workflow);
  if (loaded) return loaded.name;
  if (r.ctx.history.listRuns({ workflow, top: 1 }).length > 0) return workflow;
  sendError(r.res, 404, 'WorkflowNotFound', `The workflow '${workflow}' could not be found.`);
  return undefined;
}

export function requireRun(r: RouteRequest, workflow: string, runName: string): RunRecord | undefined {
  const name = requireWorkflow(r, workflow);
  if (name === undefined) return undefined;
  const run = r.ctx.history.getRun(name, runName);
  if (!run) sendError(r.res, 404, 'WorkflowRunNotFound', `The workflow run '${runName}' could not be found.`);
  return run;
}

export function requireAction(r: RouteRequest, run: RunRecord, action: string): ActionRecord | undefined {
  const found = r.ctx.history.listActions(run.workflow, run.name).find((a) => a.name === action);
  if (!found) sendError(r.res, 404, 'WorkflowRunActionNotFound', `The workflow run action '${action}' could not be found.`);
  return found;
}
