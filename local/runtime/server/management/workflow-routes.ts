import { callbackUrl, isRequestTrigger } from '../callback-url.js';
import { findWorkflow } from '../context.js';
import { readBody, sendError, sendJson } from '../http-io.js';
import type { Route, RouteRequest } from '../router.js';
import { requireWorkflow } from './lookups.js';
import { continueAfter, encodeSkipToken, pageRuns, parseTop } from './paging.js';
import { MANAGEMENT_PREFIX } from './paths.js';
import { triggerHistoryShape, workflowShape } from './shapes.js';

const P = MANAGEMENT_PREFIX.replace(/\//g, '\\/');
const SEG = '([^/]+)';
const route = (method: string, path: string, handle: Route['handle']): Route => ({
  method,
  pattern: new RegExp(`^${P}${path}$`),
  handle,
});

function listWorkflows(r: RouteRequest): void {
  const workflows = [...r.ctx.engine.project.workflows.values()].sort((a, b) => a.name.localeCompare(b.name));
  sendJson(r.res, 200, { value: workflows.map(workflowShape) });
}

function getWorkflow(r: RouteRequest): void {
  const wf = findWorkflow(r.ctx, r.params[0] ?? '');
  if (!wf) return sendError(r.res, 404, 'WorkflowNotFound', `The workflow '${r.params[0] ?? ''}' could not be found.`);
  sendJson(r.res, 200, workflowShape(wf));
}

function triggerHistories(r: RouteRequest): void {
  const [param = '', trigger = ''] = r.params;
  const wfName = requireWorkflow(r, param);
  if (wfName === undefined) return;
  const top = parseTop(r.url.searchParams.get('$top'));
  if (top === undefined) return sendError(r.res, 400, 'InvalidQueryParameterValue', "The query parameter '$top' must be a positive integer.");
  // A Standard workflow has one trigger, so its runs are its trigger histories: read one page (plus one row).
  const runs = r.ctx.history
    .listRuns({ workflow: wfName, top: top + 1, ...continueAfter(r.url.searchParams.get('$skiptoken')) })
    .filter((run) => run.trigger.name === trigger);
  const { page, next } = pageRuns(runs, top, undefined);
  const body: Record<string, unknown> = { value: page.map(triggerHistoryShape) };
  if (next) {
    const nextUrl = new URL(r.url.pathname, r.ctx.baseUrl());
    nextUrl.searchParams.set('$top', String(top));
    nextUrl.searchParams.set('$skiptoken', encodeSkipToken(next));
    body.nextLink = nextUrl.toString();
  }
  sendJson(r.res, 200, body);
}

function triggerHistory(r: RouteRequest): void {
  const [param = '', trigger = '', name = ''] = r.params;
  const wfName = requireWorkflow(r, param);
  if (wfName === undefined) return;
  const run = r.ctx.history.getRun(wfName, name);
  if (!run || run.trigger.name !== trigger) return sendError(r.res, 404, 'WorkflowTriggerHistoryNotFound', `The trigger history '${name}' could not be found.`);
  sendJson(r.res, 200, triggerHistoryShape(run));
}

function listCallbackUrl(r: RouteRequest): void {
  const [wfName = '', trigger = ''] = r.params;
  const wf = findWorkflow(r.ctx, wfName);
  if (!wf) return sendError(r.res, 404, 'WorkflowNotFound', `The workflow '${wfName}' could not be found.`);
  if (wf.triggerName.toLowerCase() !== trigger.toLowerCase()) return sendError(r.res, 404, 'WorkflowTriggerNotFound', `The workflow '${wfName}' has no trigger '${trigger}'.`);
  if (!isRequestTrigger(wf)) {
    return sendError(r.res, 400, 'WorkflowTriggerCallbackUrlNotSupported', `The trigger '${trigger}' of type '${String((wf.trigger as { type?: unknown }).type)}' has no callback URL.`);
  }
  sendJson(r.res, 200, callbackUrl(r.ctx.baseUrl(), wf, r.ctx.keys));
}

async function regenerateAccessKey(r: RouteRequest): Promise<void> {
  const wf = findWorkflow(r.ctx, r.params[0] ?? '');
  if (!wf) return sendError(r.res, 404, 'WorkflowNotFound', `The workflow '${r.params[0] ?? ''}' could not be found.`);
  const raw = (await readBody(r.req, 64 * 1024)).toString('utf8');
  let keyType: unknown;
  try {
    keyType = raw ? (JSON.parse(raw) as { keyType?: unknown }).keyType : undefined;
  } catch {
    keyType = undefined;
  }
  const type = typeof keyType === 'string' ? keyType.toLowerCase() : '';
  if (type !== 'primary' && type !== 'secondary') {
    return sendError(r.res, 400, 'InvalidKeyType', "The request body must be {\"keyType\": \"Primary\"} or {\"keyType\": \"Secondary\"}.");
  }
  await r.ctx.keys.regenerate(wf.name, type === 'primary' ? 'Primary' : 'Secondary');
  sendJson(r.res, 200, undefined);
}

export const workflowRoutes: Route[] = [
  route('GET', '/workflows', listWorkflows),
  route('GET', `/workflows/${SEG}`, getWorkflow),
  route('GET', `/workflows/${SEG}/triggers/${SEG}/histories`, triggerHistories),
  route('GET', `/workflows/${SEG}/triggers/${SEG}/histories/${SEG}`, triggerHistory),
  route('POST', `/workflows/${SEG}/triggers/${SEG}/listCallbackUrl`, listCallbackUrl),
  route('POST', `/workflows/${SEG}/regenerateAccessKey`, regenerateAccessKey),
];
