import { sendError, sendJson } from '../http-io.js';
import type { Route, RouteRequest } from '../router.js';
import { requireAction, requireRun, requireWorkflow } from './lookups.js';
import { continueAfter, encodeSkipToken, pageRuns, parseTop } from './paging.js';
import { MANAGEMENT_PREFIX } from './paths.js';
import { FilterSyntaxError, parseRunFilter } from './run-filter.js';
import { actionShape, repetitionShape, runShape, visibleContent } from './shapes.js';

const P = MANAGEMENT_PREFIX.replace(/\//g, '\\/');
const SEG = '([^/]+)';
const route = (method: string, path: string, handle: Route['handle']): Route => ({
  method,
  pattern: new RegExp(`^${P}${path}$`),
  handle,
});

function listRuns(r: RouteRequest): void {
  const wf = requireWorkflow(r, r.params[0] ?? '');
  if (wf === undefined) return;
  const top = parseTop(r.url.searchParams.get('$top'));
  if (top === undefined) return sendError(r.res, 400, 'InvalidQueryParameterValue', "The query parameter '$top' must be a positive integer.");
  let filter;
  try {
    filter = parseRunFilter(r.url.searchParams.get('$filter') ?? undefined);
  } catch (err) {
    if (err instanceof FilterSyntaxError) return sendError(r.res, 400, 'InvalidFilter', err.message);
    throw err;
  }
  // One row past the page tells whether there is a next page.
  const runs = r.ctx.history.listRuns({ ...filter, workflow: wf, top: top + 1, ...continueAfter(r.url.searchParams.get('$skiptoken')) });
  const { page, next } = pageRuns(runs, top, undefined);
  const body: Record<string, unknown> = { value: page.map((run) => runShape(r.ctx.baseUrl(), run)) };
  if (next) {
    const nextUrl = new URL(r.url.pathname, r.ctx.baseUrl());
    for (const [k, v] of r.url.searchParams) if (k !== '$skiptoken') nextUrl.searchParams.set(k, v);
    nextUrl.searchParams.set('$skiptoken', encodeSkipToken(next));
    body.nextLink = nextUrl.toString();
  }
  sendJson(r.res, 200, body);
}

function getRun(r: RouteRequest): void {
  const [wf = '', runName = ''] = r.params;
  const run = requireRun(r, wf, runName);
  if (!run) return;
  const expand = (r.url.searchParams.get('$expand') ?? '').toLowerCase().split(',').map((s) => s.trim());
  const actions = expand.includes('properties/actions') ? r.ctx.history.listActions(run.workflow, runName) : undefined;
  sendJson(r.res, 200, runShape(r.ctx.baseUrl(), run, actions));
}

function cancelRun(r: RouteRequest): void {
  const [wf = '', runName = ''] = r.params;
  const run = requireRun(r, wf, runName);
  if (!run) return;
  if (run.status !== 'Running' && run.status !== 'Waiting') {
    return sendError(r.res, 409, 'WorkflowRunCannotBeCancelled', `The workflow run '${runName}' cannot be cancelled because it is in state '${run.status}'.`);
  }
  r.ctx.engine.cancel(run.workflow, runName);
  sendJson(r.res, 200, undefined);
}

function triggerContents(r: RouteRequest): void {
  const [wf = '', runName = '', which = ''] = r.params;
  const run = requireRun(r, wf, runName);
  if (!run) return;
  const t = run.trigger;
  const value = which === 'TriggerInputs' ? visibleContent(t.inputs, t.secureInputs) : visibleContent(t.outputs, t.secureOutputs);
  if (value === undefined) return sendError(r.res, 404, 'ContentNotFound', `The trigger has no ${which}.`);
  sendJson(r.res, 200, value);
}

function listActions(r: RouteRequest): void {
  const [wf = '', runName = ''] = r.params;
  const run = requireRun(r, wf, runName);
  if (!run) return;
  // Execution order, so a client can show the run as it happened.
  sendJson(r.res, 200, { value: r.ctx.history.listActions(run.workflow, runName).map((a) => actionShape(r.ctx.baseUrl(), run, a)) });
}

function getAction(r: RouteRequest): void {
  const [wf = '', runName = '', name = ''] = r.params;
  const run = requireRun(r, wf, runName);
  const action = run && requireAction(r, run, name);
  if (run && action) sendJson(r.res, 200, actionShape(r.ctx.baseUrl(), run, action));
}

function actionContents(r: RouteRequest): void {
  const [wf = '', runName = '', name = '', which = ''] = r.params;
  const run = requireRun(r, wf, runName);
  const action = run && requireAction(r, run, name);
  if (!run || !action) return;
  const value = which === 'ActionInputs' ? visibleContent(action.inputs, action.secureInputs) : visibleContent(action.outputs, action.secureOutputs);
  if (value === undefined) return sendError(r.res, 404, 'ContentNotFound', `The action '${name}' has no ${which}.`);
  sendJson(r.res, 200, value);
}

function listRepetitions(r: RouteRequest): void {
  const [wf = '', runName = '', name = ''] = r.params;
  const run = requireRun(r, wf, runName);
  const action = run && requireAction(r, run, name);
  if (!run || !action) return;
  const reps = r.ctx.history.listRepetitions(run.workflow, runName, name);
  sendJson(r.res, 200, { value: reps.map((p) => repetitionShape(r.ctx.baseUrl(), run, p, action)) });
}

function findRepetition(r: RouteRequest) {
  const [wf = '', runName = '', name = '', repName = ''] = r.params;
  const run = requireRun(r, wf, runName);
  const action = run && requireAction(r, run, name);
  if (!run || !action) return undefined;
  const rep = r.ctx.history.listRepetitions(run.workflow, runName, name).find((p) => p.name === repName);
  if (!rep) {
    sendError(r.res, 404, 'WorkflowRunActionRepetitionNotFound', `The repetition '${repName}' of action '${name}' could not be found.`);
    return undefined;
  }
  return { run, action, rep };
}

function getRepetition(r: RouteRequest): void {
  const found = findRepetition(r);
  if (found) sendJson(r.res, 200, repetitionShape(r.ctx.baseUrl(), found.run, found.rep, found.action));
}

function repetitionContents(r: RouteRequest): void {
  const found = findRepetition(r);
  if (!found) return;
  const which = r.params[4];
  const { rep, action } = found;
  const value = which === 'ActionInputs' ? visibleContent(rep.inputs, action.secureInputs) : visibleContent(rep.outputs, action.secureOutputs);
  if (value === undefined) return sendError(r.res, 404, 'ContentNotFound', `The repetition has no ${which ?? ''}.`);
  sendJson(r.res, 200, value);
}

export const runRoutes: Route[] = [
  route('GET', `/workflows/${SEG}/runs`, listRuns),
  route('GET', `/workflows/${SEG}/runs/${SEG}`, getRun),
  route('POST', `/workflows/${SEG}/runs/${SEG}/cancel`, cancelRun),
  route('GET', `/workflows/${SEG}/runs/${SEG}/contents/(TriggerInputs|TriggerOutputs)`, triggerContents),
  route('GET', `/workflows/${SEG}/runs/${SEG}/actions`, listActions),
  route('GET', `/workflows/${SEG}/runs/${SEG}/actions/${SEG}`, getAction),
  route('GET', `/workflows/${SEG}/runs/${SEG}/actions/${SEG}/contents/(ActionInputs|ActionOutputs)`, actionContents),
  route('GET', `/workflows/${SEG}/runs/${SEG}/actions/${SEG}/repetitions`, listRepetitions),
  route('GET', `/workflows/${SEG}/runs/${SEG}/actions/${SEG}/repetitions/${SEG}`, getRepetition),
  route('GET', `/workflows/${SEG}/runs/${SEG}/actions/${SEG}/repetitions/${SEG}/contents/(ActionInputs|ActionOutputs)`, repetitionContents),
];
